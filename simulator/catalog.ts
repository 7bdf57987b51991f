/**
 * The tag catalog: the one source of truth for every signal of a substation — name,
 * descriptions (en, zh), unit, range, how to read/write it in the physics, its Modbus
 * register (table, 0-based address, type, word order, scaling) and its OPC UA node.
 * The same map is served for every substation: substation k is Modbus unit id k and the
 * OPC UA folder SSkk, with tag names prefixed SSkk.
 *
 * Register map per unit (0-based PDU addresses):
 *   input    0–19    int16, temperatures ×100 (0–13) and ×10 (14–19, pump motor/bearing)
 *   input  100–199   float32 ABCD (big-endian): flows, pressures, heat, valve; weather service forecast
 *   input  200–299   float32 CDAB (word-swapped): pumps, electricity and heat meters
 *   input  300–349   int32/uint32 ABCD and CDAB: totals and counters
 *   input  400–409   uint16 counters
 *   input  450       uint16 alarm word (one bit per alarm)
 *   holding  0–99    setpoints (int16 ×100, uint16 ×10, float32 ABCD/CDAB, uint16), read/write
 *   holding 100–999  free registers a client may use (plain memory, no meaning)
 *   holding 1000–1499 read-only mirror of input registers 0–499
 *   coils    0–63    commands (auto/manual, fault reset); 64–1999 free coils a client may use
 *   discrete 0–63    run/fault/ready
 * Anything outside these tables answers exception 02 (illegal data address).
 */
import type { Substation } from './physics/substation.js';
import { supplySetpointC } from './physics/heating-curve.js';
import { FORECAST_HORIZONS_H } from './physics/weather.js';

export type ModbusTable = 'coil' | 'discrete' | 'input' | 'holding';
export type RegisterType = 'bool' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32';
export type WordOrder = 'ABCD' | 'CDAB';

export interface LinearScale {
  readonly raw: readonly [number, number];
  readonly eng: readonly [number, number];
}

export interface ModbusMapping {
  readonly table: ModbusTable;
  readonly address: number;
  readonly type: RegisterType;
  readonly wordOrder?: WordOrder;
  /** A bool inside a register: which bit (0 = least significant). */
  readonly bit?: number;
  readonly scale?: LinearScale;
}

export type OpcuaDataType = 'Double' | 'Boolean' | 'UInt32' | 'UInt16';
export type TagValue = number | boolean;

export interface TagDefinition {
  /** Name without the substation prefix, e.g. "HX.T_SEC_SUP". */
  readonly signal: string;
  /** Equipment folder, e.g. "HX". */
  readonly equipment: string;
  readonly description: { readonly en: string; readonly zh: string };
  readonly unit: string;
  readonly kind: 'analog' | 'digital';
  readonly range: readonly [number, number];
  readonly decimals: number;
  readonly states?: { readonly false: string; readonly true: string };
  /** Alarm word bits: the OPC UA severity (1–1000) of the condition the server publishes for it. */
  readonly severity?: number;
  readonly writable: boolean;
  readonly modbus: ModbusMapping;
  readonly opcuaDataType: OpcuaDataType;
  read(s: Substation): TagValue;
  write?(s: Substation, value: TagValue): void;
}

export const equipmentNames: Record<string, { en: string; zh: string }> = {
  OUT: { en: 'Outdoor', zh: '室外' },
  HC: { en: 'Heating curve', zh: '供热曲线' },
  CV: { en: 'Primary control valve', zh: '一次侧调节阀' },
  HX: { en: 'Plate heat exchanger', zh: '板式换热器' },
  SEC: { en: 'Secondary circuit', zh: '二次管网' },
  P1: { en: 'Circulation pump 1', zh: '循环泵1' },
  P2: { en: 'Circulation pump 2', zh: '循环泵2' },
  MU: { en: 'Make-up water', zh: '补水系统' },
  EXP: { en: 'Expansion tank', zh: '膨胀罐' },
  HM: { en: 'Heat meter', zh: '热量表' },
  EM: { en: 'Electricity meter', zh: '电能表' },
  BLDG: { en: 'Building', zh: '建筑' },
  SYS: { en: 'Station controller', zh: '站控制器' },
  ALM: { en: 'Alarms', zh: '报警' },
};

const x100: LinearScale = { raw: [-10000, 10000], eng: [-100, 100] };
const x10: LinearScale = { raw: [0, 1000], eng: [0, 100] };
const x1000: LinearScale = { raw: [0, 1000], eng: [0, 1] };

interface Def {
  signal: string;
  en: string;
  zh: string;
  unit?: string;
  range: [number, number];
  decimals?: number;
  read: (s: Substation) => TagValue;
  write?: (s: Substation, v: TagValue) => void;
  opcua?: OpcuaDataType;
  states?: { false: string; true: string };
  severity?: number;
}

const tags: TagDefinition[] = [];
const next: Record<string, number> = {};

