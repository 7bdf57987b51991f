/**
 * The demo project on the built-in simulator, for 1…50 substations, built from the
 * simulator's tag catalog so names, addresses, units and ranges never drift apart.
 * scripts/generate-demo-project.ts writes the one-substation project to assets/demo/plant.yaml;
 * `serve` and the desktop app build the project for `--substations N` at every start.
 *
 * Device split per substation: the PLC (Modbus TCP, unit id k) carries the process and
 * control tags; the OPC UA server carries the heat meter, electricity meter, diagnostics and
 * the pressure-maintenance setpoints, so the demo binds the simulator over both protocols.
 *
 * The display hierarchy (ISA-101): level 1 `plant` (one tile per substation), level 2 the
 * substation's process screen, level 3 its equipment (pump 1, pump 2, heat exchanger,
 * supply-temperature loop), level 4 the Devices place of the console. With one substation
 * the process screen keeps its id `overview`; with more they are `ss01`, `ss02`, … and the
 * equipment screens `ss01-pump-1`, … Every alarm names the screen of its equipment.
 *
 * Screen coordinates: x, y are the centre of a symbol and the left edge / baseline of a text.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Document, isMap, isScalar, isSeq, visit, type Node } from 'yaml';
import { catalogForSubstation, substationPrefix, type SubstationTag } from '../simulator/catalog.js';
import { demoAlarmSettings, demoAlarmTable, type DemoAlarm } from './demo-alarm-set.js';

export const MAX_DEMO_SUBSTATIONS = 50;

const opcuaEquipment = new Set(['HM', 'EM', 'SYS']);
const opcuaSignals = new Set([
  'HX.UA',
  'HX.EFF',
  'HX.Q_SEC',
  'P1.T_MOTOR',
  'P1.T_BEARING',
  'P1.RUN_HOURS',
  'P1.STARTS',
  'P2.T_MOTOR',
  'P2.T_BEARING',
  'P2.RUN_HOURS',
  'P2.STARTS',
  'MU.P_SP',
  'MU.P_HYST',
  'MU.TOTAL',
]);

/** Commands that start, stop or hand a loop to manual: a write needs a reason and a second confirmation. */
const criticalSignals = new Set([
  'CV.AUTO',
  'CV.MAN_OUT',
  'P1.AUTO',
  'P2.AUTO',
  'P1.RESET',
  'P2.RESET',
  'SEC.DUTY_SEL',
]);

function onOpcua(t: SubstationTag): boolean {
  return opcuaEquipment.has(t.definition.equipment) || opcuaSignals.has(t.definition.signal);
}

export const plcDevice = (k: number): string => `${substationPrefix(k)}-PLC`;
/**
 * One substation keeps its own OPC UA device (SS01-OPCUA); a plant of several reads the
 * simulator's one OPC UA server through one session, PLANT-OPCUA (a session per substation
 * would open N sessions to the same server for a few dozen nodes each).
 */
export const opcuaDevice = (k: number, n: number): string => (n === 1 ? `${substationPrefix(k)}-OPCUA` : 'PLANT-OPCUA');

/** The screen ids of substation k in a plant of n substations. */
export interface SubstationScreens {
  readonly process: string;
  readonly pump1: string;
  readonly pump2: string;
  readonly hx: string;
  readonly loop: string;
}

export const PLANT_SCREEN = 'plant';
/** The one-substation demo's imported SVG screen (assets/demo/screens/substation-sketch.svg, beside plant.yaml). */
export const SKETCH_SCREEN = 'sketch';

export function substationScreens(k: number, n: number): SubstationScreens {
  const own = n === 1 ? '' : `${substationPrefix(k).toLowerCase()}-`;
  return {
    process: n === 1 ? 'overview' : substationPrefix(k).toLowerCase(),
    pump1: `${own}pump-1`,
    pump2: `${own}pump-2`,
    hx: `${own}hx`,
    loop: `${own}loop`,
  };
}

/** The screen that shows a signal's equipment: pumps, heat exchanger and control loop have their own. */
export function screenForSignal(signal: string, screens: SubstationScreens): string {
  const equipment = signal.slice(0, signal.indexOf('.'));
  if (equipment === 'P1' || signal === 'ALM.P1_VIB') return screens.pump1;
  if (equipment === 'P2' || signal === 'ALM.P2_VIB') return screens.pump2;
  if (equipment === 'HX' && signal !== 'HX.T_SEC_SUP') return screens.hx;
  if (equipment === 'CV' || equipment === 'HC' || signal === 'HX.T_SEC_SUP' || signal === 'OUT.T') return screens.loop;
  return screens.process;
}

