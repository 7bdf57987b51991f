/**
 * Outdoor temperature: a daily cycle (coldest before dawn, warmest mid-afternoon) plus a
 * slow, seeded weather drift — and a weather service's forecast of it.
 *
 * The drift is an Ornstein–Uhlenbeck process on a one-second grid (the same values whatever
 * step size the plant takes; between grid points it is interpolated). A second copy of the
 * same seeded generator runs a day ahead of the present, keeping the drift's future path at
 * one-minute points, so the weather service's forecast is computed from the weather that
 * will actually happen, plus a forecast error that grows with the horizon and is correlated
 * from one issue to the next (its own seeded stream: the weather itself does not change).
 */
import { createRandom, gaussian, ouStep } from './prng.js';

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

/** The weather service: when it issues a forecast and how wrong the forecast is. */
export interface WeatherServiceParams {
  /** A forecast is issued at every multiple of this period (UTC), and once at start. */
  readonly issueEveryS: number;
  /** Standard deviation of the forecast error at 1 h and at 24 h ahead, K (growing like √ of the lead time between). */
  readonly errorAt1hK: number;
  readonly errorAt24hK: number;
  /** Correlation time of the forecast error from one issue to the next, s. */
  readonly errorTauS: number;
  /** Share of the error variance common to all horizons (a forecast that is too warm is too warm all day). */
  readonly errorSharedShare: number;
}

export const defaultWeatherService: WeatherServiceParams = {
  issueEveryS: 3600,
  errorAt1hK: 0.5,
  errorAt24hK: 1.8,
  errorTauS: 12 * 3600,
  errorSharedShare: 0.5,
};

/** Horizons the service publishes, hours after the issue (the 24-h mean comes in addition). */
export const FORECAST_HORIZONS_H = [1, 2, 3, 6, 12, 24] as const;
export type ForecastHorizonH = (typeof FORECAST_HORIZONS_H)[number];
/** Hours the service forecasts internally (every hour up to a day); the published horizons are among them. */
const HOURS = 24;

export interface WeatherForecast {
  /** When it was issued, ms since the epoch. */
  readonly issuedMs: number;
  /** Forecast outdoor temperature at issue + h hours, °C, by published horizon. */
  readonly atHourC: Readonly<Record<ForecastHorizonH, number>>;
  /** Mean of the hourly forecasts for the 24 hours after the issue, °C. */
  readonly mean24hC: number;
}

/** The daily cycle alone at a time of day (hours since local midnight, UTC here). */
export function dailyCycleC(params: WeatherParams, hourOfDay: number): number {
  // Warmest at 15:00, coldest at 03:00.
  return params.meanC + params.dailyAmplitudeK * Math.cos((2 * Math.PI * (hourOfDay - 15)) / 24);
}

function hourOfDay(ms: number): number {
  return (((ms / 3_600_000) % 24) + 24) % 24;
}

/** Standard deviation of the forecast error h hours ahead (h ≥ 1). */
export function forecastErrorSigmaK(service: WeatherServiceParams, h: number): number {
  const lead = Math.min(Math.max((h - 1) / (HOURS - 1), 0), 1);
  return service.errorAt1hK + (service.errorAt24hK - service.errorAt1hK) * Math.sqrt(lead);
}

/** The drift on its one-second grid, one value per call (ouStep with dt = 1 s, its constants computed once). */
class DriftPath {
  private x = 0;
  private readonly decay: number;
  private readonly gain: number;
  constructor(
    params: WeatherParams,
    private readonly random: () => number,
  ) {
    this.decay = Math.exp(-1 / params.driftTauS);
    this.gain = params.driftSigmaK * Math.sqrt(1 - this.decay * this.decay);
  }

  next(): number {
    this.x = this.x * this.decay + this.gain * gaussian(this.random);
    return this.x;
  }
}

const LOOKAHEAD_S = HOURS * 3600 + 120;
const SAMPLE_S = 60;
const RING = Math.ceil(LOOKAHEAD_S / SAMPLE_S) + 4;

export class Weather {
  private readonly present: DriftPath;
  private readonly ahead: DriftPath;
  /** Simulated seconds since start. */
  private elapsedS = 0;
  /** The grid second at or before elapsedS, the drift there and one second later. */
  private gridS = 0;
  private driftAtGrid = 0;
  private driftNext: number;
  /** Seconds the look-ahead copy has generated, and its drift at every minute point (ring buffer). */
  private aheadS = 0;
  private readonly samples = new Float64Array(RING);
  private readonly serviceRandom: () => number;
  /** The forecast error's standardized parts: shared by all horizons, and one per published horizon. */
  private errShared = 0;
  private readonly errOwn: number[];
  private lastIssueMs: number;
  private nextIssueMs: number;
  private current: WeatherForecast;

