import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { AuditTrail, AuditWriteError, verifyChain } from '../../main/runtime/security/audit-trail.js';
import { entryHash, type AuditInput } from '../../main/runtime/security/audit-entry.js';
import { lacking } from '../support/prerequisites.js';
import { fillToTheLastByte } from '../support/fill-volume.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'argus-audit-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function write(tag: string, oldValue: number, newValue: number, actor = 'alice'): AuditInput {
  return {
    actor,
    role: 'operator',
    source: '127.0.0.1',
    action: 'tag.write',
    target: tag,
    details: { tag, old: oldValue, new: newValue, result: 'ok' },
  };
}

/** A trail with `n` entries at a fixed clock, closed, returning its file. */
function trailWith(n: number): string {
  const file = join(tempDir(), 'audit.db');
  let now = 1_700_000_000_000;
  const trail = AuditTrail.open(file, { clock: () => (now += 1000) });
  for (let i = 1; i <= n; i++) trail.append(write(`SS01.TV${i}.Setpoint`, i, i + 1));
  trail.close();
  return file;
}

/** What an attacker with access to the file does: another tool, triggers dropped first. */
function tamper(file: string, sql: string, ...params: unknown[]): void {
  const db = new Database(file);
  db.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;');
  db.prepare(sql).run(...params);
  db.close();
}

