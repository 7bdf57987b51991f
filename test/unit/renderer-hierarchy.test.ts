import { describe, expect, it } from 'vitest';
import {
  breadcrumbs,
  childrenOf,
  expandedFor,
  screenLabel,
  screenTitle,
  screenTree,
  tabScreens,
  treeKeyAction,
  visibleRows,
  type HierarchyScreen,
} from '../../renderer/app/hierarchy.js';
import { navItems, navPositionAfter, placeLabel } from '../../renderer/app/navigation.js';
import { FallWindow, figureVerdict, tileVerdict, alarmsOfTile } from '../../renderer/overview/tile-status.js';
import { countAlarms } from '../../renderer/alarms/alarm-view.js';
import { demoProject } from '../../scripts/demo-project.js';
import type { AlarmDto, OverviewFigureDto } from '../../preload/contract.js';

/** The screens of the generated demo project, as the console receives them. */
const demoScreens = (n: number): HierarchyScreen[] =>
  (demoProject(n) as unknown as { screens: HierarchyScreen[] }).screens;

describe('display hierarchy', () => {
  const screens3 = demoScreens(3);
  const tree = screenTree(screens3, 'en');

  it('puts the substations under the plant overview, their equipment under them, and Devices last (level 4)', () => {
    expect(tree.map((n) => n.label)).toEqual(['Plant']);
    expect(tree[0]!.children.map((n) => [n.label, n.level])).toEqual([
      ['SS01', 2],
      ['SS02', 2],
      ['SS03', 2],
      ['Devices and communication', 4],
    ]);
    expect(tree[0]!.children[1]!.children.map((n) => n.label)).toEqual([
      'Pump 1',
      'Pump 2',
      'Heat exchanger',
      'Control loop',
    ]);
    expect(screenTree(screens3, 'zh')[0]!.children[1]!.children.map((n) => n.label)).toEqual([
      '1号循环泵',
      '2号循环泵',
      '换热器',
      '温控回路',
    ]);
  });

  it('gives breadcrumbs Plant › SS02 › Pump 1, and one crumb for a place outside the tree', () => {
    expect(breadcrumbs(tree, { kind: 'screen', id: 'ss02-pump-1' }, 'x').map((c) => c.label)).toEqual([
      'Plant',
      'SS02',
      'Pump 1',
    ]);
    expect(breadcrumbs(tree, { kind: 'screen', id: 'ss02-pump-1' }, 'x')[1]!.route).toEqual({
      kind: 'screen',
      id: 'ss02',
    });
    expect(breadcrumbs(tree, { kind: 'devices' }, 'x').map((c) => c.label)).toEqual([
      'Plant',
      'Devices and communication',
    ]);
    expect(breadcrumbs(tree, { kind: 'alarms' }, placeLabel({ kind: 'alarms' }, 'zh'))).toEqual([
      { route: { kind: 'alarms' }, label: '报警' },
    ]);
    expect(breadcrumbs(tree, { kind: 'screen', id: 'nope' }, 'nope').map((c) => c.label)).toEqual(['nope']);
  });

  it("shows titles, tree entries, breadcrumbs and tabs in the operator's language, never as one bilingual string", () => {
    const screens1 = demoScreens(1);
    for (const lang of ['en', 'zh'] as const) {
      const titles = screens1.map((s) => screenTitle(s, lang));
      expect(titles.filter((t) => / \/ /.test(t))).toEqual([]);
      const han = titles.filter((t) => /[\u4e00-\u9fff]/.test(t));
      expect(han.length).toBe(lang === 'zh' ? titles.length : 0);
      const crumbs = breadcrumbs(screenTree(screens1, lang), { kind: 'screen', id: 'pump-1' }, 'x').map((c) => c.label);
      expect(crumbs).toEqual(lang === 'zh' ? ['全厂', 'SS01', '1号循环泵'] : ['Plant', 'SS01', 'Pump 1']);
      const tabs = navItems(screens1, {}, lang).map((i) => i.label);
      expect(tabs.filter((l) => / \/ /.test(l))).toEqual([]);
    }
    expect(
      screenTitle(
        screens1.find((s) => s.id === 'overview')!,
        'zh',
      ),
    ).toBe('换热站 SS01 工艺流程');
    expect(
      screenTitle(
        screens1.find((s) => s.id === 'overview')!,
        'en',
      ),
    ).toBe('Substation SS01 — process');
    // A title in one language is shown as written; without a label the tree and breadcrumbs use it.
    const plain: HierarchyScreen = { id: 'boiler', title: 'Boiler house', level: 2 };
    expect(screenTitle(plain, 'zh')).toBe('Boiler house');
    expect(screenLabel({ id: 'x', title: { en: 'Boiler house', zh: '锅炉房' }, level: 2 }, 'zh')).toBe('锅炉房');
    expect(screenLabel({ id: 'x', title: { en: 'Boiler house', zh: '锅炉房' }, level: 2 }, 'en')).toBe('Boiler house');
    expect(screenTitle({ id: 'x', title: { en: '' } }, 'en')).toBe('x');
    // A tab for a screen without a label: its title when given in both languages, else its id.
    const boiler: HierarchyScreen[] = [
      { id: 'overview', title: 'Overview', level: 1 },
      { id: 'boiler-house', title: { en: 'Boiler house', zh: '锅炉房' }, level: 2, parent: 'overview' },
      { id: 'pump-hall', title: 'Pump hall', level: 2, parent: 'overview' },
    ];
    expect(
      navItems(boiler, {}, 'zh')
        .map((i) => i.label)
        .slice(0, 3),
    ).toEqual(['总览', '锅炉房', 'Pump Hall']);
  });

  it('lists the screens one level down', () => {
    expect(childrenOf(tree, { kind: 'screen', id: 'ss03' }).map((n) => n.key)).toEqual([
      'screen:ss03-pump-1',
      'screen:ss03-pump-2',
      'screen:ss03-hx',
      'screen:ss03-loop',
    ]);
    expect(childrenOf(tree, { kind: 'screen', id: 'ss03-hx' })).toEqual([]);
    expect(childrenOf(tree, { kind: 'tags' })).toEqual([]);
  });

  it('survives parents that are missing, itself, or form a cycle', () => {
    const odd: HierarchyScreen[] = [
      { id: 'a', title: 'A', parent: 'b' },
      { id: 'b', title: 'B', parent: 'a' },
      { id: 'c', title: 'C', parent: 'c' },
      { id: 'd', title: 'D', parent: 'missing' },
    ];
    const t = screenTree(odd, 'en');
    const keys = visibleRows(t, new Set(['screen:a', 'screen:b'])).map((r) => r.node.key);
    expect(keys.sort()).toEqual(['devices', 'screen:a', 'screen:b', 'screen:c', 'screen:d']);
  });

  it('is a keyboard tree: arrows move, open and close, Home/End jump, Enter opens', () => {
    let open = expandedFor(tree, { kind: 'screen', id: 'plant' });
    let rows = visibleRows(tree, open);
    expect(rows.map((r) => r.node.label)).toEqual(['Plant', 'SS01', 'SS02', 'SS03', 'Devices and communication']);
    expect(rows[2]).toMatchObject({ depth: 2, position: 2, siblings: 4, parentKey: 'screen:plant', expanded: false });
    expect(treeKeyAction(rows, 'screen:plant', 'ArrowDown')).toEqual({ kind: 'focus', key: 'screen:ss01' });
    expect(treeKeyAction(rows, 'screen:ss02', 'ArrowRight')).toEqual({ kind: 'expand', key: 'screen:ss02' });
    open = new Set([...open, 'screen:ss02']);
    rows = visibleRows(tree, open);
    expect(treeKeyAction(rows, 'screen:ss02', 'ArrowRight')).toEqual({ kind: 'focus', key: 'screen:ss02-pump-1' });
    expect(treeKeyAction(rows, 'screen:ss02-pump-1', 'ArrowLeft')).toEqual({ kind: 'focus', key: 'screen:ss02' });
    expect(treeKeyAction(rows, 'screen:ss02', 'ArrowLeft')).toEqual({ kind: 'collapse', key: 'screen:ss02' });
    expect(treeKeyAction(rows, 'screen:ss02-pump-1', 'Enter')).toEqual({
      kind: 'open',
      route: { kind: 'screen', id: 'ss02-pump-1' },
    });
    expect(treeKeyAction(rows, 'screen:ss01', 'Home')).toEqual({ kind: 'focus', key: 'screen:plant' });
    expect(treeKeyAction(rows, 'screen:ss01', 'End')).toEqual({ kind: 'focus', key: 'devices' });
    expect(treeKeyAction(rows, 'screen:plant', 'ArrowUp')).toEqual({ kind: 'none' });
    expect(treeKeyAction(rows, 'screen:plant', 'ArrowLeft')).toEqual({ kind: 'collapse', key: 'screen:plant' });
    expect(treeKeyAction(rows, 'devices', 'ArrowRight')).toEqual({ kind: 'none' });
    expect(treeKeyAction(rows, 'screen:plant', 'x')).toEqual({ kind: 'none' });
    // Opening a deep screen from elsewhere opens its branch.
    expect([...expandedFor(tree, { kind: 'screen', id: 'ss03-loop' })].sort()).toEqual(['screen:plant', 'screen:ss03']);
  });
});

