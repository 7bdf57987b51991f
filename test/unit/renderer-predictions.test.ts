/**
 * The outlook's and the model registry's pure parts: band pairing of forecast outputs,
 * readings that never show a refused prediction as a number, fault levels, the time to
 * the limit from a predictive alarm's message, registry formatting, backfill ranges and
 * progress, the routes.
 */
import { describe, expect, it } from 'vitest';
import type { AlarmDefinitionDto, AlarmDto, ModelInfoDto, TagValueDto } from '../../preload/contract.js';
import {
  bandForTag,
  bandName,
  bandOf,
  familyKey,
  forecastFamilies,
  formatHorizon,
  seriesKey,
  type OutputInfo,
} from '../../renderer/predictions/forecast-bands.js';
import {
  barShare,
  cardLeadTime,
  faultLevel,
  faultRow,
  faultRows,
  formatProbability,
  formatTimeToLimit,
  isNormalClass,
  isPredictive,
  readingOf,
  timeToLimitMin,
  type Reading,
} from '../../renderer/predictions/outlook-model.js';
import {
  activationText,
  backfillRange,
  backfillText,
  formatLatency,
  formatMetric,
  metricRows,
  nextBackfillState,
  statLines,
} from '../../renderer/predictions/registry-format.js';
import { noDataSpans, sparkPath } from '../../renderer/predictions/sparkline-path.js';
import { mayManageModels } from '../../renderer/predictions/prediction-access.js';
import { navItems, parseRoute, routeHash } from '../../renderer/app/navigation.js';

const out = (name: string, extra: Partial<OutputInfo> = {}): OutputInfo => ({
  tag: `SS01.FORECAST.${name}`,
  name,
  description: { en: name },
  unit: 'kW',
  horizonMin: null,
  quantile: null,
  label: null,
  ...extra,
});

const forecastOutputs: OutputInfo[] = [
  out('HM_POWER_15M_P10', { horizonMin: 15, quantile: 0.1 }),
  out('HM_POWER_60M_P10', { horizonMin: 60, quantile: 0.1 }),
  out('LOAD_H01_P10', { horizonMin: 60, quantile: 0.1 }),
  out('HM_POWER_15M_P50', {
    horizonMin: 15,
    quantile: 0.5,
    description: { en: 'Heat power in 15 min, median', zh: '15分钟后热功率,中位数' },
  }),
  out('HM_POWER_60M_P50', { horizonMin: 60, quantile: 0.5, description: { en: 'Heat power in 60 min, median' } }),
  out('LOAD_H01_P50', {
    horizonMin: 60,
    quantile: 0.5,
    description: { en: 'Mean heat load in hour 1 from now, median' },
  }),
  out('HM_POWER_15M_P90', { horizonMin: 15, quantile: 0.9 }),
  out('HM_POWER_60M_P90', { horizonMin: 60, quantile: 0.9 }),
  out('LOAD_H01_P90', { horizonMin: 60, quantile: 0.9 }),
  out('T_SEC_SUP_60M_P50', { horizonMin: 60, quantile: 0.5, unit: '°C' }),
];

