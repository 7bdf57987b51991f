/**
 * How far the station server's JavaScript heap may grow before V8 collects it again. By
 * default V8 lets the old generation grow to up to four times what survived the last full
 * collection. At 50 substations about 110 MB survive, while the drivers and the OPC UA
 * client allocate tens of MB a second, much of it living just long enough to be promoted:
 * the process held 650–980 MB resident, most of it garbage waiting for that collection.
 * Growing by 40 % at a time keeps it near 350 MB for the same CPU (bench/README figures).
 * `ARGUS_HEAP_GROWING_PERCENT` overrides it (0: V8's own policy).
 */
import { setFlagsFromString } from 'node:v8';

export const DEFAULT_HEAP_GROWING_PERCENT = 40;

/** The percentage to apply (null: leave V8's policy), from the environment's override or the default. */
export function heapGrowingPercent(env: NodeJS.ProcessEnv = process.env): number | null {
  const text = env.ARGUS_HEAP_GROWING_PERCENT;
  if (text === undefined || text.trim() === '') return DEFAULT_HEAP_GROWING_PERCENT;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 1000)
    throw new RangeError(`ARGUS_HEAP_GROWING_PERCENT must be a whole number from 0 to 1000, got "${text}"`);
  return n === 0 ? null : n;
}

/** Call first thing at start, before the project is loaded. Returns the percentage applied (null: none). */
export function limitHeapGrowth(env: NodeJS.ProcessEnv = process.env): number | null {
  const percent = heapGrowingPercent(env);
  if (percent !== null) setFlagsFromString(`--heap-growing-percent=${percent}`);
  return percent;
}