/** The rationalized alarm set (scripts/demo-alarm-set.ts), by signal, each pointing at its equipment's screen. */
function alarmsBySignal(k: number, screens: SubstationScreens): Record<string, DemoAlarm[]> {
  const table = demoAlarmTable(substationPrefix(k));
  const out: Record<string, DemoAlarm[]> = {};
  for (const [signal, alarms] of Object.entries(table)) {
    // 'devices' (the communication place) stays as the alarm set says.
    out[signal] = alarms.map((a) => (a.screen === 'devices' ? a : { ...a, screen: screenForSignal(signal, screens) }));
  }
  return out;
}

/**
 * Normal operating bands of the key values (drawn grey on analog indicators; outside them a
 * value is shown abnormal before any alarm). From the normal ranges of scripts/demo-alarm-set.ts,
 * with a margin so the make-up pump's start (1.65 bar, 24 %) and sensor noise stay inside.
 */
const normalBands: Readonly<Record<string, readonly [number, number]>> = {
  'SEC.P_RET': [1.6, 2.3],
  'EXP.P': [1.6, 2.3],
  'EXP.LEVEL': [22, 39],
  'HX.T_PRI_SUP': [75, 115],
  'HX.DP_PRI': [0.95, 1.45],
  'BLDG.T_IN': [19.5, 21.5],
  'SYS.T_CABINET': [18, 28],
  'EM.VOLTAGE': [390, 410],
  'P1.VIB': [0, 2.2],
  'P2.VIB': [0, 2.2],
  'P1.T_BEARING': [10, 50],
  'P2.T_BEARING': [10, 50],
};

function projectTag(t: SubstationTag, alarms: Record<string, DemoAlarm[]>, n: number): Record<string, unknown> {
  const d = t.definition;
  const m = d.modbus;
  const base: Record<string, unknown> = {
    name: t.name,
    device: onOpcua(t) ? opcuaDevice(t.substation, n) : plcDevice(t.substation),
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
      ...(m.wordOrder && m.type !== 'int16' && m.type !== 'uint16' && m.type !== 'bool'
        ? { wordOrder: m.wordOrder }
        : {}),
    };
    if (m.scale) base.scale = { raw: [...m.scale.raw], eng: [...m.scale.eng] };
  }
  base.range = [...d.range];
  const normal = normalBands[d.signal];
  if (normal) base.normal = [...normal];
  // Temperatures (and their differences) to 0.1 on screen, whatever finer resolution the register carries.
  base.decimals = d.unit === '°C' || d.unit === 'K' ? Math.min(d.decimals, 1) : d.decimals;
  if (d.states) base.states = { false: stateLabel(d.states.false), true: stateLabel(d.states.true) };
  if (d.writable) base.writable = true;
  if (d.writable && criticalSignals.has(d.signal)) base.critical = true;
  const list = alarms[d.signal];
  if (list && list.length > 0) base.alarms = list;
  return base;
}

type Element = Record<string, unknown>;
type Text = { en: string; zh: string };

