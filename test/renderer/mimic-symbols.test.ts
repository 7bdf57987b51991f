/**
 * The mimic symbols as the operator sees them, rendered with react-dom/server around a
 * station model with real values: each state of a pump, fan, valve, lamp, pipe and tank has
 * its own class, text and shape, and a symbol whose equipment is in alarm carries the marker;
 * the controller block shows PV, SP, output and mode and is the one button to its faceplate.
 */
import { createElement, type ReactElement } from 'react';
import { describe, expect, it } from 'vitest';
import type { AlarmDto, MimicElementDto, TagInfo, TagValueDto } from '../../preload/contract.js';
import { AlarmContext, type AlarmConsole } from '../../renderer/alarms/alarm-context.js';
import { AlarmStore } from '../../renderer/alarms/alarm-store.js';
import { RotatingSymbol } from '../../renderer/mimic/symbols/rotating.js';
import { OnOffValveSymbol } from '../../renderer/mimic/symbols/valves.js';
import { HeatExchangerSymbol, TankSymbol, tankState } from '../../renderer/mimic/symbols/vessels.js';
import { PipeSymbol } from '../../renderer/mimic/symbols/pipe.js';
import { LampSymbol, NavButtonSymbol } from '../../renderer/mimic/symbols/instruments.js';
import { ControllerSymbol, controllerMode } from '../../renderer/mimic/symbols/controller.js';
import { localizeElement, type LocalMimicElement } from '../../renderer/mimic/element-text.js';
import { renderInStation } from '../support/station-render.js';

type Of<K extends LocalMimicElement['kind']> = Extract<LocalMimicElement, { kind: K }>;

function info(name: string, patch: Partial<TagInfo> = {}): TagInfo {
  return {
    name,
    device: 'PLC',
    description: { en: name },
    unit: '',
    kind: 'digital',
    decimals: 0,
    writable: false,
    critical: false,
    intervalMs: 1000,
    ...patch,
  };
}

/** A station model holding these values (all fresh, the link up) and these alarms. */
function render(
  element: ReactElement,
  values: Record<string, TagValueDto['v'] | { v: TagValueDto['v']; q: TagValueDto['q'] }>,
  infos: TagInfo[] = [],
  alarms: AlarmDto[] = [],
): string {
  const tagsByName = new Map(infos.map((i) => [i.name, i]));
  for (const tag of Object.keys(values)) if (!tagsByName.has(tag)) tagsByName.set(tag, info(tag));
  const alarmStore = new AlarmStore();
  alarmStore.replaceAll(alarms, 0);
  const alarmConsole = { store: alarmStore } as unknown as AlarmConsole;
  return renderInStation(
    createElement(AlarmContext, { value: alarmConsole }, createElement('svg', null, element)),
    [...tagsByName.values()],
    Object.entries(values).map(([tag, x]) =>
      typeof x === 'object' && x !== null ? { tag, v: x.v, q: x.q } : { tag, v: x, q: 'Good' as const },
    ),
  );
}

const pump: Of<'pump'> = {
  kind: 'pump',
  x: 100,
  y: 100,
  label: 'P1',
  runTag: 'SS01.P1.RUN',
  faultTag: 'SS01.P1.FAULT',
};

function alarm(patch: Partial<AlarmDto>): AlarmDto {
  return {
    id: 'SS01.P1.FAULT.ST',
    source: 'tag',
    kind: 'state',
    priority: 'high',
    tag: 'SS01.P1.FAULT',
    device: null,
    area: null,
    equipment: null,
    screen: null,
    unit: '',
    message: { en: 'P1 tripped' },
    state: 'unack-active',
    active: true,
    latched: false,
    activeSince: 1,
    changedAt: 1,
    ackedBy: null,
    ackedAt: null,
    shelved: null,
    outOfService: null,
    value: true,
    limit: null,
    ...patch,
  };
}

const stateOf = (html: string, symbol: string): string | undefined =>
  new RegExp(`data-symbol="${symbol}" data-state="([a-z-]+)"`).exec(html)?.[1];

