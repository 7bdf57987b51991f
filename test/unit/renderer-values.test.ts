/**
 * The value layer's pure parts: normal band and limits, pointer position, zones, the
 * deviation cue, decimals by unit, Bad that stays Bad, the header's offline summary, and the
 * shared limit and sparkline caches against an in-memory link.
 */
import { describe, expect, it } from 'vitest';
import type { AlarmDefinitionDto, HistoryTrendDto, Reply, TagValueDto } from '../../preload/contract.js';
import {
  analogScale,
  limitsOf,
  liveZone,
  pointerPosition,
  zoneOf,
  type TagLimits,
} from '../../renderer/format/analog-scale.js';
import { deviationView } from '../../renderer/format/deviation.js';
import { nameList, offlineSummary } from '../../renderer/format/device-summary.js';
import {
  decimalMark,
  decimalsFor,
  defaultDecimals,
  formatNumber,
  formatValue,
} from '../../renderer/format/format-value.js';
import { displayQuality, reasonCode } from '../../renderer/format/quality.js';
import { valueView } from '../../renderer/format/value-view.js';
import { LimitsCache } from '../../renderer/values/limits-cache.js';
import { SparkHistory, SPARK_BUCKETS } from '../../renderer/values/spark-history.js';
import { MAX_NO_DATA_SHARE, sparkLayout } from '../../renderer/values/spark-layout.js';
import { diagnosticName } from '../../renderer/screens/device-diagnostics-text.js';
import { trendHash } from '../../renderer/trends/trend-route.js';
import { valueLook } from '../../renderer/values/value-look.js';

const def = (tag: string, kind: string, limit: number | null): AlarmDefinitionDto => ({
  id: `${tag}.${kind}`,
  source: 'tag',
  kind,
  priority: 'medium',
  tag,
  area: null,
  equipment: null,
  screen: null,
  unit: '',
  message: { en: kind },
  cause: null,
  consequence: null,
  action: null,
  limit,
  deadband: null,
  onDelayS: 0,
  offDelayS: 0,
  latch: false,
  realarmS: 0,
});

describe('limits from the alarm definitions', () => {
  it('maps LL, LO, HI, HH and deviation of the tag, ignoring other tags and limitless alarms', () => {
    const defs = [
      def('P', 'low-low', 1.2),
      def('P', 'high', 2.7),
      def('P', 'frozen', null),
      def('Q', 'low', 9),
      def('T', 'deviation', -3),
      def('P', 'rate', 0.2),
    ];
    expect(limitsOf('P', defs)).toEqual({ ll: 1.2, hi: 2.7 });
    expect(limitsOf('T', defs)).toEqual({ deviation: 3 });
    expect(limitsOf('nothing', defs)).toEqual({});
  });

  it('keeps the limit nearer the normal band when one kind appears twice', () => {
    expect(limitsOf('P', [def('P', 'low', 1), def('P', 'low', 1.5), def('P', 'high', 9), def('P', 'high', 8)])).toEqual(
      { lo: 1.5, hi: 8 },
    );
  });
});

describe('analog scale and normal band', () => {
  const range: [number, number] = [0, 6];
  it('takes the project band first', () => {
    const s = analogScale({ range, normal: [1.65, 2.3] }, { ll: 1.2, hi: 2.7 });
    expect(s).toMatchObject({ min: 0, max: 6, normal: [1.65, 2.3], bandSource: 'project' });
  });

  it.each<[TagLimits, [number, number] | null, string]>([
    [{ ll: 1.2, lo: 1.5, hi: 2.7, hh: 3 }, [1.5, 2.7], 'nearest LO and HI'],
    [{ ll: 1.2, hh: 3 }, [1.2, 3], 'LL and HH when there is no LO/HI'],
    [{ hi: 2.7 }, [0, 2.7], 'range start to HI'],
    [{ lo: 18 }, [18, 6], 'none when the limit lies above the range end'],
    [{}, null, 'no band without limits'],
  ])('falls back to the limits: %j → %j (%s)', (limits, band) => {
    const s = analogScale({ range }, limits)!;
    expect(s.normal).toEqual(band === null || band[1] <= band[0] ? null : band);
    expect(s.bandSource).toBe(band === null || band[1] <= band[0] ? 'none' : 'limits');
  });

  it('widens a scale from the limits when the tag has no range, and gives up without anything', () => {
    const s = analogScale({}, { lo: 10, hi: 20 })!;
    expect(s.min).toBeCloseTo(7.5);
    expect(s.max).toBeCloseTo(22.5);
    expect(analogScale({}, {})).toBeNull();
    expect(analogScale(undefined, { hi: 3 })).toBeNull();
  });
});

