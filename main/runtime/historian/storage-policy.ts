/**
 * What the historian keeps of a tag's samples: on change beyond a deadband (absolute,
 * or percent of the engineering range), or swinging-door compression with a deviation,
 * plus a heartbeat so a flat line is still a line. Quality changes are always stored.
 *
 * `historyConfigSchema` is the optional `history` field of a tag in the project file;
 * `resolveStoragePolicy` turns it plus the tag's kind and range into the policy the
 * historian applies. Pure.
 */
import { z } from 'zod';

export const historyConfigSchema = z
  .object({
    /** `deadband` (default): store on change beyond the deadband; `swinging-door`: linear compression; `off`: keep no history. */
    mode: z.enum(['deadband', 'swinging-door', 'off']).optional(),
    /** Absolute deadband (deadband mode) or deviation (swinging door), engineering units. */
    deadband: z.number().min(0).optional(),
    /** The same as a percentage of the tag's range (or, without a range, of the last stored value). */
    deadbandPercent: z.number().min(0).max(100).optional(),
    /** Store at least every N seconds even when nothing changed; 0 turns the heartbeat off. */
    heartbeatS: z.number().int().min(0).max(86_400).optional(),
  })
  .strict();
export type HistoryConfig = z.infer<typeof historyConfigSchema>;

export interface StoragePolicy {
  readonly mode: 'deadband' | 'swinging-door' | 'off';
  /** Absolute deadband or swinging-door deviation, engineering units (0 = every change). */
  readonly deadband: number;
  /** Percent of the last stored value's magnitude, used when no absolute deadband could be derived. */
  readonly relativePercent: number;
  /** 0 = no heartbeat. */
  readonly heartbeatMs: number;
}

export type TagKind = 'analog' | 'digital' | 'text';

/** Analog: every change, a heartbeat a minute. Digital and text: every change, a heartbeat every 10 minutes. */
export const DEFAULT_HEARTBEAT_S: Readonly<Record<TagKind, number>> = { analog: 60, digital: 600, text: 600 };

export const STORE_EVERYTHING: StoragePolicy = Object.freeze({
  mode: 'deadband',
  deadband: 0,
  relativePercent: 0,
  heartbeatMs: 60_000,
});

export function resolveStoragePolicy(
  config: HistoryConfig | undefined,
  tag: { readonly kind: TagKind; readonly range?: readonly [number, number] },
): StoragePolicy {
  const mode = config?.mode ?? 'deadband';
  const heartbeatMs = (config?.heartbeatS ?? DEFAULT_HEARTBEAT_S[tag.kind]) * 1000;
  if (tag.kind !== 'analog')
    return { mode: mode === 'off' ? 'off' : 'deadband', deadband: 0, relativePercent: 0, heartbeatMs };
  const percent = config?.deadbandPercent ?? 0;
  const span = tag.range ? Math.abs(tag.range[1] - tag.range[0]) : 0;
  const fromPercent = span > 0 ? (percent * span) / 100 : 0;
  const deadband = Math.max(config?.deadband ?? 0, fromPercent);
  const relativePercent = deadband === 0 && span === 0 ? percent : 0;
  return { mode, deadband, relativePercent, heartbeatMs };
}
