/**
 * A tag's state after a restart: its storage filter continues from its last stored point,
 * and its open rollup buckets (and completed ones not yet written) are rebuilt from the raw
 * points after those written — in its rollup series up to `covered_to`, then carried with
 * its raw blocks up to the last block's marks.
 */
import type { TagValue } from '../../../protocols/driver.js';
import type { SeriesStore } from './series-store.js';
import type { SeriesState } from './series-writer.js';
import type { TagState } from './write-batch.js';
import { numericOf, withPending } from './write-batch.js';
import { RollupRows, TIER_HOUR, TIER_MINUTE, TIER_RAW, TIER_WIDTH_MS } from './rollups.js';
import { decodeSampleBlock, reasonAt, valueAt } from './sample-block.js';
import { queryRaw } from './history-query.js';

/** How far back from its last point a tag's last carried buckets are looked for. */
const CARRIED_LOOKBACK_MS = 7 * 86_400_000;

/** `series`: the file's series by `tag \u0000 tier`. */
export function restoreTag(store: SeriesStore, series: ReadonlyMap<string, SeriesState>, st: TagState): void {
  const raw = series.get(`${st.name}\u0000${TIER_RAW}`);
  const tail = st.tail;
  if (!raw && tail.n === 0) return;
  let lastT: number;
  if (tail.n > 0) {
    lastT = tail.lastT;
    st.filter.restore({ t: lastT, v: tail.lastV, q: tail.lastQ, r: tail.lastR });
  } else {
    if (!raw) return;
    const last = store.lastSegment(raw.id);
    if (!last) return;
    const block = decodeSampleBlock(last.data);
    const i = block.n - 1;
    if (i < 0) return;
    lastT = block.t[i] as number;
    st.filter.restore({ t: lastT, v: valueAt(block, i), q: block.q[i] as number, r: reasonAt(block, i) });
  }
  // Rollup buckets completed after those written (in the rollup series up to `covered_to`,
  // then carried with raw blocks up to the last block's marks) are rebuilt here and
  // written with the tag's next block.
  const minuteCovered = series.get(`${st.name}\u0000${TIER_MINUTE}`)?.coveredTo ?? 0;
  const hourCovered = series.get(`${st.name}\u0000${TIER_HOUR}`)?.coveredTo ?? 0;
  const carried = raw ? store.lastCarried(raw.id, lastT - CARRIED_LOOKBACK_MS) : undefined;
  st.minuteTo = Math.max(minuteCovered, carried?.minute_to ?? 0);
  st.hourTo = Math.max(hourCovered, carried?.hour_to ?? 0);
  if (carried && raw) st.carriedFrom = minuteCovered > 0 ? minuteCovered : (store.firstStart(raw.id) ?? Infinity);
  const minuteFrom = st.minuteTo;
  const hourFrom = st.hourTo;
  const from = Math.max(Math.min(minuteFrom, hourFrom), lastT - 3 * TIER_WIDTH_MS[TIER_HOUR]);
  const points = queryRaw(store, st.name, from, Infinity, 1_000_000);
  const pendingMinute = new RollupRows();
  const pendingHour = new RollupRows();
  for (let k = 0; k < points.t.length; k++) {
    const x = numericOf(points.v[k] as TagValue);
    if (x === null) continue;
    const t = points.t[k] as number;
    const good = points.q[k] === 0;
    if (t >= minuteFrom) st.minute.add(t, x, good, pendingMinute);
    if (t >= hourFrom) st.hour.add(t, x, good, pendingHour);
  }
  st.pendingMinute = withPending(st.pendingMinute, pendingMinute);
  st.pendingHour = withPending(st.pendingHour, pendingHour);
}