describe('pointer position', () => {
  const scale = { min: 0, max: 6 };
  it.each([
    [3, 0.5, null],
    [0, 0, null],
    [6, 1, null],
    [-1, 0, 'below'],
    [7.5, 1, 'above'],
  ])('%s → fraction %s, clamped %s', (v, fraction, clamped) => {
    expect(pointerPosition(v, scale)).toEqual({ fraction, clamped });
  });

  it('puts a value on a zero-width scale in the middle', () => {
    expect(pointerPosition(5, { min: 5, max: 5 }).fraction).toBe(0.5);
  });
});

describe('zones', () => {
  const scale = { normal: [1.65, 2.3] as [number, number], limits: { ll: 1.2, hi: 2.7 } };
  it.each([
    [2.02, 'normal', false, ''],
    [1.44, 'low', true, 'LOW'],
    [2.5, 'high', true, 'HIGH'],
    [1.2, 'll', true, 'LL'],
    [0.9, 'll', true, 'LL'],
    [2.8, 'hi', true, 'HI'],
  ])('%s bar is %s', (v, zone, abnormal, code) => {
    expect(zoneOf(v, scale)).toEqual({ zone, abnormal, code });
  });

  it('judges only Good or Uncertain numbers', () => {
    const s = analogScale({ range: [0, 6], normal: [1.65, 2.3] }, {});
    expect(liveZone(1.44, 'Good', s)?.zone).toBe('low');
    expect(liveZone(1.44, 'Uncertain', s)?.zone).toBe('low');
    expect(liveZone(1.44, 'Bad', s)).toBeNull();
    expect(liveZone(1.44, 'Stale', s)).toBeNull();
    expect(liveZone('x', 'Good', s)).toBeNull();
    expect(liveZone(1.44, 'Good', analogScale({ range: [0, 6] }, {}))).toBeNull();
  });
});

describe('deviation cue', () => {
  it.each([
    [70, 70, 3, 0, 'ok'],
    [71.6, 70, 3, 1.6, 'near'],
    [66.5, 70, 3, -3.5, 'beyond'],
    [70.4, 70, 3, 0.4, 'ok'],
  ])('PV %s against SP %s with limit %s → Δ %s, %s', (pv, sp, limit, delta, state) => {
    const v = deviationView(pv, sp, limit);
    expect(v.delta).toBeCloseTo(delta);
    expect(v.state).toBe(state);
    expect(v.halfSpan).toBe(6);
  });

  it('clamps the bar at twice the limit and says so', () => {
    expect(deviationView(90, 70, 3)).toMatchObject({ fraction: 1, clamped: true, state: 'beyond' });
    expect(deviationView(55, 70, 3)).toMatchObject({ fraction: -1, clamped: true });
  });

  it('does not judge without a limit or without both numbers', () => {
    expect(deviationView(80, 70, undefined)).toMatchObject({ state: 'ok', halfSpan: 5, fraction: 1 });
    expect(deviationView(null, 70, 3)).toMatchObject({ delta: null, state: 'unknown' });
    expect(deviationView(70, Number.NaN, 3).state).toBe('unknown');
  });
});

