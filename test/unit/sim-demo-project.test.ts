import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { projectSchema } from '../../main/runtime/config/schema.js';
import { parseProject } from '../../main/runtime/config/load-project.js';
import { catalogForSubstation } from '../../simulator/catalog.js';
import { demoProjectFile, demoProjectYaml } from '../../scripts/generate-demo-project.js';

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
      expect.objectContaining({ name: 'SS01-PLC', protocol: 'modbus-tcp', builtinSimulator: true, unitId: 1, pollMs: 250 }),
      expect.objectContaining({ name: 'SS01-OPCUA', protocol: 'opcua', builtinSimulator: true, samplingMs: 500 }),
    ]);
    const byProtocol: Record<string, number> = { 'modbus-tcp': 0, opcua: 0 };
    for (const t of project.tags) byProtocol[protocolOf.get(t.device)!] = (byProtocol[protocolOf.get(t.device)!] ?? 0) + 1;
    expect(byProtocol['modbus-tcp']).toBeGreaterThan(50);
    expect(byProtocol.opcua).toBeGreaterThan(15);
    expect(project.tags.filter((t) => t.name.startsWith('SS01.HM.')).every((t) => protocolOf.get(t.device) === 'opcua')).toBe(true);
    expect(project.tags.filter((t) => t.name.startsWith('SS01.EM.')).every((t) => protocolOf.get(t.device) === 'opcua')).toBe(true);
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
      if (t.modbus) expect(t.modbus).toMatchObject({ table: def.modbus.table, address: def.modbus.address, type: def.modbus.type });
    }
  });

  it('has a writable analog setpoint on each protocol that holds a tenth of a unit', () => {
    for (const protocol of ['modbus-tcp', 'opcua']) {
      const t = project.tags.find((x) => x.writable && x.kind !== 'digital' && protocolOf.get(x.device) === protocol && x.range);
      expect(t, protocol).toBeDefined();
      const scale = t!.scale;
      const resolution = scale ? Math.abs(scale.raw && scale.eng ? (scale.eng[1] - scale.eng[0]) / (scale.raw[1] - scale.raw[0]) : (scale.factor ?? 1)) : t!.modbus?.type === 'float32' || !t!.modbus ? 0 : 1;
      expect(resolution).toBeLessThanOrEqual(0.01);
    }
  });

  it('draws an overview with the mimic symbols and a level-3 pump screen', () => {
    const overview = project.screens.find((s) => s.id === 'overview')!;
    expect(overview).toMatchObject({ level: 2, width: 1200, height: 700 });
    const kinds = new Set(overview.elements.map((e) => e.kind));
    for (const kind of ['pipe', 'heat-exchanger', 'valve', 'pump', 'tank', 'meter', 'value', 'label']) expect(kinds).toContain(kind);
    const media = new Set(overview.elements.flatMap((e) => (e.kind === 'pipe' ? [e.medium] : [])));
    expect([...media].sort()).toEqual(['makeup', 'primary-return', 'primary-supply', 'secondary-return', 'secondary-supply']);
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
    expect(project.screens.find((s) => s.id === 'pumps')).toMatchObject({ level: 3 });
  });
});
