import { describe, expect, it } from 'vitest';
import type { TagInfo, TagValueDto } from '../../preload/contract.js';
import { fractionOfRange, pumpState, type CheckedValue } from '../../renderer/mimic/equipment-state.js';
import { flowAngleAt, flowArrows, roomToTheRight } from '../../renderer/mimic/geometry.js';
import { navItems, parseRoute, routeForShortcut, routeHash } from '../../renderer/app/navigation.js';
import { filterTags } from '../../renderer/screens/tag-filter.js';

const checked = (v: TagValueDto['v'], quality: CheckedValue['quality'] = 'Good'): CheckedValue => ({
  value: { tag: 'X', v, q: quality === 'Stale' ? 'Good' : quality, ts: 0, rt: 0 },
  quality,
});

describe('pumpState', () => {
  it.each([
    [checked(true), null, 'running'],
    [checked(false), null, 'stopped'],
    [checked(1), checked(false), 'running'],
    [checked(true), checked(true), 'tripped'],
    [checked(false, 'Bad'), checked(true), 'tripped'],
    [checked(true, 'Stale'), checked(false), 'unknown'],
    [checked(true, 'Bad'), null, 'unknown'],
    [checked(true, 'Uncertain'), null, 'unknown'],
    [checked('garbage'), null, 'unknown'],
    [checked(true), checked(true, 'Stale'), 'unknown'],
    [checked(false), checked(false, 'Bad'), 'unknown'],
  ] as const)('run %j, fault %j → %s', (run, fault, state) => {
    expect(pumpState(run, fault)).toBe(state);
  });
});

describe('fractionOfRange', () => {
  it('places a value in its range, clamped', () => {
    expect(fractionOfRange(50, [0, 100])).toBe(0.5);
    expect(fractionOfRange(150, [0, 100])).toBe(1);
    expect(fractionOfRange(-5, [0, 100])).toBe(0);
    expect(fractionOfRange(2, [1, 3])).toBe(0.5);
    expect(fractionOfRange(40, undefined)).toBe(0.4);
  });

  it('has no fraction for non-numbers or empty ranges', () => {
    expect(fractionOfRange(null, [0, 100])).toBeNull();
    expect(fractionOfRange(Number.NaN, [0, 100])).toBeNull();
    expect(fractionOfRange(5, [10, 10])).toBeNull();
  });
});

describe('mimic geometry', () => {
  it('puts one flow arrow in the middle of each long segment, pointing downstream', () => {
    const arrows = flowArrows([
      [0, 0],
      [200, 0],
      [200, 50],
      [200, 250],
    ]);
    expect(arrows).toEqual([
      { x: 100, y: 0, angle: 0 },
      { x: 200, y: 150, angle: 90 },
    ]);
  });

  it('finds the flow direction of the pipe a symbol sits on', () => {
    const pipes = [
      [
        [920, 400],
        [720, 400],
      ],
      [
        [30, 240],
        [560, 240],
      ],
    ] as const;
    expect(flowAngleAt(pipes, [820, 400])).toBe(180);
    expect(flowAngleAt(pipes, [380, 240])).toBe(0);
    expect(flowAngleAt(pipes, [380, 300])).toBeNull();
  });
});

describe('roomToTheRight', () => {
  it('measures to the nearest thing on the same line, else to the screen edge', () => {
    const t = { x: 40, y: 222 };
    const p = { x: 130, y: 222 };
    const below = { x: 60, y: 260 };
    const behind = { x: 10, y: 222 };
    expect(roomToTheRight(t, [t, p, below, behind], 1200)).toBe(90);
    expect(roomToTheRight(p, [t, p, below, behind], 1200)).toBe(1070);
    expect(roomToTheRight({ x: 60, y: 230 }, [p], 1200)).toBe(70);
  });
});

describe('navigation', () => {
  const screens = [
    { id: 'pumps', title: 'Pumps' },
    { id: 'overview', title: 'Overview' },
    { id: 'heat-meter', title: 'Heat meter' },
  ];

  it('puts the overview first, then the other screens, Devices and Tags, with Alt shortcuts', () => {
    const items = navItems(screens);
    expect(items.map((i) => [i.label, i.testId, i.shortcut])).toEqual([
      ['Overview', 'nav-overview', 1],
      ['Pumps', 'nav-pumps', 2],
      ['Heat Meter', 'nav-heat-meter', 3],
      ['Alarms', 'nav-alarms', 4],
      ['Devices', 'nav-devices', 5],
      ['Tags', 'nav-tags', 6],
      ['Trends', 'nav-trends', 7],
      ['Outlook', 'nav-outlook', 8],
    ]);
    expect(routeForShortcut(items, '5')).toEqual({ kind: 'devices' });
    expect(routeForShortcut(items, '9')).toBeNull();
    expect(routeForShortcut(items, 'x')).toBeNull();
  });

  it('makes the first screen the overview when none is called so', () => {
    expect(navItems([{ id: 'main', title: 'Main' }])[0]).toMatchObject({
      testId: 'nav-overview',
      route: { kind: 'screen', id: 'main' },
    });
  });

  it('round-trips routes through the URL hash', () => {
    for (const route of [
      { kind: 'screen', id: 'pumps' },
      { kind: 'devices' },
      { kind: 'tags' },
      { kind: 'trends' },
    ] as const) {
      expect(parseRoute(routeHash(route))).toEqual(route);
    }
    expect(parseRoute('#/screen/../../etc')).toBeNull();
    expect(parseRoute('')).toBeNull();
  });
});

describe('tag filter', () => {
  const tag = (name: string, en: string, zh?: string, device = 'PLC'): TagInfo => ({
    name,
    device,
    description: { en, zh },
    unit: '°C',
    kind: 'analog',
    decimals: 1,
    writable: false,
    critical: false,
    intervalMs: 250,
  });
  const tags = [
    tag('SS01.HX.T_SEC_SUP', 'Secondary supply temperature', '二次供水温度'),
    tag('SS01.P1.VIB', 'Pump 1 vibration', '循环泵1振动', 'OPCUA'),
  ];

  it('matches every term against name, device and both descriptions, case-insensitively', () => {
    expect(filterTags(tags, '').length).toBe(2);
    expect(filterTags(tags, 'hx supply').map((t) => t.name)).toEqual(['SS01.HX.T_SEC_SUP']);
    expect(filterTags(tags, 'VIBRATION opcua').map((t) => t.name)).toEqual(['SS01.P1.VIB']);
    expect(filterTags(tags, '振动').map((t) => t.name)).toEqual(['SS01.P1.VIB']);
    expect(filterTags(tags, 'pump supply')).toEqual([]);
  });
});