  constructor(
    private readonly params: WeatherParams,
    seed: number,
    private readonly startTimeMs = 0,
    private readonly service: WeatherServiceParams = defaultWeatherService,
  ) {
    this.present = new DriftPath(params, createRandom(seed));
    this.ahead = new DriftPath(params, createRandom(seed));
    this.serviceRandom = createRandom(seed * 31 + 17);
    this.driftNext = this.present.next();
    this.samples[0] = 0;
    this.runAhead();
    // The error processes start in their stationary state.
    const normal = () => gaussian(this.serviceRandom);
    this.errShared = normal();
    this.errOwn = FORECAST_HORIZONS_H.map(() => normal());
    this.lastIssueMs = startTimeMs;
    const periodMs = service.issueEveryS * 1000;
    this.nextIssueMs = (Math.floor(startTimeMs / periodMs) + 1) * periodMs;
    this.current = this.issue(startTimeMs);
  }

  step(dtS: number): void {
    this.elapsedS += dtS;
    // Whole grid seconds passed (a tolerance for sub-second steps that add up to a second).
    while (this.gridS + 1 <= this.elapsedS + 1e-9) {
      this.gridS += 1;
      this.driftAtGrid = this.driftNext;
      this.driftNext = this.present.next();
    }
    this.runAhead();
    const nowMs = this.startTimeMs + this.elapsedS * 1000;
    while (nowMs + 1e-6 >= this.nextIssueMs) {
      const issueMs = this.nextIssueMs;
      this.nextIssueMs += this.service.issueEveryS * 1000;
      this.advanceErrors((issueMs - this.lastIssueMs) / 1000);
      this.lastIssueMs = issueMs;
      this.current = this.issue(issueMs);
    }
  }

  /** The drift now (interpolated between its one-second grid points). */
  private driftNow(): number {
    const frac = Math.min(Math.max(this.elapsedS - this.gridS, 0), 1);
    return frac === 0 ? this.driftAtGrid : this.driftAtGrid + (this.driftNext - this.driftAtGrid) * frac;
  }

  outdoorC(simTimeMs: number): number {
    return dailyCycleC(this.params, hourOfDay(simTimeMs)) + this.driftNow();
  }

  /** The weather service's latest forecast (issued hourly, on the hour). */
  get forecast(): WeatherForecast {
    return this.current;
  }

  /** Keep the look-ahead copy a day ahead of the present. */
  private runAhead(): void {
    const target = Math.floor(this.elapsedS) + LOOKAHEAD_S;
    while (this.aheadS < target) {
      const x = this.ahead.next();
      this.aheadS += 1;
      if (this.aheadS % SAMPLE_S === 0) this.samples[(this.aheadS / SAMPLE_S) % RING] = x;
    }
  }

  /** The drift that will be there at `s` seconds after start (within the look-ahead day). */
  private futureDrift(s: number): number {
    const k = Math.floor(s / SAMPLE_S);
    const f = s / SAMPLE_S - k;
    const a = this.samples[k % RING]!;
    const b = this.samples[(k + 1) % RING]!;
    return a + (b - a) * f;
  }

  private advanceErrors(dtS: number): void {
    const normal = () => gaussian(this.serviceRandom);
    this.errShared = ouStep(this.errShared, dtS, this.service.errorTauS, 1, normal);
    for (let j = 0; j < this.errOwn.length; j++)
      this.errOwn[j] = ouStep(this.errOwn[j]!, dtS, this.service.errorTauS, 1, normal);
  }

  /** Standardized error h hours ahead: the horizons' own parts interpolated between the published horizons. */
  private standardizedError(h: number): number {
    const hs = FORECAST_HORIZONS_H;
    let j = 0;
    while (j < hs.length - 2 && h > hs[j + 1]!) j++;
    const f = Math.min(Math.max((h - hs[j]!) / (hs[j + 1]! - hs[j]!), 0), 1);
    const own = this.errOwn[j]! + (this.errOwn[j + 1]! - this.errOwn[j]!) * f;
    const w = this.service.errorSharedShare;
    return Math.sqrt(w) * this.errShared + Math.sqrt(1 - w) * own;
  }

  private issue(issueMs: number): WeatherForecast {
    const issueS = (issueMs - this.startTimeMs) / 1000;
    const hourly: number[] = [];
    for (let h = 1; h <= HOURS; h++) {
      const validMs = issueMs + h * 3_600_000;
      const truth = dailyCycleC(this.params, hourOfDay(validMs)) + this.futureDrift(issueS + h * 3600);
      const error = forecastErrorSigmaK(this.service, h) * this.standardizedError(h);
      // Delivered to 0.1 K, as weather services do.
      hourly.push(Math.round((truth + error) * 10) / 10);
    }
    const atHourC = Object.fromEntries(FORECAST_HORIZONS_H.map((h) => [h, hourly[h - 1]!])) as Record<
      ForecastHorizonH,
      number
    >;
    const mean24hC = Math.round((hourly.reduce((a, b) => a + b, 0) / HOURS) * 100) / 100;
    return { issuedMs: issueMs, atHourC, mean24hC };
  }
}