describe('pump symbol', () => {
  it('running: a dark body with the arrow, RUN in words', () => {
    const html = render(createElement(RotatingSymbol, { element: pump, angle: 180 }), {
      'SS01.P1.RUN': true,
      'SS01.P1.FAULT': false,
    });
    expect(stateOf(html, 'pump')).toBe('running');
    expect(html).toContain('rot-running');
    expect(html).toContain('class="rot-glyph pump-arrow" transform="translate(100,100) rotate(180)"');
    expect(html).toContain('>RUN</text>');
    expect(html).not.toContain('trip-cross');
  });

  it('stopped: a light body, STOP', () => {
    const html = render(createElement(RotatingSymbol, { element: pump, angle: 0 }), {
      'SS01.P1.RUN': false,
      'SS01.P1.FAULT': false,
    });
    expect(stateOf(html, 'pump')).toBe('stopped');
    expect(html).toContain('>STOP</text>');
  });

  it('tripped: not the running glyph but a crossed outline, TRIP in the alarm box — even with the run bit still set', () => {
    const html = render(createElement(RotatingSymbol, { element: pump, angle: 0 }), {
      'SS01.P1.RUN': true,
      'SS01.P1.FAULT': true,
    });
    expect(stateOf(html, 'pump')).toBe('tripped');
    expect(html).toContain('class="trip-cross"');
    expect(html).not.toContain('pump-arrow');
    expect(html).toContain('state-badge-tripped');
    expect(html).toContain('>TRIP</text>');
  });

  it('unknown when the run bit is not Good: dashed class and "?"', () => {
    const html = render(createElement(RotatingSymbol, { element: pump, angle: 0 }), {
      'SS01.P1.RUN': { v: true, q: 'Bad' },
      'SS01.P1.FAULT': false,
    });
    expect(stateOf(html, 'pump')).toBe('unknown');
    expect(html).toContain('rot-unknown');
    expect(html).toContain('>?</text>');
  });

  it('is a button that opens the equipment faceplate', () => {
    const html = render(createElement(RotatingSymbol, { element: pump, angle: 0 }), { 'SS01.P1.RUN': true });
    expect(html).toMatch(/role="button" tabindex="0" data-activate="faceplate"/);
    expect(html).toContain('data-equipment="SS01.P1"');
  });

  it('shows the alarm marker of its equipment (priority as shape and number)', () => {
    const none = render(createElement(RotatingSymbol, { element: pump, angle: 0 }), { 'SS01.P1.RUN': true });
    expect(none).not.toContain('data-alarm-equipment');
    const html = render(
      createElement(RotatingSymbol, { element: pump, angle: 0 }),
      { 'SS01.P1.RUN': true, 'SS01.P1.FAULT': true },
      [],
      [alarm({})],
    );
    expect(html).toContain('data-alarm-equipment="SS01.P1" data-alarm-priority="high" data-alarm-state="unack-active"');
    expect(html).toContain('prio-blink');
  });

  it('Chinese state texts', () => {
    const html = renderToStaticMarkupInChinese(createElement(RotatingSymbol, { element: pump, angle: 0 }));
    expect(html).toContain('>跳闸</text>');
  });
});

function renderToStaticMarkupInChinese(element: ReactElement): string {
  const storage = new Map<string, string>([['argus.lang.-', 'zh']]);
  const g = globalThis as unknown as { window?: unknown };
  const had = 'window' in g;
  g.window = { localStorage: { getItem: (k: string) => storage.get(k) ?? null, setItem: () => undefined } };
  try {
    return render(element, { 'SS01.P1.RUN': true, 'SS01.P1.FAULT': true });
  } finally {
    if (!had) delete g.window;
  }
}

describe('fan and motor symbols', () => {
  it('draw their own glyphs and states', () => {
    const fan = render(
      createElement(RotatingSymbol, {
        element: { kind: 'fan', x: 50, y: 50, label: 'F1', runTag: 'SS01.F1.RUN' },
        angle: 0,
      }),
      { 'SS01.F1.RUN': true },
    );
    expect(stateOf(fan, 'fan')).toBe('running');
    expect(fan).toContain('fan-blades');
    const motor = render(
      createElement(RotatingSymbol, {
        element: { kind: 'motor', x: 50, y: 50, label: 'M1', runTag: 'SS01.M1.RUN', faultTag: 'SS01.M1.FLT' },
        angle: 0,
      }),
      { 'SS01.M1.RUN': false, 'SS01.M1.FLT': true },
    );
    expect(stateOf(motor, 'motor')).toBe('tripped');
    expect(motor).toContain('trip-cross');
  });
});