function add(
  def: Def,
  mapping: Omit<ModbusMapping, 'address'> & { address?: number },
  regionStart: number,
  width: number,
): void {
  const key = `${mapping.table}:${regionStart}`;
  const address = mapping.address ?? next[key] ?? regionStart;
  next[key] = address + width;
  const digital = mapping.type === 'bool';
  tags.push({
    signal: def.signal,
    equipment: def.signal.split('.')[0]!,
    description: { en: def.en, zh: def.zh },
    unit: def.unit ?? '',
    kind: digital ? 'digital' : 'analog',
    range: def.range,
    decimals: def.decimals ?? (digital ? 0 : 1),
    ...(def.states ? { states: def.states } : {}),
    ...(def.severity !== undefined ? { severity: def.severity } : {}),
    writable: def.write !== undefined,
    modbus: { ...mapping, address },
    opcuaDataType: def.opcua ?? (digital ? 'Boolean' : 'Double'),
    read: def.read,
    ...(def.write ? { write: def.write } : {}),
  });
}

const num = (v: TagValue): number => (typeof v === 'boolean' ? (v ? 1 : 0) : v);
const bool = (v: TagValue): boolean => (typeof v === 'boolean' ? v : v !== 0);

/** Input registers 0–19: int16 ×100. */
const temp100 = (d: Def) =>
  add({ decimals: 2, unit: '°C', ...d }, { table: 'input', type: 'int16', scale: x100 }, 0, 1);
/** Input registers 14–19: int16 ×10. */
const temp10 = (d: Def) =>
  add(
    { decimals: 1, unit: '°C', ...d },
    { table: 'input', type: 'int16', scale: { raw: [-1000, 1000], eng: [-100, 100] } },
    14,
    1,
  );
const floatAbcd = (d: Def) => add(d, { table: 'input', type: 'float32', wordOrder: 'ABCD' }, 100, 2);
const floatCdab = (d: Def) => add(d, { table: 'input', type: 'float32', wordOrder: 'CDAB' }, 200, 2);
const counter32 = (d: Def, type: 'int32' | 'uint32', wordOrder: WordOrder, scale?: LinearScale) =>
  add(d, { table: 'input', type, wordOrder, ...(scale ? { scale } : {}) }, 300, 2);
const counter16 = (d: Def) => add({ decimals: 0, ...d }, { table: 'input', type: 'uint16' }, 400, 1);
let alarmBit = 0;
const alarm = (d: Def) =>
  add(
    { states: { false: 'Normal', true: 'Alarm' }, ...d },
    { table: 'input', type: 'bool', address: 450, bit: alarmBit++ },
    450,
    0,
  );
const discrete = (d: Def) => add(d, { table: 'discrete', type: 'bool' }, 0, 1);
const coil = (d: Def) => add(d, { table: 'coil', type: 'bool' }, 0, 1);
const holding = (d: Def, type: RegisterType, scale?: LinearScale, wordOrder?: WordOrder) =>
  add(
    d,
    { table: 'holding', type, ...(scale ? { scale } : {}), ...(wordOrder ? { wordOrder } : {}) },
    0,
    type === 'float32' || type === 'int32' || type === 'uint32' ? 2 : 1,
  );

