/**
 * The demo substation's alarm set, rationalized (ISA-18.2 §10, EEMUA 191): for every
 * alarm its limit with deadband and delays, its priority by consequence and time to
 * respond, and what the operator reads at 3 a.m. — message, cause, consequence and
 * corrective action in English and Chinese. scripts/generate-demo-project.ts writes it
 * into assets/demo/plant.yaml.
 *
 * How the limits were set (simulator physics, fault-free, 20 simulated days over the
 * weather model's whole range, outdoor −12…+9 °C): each limit sits clear of everything
 * normal operation shows (given per alarm as "normal …") and before the point where the
 * fault it watches does damage. test/unit/demo-alarms-*.test.ts hold every simulator
 * fault against these definitions and a fault-free day against the EEMUA rate.
 *
 * Priorities (consequence × time to respond): critical — heat to the buildings is lost or
 * the plant is harmed within minutes; high — act within 15 minutes; medium — within the
 * hour or the shift; low — plan it (maintenance, energy); diagnostic — an instrument or
 * data problem for the technician.
 *
 * The PLC's own alarm word (ALM.*): each bit has the same meaning as an analog or state
 * alarm below, which carries its value, deadband and delay, so annunciating both would
 * sound twice for one event. Only ALM.NO_FLOW is annunciated (a plain, noise-free state
 * computed in the PLC scan, with no better analog twin); the others are shown on the
 * screens and stay silent — see `plcAlarmWord` for where each one is covered.
 *
 * Pumps: a pump's running alarms (vibration, bearing and winding temperature, current,
 * low flow) are suppressed by design while that pump is stopped — that is the standby
 * pump, whichever is selected. A pump's fault is never suppressed: a tripped standby pump
 * means the station runs without a spare.
 */
import type { z } from 'zod';
import type { alarmConfigSchema, alarmSettingsSchema } from '../main/runtime/alarms/alarm-config.js';

export type DemoAlarm = z.input<typeof alarmConfigSchema>;
type Text = { en: string; zh: string };
const t = (en: string, zh: string): Text => ({ en, zh });

/** Project-wide settings: communication alarms and the response rules of seed 003 (verify in 15 min, resolve in 2 h). */
export const demoAlarmSettings: z.input<typeof alarmSettingsSchema> = {
  commLostPriority: 'high',
  commLostDelayS: 15,
  ackWithinMin: 15,
  resolveWithinMin: 120,
  operators: 1,
};

const OVERVIEW = 'overview';
const PUMPS = 'pumps';