/** Chinese for the English words on the demo screens (labels of values and symbols). */
const screenWordsZh: Readonly<Record<string, string>> = {
  Outdoor: '室外温度',
  'Supply setpoint': '供水设定值',
  Cabinet: '控制柜温度',
  'Control loop': '温控回路',
  'Heat exchanger': '换热器',
  'Pump 1': '1号泵',
  'Pump 2': '2号泵',
  Pos: '开度',
  Out: '输出',
  'Heat meter': '热量表',
  'ΔP primary': '一次侧压差',
  'ΔP secondary': '二次侧压差',
  Duty: '换热量',
  Approach: '端差',
  Indoor: '室内温度',
  'to buildings →': '去往用户 →',
  '← from buildings': '← 来自用户',
  'No flow': '无流量',
  'Make-up': '补水泵',
  'P set': 'P 设定',
  Total: '累计',
  'Expansion tank': '膨胀罐',
  Electricity: '电表',
  'T supply': '供水温度',
  'T return': '回水温度',
  Flow: '流量',
  'P return': '回水压力',
  Running: '运行',
  Fault: '故障',
  Ready: '就绪',
  Auto: '自动',
  'Fault reset': '故障复位',
  Speed: '转速',
  Frequency: '频率',
  Current: '电流',
  Power: '功率',
  Vibration: '振动',
  'Motor temperature': '电机温度',
  'Bearing temperature': '轴承温度',
  'Vibration trip': '振动跳闸',
  'Running hours': '运行小时',
  Starts: '启动次数',
  'Duty pump': '主泵',
  'Speed setpoint': '转速设定',
  'Pump fault': '泵故障',
  'Pump 1 running': '1号泵运行',
  'Pump 2 running': '2号泵运行',
  'Secondary heat': '二次侧热量',
  'Heat transfer UA': '传热系数 UA',
  Effectiveness: '换热效率',
  'Supply temperature': '供水温度',
  'Return temperature': '回水温度',
  'Temperature difference': '温差',
  'Approach alarm (PLC)': '端差报警（PLC）',
  'Curve point 1 outdoor': '曲线点1 室外',
  'Curve point 1 supply': '曲线点1 供水',
  'Curve point 2 outdoor': '曲线点2 室外',
  'Curve point 2 supply': '曲线点2 供水',
  Offset: '偏移量',
  'Setpoint SP': '设定值 SP',
  'Process value PV': '测量值 PV',
  Deviation: '偏差',
  Output: '输出',
  'Manual output': '手动输出',
  'Gain Kp': '增益 Kp',
  'Integral time Ti': '积分时间 Ti',
  'Supply deviation': '供水偏差',
  'Valve deviation': '阀位偏差',
  Position: '开度',
  'Supply temperature control': '供水温度控制',
};

/**
 * A screen word in both languages: `English / 中文` split in two, a known English word with
 * its Chinese, else the text as it is (symbols and letters such as T, P, ΔP, CV read the same).
 */
export function screenWord(textValue: string): string | Text {
  const split = / \/ (?=[^/]*[\u3400-\u9fff])/.exec(textValue);
  if (split) return { en: textValue.slice(0, split.index), zh: textValue.slice(split.index + split[0].length) };
  const zh = screenWordsZh[textValue];
  return zh ? { en: textValue, zh } : textValue;
}

/** Element builders bound to one substation's tag prefix. */
function builders(prefix: string) {
  const tag = (signal: string) => `${prefix}.${signal}`;
  return {
    tag,
    value: (signal: string, x: number, y: number, label?: string): Element => ({
      kind: 'value',
      tag: tag(signal),
      x,
      y,
      ...(label ? { label: screenWord(label) } : {}),
    }),
    label: (text: string, x: number, y: number, size?: number): Element => ({
      kind: 'label',
      text: screenWord(text),
      x,
      y,
      ...(size ? { size } : {}),
    }),
    pipe: (medium: string, ...points: Array<[number, number]>): Element => ({ kind: 'pipe', medium, points }),
    pump: (pump: 'P1' | 'P2', x: number, y: number): Element => ({
      kind: 'pump',
      x,
      y,
      label: pump,
      runTag: tag(`${pump}.RUN`),
      faultTag: tag(`${pump}.FAULT`),
      speedTag: tag(`${pump}.SPEED`),
    }),
    /** The supply-temperature controller (heating curve → SP, PID on the primary valve): opens its faceplate. */
    controller: (x: number, y: number): Element => ({
      kind: 'controller',
      x,
      y,
      label: text('Supply temperature', '供水温度控制'),
      pvTag: tag('HX.T_SEC_SUP'),
      spTag: tag('HC.T_SP'),
      outTag: tag('CV.OUT'),
      autoTag: tag('CV.AUTO'),
    }),
  };
}

