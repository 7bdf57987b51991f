/**
 * What the header says about the plant's devices: which are offline (the station cannot
 * talk to them). A device that is connecting after having been connected is offline too;
 * one that the station stopped on purpose is not a communication loss. Pure.
 */
import type { DeviceStatusDto } from '../../preload/contract.js';

export interface OfflineSummary {
  /** Names of the devices the station cannot reach, in the project's order. */
  readonly offline: readonly string[];
  readonly total: number;
}

export function isOffline(d: Pick<DeviceStatusDto, 'state'>): boolean {
  return d.state === 'disconnected' || d.state === 'connecting';
}

export function offlineSummary(devices: readonly Pick<DeviceStatusDto, 'device' | 'state'>[]): OfflineSummary {
  return { offline: devices.filter(isOffline).map((d) => d.device), total: devices.length };
}

/** The names for a line of limited width: the first `max`, then "+N". */
export function nameList(names: readonly string[], max = 3): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} +${names.length - max}`;
}
