/**
 * Generates assets/demo/plant.yaml — the demo project on the built-in simulator — from the
 * simulator's tag catalog, so names, addresses, units and ranges never drift apart.
 *   npx tsx scripts/generate-demo-project.ts
 * Device split: the PLC (Modbus TCP, unit 1) carries the process and control tags; the
 * OPC UA server carries the heat meter, electricity meter, diagnostics and the pressure-
 * maintenance setpoints, so the demo binds the simulator over both protocols.
 * Screen coordinates: x, y are the centre of a symbol and the left edge / baseline of a text.
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Document, isMap, isScalar, isSeq, visit, type Node } from 'yaml';
import { catalogForSubstation, substationPrefix, type SubstationTag } from '../simulator/catalog.js';
import { demoAlarmSettings, demoAlarmTable } from './demo-alarm-set.js';

const SUBSTATION = 1;
const PLC = 'SS01-PLC';
const OPCUA = 'SS01-OPCUA';
export const demoProjectFile = new URL('../assets/demo/plant.yaml', import.meta.url).pathname;

const opcuaEquipment = new Set(['HM', 'EM', 'SYS']);
const opcuaSignals = new Set([
  'HX.UA', 'HX.EFF', 'HX.Q_SEC',
  'P1.T_MOTOR', 'P1.T_BEARING', 'P1.RUN_HOURS', 'P1.STARTS',
  'P2.T_MOTOR', 'P2.T_BEARING', 'P2.RUN_HOURS', 'P2.STARTS',
  'MU.P_SP', 'MU.P_HYST', 'MU.TOTAL',
]);

function onOpcua(t: SubstationTag): boolean {
  return opcuaEquipment.has(t.definition.equipment) || opcuaSignals.has(t.definition.signal);
}

function projectTag(t: SubstationTag): Record<string, unknown> {
  const d = t.definition;
  const m = d.modbus;
  const base: Record<string, unknown> = {
    name: t.name,
    device: onOpcua(t) ? OPCUA : PLC,
    description: { en: d.description.en, zh: d.description.zh },
    unit: d.unit,
    kind: d.kind,
  };
  if (onOpcua(t)) base.opcua = { nodeId: t.nodeId };
  else {
    base.modbus = {
      table: m.table,
      address: m.address,
      type: m.type,
      ...(m.bit !== undefined ? { bit: m.bit } : {}),
      ...(m.wordOrder && m.type !== 'int16' && m.type !== 'uint16' && m.type !== 'bool' ? { wordOrder: m.wordOrder } : {}),
    };
    if (m.scale) base.scale = { raw: [...m.scale.raw], eng: [...m.scale.eng] };
  }
  base.range = [...d.range];
  base.decimals = d.decimals;
  if (d.states) base.states = { false: d.states.false, true: d.states.true };
  if (d.writable) base.writable = true;
  // Commands that start, stop or hand a loop to manual: a write needs a reason and a second confirmation.
  if (d.writable && criticalSignals.has(t.name.slice(t.name.indexOf('.') + 1))) base.critical = true;
  const alarms = alarmTable[d.signal];
  if (alarms && alarms.length > 0) base.alarms = alarms;
  return base;
}

/** The rationalized alarm set (scripts/demo-alarm-set.ts), by signal. */
const alarmTable = demoAlarmTable(substationPrefix(SUBSTATION));

const criticalSignals = new Set(['CV.AUTO', 'CV.MAN_OUT', 'P1.AUTO', 'P2.AUTO', 'P1.RESET', 'P2.RESET', 'SEC.DUTY_SEL']);

type Element = Record<string, unknown>;
const p = (prefix: string) => (signal: string) => `${prefix}.${signal}`;
const tag = p('SS01');
const value = (signal: string, x: number, y: number, label?: string): Element => ({ kind: 'value', tag: tag(signal), x, y, ...(label ? { label } : {}) });
const label = (text: string, x: number, y: number, size?: number): Element => ({ kind: 'label', text, x, y, ...(size ? { size } : {}) });
const pipe = (medium: string, ...points: Array<[number, number]>): Element => ({ kind: 'pipe', medium, points });

