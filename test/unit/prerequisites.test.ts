/**
 * The suite's prerequisite check and CI's report check: a missing tool skips with its apt line
 * locally and fails under ARGUS_STRICT; the report check fails a run where a file did not run,
 * failed before its tests, or skipped (the Electron file excepted).
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aptLine, prerequisites, skipOrFail, STRICT_ENV } from '../support/prerequisites.js';

describe('prerequisite decision', () => {
  it('runs when nothing is missing, strict or not', () => {
    expect(skipOrFail(null, false)).toBe(false);
    expect(skipOrFail(null, true)).toBe(false);
  });

  it('skips with the message locally', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(skipOrFail('missing socat', false)).toBe(true);
    expect(warn).toHaveBeenCalledWith('skipped: missing socat');
    warn.mockRestore();
  });

  it('throws under the strict flag, naming it', () => {
    expect(() => skipOrFail('missing socat', true)).toThrow(new RegExp(`missing socat.*${STRICT_ENV} is set`));
  });

  it('gives one apt line for what is missing, without repeats, and none for what apt cannot install', () => {
    expect(aptLine(['socat', 'pymodbus', 'fiu-run'])).toBe(
      'apt-get install -y --no-install-recommends socat python3-pymodbus fiu-utils',
    );
    expect(aptLine(['tmpfs'])).toBeNull();
    expect(aptLine(['chromium', 'chromium'])).toBe(
      'apt-get install -y --no-install-recommends chromium fonts-wqy-microhei',
    );
  });

  it('lists every package .ci/run installs for them', () => {
    const ciRun = readFileSync(join(import.meta.dirname, '../../.ci/run'), 'utf8');
    const install = ciRun.split('\n').find((line) => line.startsWith('apt-get install'))!;
    for (const p of Object.values(prerequisites)) for (const pkg of p.apt) expect(install.split(/\s+/)).toContain(pkg);
  });
});

describe('scripts/check-test-report.mjs', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const script = join(import.meta.dirname, '../../scripts/check-test-report.mjs');

  /** A project with `files` under test/ and a vitest JSON report of `results`; returns the script's exit code and output. */
  function check(
    files: string[],
    results: { file: string; status: string; tests: string[]; message?: string }[],
  ): { code: number; output: string } {
    const root = mkdtempSync(join(tmpdir(), 'argus-report-'));
    dirs.push(root);
    for (const file of files) {
      mkdirSync(join(root, file, '..'), { recursive: true });
      writeFileSync(join(root, file), '');
    }
    const report = {
      testResults: results.map((r) => ({
        name: join(root, r.file),
        status: r.status,
        message: r.message ?? '',
        assertionResults: r.tests.map((status, i) => ({ title: `t${i}`, fullName: `t${i}`, status })),
      })),
    };
    const reportFile = join(root, 'report.json');
    writeFileSync(reportFile, JSON.stringify(report));
    try {
      const output = execFileSync(process.execPath, [script, reportFile, root], { encoding: 'utf8', stdio: 'pipe' });
      return { code: 0, output };
    } catch (err) {
      const e = err as { status: number; stdout: string; stderr: string };
      return { code: e.status, output: e.stdout + e.stderr };
    }
  }

  const files = ['test/unit/a.test.ts', 'test/integration/b.test.ts', 'test/e2e/electron.test.ts'];

  it('passes when every file ran and only the Electron file skipped, saying why', () => {
    const r = check(files, [
      { file: files[0]!, status: 'passed', tests: ['passed', 'passed'] },
      { file: files[1]!, status: 'passed', tests: ['passed'] },
      { file: files[2]!, status: 'skipped', tests: ['skipped'] },
    ]);
    expect(r.code).toBe(0);
    expect(r.output).toMatch(/electron\.test\.ts skipped: Electron's binary is not downloaded here/);
    expect(r.output).toMatch(/^3 passed, 0 failed$/m);
  });

  it('fails when a file did not run', () => {
    const r = check(files, [{ file: files[0]!, status: 'passed', tests: ['passed'] }]);
    expect(r.code).toBe(1);
    expect(r.output).toMatch(/test\/integration\/b\.test\.ts: did not run/);
  });

  it('fails when a file skipped all its tests, or one test skipped', () => {
    const r = check(files, [
      { file: files[0]!, status: 'passed', tests: ['passed', 'skipped'] },
      { file: files[1]!, status: 'skipped', tests: ['skipped', 'skipped'] },
      { file: files[2]!, status: 'skipped', tests: ['skipped'] },
    ]);
    expect(r.code).toBe(1);
    expect(r.output).toMatch(/b\.test\.ts: no test ran \(2 skipped\)/);
    expect(r.output).toMatch(/a\.test\.ts: "t1" skipped/);
  });

  it('fails when a file failed before its tests ran (a missing prerequisite under the strict flag)', () => {
    const r = check(files, [
      { file: files[0]!, status: 'passed', tests: ['passed'] },
      { file: files[1]!, status: 'failed', tests: [], message: 'missing socat (…) ARGUS_STRICT is set' },
      { file: files[2]!, status: 'skipped', tests: ['skipped'] },
    ]);
    expect(r.code).toBe(1);
    expect(r.output).toMatch(/b\.test\.ts: failed before its tests ran: missing socat/);
  });

  it('fails without a report', () => {
    const root = mkdtempSync(join(tmpdir(), 'argus-report-'));
    dirs.push(root);
    expect(() => execFileSync(process.execPath, [script, join(root, 'none.json'), root], { stdio: 'pipe' })).toThrow(
      /not found/,
    );
  });
});