describe('forecast band pairing', () => {
  it('pairs a median with the lower and upper quantiles of the same series and horizon, not another series at that horizon', () => {
    const band = bandOf(
      forecastOutputs.find((o) => o.name === 'HM_POWER_60M_P50')!,
      forecastOutputs,
    )!;
    expect(band.lower?.name).toBe('HM_POWER_60M_P10');
    expect(band.upper?.name).toBe('HM_POWER_60M_P90');
    const load = bandOf(
      forecastOutputs.find((o) => o.name === 'LOAD_H01_P50')!,
      forecastOutputs,
    )!;
    expect([load.lower?.name, load.upper?.name]).toEqual(['LOAD_H01_P10', 'LOAD_H01_P90']);
  });
  it('gives no band for a band edge, an output without horizon, or a median whose model has no edges', () => {
    expect(bandOf(forecastOutputs[0]!, forecastOutputs)).toBeNull();
    expect(bandOf(out('X', { quantile: 0.5 }), forecastOutputs)).toBeNull();
    const lonely = bandOf(
      forecastOutputs.find((o) => o.name === 'T_SEC_SUP_60M_P50')!,
      forecastOutputs,
    )!;
    expect([lonely.lower, lonely.upper]).toEqual([null, null]);
  });
  it('bandForTag: only a median with both edges gets a band on the trend', () => {
    const models = [{ outputs: forecastOutputs }];
    expect(bandForTag('SS01.FORECAST.HM_POWER_15M_P50', models)).toEqual({
      lower: 'SS01.FORECAST.HM_POWER_15M_P10',
      upper: 'SS01.FORECAST.HM_POWER_15M_P90',
      lowerQ: 0.1,
      upperQ: 0.9,
      horizonMin: 15,
    });
    expect(bandForTag('SS01.FORECAST.T_SEC_SUP_60M_P50', models)).toBeNull();
    expect(bandForTag('SS01.FORECAST.HM_POWER_15M_P90', models)).toBeNull();
    expect(bandForTag('SS01.HX.T_SEC_SUP', models)).toBeNull();
  });
  it('takes the widest quantiles when a model has several on a side', () => {
    const outputs = [
      out('A_P50', { horizonMin: 5, quantile: 0.5 }),
      out('A_P25', { horizonMin: 5, quantile: 0.25 }),
      out('A_P05', { horizonMin: 5, quantile: 0.05 }),
      out('A_P95', { horizonMin: 5, quantile: 0.95 }),
    ];
    const band = bandOf(outputs[0]!, outputs)!;
    expect([band.lower?.quantile, band.upper?.quantile]).toEqual([0.05, 0.95]);
  });
  it('groups medians into families by quantity, nearest horizon first, with a title stripped of horizon and quantile', () => {
    const families = forecastFamilies(forecastOutputs);
    expect(families.map((f) => [f.key, f.bands.map((b) => b.horizonMin)])).toEqual([
      ['HM_POWER', [15, 60]],
      ['LOAD', [60]],
      ['T_SEC_SUP', [60]],
    ]);
    expect(families[0]!.title).toEqual({ en: 'Heat power', zh: '热功率' });
    expect(families[1]!.title.en).toBe('Mean heat load');
  });
  it('names keys, horizons and bands as an operator reads them', () => {
    expect(seriesKey('HM_POWER_60M_P50')).toBe('HM_POWER_60M');
    expect(familyKey('LOAD_H07_P90')).toBe('LOAD');
    expect(familyKey('T_SEC_SUP_15M_P10')).toBe('T_SEC_SUP');
    expect(formatHorizon(15)).toBe('15 min');
    expect(formatHorizon(120)).toBe('2 h');
    expect(bandName(0.1, 0.9)).toBe('P10–P90');
  });
});

const value = (v: TagValueDto['v'], q: TagValueDto['q'] = 'Good', r?: string, rt = 1000): TagValueDto => ({
  tag: 'T',
  v,
  q,
  ts: rt,
  rt,
  ...(r ? { r } : {}),
});