/** Level 2: primary side left, heat exchanger centre, secondary loop right, make-up and tank below. */
function processScreen(prefix: string, ids: SubstationScreens): Element[] {
  const { tag, value, label, pipe, pump, controller } = builders(prefix);
  return [
    label(`Substation ${prefix} — district heating / 换热站 ${prefix}`, 30, 34, 20),
    // Level 3, one click away (above the loop's controller).
    { kind: 'nav-button', x: 420, y: 60, label: screenWord('Control loop'), screen: ids.loop, width: 140 },
    { kind: 'nav-button', x: 568, y: 60, label: screenWord('Heat exchanger'), screen: ids.hx, width: 180 },
    { kind: 'nav-button', x: 756, y: 60, label: screenWord('Pump 1'), screen: ids.pump1, width: 100 },
    { kind: 'nav-button', x: 864, y: 60, label: screenWord('Pump 2'), screen: ids.pump2, width: 100 },
    value('OUT.T', 40, 74, 'Outdoor'),
    value('HC.T_SP', 40, 98, 'Supply setpoint'),
    value('SYS.T_CABINET', 260, 74, 'Cabinet'),
    label('PRIMARY — city network / 一次侧', 30, 150, 14),
    label('SECONDARY — buildings / 二次侧', 720, 150, 14),

    // Primary supply: network → control valve → HX (top-left port).
    pipe('primary-supply', [30, 240], [560, 240]),
    value('HX.T_PRI_SUP', 40, 222, 'T'),
    value('HX.P_PRI_SUP', 130, 222, 'P'),
    { kind: 'valve', x: 380, y: 240, label: 'CV', positionTag: tag('CV.POS') },
    // The loop's controller above its valve (PV, SP, output, mode; a click opens its faceplate).
    controller(375, 154),
    value('HX.F_PRI', 440, 222, 'F'),
    // Primary return: HX (bottom-left port) → heat meter → network.
    pipe('primary-return', [560, 360], [30, 360]),
    value('HX.T_PRI_RET', 440, 382, 'T'),
    value('HX.P_PRI_RET', 40, 382, 'P'),
    {
      kind: 'meter',
      x: 230,
      y: 420,
      label: screenWord('Heat meter'),
      tags: [tag('HM.POWER'), tag('HM.FLOW'), tag('HM.ENERGY')],
    },
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
    value('BLDG.T_IN', 1060, 300, 'Indoor'),
    // Secondary return: buildings → pumps (duty/standby in parallel) → HX (bottom-right port).
    pipe('secondary-return', [1170, 460], [920, 460]),
    label('← from buildings', 1050, 448),
    // Below the return pipe, between the make-up pipe's riser (x 980) and the tank's (x 1130).
    value('HX.T_SEC_RET', 1000, 482, 'T'),
    value('SEC.P_RET', 1000, 504, 'P'),
    value('SEC.FLOW', 1000, 526, 'F'),
    pipe('secondary-return', [920, 460], [920, 400], [720, 400]),
    pipe('secondary-return', [920, 460], [920, 540], [720, 540]),
    pipe('secondary-return', [720, 540], [720, 360], [640, 360]),
    pump('P1', 820, 400),
    value('P1.SPEED', 760, 432, 'n'),
    value('P1.CURRENT', 840, 432, 'I'),
    pump('P2', 820, 540),
    value('P2.SPEED', 760, 572, 'n'),
    value('P2.CURRENT', 840, 572, 'I'),
    value('ALM.NO_FLOW', 760, 604, 'No flow'),

    // Make-up water from the city main into the return, and the expansion tank on the return.
    label('city water / 自来水', 30, 628),
    pipe('makeup', [30, 640], [980, 640], [980, 460]),
    { kind: 'pump', x: 300, y: 640, label: screenWord('Make-up'), runTag: tag('MU.RUN') },
    value('MU.FLOW', 360, 668, 'F'),
    value('MU.P_SP', 470, 668, 'P set'),
    value('MU.TOTAL', 600, 668, 'Total'),
    // The tank near the right edge: its name goes to its left, clear of the make-up riser.
    pipe('secondary-return', [1130, 460], [1130, 560]),
    { kind: 'tank', x: 1130, y: 600, label: screenWord('Expansion tank'), levelTag: tag('EXP.LEVEL') },
    value('EXP.LEVEL', 1010, 664, 'L'),
    value('EXP.P', 1100, 664, 'P'),

    {
      kind: 'meter',
      x: 1090,
      y: 80,
      label: screenWord('Electricity'),
      tags: [tag('EM.POWER'), tag('EM.ENERGY'), tag('EM.VOLTAGE')],
    },

    // Pressure maintenance at a glance: the values a leak drags down, against their normal band and
    // alarm limits, with the last hour beside them (a slow fall shows before any alarm).
    // 130 long: an abnormal value boxed at the bar's end, with its marker, stays clear of the make-up pump's name.
    {
      kind: 'analog-bar',
      x: 40,
      y: 530,
      tag: tag('SEC.P_RET'),
      label: screenWord('Return pressure / 回水压力'),
      length: 130,
    },
    { kind: 'sparkline', x: 350, y: 524, tag: tag('SEC.P_RET'), width: 150, height: 28, minutes: 30 },
    {
      kind: 'analog-bar',
      x: 40,
      y: 578,
      tag: tag('EXP.LEVEL'),
      label: screenWord('Tank level / 膨胀罐液位'),
      length: 130,
    },
    { kind: 'sparkline', x: 350, y: 572, tag: tag('EXP.LEVEL'), width: 150, height: 28, minutes: 30 },
  ];
}

