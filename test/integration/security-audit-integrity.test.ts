/**
 * The audit trail's keyed chain and head checkpoint, against a real SQLite file edited with
 * another tool (as an attacker with write access to the data folder but not the key would):
 * a rebuilt chain, a forged entry appended with a recomputed hash and a cut tail are all
 * found, by `verifyChain`, at the next open (`integrity()`) and by `npm run audit:verify`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditTrail, AUDIT_CHECKPOINT_FILE, verifyChain } from '../../main/runtime/security/audit-trail.js';
import { entryHash, type AuditInput } from '../../main/runtime/security/audit-entry.js';

const root = new URL('../../', import.meta.url).pathname;
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function trailWith(n: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'argus-audit-integrity-'));
  dirs.push(dir);
  const file = join(dir, 'audit.db');
  const trail = AuditTrail.open(file);
  for (let i = 1; i <= n; i++) trail.append(write(i));
  trail.close();
  return file;
}
const write = (i: number): AuditInput => ({
  actor: 'olga',
  role: 'operator',
  source: 'desktop',
  action: 'tag.write',
  target: `SS01.TV${i}.Setpoint`,
  details: { old: i, new: i + 1 },
});

/** Edit the database as another tool would: triggers dropped. */
function tamper(file: string, work: (db: Database.Database) => void): void {
  const db = new Database(file);
  db.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;');
  work(db);
  db.close();
}

interface Row {
  seq: number;
  time: number;
  actor: string;
  role: string;
  source: string;
  action: string;
  target: string;
  details: string;
  prev_hash: string;
  hash: string;
}

function auditVerify(...args: string[]): { code: number; out: string } {
  try {
    const out = execFileSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/audit-verify.ts'), ...args], {
      encoding: 'utf8',
      stdio: 'pipe',
    });
    return { code: 0, out };
  } catch (err) {
    const e = err as { status: number; stdout: string; stderr: string };
    return { code: e.status, out: e.stdout + e.stderr };
  }
}

describe('the keyed audit chain', () => {
  it('an intact trail verifies, at open and with audit:verify', () => {
    const file = trailWith(5);
    expect(verifyChain(file)).toMatchObject({ ok: true, entries: 5 });
    const trail = AuditTrail.open(file);
    expect(trail.integrity()).toMatchObject({ ok: true, problems: [] });
    trail.close();
    const run = auditVerify(file);
    expect(run.code, run.out).toBe(0);
    expect(run.out).toMatch(/tail matches the last checkpoint \(entry 5\)/);
  });

  it('a chain rebuilt without the key (every hash recomputed after an edit) fails at the edited entry', () => {
    const file = trailWith(8);
    tamper(file, (db) => {
      const rows = db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as Row[];
      let prev = rows[3]!.hash;
      for (const row of rows.slice(4)) {
        const details = row.seq === 5 ? '{"new":999,"old":5}' : row.details;
        const hash = entryHash({ ...row, details, prevHash: prev });
        db.prepare('UPDATE audit_log SET details = ?, prev_hash = ?, hash = ? WHERE seq = ?').run(
          details,
          prev,
          hash,
          row.seq,
        );
        prev = hash;
      }
    });
    const result = verifyChain(file);
    expect(result).toMatchObject({ ok: false, firstBrokenSeq: 5 });
    const trail = AuditTrail.open(file);
    expect(trail.integrity().ok).toBe(false);
    trail.close();
    const run = auditVerify(file);
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/chain BROKEN at entry 5/);
  });

  it('an entry appended with a recomputed hash is found: by verifyChain, at the next open, and by audit:verify', () => {
    const file = trailWith(6);
    tamper(file, (db) => {
      const last = db.prepare('SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1').get() as Row;
      const forged = {
        seq: 7,
        time: last.time + 1,
        actor: 'chief',
        role: 'admin',
        source: 'desktop',
        action: 'user.change',
        target: 'mallory',
        details: '{"change":"create","role":"admin"}',
        prevHash: last.hash,
      };
      db.prepare(
        'INSERT INTO audit_log (seq, time, actor, role, source, action, target, details, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?)',
      ).run(
        forged.seq,
        forged.time,
        forged.actor,
        forged.role,
        forged.source,
        forged.action,
        forged.target,
        forged.details,
        forged.prevHash,
        entryHash(forged),
      );
    });
    expect(verifyChain(file)).toMatchObject({ ok: false, firstBrokenSeq: 7 });
    const trail = AuditTrail.open(file);
    const integrity = trail.integrity();
    expect(integrity.ok).toBe(false);
    expect(integrity.problems.join('\n')).toMatch(/entry 7 is not genuine/);
    trail.close();
    expect(auditVerify(file).code).toBe(1);
  });

  it('a cut tail (the last 20 entries removed) is found against the checkpoint; the report survives restarts and new entries', () => {
    const file = trailWith(30);
    tamper(file, (db) => db.prepare('DELETE FROM audit_log WHERE seq > 10').run());
    expect(verifyChain(file).ok).toBe(true); // the chain alone cannot see it …
    const run = auditVerify(file);
    expect(run.code).toBe(1); // … the checkpoint can
    expect(run.out).toMatch(/tail does NOT match the last checkpoint \(entry 30\)/);

    const trail = AuditTrail.open(file);
    const integrity = trail.integrity();
    expect(integrity.ok).toBe(false);
    expect(integrity.problems.join('\n')).toMatch(
      /ends at entry 10 but entry 30 was checkpointed: entries 11–30 were removed/,
    );
    trail.append(write(99)); // the trail goes on recording …
    trail.close();
    const again = AuditTrail.open(file);
    expect(again.integrity().ok).toBe(false); // … but the cut is not forgotten at the next start
    expect(again.integrity().problems.join('\n')).toMatch(/entries 11–30 were removed/);
    again.close();
    expect(JSON.parse(readFileSync(join(file, '..', AUDIT_CHECKPOINT_FILE), 'utf8')).problems).toHaveLength(1);
    expect(auditVerify(file).out).toMatch(/recorded at an earlier start: .*entries 11–30 were removed/);
  });

  it('a checkpoint edited by hand is not trusted', () => {
    const file = trailWith(4);
    const cp = join(file, '..', AUDIT_CHECKPOINT_FILE);
    const text = JSON.parse(readFileSync(cp, 'utf8')) as { seq: number };
    execFileSync('sh', ['-c', `printf '%s' '${JSON.stringify({ ...text, seq: 2 })}' > '${cp}'`]);
    const trail = AuditTrail.open(file);
    expect(trail.integrity().problems.join('\n')).toMatch(/was changed \(its MAC does not match\)/);
    trail.close();
  });
});