describe('readings', () => {
  it('a Bad output gives the runtime reason instead of a number', () => {
    const r = readingOf(
      value(null, 'Bad', 'no prediction: input SS01.HM.POWER is Bad (comm lost)'),
      'Bad',
      0,
      'kW',
      2000,
    );
    expect(r).toMatchObject({
      kind: 'bad',
      value: null,
      text: 'NO PREDICTION',
      reason: 'No prediction: input SS01.HM.POWER is Bad (comm lost)',
    });
  });
  it('a Stale output keeps its number but says how old it is; a stale Bad one still has no number', () => {
    const stale = readingOf(value(1234, 'Good'), 'Stale', 0, 'kW', 1000 + 10 * 60_000);
    expect(stale).toMatchObject({
      kind: 'stale',
      value: 1234,
      text: '1234 kW',
      reason: 'No new prediction for 10 min',
    });
    const staleBad = readingOf(value(null, 'Bad', 'no prediction: frozen'), 'Stale', 0, 'kW', 1000 + 60_000);
    expect(staleBad.kind).toBe('bad');
    expect(staleBad.value).toBeNull();
  });
  it('a Good number with unit and decimals; nothing received says so', () => {
    expect(readingOf(value(61.234), 'Good', 1, '°C', 0)).toMatchObject({
      kind: 'number',
      text: '61.2 °C',
      reason: null,
    });
    expect(readingOf(undefined, 'Stale', 1, '°C', 0)).toMatchObject({ kind: 'none', text: 'NO DATA' });
    expect(readingOf(value(0.5, 'Uncertain', 'input held'), 'Uncertain', 2, '', 0).reason).toBe(
      'Uncertain: input held',
    );
  });
  it('an empty bar for anything that is not a current number', () => {
    const bad: Reading = { kind: 'bad', value: null, text: '', reason: 'x', quality: 'Bad' };
    expect(barShare(bad)).toBe(0);
    expect(barShare({ kind: 'stale', value: 0.95, text: '', reason: null, quality: 'Stale' })).toBe(0);
    expect(barShare({ kind: 'number', value: 1.2, text: '', reason: null, quality: 'Good' })).toBe(1);
  });
  it('probabilities in percent, never rounding a near-certainty to certain', () => {
    expect(formatProbability(0.934)).toBe('93 %');
    expect(formatProbability(0.004)).toBe('<1 %');
    expect(formatProbability(0.996)).toBe('>99 %');
    expect(formatProbability(1)).toBe('100 %');
    expect(formatProbability(0)).toBe('0 %');
  });
});