/** A column of labelled values, one every 32 px. */
function column(
  prefix: string,
  heading: string,
  x: number,
  y: number,
  rows: ReadonlyArray<readonly [string, string]>,
): Element[] {
  const { value, label } = builders(prefix);
  return [label(heading, x, y, 14), ...rows.map(([signal, text], i) => value(signal, x, y + 36 + i * 32, text))];
}

/** Level 3: one circulation pump — its state, drive, condition and counters, in the secondary return. */
function pumpScreen(prefix: string, pump: 'P1' | 'P2'): Element[] {
  const { value, label, pipe, pump: pumpSymbol } = builders(prefix);
  const n = pump.slice(1);
  const other = pump === 'P1' ? 'P2' : 'P1';
  return [
    label(`${prefix} circulation pump ${n} / 循环泵${n}`, 30, 34, 20),
    label('← from buildings (secondary return) / 二次回水', 30, 100),
    pipe('secondary-return', [1170, 150], [30, 150]),
    pumpSymbol(pump, 600, 150),
    value('SEC.FLOW', 800, 132, 'Flow'),
    value('SEC.DP', 960, 132, 'ΔP'),
    value('SEC.P_RET', 300, 132, 'P return'),
    ...column(prefix, 'State / 状态', 40, 230, [
      [`${pump}.RUN`, 'Running'],
      [`${pump}.FAULT`, 'Fault'],
      [`${pump}.READY`, 'Ready'],
      [`${pump}.AUTO`, 'Auto'],
      [`${pump}.RESET`, 'Fault reset'],
    ]),
    ...column(prefix, 'Drive / 变频器', 330, 230, [
      [`${pump}.SPEED`, 'Speed'],
      [`${pump}.FREQ`, 'Frequency'],
      [`${pump}.CURRENT`, 'Current'],
      [`${pump}.POWER`, 'Power'],
    ]),
    ...column(prefix, 'Condition / 状态监测', 620, 230, [
      [`${pump}.VIB`, 'Vibration'],
      [`${pump}.T_MOTOR`, 'Motor temperature'],
      [`${pump}.T_BEARING`, 'Bearing temperature'],
      [`ALM.${pump}_VIB`, 'Vibration trip'],
    ]),
    ...column(prefix, 'Counters / 计数', 910, 230, [
      [`${pump}.RUN_HOURS`, 'Running hours'],
      [`${pump}.STARTS`, 'Starts'],
    ]),
    ...column(prefix, 'Duty/standby / 主备', 40, 480, [
      ['SEC.DUTY_SEL', 'Duty pump'],
      ['SEC.SPEED_SP', 'Speed setpoint'],
      ['ALM.PUMP_FLT', 'Pump fault'],
      [`${other}.RUN`, `Pump ${other.slice(1)} running`],
    ]),
  ];
}