/** The running alarms of one circulation pump, suppressed while it stands still (the standby pump). */
function pumpAlarms(pump: 'P1' | 'P2', prefix: string): Record<string, DemoAlarm[]> {
  const n = pump.slice(1);
  const other = pump === 'P1' ? '2' : '1';
  const stopped = { tag: `${prefix}.${pump}.RUN`, equals: false };
  const common = { screen: PUMPS, suppressWhen: stopped } as const;
  return {
    [`${pump}.VIB`]: [
      {
        // Normal 1.2–1.6 mm/s at 80 % speed, 1.9 at full speed. ISO 10816-3 (group 2, 15–300 kW, flexible
        // mounting): zone B/C at 4.5 mm/s, C/D at 7.1 — the drive trips at 11.2 mm/s for 10 s.
        kind: 'high',
        limit: 4.5,
        deadband: 0.3,
        priority: 'medium',
        onDelayS: 60,
        offDelayS: 60,
        ...common,
        message: t(`Pump ${n} vibration high (ISO 10816 zone C)`, `循环泵${n}振动偏高（ISO 10816 C区）`),
        cause: t('Bearing wear, misalignment, cavitation or a loose base.', '轴承磨损、对中不良、汽蚀或底座松动。'),
        consequence: t(
          'Not fit for long-term running: bearing damage sets in at 7.1 mm/s and the drive trips at 11.2 mm/s.',
          '不宜长期运行：7.1 mm/s起轴承开始损坏，11.2 mm/s时变频器跳闸。',
        ),
        action: t(
          `Watch the vibration trend and bearing temperature; listen to the bearing; plan a bearing inspection and be ready to make pump ${other} the duty pump.`,
          `关注振动趋势和轴承温度，现场听轴承声音；安排轴承检查，准备切换到${other}号泵运行。`,
        ),
      },
      {
        kind: 'high-high',
        limit: 7.1,
        deadband: 0.3,
        priority: 'high',
        onDelayS: 10,
        offDelayS: 60,
        ...common,
        message: t(`Pump ${n} vibration high-high: bearing damage (zone D)`, `循环泵${n}振动高高：轴承损坏（D区）`),
        cause: t(
          'Worn or damaged bearing, impeller damage or severe cavitation.',
          '轴承磨损或损坏、叶轮损伤或严重汽蚀。',
        ),
        consequence: t(
          `The bearing is being damaged now; at 11.2 mm/s the pump trips and pump ${other} must take over.`,
          `轴承正在损坏；达到11.2 mm/s时水泵跳闸，须由${other}号泵接替。`,
        ),
        action: t(
          `Make pump ${other} the duty pump now (SEC.DUTY_SEL = ${other}), confirm flow, then switch pump ${n} off for a bearing change.`,
          `立即切换${other}号泵为主用泵（SEC.DUTY_SEL = ${other}），确认流量正常后停${n}号泵更换轴承。`,
        ),
      },
    ],
    [`${pump}.T_BEARING`]: [
      {
        // Normal 35–40 °C at 80 % speed, ~45 °C at full speed in a warm cabinet; rolling bearings are usually alarmed at 75–80 °C.
        kind: 'high',
        limit: 75,
        deadband: 3,
        priority: 'medium',
        onDelayS: 60,
        ...common,
        message: t(`Pump ${n} bearing temperature high`, `循环泵${n}轴承温度高`),
        cause: t('Worn bearing, lack or excess of grease, misalignment.', '轴承磨损、润滑脂过少或过多、对中不良。'),
        consequence: t(
          'The grease breaks down above about 90 °C and the bearing seizes.',
          '约90 °C以上润滑脂失效，轴承抱死。',
        ),
        action: t(
          `Compare with the vibration; switch duty to pump ${other} and have the bearing greased or changed.`,
          `对照振动值；切换到${other}号泵运行，安排加脂或更换轴承。`,
        ),
      },
    ],
    [`${pump}.T_MOTOR`]: [
      {
        // Normal 32–37 °C at 80 % speed, ~60 °C at full speed. Class F winding: 155 °C; alarm well below.
        kind: 'high',
        limit: 110,
        deadband: 5,
        priority: 'medium',
        onDelayS: 60,
        ...common,
        message: t(`Pump ${n} motor winding temperature high`, `循环泵${n}电机绕组温度高`),
        cause: t(
          'Overload, a blocked cooling fan, low voltage or a hot cabinet.',
          '过载、散热风扇堵塞、电压偏低或柜内温度过高。',
        ),
        consequence: t(
          'Winding insulation ages fast; the motor protection will trip the pump.',
          '绕组绝缘加速老化；电机保护将使水泵跳闸。',
        ),
        action: t(
          `Check current, voltage and the motor fan; reduce speed or switch duty to pump ${other}.`,
          `检查电流、电压和电机风扇；降低转速或切换到${other}号泵。`,
        ),
      },
    ],
    [`${pump}.CURRENT`]: [
      {
        // Rated 14.5 A; normal 7.2 A at 80 % speed, 13.1 A at full speed, worn bearings add up to ~1.5 A.
        kind: 'high',
        limit: 15.5,
        deadband: 0.5,
        priority: 'medium',
        onDelayS: 30,
        ...common,
        message: t(`Pump ${n} motor current above rating`, `循环泵${n}电机电流超过额定值`),
        cause: t(
          'Mechanical drag (bearing, rubbing impeller), low supply voltage or a drive fault.',
          '机械阻力增大（轴承、叶轮摩擦）、电源电压偏低或变频器故障。',
        ),
        consequence: t(
          'The motor overheats and its overload protection trips the pump.',
          '电机过热，过载保护使水泵跳闸。',
        ),
        action: t(
          `Check voltage and bearing; lower the speed setpoint or switch duty to pump ${other}.`,
          `检查电压和轴承；降低转速设定或切换到${other}号泵。`,
        ),
      },
    ],
    [`${pump}.FAULT`]: [
      {
        kind: 'state',
        value: true,
        priority: 'high',
        screen: PUMPS,
        message: t(`Circulation pump ${n} tripped`, `循环泵${n}故障跳闸`),
        cause: t(
          'Drive or motor protection: vibration above 11.2 mm/s for 10 s, overload or a drive fault.',
          '变频器或电机保护动作：振动超过11.2 mm/s持续10 s、过载或变频器故障。',
        ),
        consequence: t(
          `Pump ${other} takes over if it is ready; until pump ${n} is repaired the station has no spare pump.`,
          `如${other}号泵就绪则自动接替；${n}号泵修复前全站没有备用泵。`,
        ),
        action: t(
          `Confirm pump ${other} runs and the flow is normal; inspect pump ${n} on site (bearing, coupling, drive display); reset only when the cause is found.`,
          `确认${other}号泵运行且流量正常；现场检查${n}号泵（轴承、联轴器、变频器故障代码）；查明原因后再复位。`,
        ),
      },
    ],
  };
}