describe('fault levels and predictive alarms', () => {
  const n = (v: number): Reading => ({ kind: 'number', value: v, text: '', reason: null, quality: 'Good' });
  it.each([
    [0.1, 0.9, false, 'normal'],
    [0.5, 0.9, false, 'watch'],
    [0.9, 0.9, false, 'warning'],
    [0.2, 0.9, true, 'warning'],
    [0.7, null, false, 'watch'],
  ] as const)('p=%s threshold=%s alarm=%s → %s', (p, threshold, alarm, level) => {
    expect(faultLevel(n(p), threshold, alarm)).toBe(level);
  });
  it('no current number is unknown, not normal', () => {
    expect(faultLevel({ kind: 'bad', value: null, text: '', reason: 'x', quality: 'Bad' }, 0.9, false)).toBe('unknown');
  });
  it('reads the time to the limit from the message, en or zh', () => {
    expect(timeToLimitMin({ en: 'Supply temperature predicted below 55 °C (in about 20 min)' })).toBe(20);
    expect(timeToLimitMin({ en: 'Load high (in about 2 h)' })).toBe(120);
    expect(timeToLimitMin({ en: 'Predicted: fouling', zh: '预测(约 30 分钟后)' })).toBe(30);
    expect(timeToLimitMin({ en: 'Predicted: heat exchanger fouling developing' })).toBeNull();
    expect(formatTimeToLimit(20)).toBe('in ~20 min');
    expect(formatTimeToLimit(180)).toBe('in ~3 h');
  });

  it('speaks Chinese when asked: readings, time to the limit, horizons, run statistics, backfill and activation', () => {
    expect(formatTimeToLimit(20, 'zh')).toBe('约 20 分钟后');
    expect(formatHorizon(120, 'zh')).toBe('2 小时');
    expect(readingOf(undefined, 'Stale', 1, '°C', 0, 'zh')).toMatchObject({
      kind: 'none',
      text: '无数据',
      reason: '尚未收到预测',
    });
    const bad = readingOf(value(null, 'Bad', 'input SS01.HM.POWER is Bad'), 'Bad', 0, 'kW', 2000, 'zh');
    expect(bad.text).toBe('无预测');
    expect(bad.reason).toBe('Input SS01.HM.POWER is Bad');
    expect(statLines(null, 0, 'zh')).toEqual([{ key: 'runs', label: '运行次数', value: '未运行' }]);
    expect(backfillText({ jobId: 'j', model: 'M', fraction: 0.5, runs: 50, done: false }, 'zh')).toBe(
      '运行中：50 %，50 个窗口',
    );
    expect(activationText('1.1.0', { ok: false, message: 'hash mismatch' }, '1.0.0', 'zh')).toEqual({
      kind: 'refused',
      text: '被拒绝：hash mismatch — 版本 1.0.0 继续运行。',
    });
    expect(backfillRange('', '', () => 0, 0, 'zh')).toBe('请填写起始时间。');
  });
  const definition: AlarmDefinitionDto = {
    id: 'SS01.FAULTS.P_HX_FOULING.PRED',
    source: 'predictive',
    kind: 'predictive',
    priority: 'low',
    tag: 'SS01.FAULTS.P_HX_FOULING',
    area: 'SS01',
    equipment: 'HX',
    screen: 'alarms',
    unit: '',
    message: { en: 'Predicted: heat exchanger fouling developing' },
    cause: null,
    consequence: null,
    action: { en: 'Plan chemical cleaning', zh: '安排化学清洗' },
    limit: 0.9,
    deadband: null,
    onDelayS: 0,
    offDelayS: 0,
    latch: false,
    realarmS: 0,
  };
  const alarm = {
    id: definition.id,
    source: 'predictive',
    kind: 'predictive',
    priority: 'low',
    tag: definition.tag,
    message: definition.message,
    state: 'unack-active',
    active: true,
    latched: false,
  } as AlarmDto;
  const fouling = out('P_HX_FOULING', { tag: 'SS01.FAULTS.P_HX_FOULING', label: 'hx-fouling', unit: '' });
  const normal = out('P_NORMAL', { tag: 'SS01.FAULTS.P_NORMAL', label: 'normal', unit: '' });
  it('a fault row takes its threshold and action from the predictive alarm definition and its alarm from the list', () => {
    const quiet = faultRow(fouling, n(0.3), [], [definition]);
    expect(quiet).toMatchObject({ level: 'normal', threshold: 0.9, alarm: null });
    expect(quiet.definition?.action?.zh).toBe('安排化学清洗');
    const raised = faultRow(fouling, n(0.95), [alarm], [definition]);
    expect(raised).toMatchObject({ level: 'warning', alarm: { id: definition.id } });
    expect(isPredictive(alarm)).toBe(true);
  });
  it('the normal class is never a warning; faultRows reads values through the source', () => {
    expect(isNormalClass('normal')).toBe(true);
    expect(isNormalClass('hx-fouling')).toBe(false);
    const values = {
      value: (tag: string) =>
        tag.endsWith('NORMAL') ? value(0.02) : value(null, 'Bad', 'no prediction: input frozen'),
      quality: (tag: string) => (tag.endsWith('NORMAL') ? ('Good' as const) : ('Bad' as const)),
      decimals: () => 3,
    };
    const rows = faultRows({ outputs: [normal, fouling, out('HM_POWER_15M_P50')] }, values, [], [definition], 0);
    expect(rows.map((r) => [r.label, r.level, r.reading.kind])).toEqual([
      ['normal', 'normal', 'number'],
      ['hx-fouling', 'unknown', 'bad'],
    ]);
  });
  it('lead time from the running version’s card', () => {
    const model = {
      activeVersion: '1.0.0',
      versions: [
        {
          version: '1.0.0',
          source: 'built-in',
          manifestFile: 'x',
          error: null,
          card: {
            trainingData: '',
            metrics: { lead_time_median_min: 38.3, lead_time_worst_min: -8.7 },
            date: '',
            codeRevision: '',
          },
        },
      ],
    } as Pick<ModelInfoDto, 'activeVersion' | 'versions'>;
    expect(cardLeadTime(model)).toEqual({ medianMin: 38.3, worstMin: -8.7 });
    expect(cardLeadTime({ activeVersion: null, versions: [] })).toBeNull();
  });
});

