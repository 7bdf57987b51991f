/**
 * Fills a (small, test-mounted) file system to its last byte by writing `file` until the
 * disk says no: whole 64 KiB blocks first, then 512-byte ones for what is left.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

export function fillToTheLastByte(file: string): void {
  const fd = openSync(file, 'w');
  try {
    for (;;) writeSync(fd, Buffer.alloc(64 * 1024));
  } catch {
    for (;;) {
      try {
        writeSync(fd, Buffer.alloc(512));
      } catch {
        break;
      }
    }
  } finally {
    closeSync(fd);
  }
}