/** Alarms per signal (without the substation prefix); ids are prefixed by the generator. */
export function demoAlarmTable(prefix: string): Record<string, DemoAlarm[]> {
  const tag = (signal: string) => `${prefix}.${signal}`;
  return {
    // ── Outdoor temperature: the heating curve's input, so its data quality matters ─────
    'OUT.T': [
      {
        kind: 'range',
        low: -35,
        high: 45,
        priority: 'diagnostic',
        onDelayS: 30,
        screen: OVERVIEW,
        message: t('Outdoor temperature sensor out of range', '室外温度传感器超出量程'),
        cause: t('Broken wire, short circuit or a failed transmitter.', '断线、短路或变送器损坏。'),
        consequence: t(
          'The heating curve is computed from a false outdoor temperature.',
          '供热曲线按错误的室外温度计算。',
        ),
        action: t(
          'Check the sensor and its wiring; until repaired, set the heating curve offset by hand.',
          '检查传感器及接线；修复前手动调整供热曲线平移量。',
        ),
      },
      {
        // Normal: a few hundredths between samples; the weather cannot move 5 K in one poll.
        kind: 'jump',
        limit: 5,
        priority: 'diagnostic',
        screen: OVERVIEW,
        message: t('Outdoor temperature jumped (sensor?)', '室外温度跳变（传感器？）'),
        cause: t('Loose contact or interference on the sensor cable.', '传感器接线接触不良或受干扰。'),
        consequence: t('The supply setpoint jumps with it.', '供水温度设定值随之跳变。'),
        action: t('Check the sensor terminals and cable screen.', '检查传感器端子和屏蔽层。'),
      },
      {
        kind: 'frozen',
        forS: 3600,
        noise: 0.005,
        priority: 'diagnostic',
        screen: OVERVIEW,
        message: t('Outdoor temperature frozen for an hour (sensor?)', '室外温度1小时无变化（传感器？）'),
        cause: t('Transmitter hung, or the PLC holds a substitute value.', '变送器死机，或PLC使用了替代值。'),
        consequence: t('The heating curve no longer follows the weather.', '供热曲线不再跟随天气变化。'),
        action: t('Compare with the weather service; check the transmitter.', '与天气预报核对；检查变送器。'),
      },
    ],

    // ── Primary side (the city network) ─────────────────────────────────────────────────
    'HX.T_PRI_SUP': [
      {
        // Normal 75–115 °C: the utility's own curve never delivers less than 75 °C.
        kind: 'low',
        limit: 70,
        deadband: 2,
        priority: 'medium',
        onDelayS: 600,
        offDelayS: 60,
        screen: OVERVIEW,
        message: t('Primary supply temperature low', '一次供水温度低'),
        cause: t('A problem at the heat source or in the city network upstream.', '热源厂或上游一次管网故障。'),
        consequence: t(
          'On cold days the secondary supply cannot reach the heating curve even with the valve wide open.',
          '寒冷天气时即使调节阀全开，二次供水也达不到供热曲线。',
        ),
        action: t(
          'Call the utility dispatch centre; check whether neighbouring substations see the same.',
          '联系热力公司调度中心；确认相邻换热站是否同样如此。',
        ),
      },
    ],
    'HX.DP_PRI': [
      {
        // Normal 1.0–1.4 bar.
        kind: 'low',
        limit: 0.6,
        deadband: 0.05,
        priority: 'low',
        onDelayS: 300,
        offDelayS: 60,
        screen: OVERVIEW,
        message: t('Primary differential pressure low', '一次侧资用压差低'),
        cause: t(
          'Network hydraulics, a partly closed isolating valve or a clogged primary strainer.',
          '管网水力失调、关断阀未全开或一次侧除污器堵塞。',
        ),
        consequence: t(
          'The control valve loses authority: the station cannot take its design flow on a cold day.',
          '调节阀失去调节能力：寒冷天气时换热站取不到设计流量。',
        ),
        action: t(
          'Check the primary isolating valves and strainer; report it to the dispatch centre.',
          '检查一次侧阀门和除污器；报告调度中心。',
        ),
      },
    ],

    // ── Heat exchanger ──────────────────────────────────────────────────────────────────
    'HX.UA': [
      {
        // Conductance from the heat balance, 100 kW/K clean and steady whatever the load (the approach
        // temperature grows with fouling too, but also with load, so it says less on a mild day). Plate packs are
        // cleaned at a third of their conductance lost; at 45 kW/K the exchanger no longer carries the design load
        // with its 10 % reserve even with the valve wide open.
        kind: 'low',
        limit: 65,
        deadband: 2,
        priority: 'low',
        onDelayS: 900,
        offDelayS: 900,
        screen: OVERVIEW,
        message: t('Heat exchanger fouled: conductance down by a third', '换热器结垢：传热系数下降三分之一'),
        cause: t(
          'Scale or sludge on the plates (hard make-up water), or air trapped in the exchanger.',
          '板片结垢或淤积（补水硬度高），或换热器内存气。',
        ),
        consequence: t(
          'The approach temperature grows and the valve opens further for the same heat; the primary return comes back hotter, and on the coldest days the station will not reach the heating curve.',
          '端差增大，同样负荷下调节阀开度增大；一次回水温度升高；最冷天气时将达不到供热曲线。',
        ),
        action: t(
          'Confirm on the trend over days (HX.UA, HX.APPROACH); plan chemical cleaning or opening the plate pack in the next mild spell; check the water softener.',
          '查看多日趋势（HX.UA、HX.APPROACH）确认；安排在天气转暖时化学清洗或拆板清洗；检查软化水设备。',
        ),
      },
    ],
    'HX.Q_SEC': [
      {
        // The heat the secondary sensors see must match the heat meter on the primary side. Normal within ±40 kW
        // (dynamics and sensor noise); 120 kW is ~1.8 K of error on a secondary temperature at 80 % pump speed.
        kind: 'deviation',
        reference: tag('HM.POWER'),
        limit: 120,
        deadband: 20,
        priority: 'medium',
        onDelayS: 900,
        offDelayS: 300,
        screen: OVERVIEW,
        message: t(
          'Heat balance mismatch: secondary sensors disagree with the heat meter',
          '热量不平衡：二次侧测点与热量表不一致',
        ),
        cause: t(
          'A drifting temperature sensor (secondary supply or return, or the heat meter pair) or a flow meter error.',
          '温度传感器漂移（二次供/回水或热量表配对传感器）或流量计误差。',
        ),
        consequence: t(
          'If the supply sensor reads high the controller holds the water too cold and the buildings get less heat than the curve asks; billing is wrong.',
          '若供水温度传感器偏高，控制器会把水温控得偏低，建筑得到的热量低于供热曲线要求；计量也不准。',
        ),
        action: t(
          'Compare HX.T_SEC_SUP, HX.T_SEC_RET, HM.T_SUP and HM.T_RET with a reference thermometer in the test pockets; recalibrate or replace the sensor that drifts.',
          '用标准温度计在测温套管处核对HX.T_SEC_SUP、HX.T_SEC_RET、HM.T_SUP、HM.T_RET；校准或更换漂移的传感器。',
        ),
      },
    ],

    // ── Secondary supply temperature and its control loop ───────────────────────────────
    'HX.T_SEC_SUP': [
      {
        // Normal within ±0.7 K of the curve; a setpoint step settles in a few minutes.
        kind: 'deviation',
        reference: tag('HC.T_SP'),
        limit: 3,
        deadband: 1,
        priority: 'medium',
        onDelayS: 600,
        offDelayS: 900,
        screen: OVERVIEW,
        message: t('Secondary supply temperature off the heating curve', '二次供水温度偏离供热曲线'),
        cause: t(
          'The controller cannot hold the setpoint: valve stuck or in manual, primary supply too cold or its differential pressure too low, exchanger fouled.',
          '控制器无法跟踪设定值：调节阀卡涩或处于手动、一次供水温度过低或压差不足、换热器结垢。',
        ),
        consequence: t(
          'Too cold: rooms fall towards 18 °C within hours; too hot: heat is wasted and the primary return comes back hot.',
          '偏低：数小时内室温向18 °C下降；偏高：浪费热量，一次回水温度升高。',
        ),
        action: t(
          'Compare valve output and position (CV.OUT, CV.POS); check the valve is in auto, the primary temperature and differential pressure.',
          '对比调节阀输出与开度反馈（CV.OUT、CV.POS）；确认阀门处于自动，检查一次供水温度和压差。',
        ),
      },
      {
        // The curve tops out at 70 °C (80 °C with the full offset); plastic pipes in the buildings are rated for 90 °C at most.
        kind: 'high-high',
        limit: 90,
        deadband: 3,
        priority: 'high',
        onDelayS: 30,
        screen: OVERVIEW,
        message: t('Secondary supply temperature high-high', '二次供水温度高高'),
        cause: t(
          'Control valve stuck open or in manual at a high output, a wrong heating curve, or the supply sensor reads low.',
          '调节阀卡在大开度或手动开度过大、供热曲线设置错误，或供水传感器偏低。',
        ),
        consequence: t(
          'PE-X and PP-R pipes and radiator valves in the buildings are damaged above 90 °C; scalding risk.',
          '建筑内PE-X、PP-R管道和散热器阀门在90 °C以上会损坏；有烫伤危险。',
        ),
        action: t(
          'Put the control valve in manual and close it until the supply is below 80 °C; check the heating curve; call maintenance for the valve.',
          '将调节阀切手动并关小，直到供水低于80 °C；检查供热曲线；通知维修调节阀。',
        ),
      },
      {
        // Measurement noise moves it by a few hundredths every poll; 15 minutes without is a hung transmitter.
        kind: 'frozen',
        forS: 900,
        noise: 0.005,
        priority: 'diagnostic',
        screen: OVERVIEW,
        message: t('Secondary supply temperature frozen (sensor?)', '二次供水温度数值冻结（传感器？）'),
        cause: t('Transmitter hung or the PLC holds a substitute value.', '变送器死机或PLC使用了替代值。'),
        consequence: t(
          'The supply temperature controller acts on a value that no longer changes.',
          '供水温度控制器依据一个不再变化的数值调节。',
        ),
        action: t(
          'Check the transmitter and the PLC input card; put the valve in manual if the value is false.',
          '检查变送器和PLC输入模块；如数值失真，将调节阀切手动。',
        ),
      },
      {
        // A 20 s sensor lag: the water cannot change 15 K between two polls.
        kind: 'jump',
        limit: 15,
        priority: 'diagnostic',
        screen: OVERVIEW,
        message: t('Secondary supply temperature jumped (sensor?)', '二次供水温度跳变（传感器？）'),
        cause: t('Loose contact, interference or a failing transmitter.', '接触不良、干扰或变送器故障。'),
        consequence: t(
          'The controller reacts to a false step and moves the valve.',
          '控制器对虚假阶跃作出反应，调节阀误动作。',
        ),
        action: t('Check the sensor terminals and cable screen.', '检查传感器端子和屏蔽层。'),
      },
    ],
    'CV.POS': [
      {
        // Normal: the position follows the output within a percent or two; a 25 % step is travelled in 15 s.
        kind: 'deviation',
        reference: tag('CV.OUT'),
        limit: 5,
        deadband: 1,
        priority: 'medium',
        onDelayS: 120,
        offDelayS: 60,
        screen: OVERVIEW,
        message: t('Control valve does not follow its command', '调节阀不跟随控制指令'),
        cause: t(
          'Stuck stem or plug, actuator fault or lost power, actuator in local/manual, or a position sensor fault.',
          '阀杆或阀芯卡涩、执行器故障或失电、执行器处于就地/手动，或开度反馈故障。',
        ),
        consequence: t(
          'The supply temperature drifts off the heating curve as the weather and load change.',
          '随着天气和负荷变化，供水温度将偏离供热曲线。',
        ),
        action: t(
          'Check the actuator power and its local/remote switch; try a small manual move; if stuck, call maintenance and hold the temperature with the hand wheel.',
          '检查执行器电源和就地/远程开关；尝试小幅手动调节；如卡死，通知维修并用手轮维持温度。',
        ),
      },
    ],

    // ── Secondary circuit: pressure maintenance, expansion tank, make-up, circulation ───
    'SEC.P_RET': [
      {
        // Normal 1.65–2.3 bar (make-up starts at 1.65, stops at 1.95; heating up raises it). Relief valve at 3.0 bar.
        kind: 'high',
        limit: 2.7,
        deadband: 0.05,
        priority: 'low',
        onDelayS: 300,
        offDelayS: 60,
        screen: OVERVIEW,
        message: t('Secondary static pressure high', '二次侧定压（回水压力）高'),
        cause: t(
          'Make-up pump did not stop, the expansion tank lost its gas charge, or the system heated up after a fill.',
          '补水泵未停、膨胀罐气囊失压，或补水后系统升温。',
        ),
        consequence: t(
          'At 3.0 bar the relief valve opens and treated water is lost.',
          '达到3.0 bar时安全阀起跳，软化水流失。',
        ),
        action: t(
          'Check the make-up pump has stopped and the tank pre-charge; drain a little water to about 2 bar.',
          '确认补水泵已停，检查膨胀罐预充压力；适量泄水至约2 bar。',
        ),
      },
      {
        // Below the 1.0 bar pre-charge the tank is empty and pressure collapses.
        kind: 'low-low',
        limit: 1.2,
        deadband: 0.05,
        priority: 'critical',
        onDelayS: 10,
        offDelayS: 30,
        screen: OVERVIEW,
        message: t('Secondary pressure low-low: expansion tank nearly empty', '二次侧压力低低：膨胀罐即将排空'),
        cause: t(
          'A leak larger than the make-up pump can replace, or the make-up pump or its water supply failed.',
          '泄漏量大于补水能力，或补水泵/补水水源故障。',
        ),
        consequence: t(
          'Below 1.0 bar the tank is empty: pressure collapses, air enters the top floors of the buildings and the circulation pumps cavitate.',
          '低于1.0 bar膨胀罐排空：压力骤降，高层建筑进气，循环泵汽蚀。',
        ),
        action: t(
          'Find and isolate the leak (station, then building branches); fill by hand through the city-water bypass; if the pressure keeps falling, stop the circulation pumps to protect them.',
          '查找并隔离泄漏点（先站内，再逐个关闭楼栋支路）；开启自来水旁通手动补水；如压力继续下降，停循环泵保护设备。',
        ),
      },
    ],
    'EXP.LEVEL': [
      {
        // Normal 24–39 %: the make-up pump starts at about 24 % (1.65 bar). A burst empties the tank in 15–20
        // minutes; a level-rate alarm would see it sooner, but no rate limit separates a leak from the thermal
        // contraction after a pump-speed or curve change (3–4 % in two minutes), so the level itself is the alarm.
        kind: 'low',
        limit: 18,
        deadband: 2,
        priority: 'high',
        onDelayS: 30,
        offDelayS: 60,
        screen: OVERVIEW,
        message: t('Expansion tank level low: water lost faster than make-up', '膨胀罐液位低：失水快于补水'),
        cause: t(
          'A leak (burst pipe or radiator, open drain, relief valve blowing), or the make-up pump or soft-water supply failed.',
          '泄漏（管道或散热器爆裂、泄水阀被打开、安全阀起跳），或补水泵/软化水供应故障。',
        ),
        consequence: t(
          'In a burst the tank is empty within minutes; then the static pressure collapses.',
          '爆管时膨胀罐数分钟内排空，随后系统压力骤降。',
        ),
        action: t(
          'Check that the make-up pump runs and delivers (MU.FLOW) and the soft-water tank; ask the buildings about water on the floors; close branches one at a time to find the leak; prepare to fill by hand.',
          '确认补水泵运行且有流量（MU.FLOW），检查软化水箱；询问各楼栋是否漏水；逐个关闭支路查找泄漏点；准备手动补水。',
        ),
      },
    ],
    'MU.TOTAL': [
      {
        // Normal: about 0.1 m³ a day (thermal contraction), a refill at most 0.1 m³. A leak the make-up pump keeps up
        // with shows only here: 0.2 m³ in half an hour is 0.4 m³/h, two thirds of the 1 % of circulation flow CJJ 34 allows.
        kind: 'rate',
        limit: 0.2,
        windowS: 1800,
        direction: 'rising',
        priority: 'medium',
        offDelayS: 1800,
        screen: OVERVIEW,
        message: t('Make-up water consumption high (over 0.2 m³ in 30 min)', '补水量过大（30分钟超过0.2 m³）'),
        cause: t(
          'A leak in the network or a building, a passing relief valve, or water drawn from the heating system.',
          '管网或楼内泄漏、安全阀泄漏，或有人从供热系统取水。',
        ),
        consequence: t(
          'Treated water and its heat are lost; the oxygen in fresh water corrodes the network; a small leak can grow into a burst.',
          '软化水及其热量流失；补入的新水含氧，腐蚀管网；小漏可能发展为爆管。',
        ),
        action: t(
          'Compare with the daily make-up trend; inspect the station and the relief valve outlet; ask the buildings; tell the network team.',
          '对照每日补水趋势；检查站内设备和安全阀排口；询问各楼栋；通知管网维修班。',
        ),
      },
    ],
    'SEC.FLOW': [
      // One low-flow alarm per pump, on the common flow meter, suppressed while that pump is stopped.
      ...(['P1', 'P2'] as const).map((pump): DemoAlarm => ({
        // Normal 60 m³/h at 80 % speed; the lowest speed setpoint (30 %) still gives 22 m³/h.
        id: `${prefix}.${pump}.FLOW.LO`,
        kind: 'low',
        limit: 15,
        deadband: 2,
        priority: 'medium',
        onDelayS: 30,
        offDelayS: 30,
        equipment: pump,
        screen: PUMPS,
        suppressWhen: { tag: tag(`${pump}.RUN`), equals: false },
        message: t(`Pump ${pump.slice(1)} running without circulation flow`, `循环泵${pump.slice(1)}运行但无循环流量`),
        cause: t(
          'A closed isolating valve, a clogged dirt separator, air in the pump, a broken coupling, or the flow meter.',
          '关断阀关闭、除污器堵塞、泵内有气、联轴器断裂，或流量计故障。',
        ),
        consequence: t(
          'No heat reaches the buildings; a pump running against a closed valve overheats.',
          '热量送不到建筑；水泵憋压运行会过热。',
        ),
        action: t(
          'Check valves and the dirt separator on the pump line, vent the pump, compare with SEC.DP; switch to the other pump if the flow does not recover.',
          '检查泵组阀门和除污器，排气，对照压差SEC.DP；流量不恢复则切换到另一台泵。',
        ),
      })),
    ],
    'ALM.NO_FLOW': [
      {
        kind: 'state',
        value: true,
        priority: 'critical',
        onDelayS: 10,
        screen: OVERVIEW,
        message: t('No secondary circulation (PLC)', '二次侧无循环（PLC报警）'),
        cause: t(
          'Both circulation pumps stopped: both tripped, or both switched off.',
          '两台循环泵均停止：均故障跳闸，或均被停用。',
        ),
        consequence: t(
          'No heat to the buildings; in frost, pipes in unheated stairwells can freeze within hours.',
          '建筑供热中断；严寒时楼梯间等不采暖部位的管道数小时内可能冻裂。',
        ),
        action: t(
          "Start a healthy pump: set it to auto and reset its fault when the cause is clear; check the drives' power; inform the dispatch centre.",
          '启动一台完好的水泵：投入自动，查明原因后复位故障；检查变频器电源；报告调度中心。',
        ),
      },
    ],

    // ── Pumps (each pump's running alarms suppressed while it stands still) ─────────────
    ...pumpAlarms('P1', prefix),
    ...pumpAlarms('P2', prefix),

    // ── The buildings ──────────────────────────────────────────────────────────────────
    'BLDG.T_IN': [
      {
        // Normal 19.9–21.4 °C. 18 °C is the statutory minimum indoor temperature in the heating season.
        kind: 'low',
        limit: 18,
        deadband: 0.3,
        priority: 'medium',
        onDelayS: 900,
        offDelayS: 300,
        screen: OVERVIEW,
        message: t('Reference room below 18 °C', '典型房间室温低于18 °C'),
        cause: t(
          'Supply temperature too low (curve too low, sensor drift, capacity), radiators air-locked, or a circulation problem.',
          '供水温度偏低（曲线偏低、传感器漂移、能力不足）、散热器气堵或循环不良。',
        ),
        consequence: t(
          'Below the statutory minimum for the heating season: complaints and compensation claims.',
          '低于供暖期室温下限：引发投诉和赔偿。',
        ),
        action: t(
          'Check the supply against the curve and the heat balance alarm; if the plant is healthy, raise the curve offset (HC.OFFSET) by 2–3 K.',
          '核对供水温度与曲线及热量平衡报警；设备正常时，将曲线平移量（HC.OFFSET）提高2~3 K。',
        ),
      },
      {
        kind: 'high',
        limit: 24,
        deadband: 0.3,
        priority: 'low',
        onDelayS: 1800,
        offDelayS: 300,
        screen: OVERVIEW,
        message: t('Reference room above 24 °C: overheating', '典型房间室温高于24 °C：过热'),
        cause: t(
          'Heating curve set too high, or the supply temperature above the curve.',
          '供热曲线设置过高，或供水温度高于曲线。',
        ),
        consequence: t(
          'Wasted heat (residents open windows); the primary return comes back hot.',
          '浪费热量（住户开窗散热）；一次回水温度升高。',
        ),
        action: t(
          'Lower the curve offset (HC.OFFSET) by 1–2 K; check the supply temperature follows the curve.',
          '将曲线平移量（HC.OFFSET）降低1~2 K；检查供水温度是否跟随曲线。',
        ),
      },
    ],

    // ── Station controller and supply ──────────────────────────────────────────────────
    'SYS.T_CABINET': [
      {
        // Normal 21–26 °C.
        kind: 'high',
        limit: 40,
        deadband: 2,
        priority: 'low',
        onDelayS: 300,
        screen: OVERVIEW,
        message: t('Control cabinet temperature high', '控制柜温度高'),
        cause: t('Cabinet fan or filter blocked, station room ventilation off.', '柜体风扇或滤网堵塞，站房通风停止。'),
        consequence: t(
          'PLC and drive electronics age fast and may fail above 50 °C.',
          'PLC和变频器电子元件加速老化，50 °C以上可能故障。',
        ),
        action: t('Check the cabinet fan and filter and the room ventilation.', '检查柜体风扇、滤网和站房通风。'),
      },
    ],
    'SYS.WATCHDOG': [
      {
        // Counts once a second; polled four times a second.
        kind: 'frozen',
        forS: 10,
        priority: 'high',
        screen: 'devices',
        message: t('Station controller heartbeat stopped', '站控制器心跳停止'),
        cause: t(
          'The PLC program halted (STOP, fault, firmware) while its communication interface still answers.',
          'PLC程序停止运行（STOP、故障、固件问题），但通讯接口仍有应答。',
        ),
        consequence: t(
          'Values on the screens are frozen and nothing is controlled: valve and pumps keep their last state.',
          '画面数值冻结，站内失去控制：调节阀和水泵保持最后状态。',
        ),
        action: t(
          "Check the PLC's RUN/STOP light and diagnostic buffer on site; restart the program; watch the station by hand meanwhile.",
          '现场检查PLC的RUN/STOP指示和诊断缓冲区；重启程序；期间派人现场值守。',
        ),
      },
    ],
    'EM.VOLTAGE': [
      {
        // Normal 394–406 V; EN 50160 allows ±10 %; the drives trip on undervoltage around −15 %.
        kind: 'low',
        limit: 370,
        deadband: 3,
        priority: 'low',
        onDelayS: 60,
        screen: OVERVIEW,
        message: t('Supply voltage low', '供电电压低'),
        cause: t('Grid undervoltage or an overloaded transformer.', '电网电压偏低或变压器过载。'),
        consequence: t(
          'Motors draw more current and run hotter; the drives may trip on undervoltage.',
          '电机电流增大、温升升高；变频器可能欠压跳闸。',
        ),
        action: t(
          'Check all three phases (EM.V_L1…L3); report to the electricity supplier.',
          '检查三相电压（EM.V_L1~L3）；报告供电部门。',
        ),
      },
      {
        kind: 'high',
        limit: 430,
        deadband: 3,
        priority: 'low',
        onDelayS: 60,
        screen: OVERVIEW,
        message: t('Supply voltage high', '供电电压高'),
        cause: t('Grid overvoltage or a transformer tap set too high.', '电网电压偏高或变压器分接头设置过高。'),
        consequence: t(
          'Drives may trip on DC-bus overvoltage; electronics age faster.',
          '变频器可能直流母线过压跳闸；电子元件加速老化。',
        ),
        action: t('Check all three phases; report to the electricity supplier.', '检查三相电压；报告供电部门。'),
      },
    ],
  };
}

