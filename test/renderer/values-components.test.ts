/**
 * The analog indicator, the deviation cue, the sparkline and the markers as markup
 * (react-dom/server): band, ticks, pointer shape and place, abnormal classes and texts.
 */
import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { TagValueDto } from '../../preload/contract.js';
import {
  AnalogBarGraphic,
  analogBarLook,
  analogBarModel,
  pointerPath,
} from '../../renderer/values/analog-indicator.js';
import { DeviationGraphic, deviationText } from '../../renderer/values/deviation-cue.js';
import { SparklineGraphic, sparkDomain } from '../../renderer/values/value-sparkline.js';
import { QualityMarker, ZoneMarker } from '../../renderer/values/quality-marker.js';
import { deviationView } from '../../renderer/format/deviation.js';

const info = { range: [0, 6] as [number, number], normal: [1.65, 2.3] as [number, number], intervalMs: 250 };
const limits = { ll: 1.2, hi: 2.7 };
const at = (v: number | null, q: TagValueDto['q'] = 'Good'): TagValueDto => ({
  tag: 'SS01.SEC.P_RET',
  v,
  q,
  ts: 1000,
  rt: 1000,
});

function bar(value: TagValueDto | undefined, connected = true, now = 1500) {
  const model = analogBarModel(value, info, limits, now, connected);
  return renderToStaticMarkup(
    createElement(AnalogBarGraphic, { model, tag: 'SS01.SEC.P_RET', x: 0, y: 0, width: 600, height: 20 }),
  );
}