/** Level 2 overview: primary side left, heat exchanger centre, secondary loop right, make-up and tank below. */
const overview: Element[] = [
  label('Substation SS01 — district heating / 换热站 SS01', 30, 34, 20),
  value('OUT.T', 40, 74, 'Outdoor'),
  value('HC.T_SP', 40, 98, 'Supply setpoint'),
  label('PRIMARY — city network / 一次侧', 30, 150, 14),
  label('SECONDARY — buildings / 二次侧', 760, 150, 14),

  // Primary supply: network → control valve → HX (top-left port).
  pipe('primary-supply', [30, 240], [560, 240]),
  value('HX.T_PRI_SUP', 40, 222, 'T'),
  value('HX.P_PRI_SUP', 130, 222, 'P'),
  { kind: 'valve', x: 380, y: 240, label: 'CV', positionTag: tag('CV.POS') },
  value('CV.POS', 350, 200, 'Pos'),
  value('CV.OUT', 350, 180, 'Out'),
  value('HX.F_PRI', 440, 222, 'F'),
  // Primary return: HX (bottom-left port) → heat meter → network.
  pipe('primary-return', [560, 360], [30, 360]),
  value('HX.T_PRI_RET', 440, 382, 'T'),
  value('HX.P_PRI_RET', 40, 382, 'P'),
  { kind: 'meter', x: 230, y: 420, label: 'Heat meter', tags: [tag('HM.POWER'), tag('HM.FLOW'), tag('HM.ENERGY')] },
  value('HX.DP_PRI', 40, 300, 'ΔP primary'),

  // Plate heat exchanger.
  { kind: 'heat-exchanger', x: 600, y: 300, label: 'HX' },
  value('HX.DUTY', 560, 160, 'Duty'),
  value('HX.APPROACH', 565, 450, 'Approach'),

  // Secondary supply: HX (top-right port) → buildings.
  pipe('secondary-supply', [640, 240], [1170, 240]),
  value('HX.T_SEC_SUP', 680, 222, 'T'),
  value('SEC.P_SUP', 790, 222, 'P'),
  label('to buildings →', 1060, 228),
  value('SEC.DP', 1060, 350, 'ΔP'),
  // Secondary return: buildings → pumps (duty/standby in parallel) → HX (bottom-right port).
  pipe('secondary-return', [1170, 460], [920, 460]),
  label('← from buildings', 1050, 448),
  value('HX.T_SEC_RET', 1050, 482, 'T'),
  value('SEC.P_RET', 1050, 502, 'P'),
  value('SEC.FLOW', 960, 482, 'F'),
  pipe('secondary-return', [920, 460], [920, 400], [720, 400]),
  pipe('secondary-return', [920, 460], [920, 540], [720, 540]),
  pipe('secondary-return', [720, 540], [720, 360], [640, 360]),
  { kind: 'pump', x: 820, y: 400, label: 'P1', runTag: tag('P1.RUN'), faultTag: tag('P1.FAULT'), speedTag: tag('P1.SPEED') },
  value('P1.SPEED', 760, 432, 'n'),
  value('P1.CURRENT', 840, 432, 'I'),
  { kind: 'pump', x: 820, y: 540, label: 'P2', runTag: tag('P2.RUN'), faultTag: tag('P2.FAULT'), speedTag: tag('P2.SPEED') },
  value('P2.SPEED', 760, 572, 'n'),
  value('P2.CURRENT', 840, 572, 'I'),

  // Make-up water from the city main into the return, and the expansion tank on the return.
  label('city water / 自来水', 30, 628),
  pipe('makeup', [30, 640], [980, 640], [980, 460]),
  { kind: 'pump', x: 300, y: 640, label: 'Make-up', runTag: tag('MU.RUN') },
  value('MU.FLOW', 360, 668, 'F'),
  value('MU.P_SP', 470, 668, 'P set'),
  pipe('secondary-return', [1100, 460], [1100, 560]),
  { kind: 'tank', x: 1100, y: 600, label: 'Expansion tank', levelTag: tag('EXP.LEVEL') },
  value('EXP.LEVEL', 1020, 660, 'L'),
  value('EXP.P', 1110, 660, 'P'),

  { kind: 'meter', x: 1090, y: 80, label: 'Electricity', tags: [tag('EM.POWER'), tag('EM.ENERGY'), tag('EM.VOLTAGE')] },
];