describe('decimals by unit when the project gives none', () => {
  it.each([
    ['°C', 'analog', 63.24, 1],
    ['K', 'analog', 3.1, 1],
    ['', 'analog', 1234, 0],
    ['', 'analog', 0.35, 2],
    ['bar', 'analog', 2.02, 2],
    ['', 'digital', 1, 0],
  ] as const)('%s %s (%s) → %s', (unit, kind, sample, d) => {
    expect(defaultDecimals(unit, kind, sample)).toBe(d);
    expect(decimalsFor({ unit, kind }, sample)).toBe(d);
  });

  it('keeps the project decimals when there are some', () => {
    expect(decimalsFor({ unit: '°C', kind: 'analog', decimals: 2 })).toBe(2);
    expect(formatValue(101.3, { unit: '°C', kind: 'analog' }).text).toBe('101.3 °C');
    expect(formatValue(412, { unit: '', kind: 'analog' }).text).toBe('412');
  });

  it("uses the language's decimal mark and no grouping", () => {
    expect(decimalMark('zh-CN')).toBe('.');
    expect(decimalMark('en-GB')).toBe('.');
    expect(decimalMark('de-DE')).toBe(',');
    expect(formatNumber(12345.67, 1, 'zh-CN')).toBe('12345.7');
    expect(formatNumber(12345.67, 1, 'de-DE')).toBe('12345,7');
  });
});

describe('a communication loss stays as prominent as in its first second', () => {
  const bad: TagValueDto = {
    tag: 'P',
    v: 2.02,
    q: 'Bad',
    r: 'communication lost: SS01-PLC ECONNREFUSED',
    ts: 0,
    rt: 0,
  };
  it('keeps a Bad value Bad however old, and Stale only when the console lost the station', () => {
    expect(displayQuality({ value: bad, nowMs: 1_000, intervalMs: 250, connected: true })).toBe('Bad');
    expect(displayQuality({ value: bad, nowMs: 600_000, intervalMs: 250, connected: true })).toBe('Bad');
    expect(displayQuality({ value: bad, nowMs: 600_000, intervalMs: 250, connected: false })).toBe('Stale');
    expect(displayQuality({ value: { ...bad, q: 'Good' }, nowMs: 600_000, intervalMs: 250, connected: true })).toBe(
      'Stale',
    );
  });

  it('gives a short reason code', () => {
    expect(reasonCode(bad.r)).toBe('COMM');
    expect(reasonCode('SS01-PLC unit 1 input 100: exception 2 (illegal data address)')).toBe('DEV');
    expect(reasonCode('non-finite value NaN')).toBe('VAL');
    expect(reasonCode(undefined)).toBeNull();
    expect(valueView('P', bad, undefined, 600_000, true).reason).toBe('COMM');
  });

  it('explains it in Chinese too', () => {
    expect(valueView('P', bad, undefined, 600_000, true, 'zh').tooltip).toMatch(/坏值：通讯故障（communication lost/);
  });
});

describe('offline devices in the header', () => {
  it('lists disconnected and reconnecting devices in project order; a stopped one is not a loss', () => {
    const s = offlineSummary([
      { device: 'SS01-PLC', state: 'disconnected' },
      { device: 'SS01-OPCUA', state: 'connecting' },
      { device: 'SS02-PLC', state: 'connected' },
      { device: 'SERIAL', state: 'stopped' },
    ]);
    expect(s).toEqual({ offline: ['SS01-PLC', 'SS01-OPCUA'], total: 4 });
    expect(offlineSummary([{ device: 'A', state: 'connected' }]).offline).toEqual([]);
  });

  it('shortens a long list', () => {
    expect(nameList(['A', 'B'])).toBe('A, B');
    expect(nameList(['A', 'B', 'C', 'D', 'E'])).toBe('A, B, C +2');
  });
});