describe('tabs with 1, 3 and 20 substations', () => {
  const tabs = (n: number) =>
    navItems(demoScreens(n))
      .filter((i) => i.route.kind === 'screen')
      .map((i) => [i.label, i.testId]);

  it('keeps Overview (the substation) first with one substation, and a tab for the plant', () => {
    expect(tabs(1)).toEqual([
      ['Overview', 'nav-overview'],
      ['Plant', 'nav-plant'],
    ]);
  });

  it('gives the plant overview and each substation a tab with three', () => {
    expect(tabs(3)).toEqual([
      ['Overview', 'nav-overview'],
      ['SS01', 'nav-ss01'],
      ['SS02', 'nav-ss02'],
      ['SS03', 'nav-ss03'],
    ]);
  });

  it('leaves only the plant overview as a tab with twenty (the tree has the rest), Alarms … keep their shortcuts', () => {
    const items = navItems(demoScreens(20));
    expect(items.filter((i) => i.route.kind === 'screen').map((i) => i.testId)).toEqual(['nav-overview']);
    expect(items.map((i) => i.testId).slice(0, 6)).toEqual([
      'nav-overview',
      'nav-alarms',
      'nav-devices',
      'nav-tags',
      'nav-trends',
      'nav-outlook',
    ]);
    expect(items[1]!.shortcut).toBe(2);
    expect(tabScreens(demoScreens(20)).map((s) => s.id)).toEqual(['plant']);
  });

  it('translates the fixed places', () => {
    expect(navItems(demoScreens(1), {}, 'zh').map((i) => i.label)).toEqual([
      '总览',
      '全厂',
      '报警',
      '设备',
      '位号',
      '趋势',
      '预测',
    ]);
  });
});