// ── Temperatures (input, int16 ×100) ────────────────────────────────────────────────
temp100({
  signal: 'OUT.T',
  en: 'Outdoor temperature',
  zh: '室外温度',
  range: [-30, 40],
  read: (s) => s.measured['OUT.T'],
});
temp100({
  signal: 'HX.T_PRI_SUP',
  en: 'Primary supply temperature',
  zh: '一次供水温度',
  range: [0, 130],
  read: (s) => s.measured['HX.T_PRI_SUP'],
});
temp100({
  signal: 'HX.T_PRI_RET',
  en: 'Primary return temperature',
  zh: '一次回水温度',
  range: [0, 130],
  read: (s) => s.measured['HX.T_PRI_RET'],
});
temp100({
  signal: 'HX.T_SEC_SUP',
  en: 'Secondary supply temperature',
  zh: '二次供水温度',
  range: [0, 100],
  read: (s) => s.measured['HX.T_SEC_SUP'],
});
temp100({
  signal: 'HX.T_SEC_RET',
  en: 'Secondary return temperature',
  zh: '二次回水温度',
  range: [0, 100],
  read: (s) => s.measured['HX.T_SEC_RET'],
});
temp100({
  signal: 'HC.T_SP',
  en: 'Secondary supply setpoint (heating curve)',
  zh: '二次供水温度设定值(供热曲线)',
  range: [20, 95],
  read: (s) => supplySetpointC(s.settings.curve, s.outdoorC),
});
temp100({
  signal: 'CV.DEV',
  en: 'Supply temperature control deviation',
  zh: '供水温度控制偏差',
  unit: 'K',
  range: [-20, 20],
  read: (s) => s.supplySetpointC - s.measured['HX.T_SEC_SUP'],
});
temp100({
  signal: 'HX.APPROACH',
  en: 'Heat exchanger approach (primary return − secondary return)',
  zh: '换热器端差(一次回水−二次回水)',
  unit: 'K',
  range: [0, 30],
  read: (s) => s.measured['HX.T_PRI_RET'] - s.measured['HX.T_SEC_RET'],
});
temp100({
  signal: 'BLDG.T_IN',
  en: 'Reference room temperature',
  zh: '典型房间室内温度',
  range: [10, 30],
  read: (s) => s.measured['BLDG.T_IN'],
});
temp100({
  signal: 'SYS.T_CABINET',
  en: 'Control cabinet temperature',
  zh: '控制柜温度',
  range: [0, 50],
  read: (s) => s.cabinetC,
});
temp10({
  signal: 'P1.T_MOTOR',
  en: 'Pump 1 motor winding temperature',
  zh: '循环泵1电机绕组温度',
  range: [0, 140],
  read: (s) => s.pumps[0].motorTempC,
});
temp10({
  signal: 'P1.T_BEARING',
  en: 'Pump 1 bearing temperature',
  zh: '循环泵1轴承温度',
  range: [0, 120],
  read: (s) => s.pumps[0].bearingTempC,
});
temp10({
  signal: 'P2.T_MOTOR',
  en: 'Pump 2 motor winding temperature',
  zh: '循环泵2电机绕组温度',
  range: [0, 140],
  read: (s) => s.pumps[1].motorTempC,
});
temp10({
  signal: 'P2.T_BEARING',
  en: 'Pump 2 bearing temperature',
  zh: '循环泵2轴承温度',
  range: [0, 120],
  read: (s) => s.pumps[1].bearingTempC,
});

// ── Process values (input, float32 ABCD) ────────────────────────────────────────────
floatAbcd({
  signal: 'HX.F_PRI',
  en: 'Primary flow',
  zh: '一次侧流量',
  unit: 'm³/h',
  range: [0, 40],
  decimals: 2,
  read: (s) => s.measuredPrimaryFlowM3h,
});
floatAbcd({
  signal: 'HX.DUTY',
  en: 'Heat exchanger duty',
  zh: '换热器换热量',
  unit: 'kW',
  range: [0, 2000],
  decimals: 0,
  read: (s) => s.dutyKw,
});
floatAbcd({
  signal: 'HX.Q_SEC',
  en: 'Secondary heat from secondary sensors',
  zh: '二次侧热量(二次侧测点计算)',
  unit: 'kW',
  range: [0, 2000],
  decimals: 0,
  read: (s) => s.secondaryHeatFromSensorsKw,
});
floatAbcd({
  signal: 'HX.UA',
  en: 'Heat exchanger conductance UA',
  zh: '换热器传热系数UA',
  unit: 'kW/K',
  range: [0, 120],
  decimals: 1,
  read: (s) => s.uaKwK,
});
floatAbcd({
  signal: 'HX.EFF',
  en: 'Heat exchanger effectiveness',
  zh: '换热器效能',
  unit: '%',
  range: [0, 100],
  decimals: 1,
  read: (s) => s.effectiveness * 100,
});
floatAbcd({
  signal: 'HX.P_PRI_SUP',
  en: 'Primary supply pressure',
  zh: '一次供水压力',
  unit: 'bar',
  range: [0, 10],
  decimals: 2,
  read: (s) => 4.65 + s.primaryDpBar,
});
floatAbcd({
  signal: 'HX.P_PRI_RET',
  en: 'Primary return pressure',
  zh: '一次回水压力',
  unit: 'bar',
  range: [0, 10],
  decimals: 2,
  read: () => 4.65,
});
floatAbcd({
  signal: 'HX.DP_PRI',
  en: 'Primary differential pressure',
  zh: '一次侧压差',
  unit: 'bar',
  range: [0, 3],
  decimals: 2,
  read: (s) => s.primaryDpBar,
});
floatAbcd({
  signal: 'HX.DP_SEC',
  en: 'Heat exchanger secondary pressure drop',
  zh: '换热器二次侧压降',
  unit: 'bar',
  range: [0, 1],
  decimals: 3,
  read: (s) => s.hxSecondaryDropBar,
});
floatAbcd({
  signal: 'SEC.FLOW',
  en: 'Secondary circulation flow',
  zh: '二次循环流量',
  unit: 'm³/h',
  range: [0, 100],
  decimals: 1,
  read: (s) => s.measuredSecondaryFlowM3h,
});
floatAbcd({
  signal: 'SEC.P_SUP',
  en: 'Secondary supply pressure',
  zh: '二次供水压力',
  unit: 'bar',
  range: [0, 6],
  decimals: 2,
  read: (s) => s.supplyPressureBar,
});
floatAbcd({
  signal: 'SEC.P_RET',
  en: 'Secondary return pressure',
  zh: '二次回水压力',
  unit: 'bar',
  range: [0, 6],
  decimals: 2,
  read: (s) => s.staticPressureBar,
});
floatAbcd({
  signal: 'SEC.DP',
  en: 'Secondary differential pressure',
  zh: '二次供回水压差',
  unit: 'bar',
  range: [0, 4],
  decimals: 2,
  read: (s) => s.supplyPressureBar - s.staticPressureBar,
});
floatAbcd({
  signal: 'EXP.LEVEL',
  en: 'Expansion tank level',
  zh: '膨胀罐液位',
  unit: '%',
  range: [0, 100],
  decimals: 1,
  read: (s) => s.tankLevelPct,
});
floatAbcd({
  signal: 'EXP.P',
  en: 'Expansion tank pressure',
  zh: '膨胀罐压力',
  unit: 'bar',
  range: [0, 6],
  decimals: 2,
  read: (s) => s.staticPressureBar,
});
floatAbcd({
  signal: 'MU.FLOW',
  en: 'Make-up water flow',
  zh: '补水流量',
  unit: 'm³/h',
  range: [0, 3],
  decimals: 2,
  read: (s) => s.makeupFlowM3h,
});
floatAbcd({
  signal: 'BLDG.LOAD',
  en: 'Building heat loss',
  zh: '建筑热负荷',
  unit: 'kW',
  range: [0, 2000],
  decimals: 0,
  read: (s) => s.buildingLossKw,
});
floatAbcd({
  signal: 'CV.OUT',
  en: 'Control valve output (controller)',
  zh: '调节阀输出(控制器)',
  unit: '%',
  range: [0, 100],
  decimals: 1,
  read: (s) => s.valveCommandPct,
});
floatAbcd({
  signal: 'CV.POS',
  en: 'Control valve position feedback',
  zh: '调节阀开度反馈',
  unit: '%',
  range: [0, 100],
  decimals: 1,
  read: (s) => s.valvePositionPct,
});