describe('registry formatting', () => {
  it('latency, metrics and stats', () => {
    expect(formatLatency(0.4234)).toBe('0.42 ms');
    expect(formatLatency(42.4)).toBe('42 ms');
    expect(formatLatency(null)).toBe('—');
    expect(formatMetric(50513)).toBe('50513');
    expect(formatMetric(0.99934)).toBe('0.9993');
    expect(formatMetric(48.971)).toBe('48.97');
    expect(metricRows({ macro_f1: 0.9993 })).toEqual([{ key: 'macro_f1', label: 'macro f1', value: '0.9993' }]);
    const lines = statLines(
      {
        runs: 10,
        refused: 2,
        failures: 0,
        lastRunAt: 0,
        lastLatencyMs: 1,
        latencyP50Ms: 0.5,
        latencyP99Ms: 3,
        lastResult: 'refused',
        lastReason: 'input SS01.HM.POWER frozen',
      },
      60_000,
    );
    expect(lines.find((l) => l.key === 'refused')).toMatchObject({ value: '2', abnormal: true });
    expect(lines.find((l) => l.key === 'failures')?.abnormal).toBe(false);
    expect(lines.find((l) => l.key === 'last-result')).toMatchObject({ value: 'REFUSED', abnormal: true });
    expect(lines.find((l) => l.key === 'latency')?.value).toBe('0.50 ms / 3.00 ms');
    expect(lines.find((l) => l.key === 'last-reason')?.value).toBe('input SS01.HM.POWER frozen');
    expect(statLines(null, 0)).toEqual([{ key: 'runs', label: 'Runs', value: 'not running' }]);
  });
  it('backfill ranges: complete, ordered, in the past, at most 400 days; the end is clipped to now', () => {
    const parse = (t: string) => Number(t);
    expect(backfillRange('', '5', parse, 10)).toMatch(/start/);
    expect(backfillRange('5', '5', parse, 10)).toMatch(/after/);
    expect(backfillRange('20', '30', parse, 10)).toMatch(/future/);
    expect(backfillRange('0', String(401 * 86_400_000), parse, 1e12)).toMatch(/400 days/);
    expect(backfillRange('1', '50', parse, 10)).toEqual({ from: 1, to: 10 });
  });
  it('backfill progress follows its own job only and reads in words', () => {
    let s = nextBackfillState(
      { jobId: 'a', model: 'M', fraction: 0, runs: 0, done: false },
      { jobId: 'b', model: 'M', fraction: 0.5, runs: 5, done: false },
    );
    expect(s!.fraction).toBe(0);
    s = nextBackfillState(s, { jobId: 'a', model: 'M', fraction: 0.5, runs: 50, done: false });
    expect(backfillText(s!)).toBe('Running: 50 %, 50 windows');
    const done = nextBackfillState(s, { jobId: 'a', model: 'M', fraction: 1, runs: 100, done: true, refused: 3 });
    expect(backfillText(done!)).toMatch(/^Done: 100 windows, 3 refused/);
    const cancelled = nextBackfillState(s, {
      jobId: 'a',
      model: 'M',
      fraction: 0,
      runs: 0,
      done: true,
      error: 'backfill cancelled',
    });
    expect(backfillText(cancelled!)).toBe('Cancelled after 0 windows');
    expect(nextBackfillState(done, { jobId: 'a', model: 'M', fraction: 0.2, runs: 1, done: false })).toBe(done);
  });
  it('activation: running, or refused with the old version kept', () => {
    const model = { activeVersion: '1.1.0' } as ModelInfoDto;
    expect(activationText('1.1.0', { ok: true, model }, '1.0.0')).toEqual({
      kind: 'ok',
      text: 'Version 1.1.0 is running (was 1.0.0).',
    });
    expect(activationText('1.2.0', { ok: false, message: 'sha256 mismatch' }, '1.1.0')).toEqual({
      kind: 'refused',
      text: 'Refused: sha256 mismatch — version 1.1.0 keeps running.',
    });
    expect(activationText('1.2.0', { ok: true, model }, '1.1.0').kind).toBe('refused');
  });
});