/** The x of the pointer's tip (the first point of its path). */
const pointerX = (html: string) =>
  Number(/class="ai-pointer"/.test(html) ? /d="M([-\d.]+),/.exec(html.slice(html.indexOf('<path')))![1] : NaN);

describe('analog indicator markup', () => {
  it('draws the grey band, a tick per limit and the pointer at the value', () => {
    const html = bar(at(2.02));
    expect(html).toContain('data-zone="normal"');
    expect(html).toContain('data-band="1.65,2.3"');
    expect(html).toContain('data-band-source="project"');
    expect(html).toMatch(/data-limit="ll"/);
    expect(html).toMatch(/data-limit="hi"/);
    expect(html).not.toMatch(/data-limit="lo"/);
    expect(pointerX(html)).toBeCloseTo((2.02 / 6) * 600, 1);
    expect(html).not.toContain('ai-abnormal');
  });

  it('draws the leak abnormal: below the band, bigger pointer, abnormal class', () => {
    const html = bar(at(1.44));
    expect(html).toContain('data-zone="low"');
    expect(html).toContain('ai-abnormal');
    expect(html).not.toContain('ai-limit');
    expect(pointerX(html)).toBeCloseTo((1.44 / 6) * 600, 1);
  });

  it('past an alarm limit it is drawn in the alarm class', () => {
    const html = bar(at(1.1));
    expect(html).toContain('data-zone="ll"');
    expect(html).toMatch(/class="analog-bar ai-abnormal ai-limit"/);
  });

  it('pins a value beyond the range at the end as an arrow', () => {
    const html = bar(at(7.2));
    expect(html).toContain('data-clamped="above"');
    expect(pointerX(html)).toBeGreaterThan(600);
  });

  it('draws a Bad or console-stale value with an untrusted pointer and no zone', () => {
    expect(bar(at(1.44, 'Bad'))).toMatch(/ai-untrusted/);
    expect(bar(at(1.44, 'Bad'))).toContain('data-zone="unknown"');
    expect(bar(at(1.44), false)).toMatch(/ai-untrusted/);
  });

  it('draws an empty track without a pointer when nothing is known', () => {
    expect(bar(undefined)).not.toContain('ai-pointer');
    const none = renderToStaticMarkup(
      createElement(AnalogBarGraphic, {
        model: analogBarModel(at(1), { intervalMs: 1000 }, {}, 1500, true),
        tag: 'X',
        x: 0,
        y: 0,
        width: 100,
        height: 10,
      }),
    );
    expect(none).toContain('data-zone="none"');
  });
});

describe('deviation cue markup', () => {
  it('fills from the centre towards the sign and marks beyond the limit', () => {
    const html = renderToStaticMarkup(
      createElement(DeviationGraphic, { view: deviationView(66, 70, 3), x: 0, y: 0, width: 60, height: 14 }),
    );
    expect(html).toMatch(/^<g class="dev-beyond">/);
    const fill = /class="dev-fill"/.test(html)
      ? /<rect x="([\d.]+)"[^>]*width="([\d.]+)"[^>]*class="dev-fill"/.exec(html)
      : null;
    expect(Number(fill![1]) + Number(fill![2])).toBeCloseTo(30);
  });

  it('writes the difference signed, temperatures in kelvin', () => {
    expect(deviationText(1.24, 1, '°C')).toBe('+1.2 K');
    expect(deviationText(-3.5, 1, '°C')).toBe('-3.5 K');
    expect(deviationText(0.01, 1, 'bar')).toBe('0.0 bar');
    expect(deviationText(null, 1, '°C')).toBe('—');
  });
});

describe('sparkline markup', () => {
  it('draws the band behind the line and breaks where values are missing', () => {
    const series = {
      from: 0,
      to: 100,
      t: [0, 25, 50, 75, 100],
      v: [2.0, 1.9, null, 1.6, 1.44],
      error: null,
      loaded: true,
    };
    const html = renderToStaticMarkup(
      createElement(
        'svg',
        null,
        createElement(SparklineGraphic, {
          series,
          band: [1.65, 2.3],
          abnormal: true,
          tag: 'P',
          x: 0,
          y: 0,
          width: 100,
          height: 30,
          title: 'P',
          emptyText: 'none',
        }),
      ),
    );
    expect(html).toContain('data-points="4"');
    expect(html).toContain('vspark-band');
    expect(html).toContain('vspark-abnormal');
    expect((/ d="([^"]+)"/.exec(html)![1]!.match(/M/g) ?? []).length).toBe(2);
    expect(sparkDomain([1.5], [1.65, 2.3])![1]).toBeGreaterThan(2.3);
  });

  it('says so when nothing is stored', () => {
    const html = renderToStaticMarkup(
      createElement(SparklineGraphic, {
        series: { from: 0, to: 1, t: [], v: [], error: null, loaded: true },
        band: null,
        abnormal: false,
        tag: 'P',
        x: 0,
        y: 0,
        width: 100,
        height: 30,
        title: 'P',
        emptyText: 'no history yet',
      }),
    );
    expect(html).toContain('no history yet');
    expect(html).toContain('data-points="0"');
  });
});

describe('markers', () => {
  it('Bad says BAD with the reason code, or a crossed box when compact', () => {
    expect(renderToStaticMarkup(createElement(QualityMarker, { quality: 'Bad', reason: 'COMM' }))).toMatch(
      /BAD<span class="qmark-reason">COMM<\/span>/,
    );
    const compact = renderToStaticMarkup(createElement(QualityMarker, { quality: 'Bad', compact: true }));
    expect(compact).toContain('qmark-cross');
    expect(compact).not.toContain('>BAD<');
  });

  it('a zone marker has its arrow and code, the code dropped when compact', () => {
    expect(
      renderToStaticMarkup(createElement(ZoneMarker, { zone: { zone: 'low', abnormal: true, code: 'LOW' } })),
    ).toMatch(/▼<\/span>LOW/);
    expect(
      renderToStaticMarkup(
        createElement(ZoneMarker, { zone: { zone: 'hh', abnormal: true, code: 'HH' }, compact: true }),
      ),
    ).toMatch(/zmark-limit zmark-compact[^>]*>.*▲<\/span><\/span>$/);
  });
});

describe('analog indicator with a setpoint', () => {
  const pv = (v: number): TagValueDto => ({ tag: 'SS01.HX.T_SEC_SUP', v, q: 'Good', ts: 1000, rt: 1000 });
  const sp: TagValueDto = { tag: 'SS01.HC.T_SP', v: 65, q: 'Good', ts: 1000, rt: 1000 };
  const loop = { range: [0, 100] as [number, number], intervalMs: 250 };
  const render = (v: number, setpoint?: TagValueDto) =>
    renderToStaticMarkup(
      createElement(AnalogBarGraphic, {
        model: analogBarModel(pv(v), loop, { deviation: 3 }, 1500, true, setpoint),
        tag: 'T',
        x: 0,
        y: 0,
        width: 200,
        height: 20,
      }),
    );

  it('marks the setpoint and the deviation limits around it', () => {
    const html = render(65.5, sp);
    expect(html).toContain('data-setpoint="65"');
    expect(html).toContain('ai-dev-limit');
    expect(html).toContain('data-deviation="ok"');
    expect(html).not.toContain('ai-abnormal');
  });

  it('draws the pointer abnormal when PV is beyond the deviation limit', () => {
    const html = render(69, sp);
    expect(html).toContain('data-deviation="beyond"');
    expect(html).toContain('ai-abnormal');
  });

  it('draws no setpoint it cannot trust', () => {
    expect(render(69, { ...sp, q: 'Bad' })).not.toContain('data-setpoint');
    expect(render(69)).not.toContain('data-deviation');
  });
});

describe('analog bar: a new value moves the pointer without a render while the look holds', () => {
  const model = (v: number, q: TagValueDto['q'] = 'Good') => analogBarModel(at(v, q), info, limits, 1500, true);
  const geometry = { x: 0, y: 0, width: 600, height: 20 };

  it('the outline written for a value is the one the graphic draws for it', () => {
    for (const v of [2.02, 1.44, 1.1, 7.2, -1]) {
      const html = bar(at(v));
      expect(html).toContain(`d="${pointerPath(model(v), geometry)}"`);
    }
  });

  it('the look holds inside a zone and changes across zones, when pinned, or with the quality', () => {
    expect(analogBarLook(model(2.0))).toBe(analogBarLook(model(2.1)));
    expect(analogBarLook(model(1.5))).not.toBe(analogBarLook(model(2.0)));
    expect(analogBarLook(model(7.2))).not.toBe(analogBarLook(model(2.7 + 0.1)));
    expect(analogBarLook(model(2.0, 'Bad'))).not.toBe(analogBarLook(model(2.0)));
    expect(pointerPath(model(2.0, 'Bad'), geometry)).not.toBeNull();
    expect(pointerPath(analogBarModel(undefined, info, limits, 1500, true), geometry)).toBeNull();
  });
});
