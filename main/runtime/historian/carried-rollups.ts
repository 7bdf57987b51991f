/**
 * The rollup buckets a raw block carries (`block_rollups.data`): the 1-minute and 1-hour
 * buckets its tag completed since its previous raw block, as two rollup blocks.
 *
 *   carried := version · minute block length (varint) · minute block · hour block
 *
 * Pure, no I/O.
 */
import { ByteReader, ByteWriter } from './byte-io.js';
import { decodeRollupBlock, encodeRollupBlock, type RollupBlock, type RollupColumns } from './rollup-block.js';
import { RollupRows, TIER_HOUR, TIER_MINUTE, TIER_WIDTH_MS } from './rollups.js';

const CARRIED_VERSION = 1;

export interface CarriedRollups {
  readonly minute: RollupBlock;
  readonly hour: RollupBlock;
}

export function encodeCarried(minute: RollupColumns, hour: RollupColumns): Uint8Array {
  const m = encodeRollupBlock(minute, TIER_WIDTH_MS[TIER_MINUTE]);
  const h = encodeRollupBlock(hour, TIER_WIDTH_MS[TIER_HOUR]);
  const w = new ByteWriter(8 + m.length + h.length);
  w.byte(CARRIED_VERSION);
  w.varint(m.length);
  w.bytes(m);
  w.bytes(h);
  return w.finish();
}

export function decodeCarried(bytes: Uint8Array): CarriedRollups {
  const r = new ByteReader(bytes);
  const version = r.byte();
  if (version !== CARRIED_VERSION) throw new RangeError(`unknown carried rollups version ${version}`);
  const length = r.varint();
  const minute = decodeRollupBlock(r.bytes(length));
  const hour = decodeRollupBlock(bytes.subarray(r.offset));
  return { minute, hour };
}

/** Append the buckets of `from` starting at or after `notBefore` to `into`. */
export function appendBuckets(into: RollupRows, from: RollupColumns, notBefore = -Infinity): void {
  into.append(from, notBefore);
}