// ── Weather service forecast (input, float32 ABCD, after the process values) ──────────
// Issued hourly on the hour (and once at start); each value holds until the next issue.
for (const h of FORECAST_HORIZONS_H) {
  floatAbcd({
    signal: `OUT.T_FC_${h}H`,
    en: `Outdoor temperature forecast, ${h} h after issue (weather service)`,
    zh: `室外温度预报(气象服务,发布后${h}小时)`,
    unit: '°C',
    range: [-30, 40],
    decimals: 1,
    read: (s) => s.weatherForecast.atHourC[h],
  });
}
floatAbcd({
  signal: 'OUT.T_FC_MEAN24H',
  en: 'Outdoor temperature forecast, mean of the 24 h after issue (weather service)',
  zh: '室外温度预报(气象服务,发布后24小时平均)',
  unit: '°C',
  range: [-30, 40],
  decimals: 1,
  read: (s) => s.weatherForecast.mean24hC,
});
floatAbcd({
  signal: 'OUT.FC_AGE',
  en: 'Weather forecast age (minutes since issue)',
  zh: '天气预报发布后时长(分钟)',
  unit: 'min',
  range: [0, 60],
  decimals: 0,
  read: (s) => Math.max(0, (s.simTimeMs - s.weatherForecast.issuedMs) / 60_000),
});