/**
 * The PLC's alarm word, one line per bit: annunciated, or which alarm above already
 * covers it (a second alarm for the same event would only double the noise).
 */
export const plcAlarmWord: Readonly<Record<string, string>> = {
  'ALM.T_SUP_DEV': 'covered by HX.T_SEC_SUP.DEV (3 K, with deadband and delay)',
  'ALM.P_LO': 'covered by SEC.P_RET.LL (1.2 bar)',
  'ALM.P_HI': 'covered by SEC.P_RET.HI (2.7 bar)',
  'ALM.TANK_LO': 'covered by EXP.LEVEL.LO (18 %)',
  'ALM.P1_VIB': 'covered by P1.VIB.HH (7.1 mm/s)',
  'ALM.P2_VIB': 'covered by P2.VIB.HH (7.1 mm/s)',
  'ALM.CV_DEV': 'covered by CV.POS.DEV (5 % for 2 min)',
  'ALM.MU_LONG': 'covered by MU.TOTAL.ROC (make-up volume) and EXP.LEVEL.LO',
  'ALM.HX_APPR': 'covered by HX.UA.LO (fouling, whatever the load)',
  'ALM.NO_FLOW': 'annunciated (critical)',
  'ALM.PUMP_FLT': 'covered by P1.FAULT.STATE and P2.FAULT.STATE (which pump)',
  'ALM.T_IN_LO': 'covered by BLDG.T_IN.LO (18 °C, with deadband and delay)',
};