/** Level 3: both circulation pumps in detail. */
function pumpColumn(pump: 'P1' | 'P2', x: number): Element[] {
  const rows: Array<[string, string]> = [
    ['RUN', 'Running'], ['FAULT', 'Fault'], ['READY', 'Ready'], ['AUTO', 'Auto'],
    ['SPEED', 'Speed'], ['FREQ', 'Frequency'], ['CURRENT', 'Current'], ['POWER', 'Power'],
    ['VIB', 'Vibration'], ['T_MOTOR', 'Motor temperature'], ['T_BEARING', 'Bearing temperature'],
    ['RUN_HOURS', 'Running hours'], ['STARTS', 'Starts'],
  ];
  return [
    { kind: 'pump', x: x + 120, y: 130, label: pump, runTag: tag(`${pump}.RUN`), faultTag: tag(`${pump}.FAULT`), speedTag: tag(`${pump}.SPEED`) },
    ...rows.map(([signal, text], i) => value(`${pump}.${signal}`, x, 200 + i * 34, text)),
  ];
}

const pumps: Element[] = [
  label('Circulation pumps — duty/standby / 循环泵 主备', 30, 34, 20),
  ...pumpColumn('P1', 60),
  ...pumpColumn('P2', 460),
  label('Common', 860, 100, 14),
  value('SEC.SPEED_SP', 860, 140, 'Speed setpoint'),
  value('SEC.DUTY_SEL', 860, 174, 'Duty pump'),
  value('SEC.FLOW', 860, 208, 'Flow'),
  value('SEC.DP', 860, 242, 'Differential pressure'),
  value('ALM.P1_VIB', 860, 300, 'P1 vibration alarm'),
  value('ALM.P2_VIB', 860, 334, 'P2 vibration alarm'),
  value('ALM.PUMP_FLT', 860, 368, 'Pump fault'),
];

/** The demo project as YAML text (what the committed file must contain). */
export function demoProjectYaml(): string {
  const tags = catalogForSubstation(SUBSTATION);
  const project = {
    schemaVersion: 1,
    name: 'Argus demo — district-heating substation SS01',
    description:
      'Generated by scripts/generate-demo-project.ts from the simulator catalog. One substation of the built-in simulated plant, ' +
      'bound over Modbus TCP (process and control) and OPC UA (meters, diagnostics, pressure maintenance).',
    simulator: { substations: 1, speed: 1 },
    devices: [
      { name: PLC, protocol: 'modbus-tcp', builtinSimulator: true, unitId: SUBSTATION, pollMs: 250 },
      // conditions stay off: the server would publish every bit of the PLC's alarm word as an OPC UA condition, a
      // second annunciation of what the rationalized alarms below already say (scripts/demo-alarm-set.ts,
      // plcAlarmWord). The conditions path is tested against the simulator in test/integration/opcua-conditions.test.ts.
      { name: OPCUA, protocol: 'opcua', builtinSimulator: true, samplingMs: 500, conditions: false },
    ],
    alarmSettings: demoAlarmSettings,
    tags: tags.map(projectTag),
    screens: [
      { id: 'overview', title: 'Substation SS01 overview', level: 2, width: 1200, height: 700, elements: overview },
      { id: 'pumps', title: 'Circulation pumps', level: 3, width: 1200, height: 700, elements: pumps },
    ],
  };

  const header = '# Generated by scripts/generate-demo-project.ts from simulator/catalog.ts — edit those, then regenerate:\n#   npx tsx scripts/generate-demo-project.ts\n';
  // One line per small thing: a collection of scalars (or of such one-line collections) is written in flow style.
  const doc = new Document(project);
  const oneLine = (node: unknown): boolean => isScalar(node) || ((isSeq(node) || isMap(node)) && (node as { flow?: boolean }).flow === true);
  const short = (node: { toJSON(): unknown }): boolean => JSON.stringify(node.toJSON()).length <= 140;
  // visit() goes parent-first: a few passes let small collections nested in small collections fold too.
  for (let pass = 0; pass < 3; pass++) {
    visit(doc, {
      Seq: (_key, node) => {
        if (node.items.every(oneLine) && short(node)) node.flow = true;
      },
      Map: (_key, node) => {
        // Tags stay block-style (readable diffs); their small parts and screen elements go on one line.
        const isTag = node.items.some((pair) => isScalar(pair.key) && pair.key.value === 'device');
        if (!isTag && node.items.every((pair) => oneLine(pair.value as Node)) && short(node)) node.flow = true;
      },
    });
  }
  return header + doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(demoProjectFile, demoProjectYaml());
  process.stdout.write(`wrote ${demoProjectFile}\n`);
}