// ── Pumps, meters (input, float32 CDAB) ─────────────────────────────────────────────
for (const [i, p, zh] of [
  [0, 'P1', '循环泵1'],
  [1, 'P2', '循环泵2'],
] as const) {
  floatCdab({
    signal: `${p}.SPEED`,
    en: `Pump ${i + 1} speed`,
    zh: `${zh}转速`,
    unit: '%',
    range: [0, 100],
    decimals: 1,
    read: (s) => s.pumps[i].speedPct,
  });
  floatCdab({
    signal: `${p}.FREQ`,
    en: `Pump ${i + 1} drive frequency`,
    zh: `${zh}变频器频率`,
    unit: 'Hz',
    range: [0, 50],
    decimals: 1,
    read: (s) => s.pumps[i].frequencyHz,
  });
  floatCdab({
    signal: `${p}.CURRENT`,
    en: `Pump ${i + 1} motor current`,
    zh: `${zh}电机电流`,
    unit: 'A',
    range: [0, 20],
    decimals: 1,
    read: (s) => s.pumps[i].currentA,
  });
  floatCdab({
    signal: `${p}.POWER`,
    en: `Pump ${i + 1} power`,
    zh: `${zh}功率`,
    unit: 'kW',
    range: [0, 10],
    decimals: 2,
    read: (s) => s.pumps[i].powerKw,
  });
  floatCdab({
    signal: `${p}.VIB`,
    en: `Pump ${i + 1} vibration velocity`,
    zh: `${zh}振动速度`,
    unit: 'mm/s',
    range: [0, 15],
    decimals: 2,
    read: (s) => s.pumps[i].vibrationMmS,
  });
}
floatCdab({
  signal: 'HM.FLOW',
  en: 'Heat meter flow',
  zh: '热量表流量',
  unit: 'm³/h',
  range: [0, 40],
  decimals: 2,
  read: (s) => s.heatMeterFlowM3h,
});
floatCdab({
  signal: 'HM.T_SUP',
  en: 'Heat meter supply temperature',
  zh: '热量表供水温度',
  unit: '°C',
  range: [0, 130],
  decimals: 2,
  read: (s) => s.measured['HM.T_SUP'],
});
floatCdab({
  signal: 'HM.T_RET',
  en: 'Heat meter return temperature',
  zh: '热量表回水温度',
  unit: '°C',
  range: [0, 130],
  decimals: 2,
  read: (s) => s.measured['HM.T_RET'],
});
floatCdab({
  signal: 'HM.DT',
  en: 'Heat meter temperature difference',
  zh: '热量表供回水温差',
  unit: 'K',
  range: [0, 80],
  decimals: 2,
  read: (s) => s.measured['HM.T_SUP'] - s.measured['HM.T_RET'],
});
floatCdab({
  signal: 'HM.POWER',
  en: 'Heat meter power',
  zh: '热量表热功率',
  unit: 'kW',
  range: [0, 2000],
  decimals: 0,
  read: (s) => s.heatMeterPowerKw,
});
floatCdab({
  signal: 'EM.V_L1',
  en: 'Voltage L1-L2',
  zh: '线电压L1-L2',
  unit: 'V',
  range: [360, 440],
  decimals: 1,
  read: (s) => s.phaseVoltages[0],
});
floatCdab({
  signal: 'EM.V_L2',
  en: 'Voltage L2-L3',
  zh: '线电压L2-L3',
  unit: 'V',
  range: [360, 440],
  decimals: 1,
  read: (s) => s.phaseVoltages[1],
});
floatCdab({
  signal: 'EM.V_L3',
  en: 'Voltage L3-L1',
  zh: '线电压L3-L1',
  unit: 'V',
  range: [360, 440],
  decimals: 1,
  read: (s) => s.phaseVoltages[2],
});
floatCdab({
  signal: 'EM.VOLTAGE',
  en: 'Average line voltage',
  zh: '平均线电压',
  unit: 'V',
  range: [360, 440],
  decimals: 1,
  read: (s) => s.averageVoltage,
});
floatCdab({
  signal: 'EM.CURRENT',
  en: 'Average phase current',
  zh: '平均相电流',
  unit: 'A',
  range: [0, 40],
  decimals: 1,
  read: (s) => s.electricCurrentA,
});
floatCdab({
  signal: 'EM.POWER',
  en: 'Station electrical power',
  zh: '站总有功功率',
  unit: 'kW',
  range: [0, 20],
  decimals: 2,
  read: (s) => s.electricPowerKw,
});
floatCdab({
  signal: 'EM.PF',
  en: 'Power factor',
  zh: '功率因数',
  range: [0, 1],
  decimals: 3,
  read: (s) => s.powerFactor,
});
floatCdab({
  signal: 'EM.FREQ',
  en: 'Grid frequency',
  zh: '电网频率',
  unit: 'Hz',
  range: [49, 51],
  decimals: 2,
  read: (s) => s.gridHz,
});

