/**
 * After `npm test` under ARGUS_STRICT (.ci/run): every test file under test/ must have run, and
 * no file or test may have been skipped, except the Electron files where no Electron binary can
 * exist (the reason is printed). Reads vitest's JSON report (test-results/vitest.json).
 *   node scripts/check-test-report.mjs [report.json] [project folder]
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = process.argv[3] ?? new URL('..', import.meta.url).pathname;
const reportFile = process.argv[2] ?? join(root, 'test-results/vitest.json');

/** Files allowed to skip whole, and why (printed on every run that skips them). */
const noElectron =
  "Electron's binary is not downloaded here (ELECTRON_SKIP_BINARY_DOWNLOAD: the registry package's postinstall would fetch it from outside); the same console and runtime are tested in Chromium through the station server";
const allowedSkips = new Map([
  ['test/e2e/electron.test.ts', noElectron],
  [
    'test/e2e/electron-layout.test.ts',
    `${noElectron}; the window placement rules are unit-tested (test/unit/electron-window-layout.test.ts)`,
  ],
]);

function testFiles(dir) {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.test.ts'))
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .sort();
}

if (!existsSync(reportFile)) {
  console.error(`check-test-report: ${reportFile} not found: was the suite run with ARGUS_STRICT=1?`);
  process.exit(1);
}
const report = JSON.parse(readFileSync(reportFile, 'utf8'));
const byFile = new Map(report.testResults.map((r) => [relative(root, r.name), r]));
const problems = [];
let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of testFiles('test')) {
  const result = byFile.get(file);
  if (!result) {
    problems.push(`${file}: did not run`);
    continue;
  }
  const tests = result.assertionResults ?? [];
  const ran = tests.filter((t) => t.status === 'passed' || t.status === 'failed');
  const notRun = tests.filter((t) => t.status !== 'passed' && t.status !== 'failed');
  passed += tests.filter((t) => t.status === 'passed').length;
  failed += tests.filter((t) => t.status === 'failed').length;
  skipped += notRun.length;
  if (result.status === 'failed' && tests.length === 0) {
    failed += 1;
    problems.push(`${file}: failed before its tests ran: ${String(result.message ?? '').split('\n')[0]}`);
    continue;
  }
  const why = allowedSkips.get(file);
  if (why !== undefined) {
    if (ran.length === 0) console.log(`check-test-report: ${file} skipped: ${why}`);
    continue;
  }
  if (ran.length === 0) problems.push(`${file}: no test ran (${tests.length} skipped)`);
  else for (const t of notRun) problems.push(`${file}: "${t.fullName ?? t.title}" ${t.status}`);
}
for (const file of byFile.keys()) if (!file.startsWith('test/')) problems.push(`${file}: ran but is outside test/`);

console.log(`check-test-report: ${byFile.size} test files; ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (problems.length > 0) {
  console.error(`check-test-report: the suite did not run everything it has:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`${passed} passed, ${failed} failed`);