/** Level 3: the plate heat exchanger — both sides' temperatures, pressures and flows, and its performance. */
function hxScreen(prefix: string): Element[] {
  const { tag, value, label, pipe } = builders(prefix);
  // Pipes meet the exchanger's ports (60 px above and below its centre), as on the process screen.
  return [
    label(`${prefix} plate heat exchanger / 板式换热器`, 30, 34, 20),
    label('PRIMARY / 一次侧', 30, 150, 14),
    label('SECONDARY / 二次侧', 820, 150, 14),
    pipe('primary-supply', [30, 240], [560, 240]),
    value('HX.T_PRI_SUP', 40, 222, 'T supply'),
    value('HX.P_PRI_SUP', 220, 222, 'P'),
    value('HX.F_PRI', 380, 222, 'F'),
    pipe('primary-return', [560, 360], [30, 360]),
    value('HX.T_PRI_RET', 40, 382, 'T return'),
    value('HX.P_PRI_RET', 220, 382, 'P'),
    value('HX.DP_PRI', 40, 300, 'ΔP primary'),
    { kind: 'heat-exchanger', x: 600, y: 300, label: 'HX' },
    pipe('secondary-supply', [640, 240], [1170, 240]),
    value('HX.T_SEC_SUP', 700, 222, 'T supply'),
    value('SEC.P_SUP', 900, 222, 'P'),
    pipe('secondary-return', [1170, 360], [640, 360]),
    value('HX.T_SEC_RET', 700, 382, 'T return'),
    value('SEC.P_RET', 900, 382, 'P'),
    value('SEC.FLOW', 1040, 382, 'F'),
    value('HX.DP_SEC', 900, 300, 'ΔP secondary'),
    ...column(prefix, 'Performance / 换热性能', 40, 450, [
      ['HX.DUTY', 'Duty'],
      ['HX.Q_SEC', 'Secondary heat'],
      ['HX.APPROACH', 'Approach'],
      ['HX.UA', 'Heat transfer UA'],
      ['HX.EFF', 'Effectiveness'],
    ]),
    ...column(prefix, 'Heat meter / 热量表', 420, 450, [
      ['HM.T_SUP', 'Supply temperature'],
      ['HM.T_RET', 'Return temperature'],
      ['HM.DT', 'Temperature difference'],
      ['HM.FLOW', 'Flow'],
    ]),
    {
      kind: 'meter',
      x: 900,
      y: 530,
      label: screenWord('Heat meter'),
      tags: [tag('HM.POWER'), tag('HM.ENERGY'), tag('HM.VOLUME')],
    },
    value('ALM.HX_APPR', 800, 640, 'Approach alarm (PLC)'),
  ];
}

/** Level 3: the supply-temperature loop — heating curve → setpoint, PID on the primary valve. */
function loopScreen(prefix: string): Element[] {
  const { tag, value, label, pipe, controller } = builders(prefix);
  return [
    label(`${prefix} supply temperature control / 供水温度控制`, 30, 34, 20),
    ...column(prefix, 'Heating curve / 供热曲线', 40, 100, [
      ['OUT.T', 'Outdoor'],
      ['HC.T_OUT_1', 'Curve point 1 outdoor'],
      ['HC.T_SUP_1', 'Curve point 1 supply'],
      ['HC.T_OUT_2', 'Curve point 2 outdoor'],
      ['HC.T_SUP_2', 'Curve point 2 supply'],
      ['HC.OFFSET', 'Offset'],
      ['HC.T_SP', 'Supply setpoint'],
    ]),
    ...column(prefix, 'Controller / 调节器', 440, 100, [
      ['HC.T_SP', 'Setpoint SP'],
      ['HX.T_SEC_SUP', 'Process value PV'],
      ['CV.DEV', 'Deviation'],
      ['CV.OUT', 'Output'],
      ['CV.AUTO', 'Auto'],
      ['CV.MAN_OUT', 'Manual output'],
      ['CV.KP', 'Gain Kp'],
      ['CV.TI', 'Integral time Ti'],
    ]),
    ...column(prefix, 'Alarms (PLC) / 报警', 840, 100, [
      ['ALM.T_SUP_DEV', 'Supply deviation'],
      ['ALM.CV_DEV', 'Valve deviation'],
    ]),
    label('Primary supply → control valve → heat exchanger / 一次供水 → 调节阀 → 换热器', 30, 470, 14),
    pipe('primary-supply', [30, 560], [960, 560]),
    value('HX.T_PRI_SUP', 40, 542, 'T'),
    value('HX.F_PRI', 200, 542, 'F'),
    { kind: 'valve', x: 500, y: 560, label: 'CV', positionTag: tag('CV.POS') },
    controller(780, 480),
    value('CV.POS', 240, 620, 'Position'),
    value('CV.OUT', 240, 650, 'Output'),
    { kind: 'heat-exchanger', x: 1000, y: 600, label: 'HX' },
    value('HX.T_SEC_SUP', 800, 660, 'PV'),
  ];
}