// ── Totals and counters (input, 32-bit) ─────────────────────────────────────────────
counter32(
  {
    signal: 'HM.ENERGY',
    en: 'Heat energy total',
    zh: '累计热量',
    unit: 'MWh',
    range: [0, 100000],
    decimals: 3,
    read: (s) => s.heatMeterEnergyMWh,
  },
  'int32',
  'CDAB',
  x1000,
);
counter32(
  {
    signal: 'HM.VOLUME',
    en: 'Heat meter volume total',
    zh: '热量表累计流量',
    unit: 'm³',
    range: [0, 1000000],
    decimals: 1,
    read: (s) => s.heatMeterVolumeM3,
  },
  'uint32',
  'ABCD',
  x10,
);
counter32(
  {
    signal: 'EM.ENERGY',
    en: 'Electrical energy total',
    zh: '累计电量',
    unit: 'kWh',
    range: [0, 10000000],
    decimals: 1,
    read: (s) => s.electricEnergyKwh,
  },
  'int32',
  'ABCD',
  x10,
);
counter32(
  {
    signal: 'P1.RUN_HOURS',
    en: 'Pump 1 running hours',
    zh: '循环泵1累计运行时间',
    unit: 'h',
    range: [0, 100000],
    decimals: 1,
    read: (s) => s.pumps[0].runHours,
  },
  'uint32',
  'CDAB',
  x10,
);
counter32(
  {
    signal: 'P2.RUN_HOURS',
    en: 'Pump 2 running hours',
    zh: '循环泵2累计运行时间',
    unit: 'h',
    range: [0, 100000],
    decimals: 1,
    read: (s) => s.pumps[1].runHours,
  },
  'uint32',
  'CDAB',
  x10,
);
counter32(
  {
    signal: 'P1.STARTS',
    en: 'Pump 1 starts',
    zh: '循环泵1启动次数',
    range: [0, 100000],
    decimals: 0,
    opcua: 'UInt32',
    read: (s) => s.pumps[0].starts,
  },
  'int32',
  'ABCD',
);
counter32(
  {
    signal: 'P2.STARTS',
    en: 'Pump 2 starts',
    zh: '循环泵2启动次数',
    range: [0, 100000],
    decimals: 0,
    opcua: 'UInt32',
    read: (s) => s.pumps[1].starts,
  },
  'int32',
  'ABCD',
);
counter32(
  {
    signal: 'MU.TOTAL',
    en: 'Make-up water total',
    zh: '累计补水量',
    unit: 'm³',
    range: [0, 100000],
    decimals: 3,
    read: (s) => s.makeupTotalM3,
  },
  'uint32',
  'CDAB',
  x1000,
);
counter32(
  {
    signal: 'SYS.UPTIME',
    en: 'Controller uptime',
    zh: '控制器运行时间',
    unit: 's',
    range: [0, 4294967295],
    decimals: 0,
    opcua: 'UInt32',
    read: (s) => Math.floor(s.uptimeS),
  },
  'uint32',
  'ABCD',
);
counter16({
  signal: 'MU.STARTS',
  en: 'Make-up pump starts',
  zh: '补水泵启动次数',
  range: [0, 65535],
  opcua: 'UInt32',
  read: (s) => s.makeupStarts & 0xffff,
});
counter16({
  signal: 'SYS.WATCHDOG',
  en: 'Controller watchdog counter (1 Hz)',
  zh: '控制器心跳计数(1 Hz)',
  range: [0, 65535],
  opcua: 'UInt32',
  read: (s) => s.watchdog,
});

// ── Alarms (input register 450, one bit each) ────────────────────────────────────────
alarm({
  signal: 'ALM.T_SUP_DEV',
  severity: 500,
  en: 'Supply temperature deviation > 5 K',
  zh: '供水温度偏差超过5 K',
  range: [0, 1],
  read: (s) => s.alarms.supplyDeviation,
});
alarm({
  signal: 'ALM.P_LO',
  severity: 700,
  en: 'Secondary pressure low',
  zh: '二次侧压力低',
  range: [0, 1],
  read: (s) => s.alarms.staticPressureLow,
});
alarm({
  signal: 'ALM.P_HI',
  severity: 700,
  en: 'Secondary pressure high',
  zh: '二次侧压力高',
  range: [0, 1],
  read: (s) => s.alarms.staticPressureHigh,
});
alarm({
  signal: 'ALM.TANK_LO',
  severity: 600,
  en: 'Expansion tank level low',
  zh: '膨胀罐液位低',
  range: [0, 1],
  read: (s) => s.alarms.tankLevelLow,
});
alarm({
  signal: 'ALM.P1_VIB',
  severity: 500,
  en: 'Pump 1 vibration high',
  zh: '循环泵1振动高',
  range: [0, 1],
  read: (s) => s.alarms.p1VibrationHigh,
});
alarm({
  signal: 'ALM.P2_VIB',
  severity: 500,
  en: 'Pump 2 vibration high',
  zh: '循环泵2振动高',
  range: [0, 1],
  read: (s) => s.alarms.p2VibrationHigh,
});
alarm({
  signal: 'ALM.CV_DEV',
  severity: 400,
  en: 'Control valve position deviation',
  zh: '调节阀位置偏差',
  range: [0, 1],
  read: (s) => s.alarms.valveDeviation,
});
alarm({
  signal: 'ALM.MU_LONG',
  severity: 400,
  en: 'Make-up pump running too long',
  zh: '补水泵运行时间过长',
  range: [0, 1],
  read: (s) => s.alarms.makeupLongRun,
});
alarm({
  signal: 'ALM.HX_APPR',
  severity: 300,
  en: 'Heat exchanger approach high',
  zh: '换热器端差高',
  range: [0, 1],
  read: (s) => s.alarms.approachHigh,
});
alarm({
  signal: 'ALM.NO_FLOW',
  severity: 900,
  en: 'No secondary circulation',
  zh: '二次侧无循环',
  range: [0, 1],
  read: (s) => s.alarms.noCirculation,
});
alarm({
  signal: 'ALM.PUMP_FLT',
  severity: 800,
  en: 'Circulation pump fault',
  zh: '循环泵故障',
  range: [0, 1],
  read: (s) => s.alarms.pumpFault,
});
alarm({
  signal: 'ALM.T_IN_LO',
  severity: 300,
  en: 'Room temperature low',
  zh: '室内温度低',
  range: [0, 1],
  read: (s) => s.alarms.indoorLow,
});

