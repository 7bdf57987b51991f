import { describe, expect, it } from 'vitest';
import { ExportTracker, baseName, wideIntervalMs } from '../../renderer/trends/export-tracker.js';

const ev = (exportId: string, fraction: number, done = false, extra: { file?: string; error?: string } = {}) => ({
  exportId,
  fraction,
  rows: Math.round(fraction * 100),
  done,
  ...extra,
});

describe('ExportTracker', () => {
  it('follows progress to done with the file name', () => {
    const t = new ExportTracker();
    expect(t.begin().phase).toBe('starting');
    expect(t.accepted('e1', '/data/exports/a.csv')).toMatchObject({ phase: 'running', fraction: 0 });
    expect(t.progress(ev('e1', 0.4))).toMatchObject({ phase: 'running', fraction: 0.4, rows: 40 });
    expect(t.progress(ev('e1', 1, true, { file: '/data/exports/a.csv' }))).toMatchObject({
      phase: 'done',
      fraction: 1,
      file: '/data/exports/a.csv',
    });
  });

  it('applies progress that arrived before the reply', () => {
    const t = new ExportTracker();
    t.begin();
    t.progress(ev('e2', 1, true, { file: '/x/b.csv' }));
    expect(t.accepted('e2', '/x/b.csv')).toMatchObject({ phase: 'done', file: '/x/b.csv' });
  });

  it('ignores other exports and never goes backwards', () => {
    const t = new ExportTracker();
    t.begin();
    t.accepted('e3', 'f');
    t.progress(ev('e3', 0.6));
    expect(t.progress(ev('other', 0.9)).phase === 'running' && t.state).toMatchObject({ fraction: 0.6 });
    expect(t.progress(ev('e3', 0.2))).toMatchObject({ fraction: 0.6 });
  });

  it('reports a failed export with its reason, and a refused one', () => {
    const t = new ExportTracker();
    t.begin();
    t.accepted('e4', 'f');
    expect(t.progress(ev('e4', 0, true, { error: 'disk full' }))).toEqual({
      phase: 'failed',
      message: 'disk full',
      file: 'f',
    });
    t.begin();
    expect(t.refused('FORBIDDEN: not allowed')).toEqual({ phase: 'failed', message: 'FORBIDDEN: not allowed' });
  });

  it('stays done once done', () => {
    const t = new ExportTracker();
    t.begin();
    t.accepted('e5', 'f');
    t.progress(ev('e5', 1, true));
    expect(t.progress(ev('e5', 0.5)).phase).toBe('done');
  });
});

describe('export helpers', () => {
  it('takes the file name from a station path', () => {
    expect(baseName('/var/argus/exports/history-1.csv')).toBe('history-1.csv');
    expect(baseName('C:\\Argus\\exports\\h.csv')).toBe('h.csv');
  });
  it('picks a wide-export grid step of about 2000 rows', () => {
    expect(wideIntervalMs(15 * 60_000)).toBe(1000);
    expect(wideIntervalMs(86_400_000)).toBe(60_000);
    expect(wideIntervalMs(365 * 86_400_000)).toBe(21_600_000);
  });
});