describe('trend link', () => {
  it('puts the tags as pens in the hash, each encoded', () => {
    expect(trendHash(['SS01.SEC.P_RET'])).toBe('#/trends?tags=SS01.SEC.P_RET');
    expect(trendHash(['A,B', 'C D'])).toBe('#/trends?tags=A%2CB,C%20D');
  });
});

/** An in-memory link: counts requests, answers from the test's functions. */
function fakeLink(answer: (name: string, params: Record<string, unknown>) => unknown) {
  const calls: { name: string; params: Record<string, unknown> }[] = [];
  let phase = 'connected';
  const statusListeners = new Set<() => void>();
  return {
    calls,
    setPhase(p: string) {
      phase = p;
      for (const l of statusListeners) l();
    },
    link: {
      request: ((name: string, params: Record<string, unknown>) => {
        calls.push({ name, params });
        return Promise.resolve({ ok: true, value: answer(name, params) } as Reply<unknown>);
      }) as never,
      status: () => ({ phase }),
      onStatus: (l: () => void) => {
        statusListeners.add(l);
        return () => statusListeners.delete(l);
      },
    },
  };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('limits cache', () => {
  it('asks once per connection for every indicator, and again after a reconnection', async () => {
    const door = fakeLink(() => [def('P', 'low-low', 1.2)]);
    let now = 0;
    const cache = new LimitsCache(door.link, () => now);
    const stops = Array.from({ length: 20 }, () => cache.subscribe(() => undefined));
    for (let i = 0; i < 20; i++) cache.get('P');
    await flush();
    expect(door.calls.length).toBe(1);
    expect(cache.get('P')).toEqual({ ll: 1.2 });
    door.setPhase('disconnected');
    door.setPhase('connected');
    await flush();
    expect(door.calls.length).toBe(2);
    now += 6 * 60_000;
    cache.get('P');
    await flush();
    expect(door.calls.length).toBe(3);
    for (const s of stops) s();
  });

  it('waits before asking again after a failed request, whatever the indicators render meanwhile', async () => {
    let fail = true;
    const calls: string[] = [];
    const link = {
      request: ((name: string) => {
        calls.push(name);
        return Promise.resolve(
          fail
            ? ({ ok: false, error: { code: 'DEVICE_OFFLINE', message: 'timed out' } } as Reply<unknown>)
            : ({ ok: true, value: [def('P', 'low-low', 1.2)] } as Reply<unknown>),
        );
      }) as never,
      status: () => ({ phase: 'connected' }),
      onStatus: () => () => undefined,
    };
    let now = 0;
    const cache = new LimitsCache(link, () => now, 5 * 60_000, 15_000);
    cache.get('P');
    await flush();
    for (let i = 0; i < 50; i++) {
      now += 100;
      cache.get('P');
      await flush();
    }
    expect(calls).toHaveLength(1);
    fail = false;
    now = 15_000;
    cache.get('P');
    await flush();
    expect(calls).toHaveLength(2);
    expect(cache.get('P')).toEqual({ ll: 1.2 });
  });
});

describe('sparkline history', () => {
  const trend = (tag: string, from: number, to: number): HistoryTrendDto => ({
    tag,
    tier: 'raw',
    from,
    to,
    bucketMs: 30_000,
    t: [from + 60_000, from + 120_000, from + 180_000],
    min: [1, 2, 3],
    max: [1, 2, 3],
    avg: [2.02, 1.9, 1.7],
    first: [1, 2, 3],
    last: [1, 2, 3],
    count: [1, 1, 1],
    q: [1, 0, 1],
    gaps: [],
  });

  function liveStore() {
    const values = new Map<string, TagValueDto>();
    const listeners = new Map<string, Set<() => void>>();
    return {
      get: (tag: string) => values.get(tag),
      subscribe(tag: string, l: () => void) {
        const set = listeners.get(tag) ?? new Set();
        set.add(l);
        listeners.set(tag, set);
        return () => set.delete(l);
      },
      put(v: TagValueDto) {
        values.set(v.tag, v);
        for (const l of listeners.get(v.tag) ?? []) l();
      },
    };
  }

  it('makes one request per tag however many sparklines show it, then appends live values', async () => {
    let now = 3_600_000;
    const door = fakeLink((_n, p) => trend(p.tag as string, p.from as number, p.to as number));
    const store = liveStore();
    const history = new SparkHistory(door.link, store, () => now);
    const stops = [];
    for (let i = 0; i < 20; i++) stops.push(history.subscribe(i % 2 ? 'P' : 'L', 3_600_000, () => undefined));
    await flush();
    expect(door.calls.map((c) => c.name)).toEqual(['history.trend', 'history.trend']);
    expect(door.calls[0]!.params).toMatchObject({ buckets: SPARK_BUCKETS, from: 0, to: 3_600_000 });
    const s = history.get('P', 3_600_000);
    // A bucket without Good samples is a break.
    expect(s.v).toEqual([2.02, null, 1.7]);
    // Live values: one point per bucket, the newest replacing the one before within a bucket.
    now += 1000;
    store.put({ tag: 'P', v: 1.6, q: 'Good', ts: now, rt: now });
    now += 1000;
    store.put({ tag: 'P', v: 1.55, q: 'Good', ts: now, rt: now });
    expect(history.get('P', 3_600_000).v).toEqual([2.02, null, 1.7, 1.6, 1.55]);
    now += 1000;
    store.put({ tag: 'P', v: 1.5, q: 'Good', ts: now, rt: now });
    expect(history.get('P', 3_600_000).v).toEqual([2.02, null, 1.7, 1.6, 1.5]);
    now += 40_000;
    store.put({ tag: 'P', v: 1.44, q: 'Bad', ts: now, rt: now });
    expect(history.get('P', 3_600_000).v.at(-1)).toBeNull();
    expect(door.calls.length).toBe(2);
    for (const stop of stops) stop();
  });

  it('drops points that left the window and fetches again after the refetch interval', async () => {
    let now = 3_600_000;
    const door = fakeLink((_n, p) => trend(p.tag as string, p.from as number, p.to as number));
    const history = new SparkHistory(door.link, liveStore(), () => now, 600_000);
    const stop = history.subscribe('P', 3_600_000, () => undefined);
    await flush();
    now += 150_000;
    expect(history.get('P', 3_600_000).t).toEqual([180_000]);
    history.subscribe('P', 3_600_000, () => undefined)();
    now += 600_000;
    history.subscribe('P', 3_600_000, () => undefined)();
    await flush();
    expect(door.calls.length).toBe(2);
    stop();
  });
});

describe('ages for the language', () => {
  it("uses the language's units", async () => {
    const { formatAge } = await import('../../renderer/format/format-value.js');
    expect(formatAge(12_000)).toBe('12 s');
    expect(formatAge(12_000, 'zh')).toBe('12 秒');
    expect(formatAge(3 * 3_600_000, 'zh')).toBe('3 小时');
  });
});

describe("a value's look: what makes it render, rather than only rewrite its number", () => {
  const scale = analogScale({ range: [0, 6], normal: [1.65, 2.3] }, { ll: 1.2, hi: 2.7 });
  const at = (v: number, q: TagValueDto['q'] = 'Good', r?: string, ts = 10_000): TagValueDto => ({
    tag: 'P',
    v,
    q,
    ts,
    rt: ts,
    ...(r ? { r } : {}),
  });

  it('stays the same for new numbers inside the same zone and quality', () => {
    expect(valueLook(at(2.0), 10_500, 1000, true, scale)).toBe(valueLook(at(2.1), 10_500, 1000, true, scale));
    expect(valueLook(at(1.5), 10_500, 1000, true, scale)).toBe(valueLook(at(1.6), 10_500, 1000, true, scale));
  });

  it('changes when the value leaves its band, passes a limit, or comes back', () => {
    const looks = [2.0, 1.5, 1.1, 2.0].map((v) => valueLook(at(v), 10_500, 1000, true, scale));
    expect(new Set(looks).size).toBe(3);
    expect(looks[0]).toBe(looks[3]);
  });

  it('changes with the quality, the reason of a Bad value, the clock (turning Stale) and the link', () => {
    const good = valueLook(at(2.0), 10_500, 1000, true, scale);
    expect(valueLook(at(2.0, 'Uncertain'), 10_500, 1000, true, scale)).not.toBe(good);
    const comm = valueLook(at(2.0, 'Bad', 'communication lost'), 10_500, 1000, true, scale);
    expect(comm).not.toBe(good);
    expect(valueLook(at(2.0, 'Bad', 'Modbus exception 2 from the device'), 10_500, 1000, true, scale)).not.toBe(comm);
    expect(valueLook(at(2.0), 60_000, 1000, true, scale)).not.toBe(good);
    expect(valueLook(at(2.0), 10_500, 1000, false, scale)).not.toBe(good);
  });

  it('without a scale (digital, text) only the quality counts', () => {
    expect(valueLook(at(1), 10_500, 1000, true, null)).toBe(valueLook(at(0), 10_500, 1000, true, null));
  });
});

describe('sparkline layout on a station that started recently', () => {
  const from = 1_000_000;
  const to = from + 30 * 60_000;
  const bucket = (to - from) / SPARK_BUCKETS;

  it('uses the whole width when history covers the window', () => {
    expect(sparkLayout({ from, to, t: [from, from + bucket, to - bucket] }, 150, SPARK_BUCKETS)).toEqual({
      noDataWidth: 0,
      dataFrom: from,
      noDataMs: 0,
    });
    // The historian's buckets start a little after the window's start: still covered.
    expect(sparkLayout({ from, to, t: [from + 1.5 * bucket, to] }, 150, SPARK_BUCKETS).noDataWidth).toBe(0);
    expect(sparkLayout({ from, to, t: [] }, 150, SPARK_BUCKETS).noDataWidth).toBe(0);
  });

  it('draws three minutes of a 30-minute window across three quarters of the width, the rest marked no data', () => {
    const first = to - 3 * 60_000;
    const layout = sparkLayout({ from, to, t: [first, to - 60_000, to] }, 150, SPARK_BUCKETS);
    expect(layout.noDataWidth).toBe(Math.round(150 * MAX_NO_DATA_SHARE));
    expect(layout.dataFrom).toBe(first);
    expect(layout.noDataMs).toBe(27 * 60_000);
  });

  it('keeps the time axis linear while the lead without data is under a quarter of the window', () => {
    const first = from + 6 * 60_000; // a fifth of the window
    const layout = sparkLayout({ from, to, t: [first, to] }, 150, SPARK_BUCKETS);
    expect(layout.noDataWidth).toBe(30);
    expect(layout.dataFrom).toBe(first);
    // Data x = noDataWidth + (t − first) / (to − first) × (width − noDataWidth): the same scale as the whole window.
    expect((150 - layout.noDataWidth) / (to - first)).toBeCloseTo(150 / (to - from), 12);
  });
});

describe('device diagnostics', () => {
  it('names the drivers’ counters in the language and keeps an unknown one as the driver sent it', () => {
    expect(diagnosticName('connectionsLost', 'zh')).toBe('连接中断');
    expect(diagnosticName('connectionsLost', 'en')).toBe('connections lost');
    expect(diagnosticName('rttP95Ms', 'zh')).toBe('往返 p95（毫秒）');
    expect(diagnosticName('framesDropped', 'zh')).toBe('framesDropped');
    expect(diagnosticName('constructor', 'zh')).toBe('constructor');
  });
});
