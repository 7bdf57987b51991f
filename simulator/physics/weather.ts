/**
 * Outdoor temperature: a daily cycle (coldest before dawn, warmest mid-afternoon) plus a
 * slow, seeded weather drift.
 */
import { gaussian, ouStep } from './prng.js';

export interface WeatherParams {
  /** Daily mean, °C. */
  readonly meanC: number;
  /** Half the day–night swing, K. */
  readonly dailyAmplitudeK: number;
  /** Standard deviation of the slow drift, K. */
  readonly driftSigmaK: number;
  /** Correlation time of the drift, s. */
  readonly driftTauS: number;
}

export const defaultWeather: WeatherParams = { meanC: -2, dailyAmplitudeK: 4, driftSigmaK: 3, driftTauS: 8 * 3600 };

/** The daily cycle alone at a time of day (hours since local midnight, UTC here). */
export function dailyCycleC(params: WeatherParams, hourOfDay: number): number {
  // Warmest at 15:00, coldest at 03:00.
  return params.meanC + params.dailyAmplitudeK * Math.cos((2 * Math.PI * (hourOfDay - 15)) / 24);
}

export class Weather {
  private drift = 0;
  constructor(
    private readonly params: WeatherParams,
    private readonly random: () => number,
  ) {}

  step(dtS: number): void {
    this.drift = ouStep(this.drift, dtS, this.params.driftTauS, this.params.driftSigmaK, () => gaussian(this.random));
  }

  outdoorC(simTimeMs: number): number {
    const hour = ((simTimeMs / 3_600_000) % 24 + 24) % 24;
    return dailyCycleC(this.params, hour) + this.drift;
  }
}