describe('on/off valve symbol', () => {
  const valve: Of<'on-off-valve'> = {
    kind: 'on-off-valve',
    x: 10,
    y: 10,
    label: 'XV1',
    openTag: 'SS01.XV1.OPEN',
    closedTag: 'SS01.XV1.CLOSED',
    faultTag: 'SS01.XV1.FAULT',
  };
  it.each([
    [{ 'SS01.XV1.OPEN': true, 'SS01.XV1.CLOSED': false, 'SS01.XV1.FAULT': false }, 'open', 'OPEN'],
    [{ 'SS01.XV1.OPEN': false, 'SS01.XV1.CLOSED': true, 'SS01.XV1.FAULT': false }, 'closed', 'CLOSED'],
    [{ 'SS01.XV1.OPEN': false, 'SS01.XV1.CLOSED': false, 'SS01.XV1.FAULT': false }, 'moving', 'MOVING'],
    [{ 'SS01.XV1.OPEN': true, 'SS01.XV1.CLOSED': true, 'SS01.XV1.FAULT': false }, 'unknown', '?'],
    [{ 'SS01.XV1.OPEN': true, 'SS01.XV1.CLOSED': false, 'SS01.XV1.FAULT': true }, 'tripped', 'TRIP'],
  ] as const)('%j → %s', (values, state, text) => {
    const html = render(createElement(OnOffValveSymbol, { element: valve, angle: 90 }), values);
    expect(stateOf(html, 'on-off-valve')).toBe(state);
    expect(html).toContain(`>${text}</text>`);
    if (state === 'moving') expect(html).toContain('onoff-half');
    if (state === 'tripped') expect(html).toContain('trip-cross');
  });
});

describe('lamp symbol', () => {
  const lamp: Of<'lamp'> = { kind: 'lamp', x: 10, y: 10, label: 'Leak', tag: 'SS01.ALM.LEAK', abnormal: true };
  it('an abnormal state is the alarm colour class AND a mark AND the state text', () => {
    const html = render(createElement(LampSymbol, { element: lamp }), { 'SS01.ALM.LEAK': true }, [
      info('SS01.ALM.LEAK', { states: { false: 'Normal', true: 'Leak' } }),
    ]);
    expect(stateOf(html, 'lamp')).toBe('abnormal');
    expect(html).toContain('lamp-mark');
    expect(html).toContain('>LEAK</text>');
  });
  it('normal and unknown', () => {
    expect(stateOf(render(createElement(LampSymbol, { element: lamp }), { 'SS01.ALM.LEAK': false }), 'lamp')).toBe(
      'off',
    );
    expect(
      stateOf(
        render(createElement(LampSymbol, { element: lamp }), { 'SS01.ALM.LEAK': { v: false, q: 'Uncertain' } }),
        'lamp',
      ),
    ).toBe('unknown');
  });
});

describe('pipe symbol', () => {
  const pipe: Of<'pipe'> = {
    kind: 'pipe',
    medium: 'secondary-supply',
    points: [
      [0, 0],
      [200, 0],
    ],
    flowTag: 'SS01.SEC.FLOW',
  };
  const flowInfo = info('SS01.SEC.FLOW', { kind: 'analog', range: [0, 100], unit: 'm³/h' });
  it('flowing draws the moving stream; still and unknown do not', () => {
    const flowing = render(createElement(PipeSymbol, { element: pipe }), { 'SS01.SEC.FLOW': 40 }, [flowInfo]);
    expect(stateOf(flowing, 'pipe')).toBe('flowing');
    expect(flowing).toContain('pipe-stream');
    const still = render(createElement(PipeSymbol, { element: pipe }), { 'SS01.SEC.FLOW': 0.2 }, [flowInfo]);
    expect(stateOf(still, 'pipe')).toBe('still');
    expect(still).not.toContain('pipe-stream');
    expect(
      stateOf(
        render(createElement(PipeSymbol, { element: pipe }), { 'SS01.SEC.FLOW': { v: 40, q: 'Bad' } }, [flowInfo]),
        'pipe',
      ),
    ).toBe('unknown');
  });
  it('the arrow points the way the points run', () => {
    const html = render(
      createElement(PipeSymbol, {
        element: {
          ...pipe,
          points: [
            [200, 0],
            [0, 0],
          ],
        },
      }),
      { 'SS01.SEC.FLOW': 40 },
      [flowInfo],
    );
    expect(html).toContain('rotate(180)');
  });
});

