/**
 * The SQL side of the historian: prepared statements over the `series`, `segments`,
 * `block_rollups`, `recent` and `gaps` tables. No policy here, only rows in and out.
 */
import type Database from 'better-sqlite3';
import { TIER_WIDTH_MS, type Tier } from './rollups.js';

export interface SegmentRow {
  readonly id: number;
  readonly t_start: number;
  readonly t_end: number;
  readonly n: number;
  readonly data: Uint8Array;
}

export interface SeriesRow {
  readonly id: number;
  readonly tag: string;
  readonly tier: Tier;
  readonly covered_to: number;
}

export interface GapRecord {
  readonly tag: string;
  readonly from: number;
  readonly to: number;
  readonly samples: number;
  readonly reason: string;
}

/** The rollup buckets carried with a raw block (`block_rollups`), with the block's span. */
export interface CarriedRow {
  readonly t_start: number;
  readonly t_end: number;
  /** Where the tag's open 1-minute / 1-hour bucket started when the block was written. */
  readonly minute_to: number;
  readonly hour_to: number;
  readonly data: Uint8Array;
}

/** The recent samples of a tag not yet in a block, as a block (in memory, or decoded from the journal). */
export type RecentBlock = (tag: string) => SegmentRow | null;

export class SeriesStore {
  /** Where queries find each tag's samples that are not in a block yet (set by the writer or reader). */
  recent: RecentBlock = () => null;
  private readonly selectSeries;
  private readonly insertSeries;
  private readonly allSeries;
  private readonly seriesPageStmt;
  private readonly coveredStmt;
  private readonly updateCovered;
  private readonly insertSegmentStmt;
  private readonly deleteSegmentStmt;
  private readonly unsealedStmt;
  private readonly unsealedStatsStmt;
  private readonly rangeStmt;
  private readonly lastSegmentStmt;
  private readonly insertGapStmt;
  private readonly gapsStmt;
  private readonly expiredStmt;
  private readonly deleteGapsBeforeStmt;
  private readonly insertRecentStmt;
  private readonly deleteRecentStmt;
  private readonly recentRowsStmt;
  private readonly insertCarriedStmt;
  private readonly carriedStmt;
  private readonly deleteCarriedStmt;
  private readonly carriedRangeStmt;
  private readonly lastCarriedStmt;
  private readonly firstCarriedStmt;
  private readonly firstStartStmt;

