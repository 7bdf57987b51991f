import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { projectSchema } from '../../main/runtime/config/schema.js';
import { crossReferenceProblems, parseProject } from '../../main/runtime/config/load-project.js';
import { catalogForSubstation, substationPrefix } from '../../simulator/catalog.js';
import { demoProjectFile, demoProjectYaml } from '../../scripts/generate-demo-project.js';
import { demoProject, parseSubstations, screenForSignal, substationScreens } from '../../scripts/demo-project.js';

const text = readFileSync(demoProjectFile, 'utf8');

describe('demo project (assets/demo/plant.yaml)', () => {
  it('validates against projectSchema', () => {
    const result = projectSchema.safeParse(parse(text));
    expect(result.success ? [] : result.error.issues).toEqual([]);
  });

  it('passes the project loader, cross references included', () => {
    expect(() => parseProject(text, demoProjectFile)).not.toThrow();
  });

  it('is what the generator makes from the current catalog', () => {
    expect(text).toBe(demoProjectYaml());
  });

  const project = parseProject(text, demoProjectFile);
  const protocolOf = new Map(project.devices.map((d) => [d.name, d.protocol]));
  const catalog = new Map(catalogForSubstation(1).map((t) => [t.name, t]));

  it('binds the built-in simulator over both protocols', () => {
    expect(project.simulator).toMatchObject({ substations: 1, speed: 1 });
    expect(project.devices).toEqual([
      expect.objectContaining({
        name: 'SS01-PLC',
        protocol: 'modbus-tcp',
        builtinSimulator: true,
        unitId: 1,
        pollMs: 250,
      }),
      expect.objectContaining({ name: 'SS01-OPCUA', protocol: 'opcua', builtinSimulator: true, samplingMs: 500 }),
    ]);
    const byProtocol: Record<string, number> = { 'modbus-tcp': 0, opcua: 0 };
    for (const t of project.tags)
      byProtocol[protocolOf.get(t.device)!] = (byProtocol[protocolOf.get(t.device)!] ?? 0) + 1;
    expect(byProtocol['modbus-tcp']).toBeGreaterThan(50);
    expect(byProtocol.opcua).toBeGreaterThan(15);
    expect(
      project.tags.filter((t) => t.name.startsWith('SS01.HM.')).every((t) => protocolOf.get(t.device) === 'opcua'),
    ).toBe(true);
    expect(
      project.tags.filter((t) => t.name.startsWith('SS01.EM.')).every((t) => protocolOf.get(t.device) === 'opcua'),
    ).toBe(true);
  });

  it('describes every tag fully and marks only setpoints writable', () => {
    expect(project.tags.length).toBe(catalog.size);
    for (const t of project.tags) {
      const def = catalog.get(t.name)!.definition;
      expect(t.description.en.length).toBeGreaterThan(3);
      expect(t.description.zh?.length ?? 0).toBeGreaterThan(1);
      expect(t.range).toBeDefined();
      expect(t.writable).toBe(def.writable);
      if (t.kind === 'digital') expect(t.states).toBeDefined();
      if (t.opcua) expect(t.opcua.nodeId).toBe(`ns=1;s=${t.name}`);
      if (t.modbus)
        expect(t.modbus).toMatchObject({ table: def.modbus.table, address: def.modbus.address, type: def.modbus.type });
    }
  });

  it('has a writable analog setpoint on each protocol that holds a tenth of a unit', () => {
    for (const protocol of ['modbus-tcp', 'opcua']) {
      const t = project.tags.find(
        (x) => x.writable && x.kind !== 'digital' && protocolOf.get(x.device) === protocol && x.range,
      );
      expect(t, protocol).toBeDefined();
      const scale = t!.scale;
      const resolution = scale
        ? Math.abs(
            scale.raw && scale.eng
              ? (scale.eng[1] - scale.eng[0]) / (scale.raw[1] - scale.raw[0])
              : (scale.factor ?? 1),
          )
        : t!.modbus?.type === 'float32' || !t!.modbus
          ? 0
          : 1;
      expect(resolution).toBeLessThanOrEqual(0.01);
    }
  });

  it('draws an overview with the mimic symbols and a level-3 pump screen', () => {
    const overview = project.screens.find((s) => s.id === 'overview')!;
    expect(overview).toMatchObject({ level: 2, width: 1200, height: 700 });
    const kinds = new Set(overview.elements.map((e) => e.kind));
    for (const kind of ['pipe', 'heat-exchanger', 'valve', 'pump', 'tank', 'meter', 'value', 'label'])
      expect(kinds).toContain(kind);
    const media = new Set(overview.elements.flatMap((e) => (e.kind === 'pipe' ? [e.medium] : [])));
    expect([...media].sort()).toEqual([
      'makeup',
      'primary-return',
      'primary-supply',
      'secondary-return',
      'secondary-supply',
    ]);
    const pumps = overview.elements.filter((e) => e.kind === 'pump' && e.faultTag && e.speedTag);
    expect(pumps).toHaveLength(2);
    for (const e of overview.elements) {
      if ('x' in e) {
        expect(e.x).toBeGreaterThanOrEqual(0);
        expect(e.x).toBeLessThanOrEqual(1200);
        expect(e.y).toBeGreaterThanOrEqual(0);
        expect(e.y).toBeLessThanOrEqual(700);
      }
    }
    expect(project.screens.find((s) => s.id === 'pump-1')).toMatchObject({ level: 3, parent: 'overview' });
  });

  it('has the display hierarchy: plant overview → substation → its equipment', () => {
    const byId = new Map(project.screens.map((s) => [s.id, s]));
    expect(byId.get('plant')).toMatchObject({ level: 1 });
    expect(byId.get('plant')!.tiles).toHaveLength(1);
    expect(byId.get('overview')).toMatchObject({ level: 2, parent: 'plant' });
    for (const id of ['pump-1', 'pump-2', 'hx', 'loop'])
      expect(byId.get(id)).toMatchObject({ level: 3, parent: 'overview' });
    // The substation drawn in an SVG editor, imported: in the tree below the substation, out of the box.
    expect(byId.get('sketch')).toMatchObject({ level: 3, parent: 'overview', svg: 'screens/substation-sketch.svg' });
  });

  it('puts the supply-temperature controller on the process and loop screens, bound to the heating-curve loop', () => {
    for (const id of ['overview', 'loop']) {
      const controllers = project.screens.find((s) => s.id === id)!.elements.filter((e) => e.kind === 'controller');
      expect(controllers).toEqual([
        expect.objectContaining({
          pvTag: 'SS01.HX.T_SEC_SUP',
          spTag: 'SS01.HC.T_SP',
          outTag: 'SS01.CV.OUT',
          autoTag: 'SS01.CV.AUTO',
          label: { en: 'Supply temperature', zh: '供水温度控制' },
        }),
      ]);
    }
  });
});

