/**
 * Follows one CSV export: the `history.export` reply names it, `history.exportProgress`
 * events move it on. A short export can finish before its reply arrives, so events for
 * exports not (yet) known are kept for a while and applied when the reply names them.
 * Pure and framework-free.
 */
import type { EventPayload } from '../../preload/contract.js';

export type ExportProgress = EventPayload<'history.exportProgress'>;

export type ExportState =
  | { readonly phase: 'idle' }
  | { readonly phase: 'starting' }
  | {
      readonly phase: 'running' | 'done';
      readonly exportId: string;
      readonly file: string;
      readonly fraction: number;
      readonly rows: number;
    }
  | { readonly phase: 'failed'; readonly message: string; readonly file?: string };

const EARLY_EVENTS_KEPT = 20;

export class ExportTracker {
  private current: ExportState = { phase: 'idle' };
  /** Events for exports whose reply has not arrived yet (latest per export). */
  private readonly early = new Map<string, ExportProgress>();

  get state(): ExportState {
    return this.current;
  }

  begin(): ExportState {
    this.early.clear();
    return (this.current = { phase: 'starting' });
  }

  /** The station accepted the export: it runs as `exportId` into `file`. */
  accepted(exportId: string, file: string): ExportState {
    this.current = { phase: 'running', exportId, file, fraction: 0, rows: 0 };
    const pending = this.early.get(exportId);
    this.early.clear();
    return pending ? this.progress(pending) : this.current;
  }

  refused(message: string): ExportState {
    return (this.current = { phase: 'failed', message });
  }

  progress(event: ExportProgress): ExportState {
    const s = this.current;
    if (s.phase === 'starting') {
      this.early.set(event.exportId, event);
      if (this.early.size > EARLY_EVENTS_KEPT) this.early.delete(this.early.keys().next().value!);
      return s;
    }
    if ((s.phase !== 'running' && s.phase !== 'done') || s.exportId !== event.exportId || s.phase === 'done') return s;
    if (event.error) return (this.current = { phase: 'failed', message: event.error, file: s.file });
    const file = event.file ?? s.file;
    // Progress never goes backwards (events may be coalesced or re-ordered on a reconnect).
    const fraction = event.done ? 1 : Math.max(s.fraction, event.fraction);
    return (this.current = {
      phase: event.done ? 'done' : 'running',
      exportId: s.exportId,
      file,
      fraction,
      rows: Math.max(s.rows, event.rows),
    });
  }

  reset(): ExportState {
    this.early.clear();
    return (this.current = { phase: 'idle' });
  }
}

/** The file name out of the station's path (either separator). */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

/** The grid step of a wide export: about 2,000 rows over the range, rounded to a step a spreadsheet reads well. */
export function wideIntervalMs(spanMs: number): number {
  const steps = [
    1000, 5000, 10_000, 30_000, 60_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 21_600_000, 43_200_000,
    86_400_000,
  ];
  const wanted = spanMs / 2000;
  return steps.find((s) => s >= wanted) ?? 86_400_000;
}

/** A progress event as it arrives (history or alarm journal export: the same shape), or null when malformed. */
export function asExportProgress(data: unknown): ExportProgress | null {
  const d = data as Partial<ExportProgress> | null;
  if (
    !d ||
    typeof d.exportId !== 'string' ||
    typeof d.fraction !== 'number' ||
    typeof d.rows !== 'number' ||
    typeof d.done !== 'boolean'
  )
    return null;
  return {
    exportId: d.exportId,
    fraction: d.fraction,
    rows: d.rows,
    done: d.done,
    ...(typeof d.file === 'string' ? { file: d.file } : {}),
    ...(typeof d.error === 'string' ? { error: d.error } : {}),
  };
}