  constructor(readonly db: Database.Database) {
    // covered_to: how far a rollup tier is written — the end of its last bucket, read from its
    // last block (the column is what files of an earlier version kept up to date per write,
    // which rewrote a page of `series` per tag and hour).
    const covered = `max(covered_to, coalesce((SELECT t_end FROM segments WHERE series_id = series.id ORDER BY t_start DESC LIMIT 1)
      + CASE tier WHEN 1 THEN ${TIER_WIDTH_MS[1]} WHEN 2 THEN ${TIER_WIDTH_MS[2]} ELSE 0 END, 0)) AS covered_to`;
    this.selectSeries = db.prepare<[string, number], SeriesRow>(
      `SELECT id, tag, tier, ${covered} FROM series WHERE tag = ? AND tier = ?`,
    );
    this.insertSeries = db.prepare<[string, number]>('INSERT OR IGNORE INTO series (tag, tier) VALUES (?, ?)');
    this.allSeries = db.prepare<[], SeriesRow>(`SELECT id, tag, tier, ${covered} FROM series`);
    this.seriesPageStmt = db.prepare<[number, number], { id: number; tag: string; tier: Tier }>(
      'SELECT id, tag, tier FROM series WHERE id > ? ORDER BY id LIMIT ?',
    );
    this.coveredStmt = db.prepare<[number], { covered_to: number }>(`SELECT ${covered} FROM series WHERE id = ?`);
    this.updateCovered = db.prepare<[number, number]>('UPDATE series SET covered_to = ? WHERE id = ?');
    this.insertSegmentStmt = db.prepare<[number, number, number, number, number, Uint8Array]>(
      'INSERT INTO segments (series_id, t_start, t_end, n, sealed, data) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.deleteSegmentStmt = db.prepare<[number]>('DELETE FROM segments WHERE id = ?');
    this.unsealedStmt = db.prepare<[number], SegmentRow>(
      'SELECT id, t_start, t_end, n, data FROM segments WHERE series_id = ? AND sealed = 0 ORDER BY t_start',
    );
    this.unsealedStatsStmt = db.prepare<[], { series_id: number; n: number; first: number }>(
      'SELECT series_id, sum(n) AS n, min(t_start) AS first FROM segments WHERE sealed = 0 GROUP BY series_id',
    );
    // Blocks overlapping [from, to]: from the block holding `from` (the last one starting at or before it) on.
    this.rangeStmt = db.prepare<[number, number, number, number, number], SegmentRow>(
      `SELECT id, t_start, t_end, n, data FROM segments
       WHERE series_id = ? AND t_start <= ?
         AND t_start >= coalesce((SELECT max(t_start) FROM segments WHERE series_id = ? AND t_start <= ?), ?)
       ORDER BY t_start`,
    );
    this.lastSegmentStmt = db.prepare<[number], SegmentRow>(
      'SELECT id, t_start, t_end, n, data FROM segments WHERE series_id = ? ORDER BY t_start DESC LIMIT 1',
    );
    this.insertGapStmt = db.prepare<[string, number, number, number, string, number]>(
      'INSERT INTO gaps (tag, t_from, t_to, samples, reason, recorded_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.gapsStmt = db.prepare<
      [string, number, number],
      { t_from: number; t_to: number; samples: number; reason: string }
    >(
      'SELECT t_from, t_to, samples, reason FROM gaps WHERE tag = ? AND t_from <= ? AND t_to >= ? ORDER BY t_from LIMIT 1000',
    );
    this.expiredStmt = db.prepare<[number, number, number, number], { id: number }>(
      'SELECT id FROM segments WHERE series_id = ? AND t_start < ? AND t_end < ? LIMIT ?',
    );
    this.deleteGapsBeforeStmt = db.prepare<[number]>('DELETE FROM gaps WHERE t_to < ?');
    this.firstStartStmt = db.prepare<[number], { t: number | null }>(
      'SELECT min(t_start) AS t FROM segments WHERE series_id = ?',
    );
    // A file of an older version opened read-only has no journal yet (migration 0002).
    const hasRecent =
      db
        .prepare<[], { n: number }>("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'recent'")
        .get()?.n === 1;
    this.insertRecentStmt = hasRecent
      ? db.prepare<[number, number, Uint8Array]>('INSERT INTO recent (written_at, n, data) VALUES (?, ?, ?)')
      : null;
    this.deleteRecentStmt = hasRecent ? db.prepare<[number]>('DELETE FROM recent WHERE id < ?') : null;
    this.recentRowsStmt = hasRecent
      ? db.prepare<[], { id: number; data: Uint8Array }>('SELECT id, data FROM recent ORDER BY id')
      : null;
    // A file of an older version opened read-only has no carried rollups (migration 0003).
    const hasCarried =
      db
        .prepare<[], { n: number }>(
          "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'block_rollups'",
        )
        .get()?.n === 1;
    this.insertCarriedStmt = hasCarried
      ? db.prepare<[number, number, number, Uint8Array]>(
          'INSERT INTO block_rollups (segment_id, minute_to, hour_to, data) VALUES (?, ?, ?, ?)',
        )
      : null;
    this.carriedStmt = hasCarried
      ? db.prepare<[number], CarriedRow>(
          'SELECT 0 AS t_start, 0 AS t_end, minute_to, hour_to, data FROM block_rollups WHERE segment_id = ?',
        )
      : null;
    this.deleteCarriedStmt = hasCarried ? db.prepare<[number]>('DELETE FROM block_rollups WHERE segment_id = ?') : null;
    // Like rangeStmt: the blocks from the one holding `from` on, those that carry rollups.
    this.carriedRangeStmt = hasCarried
      ? db.prepare<[number, number, number, number, number], CarriedRow>(
          `SELECT s.t_start, s.t_end, c.minute_to, c.hour_to, c.data FROM segments s JOIN block_rollups c ON c.segment_id = s.id
           WHERE s.series_id = ? AND s.t_start <= ?
             AND s.t_start >= coalesce((SELECT max(t_start) FROM segments WHERE series_id = ? AND t_start <= ?), ?)
           ORDER BY s.t_start`,
        )
      : null;
    this.lastCarriedStmt = hasCarried
      ? db.prepare<[number, number], CarriedRow>(
          `SELECT s.t_start, s.t_end, c.minute_to, c.hour_to, c.data FROM segments s JOIN block_rollups c ON c.segment_id = s.id
           WHERE s.series_id = ? AND s.t_start >= ? ORDER BY s.t_start DESC LIMIT 1`,
        )
      : null;
    this.firstCarriedStmt = hasCarried
      ? db.prepare<[number, number], { t: number | null }>(
          `SELECT min(s.t_start) AS t FROM segments s JOIN block_rollups c ON c.segment_id = s.id
           WHERE s.series_id = ? AND s.t_start < ?`,
        )
      : null;
  }

  /** Carry rollup buckets with the raw block `segmentId` (inside the caller's transaction). */
  insertCarried(segmentId: number, minuteTo: number, hourTo: number, data: Uint8Array): void {
    if (!this.insertCarriedStmt)
      throw new Error('the history file has no carried rollups table (schema older than 0003-block-rollups)');
    this.insertCarriedStmt.run(segmentId, minuteTo, hourTo, data);
  }

  /** The rollups carried by one raw block, if any. */
  carried(segmentId: number): CarriedRow | undefined {
    return this.carriedStmt?.get(segmentId);
  }

  /** The raw blocks of a series overlapping [from, to] that carry rollups, in time order. */
  carriedInRange(rawSeriesId: number, from: number, to: number): CarriedRow[] {
    return this.carriedRangeStmt ? this.carriedRangeStmt.all(rawSeriesId, to, rawSeriesId, from, from) : [];
  }

  /** The last raw block starting at or after `notBefore` that carries rollups. */
  lastCarried(rawSeriesId: number, notBefore: number): CarriedRow | undefined {
    return this.lastCarriedStmt?.get(rawSeriesId, notBefore);
  }

  /** Where the first raw block of a series starting before `before` that carries rollups starts (null: none). */
  firstCarriedBefore(rawSeriesId: number, before: number): number | null {
    return this.firstCarriedStmt?.get(rawSeriesId, before)?.t ?? null;
  }

  /** Append a journal row; returns its id. */
  insertRecent(writtenAt: number, n: number, data: Uint8Array): number {
    if (!this.insertRecentStmt)
      throw new Error('the history file has no journal table (schema older than 0002-recent)');
    return Number(this.insertRecentStmt.run(writtenAt, n, data).lastInsertRowid);
  }

  /** Delete the journal rows before `id`. */
  deleteRecentBefore(id: number): void {
    this.deleteRecentStmt?.run(id);
  }

  recentRows(): IterableIterator<{ id: number; data: Uint8Array }> {
    return this.recentRowsStmt ? this.recentRowsStmt.iterate() : [][Symbol.iterator]();
  }

  series(tag: string, tier: Tier): SeriesRow | undefined {
    return this.selectSeries.get(tag, tier);
  }

  ensureSeries(tag: string, tier: Tier): SeriesRow {
    this.insertSeries.run(tag, tier);
    const row = this.selectSeries.get(tag, tier);
    if (!row) throw new Error(`series ${tag}/${tier} vanished after insert`);
    return row;
  }

  listSeries(): SeriesRow[] {
    return this.allSeries.all();
  }

  /** Up to `limit` series after id `after`, in id order (without how far each is written: that costs a lookup each). */
  seriesPage(after: number, limit: number): Array<{ id: number; tag: string; tier: Tier }> {
    return this.seriesPageStmt.all(after, limit);
  }

  /** How far a series is written (`covered_to`, see `listSeries`). */
  coveredTo(seriesId: number): number {
    return this.coveredStmt.get(seriesId)?.covered_to ?? 0;
  }

  setCoveredTo(seriesId: number, t: number): void {
    this.updateCovered.run(t, seriesId);
  }

  /** Insert a block; returns its id. */
  insertSegment(seriesId: number, tStart: number, tEnd: number, n: number, sealed: boolean, data: Uint8Array): number {
    return Number(this.insertSegmentStmt.run(seriesId, tStart, tEnd, n, sealed ? 1 : 0, data).lastInsertRowid);
  }

  /** Delete a block (and the rollups it carries). */
  deleteSegment(id: number): void {
    this.deleteSegmentStmt.run(id);
    this.deleteCarriedStmt?.run(id);
  }

  unsealed(seriesId: number): SegmentRow[] {
    return this.unsealedStmt.all(seriesId);
  }

  unsealedStats(): Array<{ series_id: number; n: number; first: number }> {
    return this.unsealedStatsStmt.all();
  }

  segmentsInRange(seriesId: number, from: number, to: number): IterableIterator<SegmentRow> {
    return this.rangeStmt.iterate(seriesId, to, seriesId, from, from);
  }

  /** Where the first block of a series starts (null: no block). */
  firstStart(seriesId: number): number | null {
    return this.firstStartStmt.get(seriesId)?.t ?? null;
  }

  lastSegment(seriesId: number): SegmentRow | undefined {
    return this.lastSegmentStmt.get(seriesId);
  }

  insertGap(gap: GapRecord, recordedAt: number): void {
    this.insertGapStmt.run(gap.tag, gap.from, gap.to, gap.samples, gap.reason, recordedAt);
  }

  gaps(tag: string, from: number, to: number): Array<{ from: number; to: number; samples: number; reason: string }> {
    return this.gapsStmt
      .all(tag, to, from)
      .map((g) => ({ from: g.t_from, to: g.t_to, samples: g.samples, reason: g.reason }));
  }

  /** Up to `limit` ids of blocks of a series that end before `cutoff`. */
  expired(seriesId: number, cutoff: number, limit: number): number[] {
    return this.expiredStmt.all(seriesId, cutoff, cutoff, limit).map((r) => r.id);
  }

  deleteGapsBefore(cutoff: number): void {
    this.deleteGapsBeforeStmt.run(cutoff);
  }
}
