/**
 * Is a unit well? The verdict of one level-1 tile from its key figures (each against its
 * normal band, its setpoint and how fast it falls), its annunciated alarms and its devices'
 * communication. A leak shows here before any alarm: return pressure and tank level leave
 * their normal bands and fall faster than anything in normal operation. Pure: no DOM.
 */
import type { AlarmPriorityDto, OverviewFigureDto } from '../../preload/contract.js';
import type { AlarmCounts } from '../alarms/alarm-view.js';

export type FigureZone = 'normal' | 'low' | 'high' | 'deviation' | 'unknown';

export interface FigureInput {
  readonly figure: OverviewFigureDto;
  /** The value, or null when there is none or its quality is not Good. */
  readonly value: number | null;
  readonly setpoint: number | null;
  /** How far it fell over the last 5 minutes (highest in the window − now), null while unknown. */
  readonly fall5Min: number | null;
}

export interface FigureVerdict {
  readonly zone: FigureZone;
  /** Falls faster than the figure's limit. */
  readonly fallingFast: boolean;
  /** PV − SP where there is a setpoint. */
  readonly deviation: number | null;
}

export function figureVerdict(f: FigureInput): FigureVerdict {
  const { figure, value, setpoint } = f;
  const deviation = value !== null && setpoint !== null ? value - setpoint : null;
  let zone: FigureZone = value === null ? 'unknown' : 'normal';
  if (value !== null && figure.normal) {
    if (value < figure.normal[0]) zone = 'low';
    else if (value > figure.normal[1]) zone = 'high';
  }
  if (
    zone === 'normal' &&
    deviation !== null &&
    figure.maxDeviation !== undefined &&
    Math.abs(deviation) > figure.maxDeviation
  )
    zone = 'deviation';
  const fallingFast =
    value !== null && f.fall5Min !== null && figure.maxFallPer5Min !== undefined && f.fall5Min > figure.maxFallPer5Min;
  return { zone, fallingFast, deviation };
}

export type DeviceState = 'connected' | 'connecting' | 'disconnected' | 'stopped';

export type TileState = 'normal' | 'abnormal' | 'alarm' | 'comm';

export interface TileVerdict {
  /** The most urgent: an alarm, then lost communication, then an abnormal figure. */
  readonly state: TileState;
  readonly abnormal: boolean;
  readonly commLost: boolean;
  /** The most urgent annunciated priority, null without alarms. */
  readonly worstPriority: AlarmPriorityDto | null;
  readonly figures: readonly FigureVerdict[];
  /** Devices that do not answer. */
  readonly offline: readonly string[];
}

export function tileVerdict(
  figures: readonly FigureInput[],
  alarms: AlarmCounts,
  devices: ReadonlyArray<{ readonly name: string; readonly state: DeviceState | undefined }>,
): TileVerdict {
  const verdicts = figures.map(figureVerdict);
  const abnormal = verdicts.some(
    (v) => v.zone === 'low' || v.zone === 'high' || v.zone === 'deviation' || v.fallingFast,
  );
  const offline = devices.filter((d) => d.state !== 'connected').map((d) => d.name);
  const worstPriority = alarms.byPriority.find((p) => p.total > 0)?.priority ?? null;
  const state: TileState =
    worstPriority !== null ? 'alarm' : offline.length > 0 ? 'comm' : abnormal ? 'abnormal' : 'normal';
  return { state, abnormal, commLost: offline.length > 0, worstPriority, figures: verdicts, offline };
}

/**
 * Recent samples of one figure, to tell how fast it falls: keeps `windowMs` of (time, value)
 * and answers the fall from the highest value in the window to the latest one.
 */
export class FallWindow {
  private readonly t: number[] = [];
  private readonly v: number[] = [];
  constructor(private readonly windowMs = 5 * 60_000) {}

  push(at: number, value: number | null): void {
    if (value === null || !Number.isFinite(value)) return;
    if (this.t.length > 0 && at <= this.t[this.t.length - 1]!) return;
    this.t.push(at);
    this.v.push(value);
    while (this.t.length > 0 && this.t[0]! < at - this.windowMs) {
      this.t.shift();
      this.v.shift();
    }
  }

  /** Highest − latest over the window; null until it spans a fifth of the window (a lone value says nothing). */
  fall(): number | null {
    const n = this.t.length;
    if (n < 2 || this.t[n - 1]! - this.t[0]! < this.windowMs / 5) return null;
    return Math.max(...this.v) - this.v[n - 1]!;
  }
}

/**
 * The alarms of one tile: those of its area, and the communication alarms of the devices it
 * shows (a device shared by several units — one OPC UA server for the plant — counts on each
 * of their tiles, not only on the unit its alarm's area happens to name).
 */
export function alarmsOfTile<
  A extends { readonly area: string | null; readonly source: string; readonly device: string | null },
>(alarms: Iterable<A>, tile: { readonly area?: string | undefined; readonly devices: readonly string[] }): A[] {
  const out: A[] = [];
  for (const a of alarms) {
    if (a.source === 'device' && a.device !== null) {
      if (tile.devices.includes(a.device)) out.push(a);
    } else if (tile.area !== undefined && a.area === tile.area) out.push(a);
  }
  return out;
}