describe('vessels', () => {
  it('the heat exchanger carries its equipment alarm marker', () => {
    const hx: Of<'heat-exchanger'> = {
      kind: 'heat-exchanger',
      x: 100,
      y: 100,
      label: 'HX',
      tags: ['SS01.HX.T_SEC_SUP'],
    };
    const quiet = render(createElement(HeatExchangerSymbol, { element: hx }), { 'SS01.HX.T_SEC_SUP': 60 });
    expect(stateOf(quiet, 'heat-exchanger')).toBe('normal');
    const html = render(
      createElement(HeatExchangerSymbol, { element: hx }),
      { 'SS01.HX.T_SEC_SUP': 60 },
      [],
      [alarm({ id: 'SS01.HX.T_SEC_SUP.HI', tag: 'SS01.HX.T_SEC_SUP', priority: 'critical' })],
    );
    expect(stateOf(html, 'heat-exchanger')).toBe('alarm');
    expect(html).toContain('data-alarm-equipment="SS01.HX" data-alarm-priority="critical"');
  });

  it('a tank is low or high against its alarm limits', () => {
    const marks = [
      { kind: 'low' as const, value: 18 },
      { kind: 'high' as const, value: 90 },
    ];
    expect(tankState(17, true, marks)).toBe('low');
    expect(tankState(50, true, marks)).toBe('normal');
    expect(tankState(95, true, marks)).toBe('high');
    expect(tankState(50, false, marks)).toBe('unknown');
    const html = render(
      createElement(TankSymbol, {
        element: { kind: 'tank', x: 100, y: 100, label: 'Expansion tank', levelTag: 'SS01.EXP.LEVEL' },
        screenWidth: 1200,
      }),
      { 'SS01.EXP.LEVEL': 40 },
      [info('SS01.EXP.LEVEL', { kind: 'analog', range: [0, 100] })],
    );
    expect(stateOf(html, 'tank')).toBe('normal');
    expect(html).toContain('class="tank-level"');
  });
});

describe('navigation button', () => {
  it('goes to its screen by name', () => {
    const html = render(
      createElement(NavButtonSymbol, {
        element: { kind: 'nav-button', x: 0, y: 0, label: 'Pumps', screen: 'pumps' },
        title: 'Circulation pumps',
      }),
      {},
    );
    expect(html).toContain('data-screen-ref="pumps"');
    expect(html).toContain('data-activate="screen"');
    expect(html).toContain('Go to Circulation pumps');
  });
});