/** Key figures of a substation's tile: what tells the operator at a glance that it is well. */
function tileFigures(prefix: string): Record<string, unknown>[] {
  const tag = (signal: string) => `${prefix}.${signal}`;
  return [
    // Holds its setpoint within 1.5 K in steady state; the deviation alarm (3 K for 10 min) is later.
    { tag: tag('HX.T_SEC_SUP'), label: { en: 'Supply', zh: '供水温度' }, setpointTag: tag('HC.T_SP'), maxDeviation: 2 },
    // Normal 1.65–2.3 bar (make-up starts at 1.65, stops at 1.95). A leak takes 0.3 bar in 3 minutes.
    {
      tag: tag('SEC.P_RET'),
      label: { en: 'Return pressure', zh: '回水压力' },
      normal: [1.65, 2.3],
      maxFallPer5Min: 0.15,
    },
    // Normal 24–39 %; thermal contraction after a curve change takes 3–4 % in two minutes, a leak 8 % in three.
    { tag: tag('EXP.LEVEL'), label: { en: 'Tank level', zh: '膨胀罐液位' }, normal: [24, 39], maxFallPer5Min: 6 },
    { tag: tag('HM.POWER'), label: { en: 'Heat power', zh: '热功率' } },
  ];
}

function text(en: string, zh: string): Text {
  return { en, zh };
}

/** The simulator's state names (English) with the words a Chinese operator reads for them. */
const stateWordsZh: Readonly<Record<string, string>> = {
  Normal: '正常',
  Alarm: '报警',
  Stopped: '停止',
  Running: '运行',
  Healthy: '正常',
  Fault: '故障',
  'Not ready': '未就绪',
  Ready: '就绪',
  Manual: '手动',
  Auto: '自动',
  Off: '关闭',
  Reset: '复位',
};

/** A digital state's label in both languages where the Chinese is known ('—' and unknown words as they are). */
function stateLabel(en: string): string | Text {
  const zh = stateWordsZh[en];
  return zh ? text(en, zh) : en;
}

/** The demo project as data (what the loader validates), for n substations. */
export function demoProject(n = 1): Record<string, unknown> {
  if (!Number.isInteger(n) || n < 1 || n > MAX_DEMO_SUBSTATIONS)
    throw new RangeError(`substations must be a whole number 1…${MAX_DEMO_SUBSTATIONS}, got ${n}`);
  const ks = Array.from({ length: n }, (_, i) => i + 1);
  const devices: Record<string, unknown>[] = [];
  const tags: Record<string, unknown>[] = [];
  const screens: Record<string, unknown>[] = [
    {
      id: PLANT_SCREEN,
      title:
        n === 1
          ? text('Plant overview', '全厂总览')
          : text(`Plant overview — ${n} substations`, `全厂总览（${n}座换热站）`),
      label: text('Plant', '全厂'),
      level: 1,
      width: 1200,
      height: 700,
      elements: [],
      tiles: ks.map((k) => {
        const prefix = substationPrefix(k);
        return {
          screen: substationScreens(k, n).process,
          title: text(`Substation ${prefix}`, `换热站 ${prefix}`),
          area: prefix,
          devices: [plcDevice(k), opcuaDevice(k, n)],
          figures: tileFigures(prefix),
        };
      }),
    },
  ];
  for (const k of ks) {
    const prefix = substationPrefix(k);
    const ids = substationScreens(k, n);
    devices.push({ name: plcDevice(k), protocol: 'modbus-tcp', builtinSimulator: true, unitId: k, pollMs: 250 });
    const alarms = alarmsBySignal(k, ids);
    tags.push(...catalogForSubstation(k).map((t) => projectTag(t, alarms, n)));
    const screen = (id: string, title: Text, label: Text, level: number, parent: string, elements: Element[]) => ({
      id,
      title,
      label,
      level,
      parent,
      width: 1200,
      height: 700,
      elements,
    });
    screens.push(
      screen(
        ids.process,
        text(`Substation ${prefix} — process`, `换热站 ${prefix} 工艺流程`),
        text(prefix, prefix),
        2,
        PLANT_SCREEN,
        processScreen(prefix, ids),
      ),
      screen(
        ids.pump1,
        text(`${prefix} — circulation pump 1`, `${prefix} 1号循环泵`),
        text('Pump 1', '1号循环泵'),
        3,
        ids.process,
        pumpScreen(prefix, 'P1'),
      ),
      screen(
        ids.pump2,
        text(`${prefix} — circulation pump 2`, `${prefix} 2号循环泵`),
        text('Pump 2', '2号循环泵'),
        3,
        ids.process,
        pumpScreen(prefix, 'P2'),
      ),
      screen(
        ids.hx,
        text(`${prefix} — plate heat exchanger`, `${prefix} 板式换热器`),
        text('Heat exchanger', '换热器'),
        3,
        ids.process,
        hxScreen(prefix),
      ),
      screen(
        ids.loop,
        text(`${prefix} — supply temperature loop`, `${prefix} 供水温度控制回路`),
        text('Control loop', '温控回路'),
        3,
        ids.process,
        loopScreen(prefix),
      ),
    );
  }
  if (n === 1) {
    // The same substation drawn in an SVG editor (Inkscape) and imported: the SVG import, live, out of the box,
    // one level below the substation's process screen (screen tree, breadcrumbs, the screens below it).
    screens.push({
      id: SKETCH_SCREEN,
      title: text(
        `Substation ${substationPrefix(1)} — sketch drawn in an SVG editor`,
        `换热站 ${substationPrefix(1)} 示意图（SVG 导入）`,
      ),
      label: text('Sketch (SVG)', '示意图（SVG）'),
      level: 3,
      parent: substationScreens(1, 1).process,
      width: 1200,
      height: 700,
      elements: [],
      svg: 'screens/substation-sketch.svg',
    });
  }
  // conditions stay off: the server would publish every bit of the PLC's alarm word as an OPC UA condition, a
  // second annunciation of what the rationalized alarms already say (scripts/demo-alarm-set.ts, plcAlarmWord).
  devices.push({
    name: opcuaDevice(1, n),
    protocol: 'opcua',
    builtinSimulator: true,
    samplingMs: 500,
    conditions: false,
  });
  const last = substationPrefix(n);
  return {
    schemaVersion: 1,
    name:
      n === 1
        ? 'Argus demo — district-heating substation SS01'
        : `Argus demo — district heating, ${n} substations SS01…${last}`,
    description:
      `Generated by scripts/demo-project.ts from the simulator catalog. ${n === 1 ? 'One substation' : `${n} substations`} of the built-in simulated plant, ` +
      'bound over Modbus TCP (process and control) and OPC UA (meters, diagnostics, pressure maintenance).',
    simulator: { substations: n, speed: 1 },
    devices,
    alarmSettings: demoAlarmSettings,
    tags,
    screens,
  };
}