describe('back and forward positions', () => {
  it('numbers new entries, keeps the way forward until a new entry cuts it', () => {
    let p = navPositionAfter({ at: -1, top: -1 }, null);
    expect(p).toEqual({ position: { at: 0, top: 0 }, stamp: 0 });
    p = navPositionAfter(p.position, null);
    expect(p).toEqual({ position: { at: 1, top: 1 }, stamp: 1 });
    p = navPositionAfter(p.position, null);
    expect(p.position).toEqual({ at: 2, top: 2 });
    // Back twice: entries the console stamped come back with their numbers.
    p = navPositionAfter(p.position, { argusNav: 1 });
    expect(p).toEqual({ position: { at: 1, top: 2 }, stamp: null });
    p = navPositionAfter(p.position, { argusNav: 0 });
    expect(p.position).toEqual({ at: 0, top: 2 });
    // A new display from here: the old forward entries are gone.
    p = navPositionAfter(p.position, null);
    expect(p).toEqual({ position: { at: 1, top: 1 }, stamp: 1 });
  });
});

describe('plant overview tile', () => {
  const pressure: OverviewFigureDto = {
    tag: 'SS02.SEC.P_RET',
    label: 'Return pressure',
    normal: [1.65, 2.3],
    maxFallPer5Min: 0.15,
  };
  const supply: OverviewFigureDto = {
    tag: 'SS02.HX.T_SEC_SUP',
    label: 'Supply',
    setpointTag: 'SS02.HC.T_SP',
    maxDeviation: 2,
  };
  const noAlarms = countAlarms([]);
  const ok = [{ name: 'SS02-PLC', state: 'connected' as const }];

  it('judges a figure against its band, its setpoint and its fall', () => {
    expect(figureVerdict({ figure: pressure, value: 2.0, setpoint: null, fall5Min: 0.02 })).toEqual({
      zone: 'normal',
      fallingFast: false,
      deviation: null,
    });
    expect(figureVerdict({ figure: pressure, value: 1.54, setpoint: null, fall5Min: 0.4 })).toEqual({
      zone: 'low',
      fallingFast: true,
      deviation: null,
    });
    expect(figureVerdict({ figure: pressure, value: 2.4, setpoint: null, fall5Min: null }).zone).toBe('high');
    // Still inside the band but falling like a leak: marked before the band is left.
    expect(figureVerdict({ figure: pressure, value: 1.84, setpoint: null, fall5Min: 0.17 })).toMatchObject({
      zone: 'normal',
      fallingFast: true,
    });
    expect(figureVerdict({ figure: supply, value: 61, setpoint: 65, fall5Min: null })).toEqual({
      zone: 'deviation',
      fallingFast: false,
      deviation: -4,
    });
    expect(figureVerdict({ figure: supply, value: 64, setpoint: 65, fall5Min: null }).zone).toBe('normal');
    expect(figureVerdict({ figure: pressure, value: null, setpoint: null, fall5Min: 0.5 })).toEqual({
      zone: 'unknown',
      fallingFast: false,
      deviation: null,
    });
  });

  it('says alarm before lost communication before abnormal, and keeps each flag', () => {
    const leak = [{ figure: pressure, value: 1.54, setpoint: null, fall5Min: 0.4 }];
    const calm = [{ figure: pressure, value: 2.0, setpoint: null, fall5Min: 0 }];
    expect(tileVerdict(calm, noAlarms, ok)).toMatchObject({
      state: 'normal',
      abnormal: false,
      commLost: false,
      worstPriority: null,
    });
    expect(tileVerdict(leak, noAlarms, ok)).toMatchObject({ state: 'abnormal', abnormal: true });
    const lost = tileVerdict(calm, noAlarms, [...ok, { name: 'SS02-OPCUA', state: 'disconnected' }]);
    expect(lost).toMatchObject({ state: 'comm', commLost: true, offline: ['SS02-OPCUA'] });
    const alarm = {
      source: 'tag',
      device: null,
      area: 'SS02',
      priority: 'high',
      state: 'unack-active',
    } as unknown as AlarmDto;
    const other = {
      source: 'tag',
      device: null,
      area: 'SS01',
      priority: 'critical',
      state: 'unack-active',
    } as unknown as AlarmDto;
    // The plant's shared OPC UA session: its alarm's area names SS01, but it counts on every tile that shows the device.
    const shared = {
      source: 'device',
      device: 'PLANT-OPCUA',
      area: 'SS01',
      priority: 'high',
      state: 'unack-active',
    } as unknown as AlarmDto;
    const plc = {
      source: 'device',
      device: 'SS01-PLC',
      area: 'SS01',
      priority: 'high',
      state: 'unack-active',
    } as unknown as AlarmDto;
    const tile = { area: 'SS02', devices: ['SS02-PLC', 'PLANT-OPCUA'] };
    expect(alarmsOfTile([alarm, other, shared, plc], tile)).toEqual([alarm, shared]);
    expect(alarmsOfTile([alarm, other, shared, plc], { area: 'SS01', devices: ['SS01-PLC', 'PLANT-OPCUA'] })).toEqual([
      other,
      shared,
      plc,
    ]);
    const mine = alarmsOfTile([alarm, other], tile);
    expect(tileVerdict(leak, countAlarms(mine), ok)).toMatchObject({
      state: 'alarm',
      abnormal: true,
      worstPriority: 'high',
    });
    expect(alarmsOfTile([alarm], { devices: [] })).toEqual([]);
  });

  it('measures the fall over the last five minutes from the highest value', () => {
    const w = new FallWindow(300_000);
    expect(w.fall()).toBeNull();
    w.push(0, 2.0);
    w.push(30_000, 1.99);
    expect(w.fall()).toBeNull(); // a minute is the least it judges from
    w.push(60_000, 1.9);
    expect(w.fall()).toBeCloseTo(0.1);
    w.push(60_000, 1.0); // not newer: ignored
    w.push(90_000, null);
    w.push(200_000, 1.9);
    w.push(400_000, 1.6); // 2.0 and 1.99 have left the window
    expect(w.fall()).toBeCloseTo(0.3);
  });
});
