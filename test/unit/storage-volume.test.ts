/** Read-only start decisions and full-disk error recognition (pure). */
import { describe, expect, it } from 'vitest';
import { isStorageFullError, storageVerdict, READ_ONLY_BELOW_BYTES } from '../../main/runtime/storage/data-volume.js';

describe('storage verdict at start-up', () => {
  it.each([
    [{ releasedReserve: false, freeBytes: 10 * READ_ONLY_BELOW_BYTES, auditWritable: true }, 'read-write', null],
    [
      { releasedReserve: true, freeBytes: 8e6, auditWritable: true, openError: 'disk I/O error' },
      'read-only',
      /was full \(disk I\/O error\)/,
    ],
    [
      { releasedReserve: false, freeBytes: 10 * READ_ONLY_BELOW_BYTES, auditWritable: false },
      'read-only',
      /audit trail cannot be written/,
    ],
    [{ releasedReserve: false, freeBytes: READ_ONLY_BELOW_BYTES - 1, auditWritable: true }, 'read-only', /nearly full/],
    [{ releasedReserve: false, freeBytes: null, auditWritable: true }, 'read-write', null],
  ])('%j → %s', (seen, mode, reason) => {
    const verdict = storageVerdict(seen);
    expect(verdict.mode).toBe(mode);
    if (reason === null) expect(verdict.reason).toBeNull();
    else expect(verdict.reason).toMatch(reason);
  });

  it('recognises a full disk however it is reported', () => {
    expect(isStorageFullError(Object.assign(new Error('x'), { code: 'ENOSPC' }))).toBe(true);
    expect(isStorageFullError(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }))).toBe(
      true,
    );
    expect(
      isStorageFullError(
        new Error('outer', { cause: Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_WRITE' }) }),
      ),
    ).toBe(true);
    expect(isStorageFullError(new Error('no such table: users'))).toBe(false);
  });
});