describe('controller symbol', () => {
  const controller: Of<'controller'> = {
    kind: 'controller',
    x: 375,
    y: 154,
    label: 'Supply temperature',
    pvTag: 'SS01.HX.T_SEC_SUP',
    spTag: 'SS01.HC.T_SP',
    outTag: 'SS01.CV.OUT',
    autoTag: 'SS01.CV.AUTO',
  };
  const analog = (name: string, unit: string, decimals = 1) =>
    info(name, { kind: 'analog', unit, decimals, range: [0, 120] });
  const infos = [
    analog('SS01.HX.T_SEC_SUP', '°C'),
    analog('SS01.HC.T_SP', '°C'),
    analog('SS01.CV.OUT', '%'),
    info('SS01.CV.AUTO', { states: { false: 'Manual', true: 'Auto' } }),
  ];
  const loop = (
    auto: TagValueDto['v'] | { v: TagValueDto['v']; q: TagValueDto['q'] },
    pv: TagValueDto['v'] | { v: TagValueDto['v']; q: TagValueDto['q'] } = 63.2,
  ) =>
    render(
      createElement(ControllerSymbol, { element: controller }),
      { 'SS01.HX.T_SEC_SUP': pv, 'SS01.HC.T_SP': 65, 'SS01.CV.OUT': 42.5, 'SS01.CV.AUTO': auto },
      infos,
    );

  it('shows PV, SP and output with their units, and AUTO in words', () => {
    const html = loop(true);
    expect(stateOf(html, 'controller')).toBe('auto');
    expect(html).toMatch(/data-ctl-role="pv" data-ctl-tag="SS01.HX.T_SEC_SUP" data-quality="Good">63.2 °C</);
    expect(html).toMatch(/data-ctl-role="sp" data-ctl-tag="SS01.HC.T_SP" data-quality="Good">65.0 °C</);
    expect(html).toMatch(/data-ctl-role="out" data-ctl-tag="SS01.CV.OUT" data-quality="Good">42.5 %</);
    expect(html).toContain('>AUTO</text>');
    expect(html).toContain('>Supply temperature</text>');
  });

  it('is one button that opens the loop faceplate (the setpoint tag’s equipment), by click, Enter or Space', () => {
    const html = loop(true);
    expect(html).toMatch(
      /<g class="controller ctl-auto" data-symbol="controller" data-state="auto" data-equipment="SS01.HC"[^>]* role="button" tabindex="0"[^>]* data-activate="faceplate"/,
    );
    // The values inside are not targets of their own: no second button, no trend link.
    expect(html.match(/role="button"/g)).toHaveLength(1);
    expect(html).not.toContain('data-trend="true"');
  });

  it('manual is MAN in a pressed-looking box; a mode bit that cannot be trusted is "?" on a dashed block', () => {
    const manual = loop(false);
    expect(stateOf(manual, 'controller')).toBe('manual');
    expect(manual).toContain('state-badge-manual');
    expect(manual).toContain('>MAN</text>');
    const unknown = loop({ v: true, q: 'Bad' });
    expect(stateOf(unknown, 'controller')).toBe('unknown');
    expect(unknown).toContain('ctl-unknown');
    expect(unknown).toContain('>?</text>');
  });

  it('a Bad process value is struck through with its BAD marker, never shown as good', () => {
    const html = loop(true, { v: 63.2, q: 'Bad' });
    expect(html).toMatch(/class="live q-bad"/);
    expect(html).toMatch(/data-ctl-role="pv" data-ctl-tag="SS01.HX.T_SEC_SUP" data-quality="Bad"/);
    expect(html).toContain('qmark-bad');
  });

  it('controllerMode: only a Good auto bit says AUTO or MAN', () => {
    expect(controllerMode(null)).toBeNull();
    expect(controllerMode({ value: { tag: 'A', v: true, q: 'Good', ts: 0, rt: 0 }, quality: 'Good' })).toBe('auto');
    expect(controllerMode({ value: { tag: 'A', v: 0, q: 'Good', ts: 0, rt: 0 }, quality: 'Good' })).toBe('manual');
    expect(controllerMode({ value: { tag: 'A', v: true, q: 'Good', ts: 0, rt: 0 }, quality: 'Stale' })).toBe('unknown');
    expect(controllerMode({ value: undefined, quality: 'Bad' })).toBe('unknown');
  });
});

describe('mimic labels in both languages', () => {
  it('a label given as { en, zh } is drawn in the operator’s language; one-language labels come back unchanged', () => {
    const tank: MimicElementDto = {
      kind: 'tank',
      x: 1,
      y: 2,
      label: { en: 'Expansion tank', zh: '膨胀罐' },
      levelTag: 'SS01.EXP.LEVEL',
    };
    expect(localizeElement(tank, 'zh')).toMatchObject({ label: '膨胀罐' });
    expect(localizeElement(tank, 'en')).toMatchObject({ label: 'Expansion tank' });
    const heading: MimicElementDto = { kind: 'label', x: 1, y: 2, text: { en: 'PRIMARY' } };
    expect(localizeElement(heading, 'zh')).toMatchObject({ text: 'PRIMARY' });
    const plain: MimicElementDto = { kind: 'value', tag: 'SS01.OUT.T', x: 1, y: 2, label: 'T' };
    expect(localizeElement(plain, 'zh')).toBe(plain);
    const unlabelled: MimicElementDto = { kind: 'value', tag: 'SS01.OUT.T', x: 1, y: 2 };
    expect(localizeElement(unlabelled, 'zh')).toBe(unlabelled);
  });
});