describe('sparkline path', () => {
  it('breaks at nulls, draws a lone point as a tick, and clamps to a fixed domain', () => {
    const p = sparkPath([0, 10, 20, 30, 40], [0, 1, null, 0.5, null], {
      from: 0,
      to: 40,
      width: 46,
      height: 26,
      domain: [0, 1],
      pad: 3,
    });
    expect(p.count).toBe(3);
    expect(p.d).toBe('M3.0,23.0L13.0,3.0M33.0,13.0h1.5');
    expect(p.y(2)).toBe(3);
    expect(sparkPath([], [], { from: 0, to: 1, width: 10, height: 10 }).d).toBe('');
  });

  it('does not join points with nothing stored between them', () => {
    const p = sparkPath([0, 10, 50, 60], [0, 1, 1, 0], {
      from: 0,
      to: 60,
      width: 66,
      height: 26,
      domain: [0, 1],
      pad: 3,
      gapMs: 15,
    });
    expect(p.d).toBe('M3.0,23.0L13.0,3.0M53.0,3.0L63.0,23.0');
  });

  it('a fresh station: the window before the first stored bucket is no data, not a line squeezed to the right edge', () => {
    // One hour in 72 buckets of 50 s; the station has stored the last 5 minutes only.
    const from = 0;
    const to = 3_600_000;
    const t = Array.from({ length: 6 }, (_, i) => to - 300_000 + i * 50_000);
    const spans = noDataSpans(t, { from, to, width: 110, pad: 3, bucketMs: 50_000 });
    expect(spans).toHaveLength(1);
    expect(spans[0]!.fromMs).toBe(from);
    expect(spans[0]!.toMs).toBe(to - 300_000);
    expect(spans[0]!.x).toBe(3);
    expect(spans[0]!.width).toBeCloseTo((104 * 55) / 60, 5);
    // An outage in the middle and a tag that stopped recording are no data too; a full window has none.
    expect(
      noDataSpans([0, 50_000, 400_000, 450_000], { from: 0, to: 600_000, width: 100, bucketMs: 50_000 }).map((s) => [
        s.fromMs,
        s.toMs,
      ]),
    ).toEqual([
      [100_000, 400_000],
      [500_000, 600_000],
    ]);
    expect(
      noDataSpans(
        Array.from({ length: 12 }, (_, i) => i * 50_000),
        { from: 0, to: 600_000, width: 100, bucketMs: 50_000 },
      ),
    ).toEqual([]);
    expect(noDataSpans([], { from: 0, to: 600_000, width: 100, bucketMs: 50_000 })).toHaveLength(1);
  });
});

describe('routes and access', () => {
  it('Outlook for everyone, Models only with model.manage', () => {
    const screens = [{ id: 'overview', title: 'O' }];
    expect(navItems(screens).map((i) => i.testId)).toContain('nav-outlook');
    expect(navItems(screens).map((i) => i.testId)).not.toContain('nav-models');
    expect(navItems(screens, { models: true }).at(-1)).toMatchObject({
      testId: 'nav-models',
      route: { kind: 'models' },
    });
    for (const hash of ['#/outlook', '#/models']) expect(routeHash(parseRoute(hash)!)).toBe(hash);
    const auth = (permissions: string[]) =>
      ({ state: 'active', permissions }) as unknown as Parameters<typeof mayManageModels>[0];
    expect(mayManageModels(auth(['view', 'model.manage']))).toBe(true);
    expect(mayManageModels(auth(['view']))).toBe(false);
    expect(mayManageModels(null)).toBe(false);
  });
});