describe('demo project for N substations', () => {
  for (const n of [1, 3, 20]) {
    it(`loads through the project loader for ${n} substation(s), every alarm pointing at a screen of its own substation`, () => {
      // Beside the demo's own files: the one-substation project's SVG screen is found from there.
      const p = parseProject(demoProjectYaml(n), new URL(`../../assets/demo/demo-${n}.yaml`, import.meta.url).pathname);
      expect(p.simulator).toMatchObject({ substations: n });
      // A PLC per substation; one OPC UA session to the simulator's server (SS01-OPCUA with one substation).
      expect(p.devices.map((d) => d.name)).toEqual([
        ...Array.from({ length: n }, (_, i) => `${substationPrefix(i + 1)}-PLC`),
        n === 1 ? 'SS01-OPCUA' : 'PLANT-OPCUA',
      ]);
      expect(p.tags).toHaveLength(n * catalogForSubstation(1).length);
      const screens = new Map(p.screens.map((s) => [s.id, s]));
      // The plant, five screens per substation, and with one substation its SVG sketch.
      expect(screens.size).toBe(1 + 5 * n + (n === 1 ? 1 : 0));
      const plant = screens.get('plant')!;
      expect(plant.level).toBe(1);
      expect(plant.tiles!.map((t) => t.area)).toEqual(Array.from({ length: n }, (_, i) => substationPrefix(i + 1)));
      for (let k = 1; k <= n; k++) {
        const ids = substationScreens(k, n);
        expect(screens.get(ids.process)).toMatchObject({ level: 2, parent: 'plant' });
        for (const id of [ids.pump1, ids.pump2, ids.hx, ids.loop])
          expect(screens.get(id)).toMatchObject({ level: 3, parent: ids.process });
        // The tile leads to the substation's process screen and watches its devices.
        expect(plant.tiles![k - 1]).toMatchObject({
          screen: ids.process,
          devices: [`${substationPrefix(k)}-PLC`, n === 1 ? 'SS01-OPCUA' : 'PLANT-OPCUA'],
        });
      }
      let alarms = 0;
      for (const t of p.tags) {
        const k = Number(t.name.slice(2, 4));
        const own = new Set(Object.values(substationScreens(k, n)));
        for (const a of t.alarms ?? []) {
          alarms++;
          if (a.screen === 'devices') continue;
          expect(own, `${t.name} → ${a.screen}`).toContain(a.screen);
          // Screens of substation k draw the alarm's tag.
          const drawn = JSON.stringify(screens.get(a.screen!)!.elements);
          expect(drawn, `${t.name} on ${a.screen}`).toContain(`"${t.name}"`);
        }
      }
      expect(alarms).toBeGreaterThan(20 * n);
    }, 120_000);
  }

  it('sends pump, heat-exchanger and loop alarms to their equipment screens', () => {
    const ids = substationScreens(3, 3);
    expect(ids).toEqual({
      process: 'ss03',
      pump1: 'ss03-pump-1',
      pump2: 'ss03-pump-2',
      hx: 'ss03-hx',
      loop: 'ss03-loop',
    });
    expect(screenForSignal('P2.VIB', ids)).toBe('ss03-pump-2');
    expect(screenForSignal('HX.UA', ids)).toBe('ss03-hx');
    expect(screenForSignal('HX.T_SEC_SUP', ids)).toBe('ss03-loop');
    expect(screenForSignal('CV.POS', ids)).toBe('ss03-loop');
    expect(screenForSignal('EXP.LEVEL', ids)).toBe('ss03');
  });

  it('refuses a substation count outside 1…50, and parses the command-line flag', () => {
    expect(() => demoProject(0)).toThrow(/1…50/);
    expect(() => demoProject(51)).toThrow(/1…50/);
    expect(parseSubstations(undefined)).toBe(1);
    expect(parseSubstations('12')).toBe(12);
    for (const bad of ['0', '51', '2.5', 'x', '']) expect(() => parseSubstations(bad)).toThrow(/--substations/);
  });

  it('reports a tile that names an unknown screen, tag or device, and a parent cycle, with their paths', () => {
    const p = parse(demoProjectYaml(2)) as {
      screens: Array<Record<string, unknown> & { tiles?: Array<Record<string, unknown>> }>;
    };
    p.screens[0]!.tiles![1]!.screen = 'ss09';
    (p.screens[0]!.tiles![0]!.figures as Array<Record<string, unknown>>)[0]!.tag = 'SS09.HX.T_SEC_SUP';
    p.screens[0]!.parent = 'ss01';
    expect(() => parseProject(stringify(p), 'cyc.yaml')).toThrow(
      /screens\.0\.tiles\.1\.screen[\s\S]*unknown screen "ss09"|unknown screen "ss09"/,
    );
    const problems = crossReferenceProblems(projectSchema.parse(p) as never).map(
      (x) => `${x.path.join('.')}: ${x.message}`,
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'screens.0.tiles.1.screen: unknown screen "ss09"',
        'screens.0.tiles.0.figures.0.tag: unknown tag "SS09.HX.T_SEC_SUP"',
        expect.stringMatching(/^screens\.\d+\.parent: screen parents form a cycle/),
      ]),
    );
  });
});