// ── Status bits (discrete inputs) ───────────────────────────────────────────────────
for (const [i, p, zh] of [
  [0, 'P1', '循环泵1'],
  [1, 'P2', '循环泵2'],
] as const) {
  discrete({
    signal: `${p}.RUN`,
    en: `Pump ${i + 1} running`,
    zh: `${zh}运行`,
    range: [0, 1],
    states: { false: 'Stopped', true: 'Running' },
    read: (s) => s.pumps[i].running,
  });
  discrete({
    signal: `${p}.FAULT`,
    en: `Pump ${i + 1} fault (tripped)`,
    zh: `${zh}故障(跳闸)`,
    range: [0, 1],
    states: { false: 'Healthy', true: 'Fault' },
    read: (s) => s.pumps[i].fault,
  });
  discrete({
    signal: `${p}.READY`,
    en: `Pump ${i + 1} ready`,
    zh: `${zh}就绪`,
    range: [0, 1],
    states: { false: 'Not ready', true: 'Ready' },
    read: (s) => s.pumps[i].ready,
  });
}
discrete({
  signal: 'MU.RUN',
  en: 'Make-up pump running',
  zh: '补水泵运行',
  range: [0, 1],
  states: { false: 'Stopped', true: 'Running' },
  read: (s) => s.makeupRunning,
});

// ── Commands (coils) ───────────────────────────────────────────────────────────────
coil({
  signal: 'CV.AUTO',
  en: 'Control valve in automatic',
  zh: '调节阀自动',
  range: [0, 1],
  states: { false: 'Manual', true: 'Auto' },
  read: (s) => s.settings.valveAuto,
  write: (s, v) => {
    s.settings.valveAuto = bool(v);
  },
});
for (const [i, p, zh] of [
  [0, 'P1', '循环泵1'],
  [1, 'P2', '循环泵2'],
] as const) {
  coil({
    signal: `${p}.AUTO`,
    en: `Pump ${i + 1} in automatic (off when not)`,
    zh: `${zh}自动(否则停止)`,
    range: [0, 1],
    states: { false: 'Off', true: 'Auto' },
    read: (s) => s.pumps[i].auto,
    write: (s, v) => {
      s.pumps[i].auto = bool(v);
    },
  });
  coil({
    signal: `${p}.RESET`,
    en: `Pump ${i + 1} fault reset (pulse)`,
    zh: `${zh}故障复位(脉冲)`,
    range: [0, 1],
    states: { false: '—', true: 'Reset' },
    read: () => false,
    write: (s, v) => {
      if (bool(v)) s.resetPumpFault((i + 1) as 1 | 2);
    },
  });
}