describe('audit trail: appending and the hash chain', () => {
  let trail: AuditTrail;
  let file: string;
  let now: number;
  beforeEach(() => {
    file = join(tempDir(), 'audit.db');
    now = 1_700_000_000_000;
    trail = AuditTrail.open(file, { clock: () => now });
  });
  afterEach(() => trail.close());

  it('runs with WAL and synchronous=FULL on its own connection', () => {
    expect(trail.settings()).toEqual({ journalMode: 'wal', synchronous: 'FULL' });
    // and the file really is in WAL mode for any other reader
    const other = new Database(file, { readonly: true });
    expect(other.pragma('journal_mode', { simple: true })).toBe('wal');
    other.close();
  });

  it('chains entries: seq from 1, prev_hash = hash of the entry before, genesis = 64 zeros', () => {
    const a = trail.append(write('SS01.TV1.Setpoint', 50, 55));
    now += 5;
    const b = trail.append({
      actor: 'bob',
      role: 'technician',
      source: 'desktop',
      action: 'alarm.shelve',
      target: 'SS01.PT1.HI',
      details: { minutes: 30 },
    });
    expect(a.seq).toBe(1);
    expect(a.prevHash).toBe('0'.repeat(64));
    expect(b.seq).toBe(2);
    expect(b.prevHash).toBe(a.hash);
    expect(b.time).toBe(1_700_000_000_005);
    expect(verifyChain(file)).toEqual({ ok: true, entries: 2, head: { seq: 2, hash: b.hash } });
  });

  it('continues the chain after a reopen', () => {
    trail.append(write('SS01.TV1.Setpoint', 1, 2));
    trail.close();
    trail = AuditTrail.open(file, { clock: () => now });
    const next = trail.append(write('SS01.TV1.Setpoint', 2, 3));
    expect(next.seq).toBe(2);
    expect(verifyChain(file).ok).toBe(true);
  });

  it('refuses UPDATE and DELETE through SQL (triggers)', () => {
    trail.append(write('SS01.TV1.Setpoint', 1, 2));
    const other = new Database(file);
    expect(() => other.prepare("UPDATE audit_log SET actor = 'mallory'").run()).toThrow(/append-only/);
    expect(() => other.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    other.close();
    expect(verifyChain(file).ok).toBe(true);
  });

  it('refuses an action outside the closed list, and over-long details', () => {
    expect(() => trail.append({ ...write('A.B', 1, 2), action: 'format.disk' as AuditInput['action'] })).toThrow(
      AuditWriteError,
    );
    expect(() => trail.append({ ...write('A.B', 1, 2), details: { blob: 'x'.repeat(70_000) } })).toThrow(
      AuditWriteError,
    );
    expect(trail.count()).toBe(0);
  });

  it('clamps an attacker-sized user name in a failed login instead of storing it whole', () => {
    const entry = trail.append({
      actor: 'x'.repeat(100_000),
      role: '',
      source: '10.0.0.9',
      action: 'login.failed',
      details: { reason: 'invalid-credentials' },
    });
    expect(entry.actor.length).toBe(256);
    expect(verifyChain(file).ok).toBe(true);
  });

  it('queries with filters, newest first, and counts', () => {
    for (let i = 0; i < 5; i++) {
      now += 1000;
      trail.append(write(`SS01.TV${i % 2}.Setpoint`, i, i + 1, i < 3 ? 'alice' : 'bob'));
    }
    now += 1000;
    trail.append({ actor: 'alice', role: 'operator', source: 'desktop', action: 'logout' });
    expect(trail.query().map((e) => e.seq)).toEqual([6, 5, 4, 3, 2, 1]);
    expect(trail.query({ actor: 'bob' }).map((e) => e.seq)).toEqual([5, 4]);
    expect(trail.query({ action: 'tag.write', target: 'SS01.TV0.Setpoint', order: 'asc' }).map((e) => e.seq)).toEqual([
      1, 3, 5,
    ]);
    expect(trail.query({ from: 1_700_000_002_000, to: 1_700_000_004_000 }).map((e) => e.seq)).toEqual([3, 2]);
    expect(trail.query({ limit: 2, offset: 1 }).map((e) => e.seq)).toEqual([5, 4]);
    expect(trail.count({ actor: 'alice' })).toBe(4);
    expect(trail.query({ action: 'tag.write', limit: 1 })[0]?.details).toEqual({
      new: 5,
      old: 4,
      result: 'ok',
      tag: 'SS01.TV0.Setpoint',
    });
  });

  it('exports CSV through a separate reader while appends go on', async () => {
    trail.append(write('SS01.TV1.Setpoint', 1, 2));
    trail.append({
      actor: '=cmd|calc',
      role: '',
      source: '10.0.0.9',
      action: 'login.failed',
      details: { reason: 'invalid-credentials' },
    });
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const rows = await trail.exportCsv({}, out);
    trail.append(write('SS01.TV1.Setpoint', 2, 3)); // the trail is not blocked by the export
    const lines = Buffer.concat(chunks).toString('utf8').trimEnd().split('\r\n');
    expect(rows).toBe(2);
    expect(lines[0]).toBe('seq,time,actor,role,source,action,target,details,prev_hash,hash');
    expect(lines[1]).toMatch(
      /^1,2023-11-14T22:13:20.000Z,alice,operator,127.0.0.1,tag.write,SS01.TV1.Setpoint,"{""new"":2,""old"":1,""result"":""ok"",""tag"":""SS01.TV1.Setpoint""}",0{64},[0-9a-f]{64}$/,
    );
    expect(lines[2]).toContain(",'=cmd|calc,");
  });
});

describe('audit trail: tampering is detected', () => {
  it('an edited row fails verification at exactly that row', () => {
    const file = trailWith(10);
    expect(verifyChain(file)).toMatchObject({ ok: true, entries: 10 });
    tamper(file, "UPDATE audit_log SET details = json_set(details, '$.new', 99) WHERE seq = 6");
    expect(verifyChain(file)).toMatchObject({ ok: false, firstBrokenSeq: 6, entriesChecked: 5 });
  });

  it.each([
    ['actor', "'mallory'"],
    ['time', 'time + 1'],
    ['role', "'admin'"],
    ['target', "'SS01.OTHER'"],
    ['action', "'login'"],
  ])('editing the %s column of row 4 is detected at row 4', (column, value) => {
    const file = trailWith(6);
    tamper(file, `UPDATE audit_log SET ${column} = ${value} WHERE seq = 4`);
    expect(verifyChain(file)).toMatchObject({ ok: false, firstBrokenSeq: 4 });
  });

  it('an edit with a recomputed (unkeyed) hash is caught at the forged row itself', () => {
    const file = trailWith(5);
    const db = new Database(file, { readonly: true });
    const row = db.prepare('SELECT * FROM audit_log WHERE seq = 3').get() as Record<string, unknown>;
    db.close();
    // forge row 3 completely (a valid hash over the new content)
    const forgedDetails = '{"new":999,"old":3,"result":"ok","tag":"SS01.TV3.Setpoint"}';
    const forgedHash = entryHash({
      seq: 3,
      time: row.time as number,
      actor: row.actor as string,
      role: row.role as string,
      source: row.source as string,
      action: row.action as string,
      target: row.target as string,
      details: forgedDetails,
      prevHash: row.prev_hash as string,
    });
    tamper(file, 'UPDATE audit_log SET details = ?, hash = ? WHERE seq = 3', forgedDetails, forgedHash);
    const result = verifyChain(file);
    expect(result).toMatchObject({ ok: false, firstBrokenSeq: 3 });
    if (!result.ok) expect(result.reason).toMatch(/entry 3 does not match its MAC/);
  });

  it('a deleted row is detected where it is missing', () => {
    const file = trailWith(8);
    tamper(file, 'DELETE FROM audit_log WHERE seq = 5');
    const result = verifyChain(file);
    expect(result).toMatchObject({ ok: false, firstBrokenSeq: 5 });
    if (!result.ok) expect(result.reason).toMatch(/entry 5 is missing/);
  });

  it('deleting the first row is detected', () => {
    const file = trailWith(3);
    tamper(file, 'DELETE FROM audit_log WHERE seq = 1');
    expect(verifyChain(file)).toMatchObject({ ok: false, firstBrokenSeq: 1 });
  });

  it('deleting a row and renumbering the rest is detected', () => {
    const file = trailWith(6);
    tamper(file, 'DELETE FROM audit_log WHERE seq = 2');
    tamper(file, 'UPDATE audit_log SET seq = seq - 1 WHERE seq > 2');
    expect(verifyChain(file)).toMatchObject({ ok: false, firstBrokenSeq: 2 });
  });

  it('a cut-off tail is detected when the head was kept elsewhere', () => {
    const file = trailWith(6);
    const trail = AuditTrail.open(file);
    const head = trail.head();
    trail.close();
    if (!head) throw new Error('expected a head');
    tamper(file, 'DELETE FROM audit_log WHERE seq >= 5');
    expect(verifyChain(file).ok).toBe(true); // the chain alone cannot see a cut tail …
    expect(verifyChain(file, { expectedHead: head })).toMatchObject({ ok: false, firstBrokenSeq: 5 }); // … the kept head can
  });

  it('npm run audit:verify (scripts/audit-verify.ts) exits 0 on a sound trail and 1 naming the first broken link', () => {
    const file = trailWith(4);
    const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
    const script = join(process.cwd(), 'scripts', 'audit-verify.ts');
    const good = spawnSync(tsx, [script, file], { encoding: 'utf8' });
    expect(good.status).toBe(0);
    expect(good.stdout).toMatch(/chain intact: 4 entries/);
    tamper(file, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 2");
    const bad = spawnSync(tsx, [script, file], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stdout + bad.stderr).toMatch(/BROKEN at entry 2/);
    const missing = spawnSync(tsx, [script, join(tempDir(), 'nope.db')], { encoding: 'utf8' });
    expect(missing.status).toBe(2);
  });
});

describe('audit trail: no privileged action without its record', () => {
  it('withAudit records requested + result around a successful action', async () => {
    const file = join(tempDir(), 'audit.db');
    const trail = AuditTrail.open(file);
    const value = await trail.withAudit(
      write('SS01.TV1.Setpoint', 50, 55),
      async () => 'written',
      () => ({ confirmedValue: 55 }),
    );
    expect(value).toBe('written');
    const [result, requested] = trail.query();
    expect(requested?.details).toMatchObject({ result: 'requested', old: 50, new: 55 });
    expect(result?.details).toMatchObject({ result: 'ok', requestSeq: requested?.seq, confirmedValue: 55 });
    trail.close();
  });

  it('withAudit records a failed action and rethrows its error', async () => {
    const trail = AuditTrail.open(join(tempDir(), 'audit.db'));
    await expect(
      trail.withAudit(write('SS01.TV1.Setpoint', 50, 55), () => {
        throw new Error('device offline');
      }),
    ).rejects.toThrow('device offline');
    expect(trail.query()[0]?.details).toMatchObject({ result: 'failed', error: 'device offline', requestSeq: 1 });
    trail.close();
  });

  it('withAudit keeps a failure the action reported as a value (a device refusing a write)', async () => {
    const trail = AuditTrail.open(join(tempDir(), 'audit.db'));
    await trail.withAudit(
      write('SS01.TV1.Setpoint', 50, 55),
      () => ({ ok: false }),
      () => ({ result: 'failed', error: 'exception 02' }),
    );
    expect(trail.query()[0]?.details).toMatchObject({ result: 'failed', error: 'exception 02', requestSeq: 1 });
    trail.close();
  });

  it('when another connection holds the write lock, append throws, the action never runs and the failure is reported', async () => {
    const file = join(tempDir(), 'audit.db');
    const reported: string[] = [];
    const trail = AuditTrail.open(file, { busyTimeoutMs: 50, onWriteFailure: (e) => reported.push(e.message) });
    trail.append(write('SS01.TV1.Setpoint', 1, 2));
    const blocker = new Database(file);
    blocker.exec('BEGIN EXCLUSIVE');
    let ran = false;
    await expect(trail.withAudit(write('SS01.TV1.Setpoint', 2, 3), () => (ran = true))).rejects.toThrow(
      AuditWriteError,
    );
    expect(ran).toBe(false);
    expect(reported).toHaveLength(1);
    expect(reported[0]).toMatch(/tag.write by alice could not be written/);
    blocker.exec('ROLLBACK');
    blocker.close();
    // the trail recovers once the lock is gone, and the chain is whole
    trail.append(write('SS01.TV1.Setpoint', 2, 3));
    trail.close();
    expect(verifyChain(file)).toMatchObject({ ok: true, entries: 2 });
  });

  it('on a full disk (2 MiB tmpfs), append throws and the action never runs; after space is freed the chain is whole', async (ctx) => {
    if (lacking('tmpfs')) {
      ctx.skip();
      return;
    }
    const mountPoint = join(tempDir(), 'tmpfs');
    mkdirSync(mountPoint);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mountPoint], { stdio: 'pipe' });
    } catch (err) {
      console.warn(
        `skipping the full-disk test: cannot mount a tmpfs here (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`,
      );
      ctx.skip();
      return;
    }
    const file = join(mountPoint, 'audit.db');
    const trail = AuditTrail.open(file);
    try {
      for (let i = 0; i < 20; i++) trail.append(write('SS01.TV1.Setpoint', i, i + 1));
      // fill the file system to the last byte
      const filler = join(mountPoint, 'filler');
      fillToTheLastByte(filler);
      let ran = false;
      let failures = 0;
      // SQLite may still find room in pages it already has; keep writing until the disk says no.
      for (let i = 0; i < 2000 && failures === 0; i++) {
        try {
          await trail.withAudit(write('SS01.TV2.Setpoint', i, i + 1, 'bob'), () => {
            ran = true;
          });
          ran = false;
        } catch (err) {
          expect(err).toBeInstanceOf(AuditWriteError);
          expect(String((err as AuditWriteError & { cause: { code?: string } }).cause.code)).toMatch(
            /^SQLITE_(FULL|IOERR)/,
          );
          failures++;
        }
      }
      expect(failures).toBe(1);
      expect(ran).toBe(false);
      rmSync(filler);
      trail.append(write('SS01.TV3.Setpoint', 1, 2));
      trail.close();
      const verdict = verifyChain(file);
      expect(verdict.ok).toBe(true);
    } finally {
      trail.close();
      execFileSync('umount', [mountPoint]);
    }
  });
});