/** The demo project as YAML text (for one substation: what assets/demo/plant.yaml must contain). */
export function demoProjectYaml(n = 1): string {
  if (n > 1) {
    // Written afresh at every start into the data folder, as JSON (which is YAML): the folding below takes seconds for a big plant.
    return (
      `# Generated at start for --substations ${n} by scripts/demo-project.ts; rewritten at every start.\n` +
      JSON.stringify(demoProject(n), null, 1) +
      '\n'
    );
  }
  const header =
    '# Generated by scripts/generate-demo-project.ts from simulator/catalog.ts — edit those, then regenerate:\n#   npx tsx scripts/generate-demo-project.ts\n';
  // One line per small thing: a collection of scalars (or of such one-line collections) is written in flow style.
  const doc = new Document(demoProject(n));
  const oneLine = (node: unknown): boolean =>
    isScalar(node) || ((isSeq(node) || isMap(node)) && (node as { flow?: boolean }).flow === true);
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

/**
 * The demo project for n substations written into the data folder (rewritten at every start,
 * so it is never a stale copy of an older program's plant): `<data>/generated-demo/plant-<n>.yaml`.
 */
export function writeDemoProject(dataDir: string, n: number): string {
  const dir = join(dataDir, 'generated-demo');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `plant-${n}.yaml`);
  writeFileSync(file, demoProjectYaml(n));
  return file;
}

/** `--substations` as given on a command line: a whole number 1…50 (default 1). */
export function parseSubstations(textValue: string | undefined): number {
  if (textValue === undefined) return 1;
  const n = Number(textValue);
  if (!/^\d+$/.test(textValue.trim()) || !Number.isInteger(n) || n < 1 || n > MAX_DEMO_SUBSTATIONS) {
    throw new RangeError(`--substations must be a whole number from 1 to ${MAX_DEMO_SUBSTATIONS}, got "${textValue}"`);
  }
  return n;
}