// ── Setpoints (holding) ────────────────────────────────────────────────────────────
holding(
  {
    signal: 'HC.T_OUT_1',
    en: 'Heating curve: cold outdoor point',
    zh: '供热曲线: 低温室外点',
    unit: '°C',
    range: [-30, 0],
    decimals: 1,
    read: (s) => s.settings.curve.outdoorColdC,
    write: (s, v) => {
      s.settings.curve = { ...s.settings.curve, outdoorColdC: num(v) };
    },
  },
  'int16',
  x100,
);
holding(
  {
    signal: 'HC.T_SUP_1',
    en: 'Heating curve: supply at cold point',
    zh: '供热曲线: 低温点供水温度',
    unit: '°C',
    range: [50, 95],
    decimals: 1,
    read: (s) => s.settings.curve.supplyColdC,
    write: (s, v) => {
      s.settings.curve = { ...s.settings.curve, supplyColdC: num(v) };
    },
  },
  'int16',
  x100,
);
holding(
  {
    signal: 'HC.T_OUT_2',
    en: 'Heating curve: mild outdoor point',
    zh: '供热曲线: 高温室外点',
    unit: '°C',
    range: [5, 25],
    decimals: 1,
    read: (s) => s.settings.curve.outdoorMildC,
    write: (s, v) => {
      s.settings.curve = { ...s.settings.curve, outdoorMildC: num(v) };
    },
  },
  'int16',
  x100,
);
holding(
  {
    signal: 'HC.T_SUP_2',
    en: 'Heating curve: supply at mild point',
    zh: '供热曲线: 高温点供水温度',
    unit: '°C',
    range: [25, 60],
    decimals: 1,
    read: (s) => s.settings.curve.supplyMildC,
    write: (s, v) => {
      s.settings.curve = { ...s.settings.curve, supplyMildC: num(v) };
    },
  },
  'int16',
  x100,
);
holding(
  {
    signal: 'HC.OFFSET',
    en: 'Heating curve parallel shift',
    zh: '供热曲线平移量',
    unit: 'K',
    range: [-10, 10],
    decimals: 1,
    read: (s) => s.settings.curve.offsetK,
    write: (s, v) => {
      s.settings.curve = { ...s.settings.curve, offsetK: num(v) };
    },
  },
  'int16',
  x100,
);
holding(
  {
    signal: 'CV.MAN_OUT',
    en: 'Control valve manual output',
    zh: '调节阀手动开度',
    unit: '%',
    range: [0, 100],
    decimals: 1,
    read: (s) => s.settings.valveManualPct,
    write: (s, v) => {
      s.settings.valveManualPct = num(v);
    },
  },
  'uint16',
  x10,
);
holding(
  {
    signal: 'CV.KP',
    en: 'Supply temperature controller gain',
    zh: '供水温度控制器比例增益',
    unit: '%/K',
    range: [0.1, 20],
    decimals: 2,
    read: (s) => s.settings.pidKp,
    write: (s, v) => {
      s.settings.pidKp = num(v);
    },
  },
  'float32',
  undefined,
  'ABCD',
);
holding(
  {
    signal: 'CV.TI',
    en: 'Supply temperature controller integral time',
    zh: '供水温度控制器积分时间',
    unit: 's',
    range: [5, 1200],
    decimals: 0,
    read: (s) => s.settings.pidTiS,
    write: (s, v) => {
      s.settings.pidTiS = num(v);
    },
  },
  'float32',
  undefined,
  'CDAB',
);
holding(
  {
    signal: 'SEC.SPEED_SP',
    en: 'Circulation pump speed setpoint',
    zh: '循环泵转速设定值',
    unit: '%',
    range: [30, 100],
    decimals: 1,
    read: (s) => s.settings.pumpSpeedSetpointPct,
    write: (s, v) => {
      s.settings.pumpSpeedSetpointPct = num(v);
    },
  },
  'uint16',
  x10,
);
holding(
  {
    signal: 'SEC.DUTY_SEL',
    en: 'Duty pump select (1 or 2)',
    zh: '主用泵选择(1或2)',
    range: [1, 2],
    decimals: 0,
    opcua: 'UInt16',
    read: (s) => s.settings.dutyPump,
    write: (s, v) => {
      s.settings.dutyPump = num(v) >= 1.5 ? 2 : 1;
    },
  },
  'uint16',
);
holding(
  {
    signal: 'MU.P_SP',
    en: 'Make-up pressure setpoint',
    zh: '补水压力设定值',
    unit: 'bar',
    range: [1, 3],
    decimals: 2,
    read: (s) => s.settings.makeupPressureSetpointBar,
    write: (s, v) => {
      s.settings.makeupPressureSetpointBar = num(v);
    },
  },
  'float32',
  undefined,
  'ABCD',
);
holding(
  {
    signal: 'MU.P_HYST',
    en: 'Make-up pressure hysteresis',
    zh: '补水压力回差',
    unit: 'bar',
    range: [0.1, 1],
    decimals: 2,
    read: (s) => s.settings.makeupHysteresisBar,
    write: (s, v) => {
      s.settings.makeupHysteresisBar = num(v);
    },
  },
  'int16',
  x100,
);

/** Every tag of one substation, in register order within each table. */
export const catalog: readonly TagDefinition[] = tags;

const bySignal = new Map(catalog.map((t) => [t.signal, t]));
export function tagDefinition(signal: string): TagDefinition | undefined {
  return bySignal.get(signal);
}

/** Sizes of the tables each unit serves; reads beyond answer exception 02. */
export const tableSizes: Record<ModbusTable, number> = { holding: 1500, input: 500, coil: 2000, discrete: 64 };
export const HOLDING_FREE_START = 100;
export const HOLDING_MIRROR_START = 1000;

export function substationPrefix(k: number): string {
  return `SS${String(k).padStart(2, '0')}`;
}

/** OPC UA node id of a tag (namespace 1, the server's own). */
export function opcuaNodeId(k: number, signal: string): string {
  return `ns=1;s=${substationPrefix(k)}.${signal}`;
}

export interface SubstationTag {
  /** Full tag name, e.g. SS03.HX.T_SEC_SUP. */
  readonly name: string;
  readonly substation: number;
  /** Modbus unit id serving it. */
  readonly unitId: number;
  readonly nodeId: string;
  readonly definition: TagDefinition;
}

/** The catalog expanded for substation k (1-based): full names, unit id k, node ids. */
export function catalogForSubstation(k: number): SubstationTag[] {
  const prefix = substationPrefix(k);
  return catalog.map((definition) => ({
    name: `${prefix}.${definition.signal}`,
    substation: k,
    unitId: k,
    nodeId: opcuaNodeId(k, definition.signal),
    definition,
  }));
}

/** Split a full tag name into substation number and signal; null when it is not one of ours. */
export function parseTagName(name: string): { substation: number; signal: string } | null {
  const m = /^SS(\d{2,3})\.(.+)$/.exec(name);
  if (!m) return null;
  const signal = m[2]!;
  if (!bySignal.has(signal)) return null;
  return { substation: Number(m[1]), signal };
}
