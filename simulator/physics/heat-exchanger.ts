/**
 * Counter-flow plate heat exchanger, effectiveness–NTU method. Given both inlet
 * temperatures, both capacity rates and UA, it returns the duty and both outlets; the heat
 * leaving the primary side equals the heat entering the secondary side by construction.
 */
export const WATER_CP_KJ_PER_KG_K = 4.18;
export const WATER_DENSITY_KG_PER_M3 = 975;

/** Capacity rate (kW/K) of a water flow in m³/h. */
export function capacityRate(flowM3h: number): number {
  return ((Math.max(0, flowM3h) * WATER_DENSITY_KG_PER_M3) / 3600) * WATER_CP_KJ_PER_KG_K;
}

export interface HxInputs {
  readonly primaryInC: number;
  readonly secondaryInC: number;
  /** kW/K */
  readonly primaryCapacity: number;
  /** kW/K */
  readonly secondaryCapacity: number;
  /** Overall conductance, kW/K. */
  readonly ua: number;
}

export interface HxResult {
  readonly dutyKw: number;
  readonly primaryOutC: number;
  readonly secondaryOutC: number;
  readonly effectiveness: number;
}

export function counterFlowEffectiveness(ntu: number, cr: number): number {
  if (ntu <= 0) return 0;
  if (Math.abs(1 - cr) < 1e-6) return ntu / (1 + ntu);
  const e = Math.exp(-ntu * (1 - cr));
  return (1 - e) / (1 - cr * e);
}

export function heatExchanger(i: HxInputs): HxResult {
  const cMin = Math.min(i.primaryCapacity, i.secondaryCapacity);
  const cMax = Math.max(i.primaryCapacity, i.secondaryCapacity);
  if (cMin <= 1e-9 || i.ua <= 0) {
    return { dutyKw: 0, primaryOutC: i.primaryInC, secondaryOutC: i.secondaryInC, effectiveness: 0 };
  }
  const effectiveness = counterFlowEffectiveness(i.ua / cMin, cMin / cMax);
  const dutyKw = effectiveness * cMin * (i.primaryInC - i.secondaryInC);
  return {
    dutyKw,
    primaryOutC: i.primaryInC - dutyKw / i.primaryCapacity,
    secondaryOutC: i.secondaryInC + dutyKw / i.secondaryCapacity,
    effectiveness,
  };
}
