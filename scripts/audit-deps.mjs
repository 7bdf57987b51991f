/**
 * `npm run audit:deps`: `npm audit` against the registry's advisory service, saying plainly
 * whether the dependencies were checked at all.
 *
 *   exit 0  checked, no advisory at or above --level (default high)
 *   exit 1  checked, advisories found (listed)
 *   exit 3  NOT checked: the advisory service could not be reached or answered with an error
 *           (offline plant network, a mirror without the audit endpoint). Prints why. With
 *           --allow-unreachable (or where nothing else is possible) this is exit 0, still
 *           printing NOT CHECKED, so an offline build does not pretend it was audited.
 */
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const levelArg = args.find((a) => a.startsWith('--level='));
const level = levelArg ? levelArg.slice('--level='.length) : 'high';
const allowUnreachable = args.includes('--allow-unreachable');
const order = ['info', 'low', 'moderate', 'high', 'critical'];
if (!order.includes(level)) {
  console.error(`audit:deps: --level must be one of ${order.join(', ')}`);
  process.exit(2);
}

const run = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['audit', '--json'], {
  encoding: 'utf8',
  timeout: 120_000,
});
function parseReport(text) {
  try {
    return JSON.parse(text || 'null');
  } catch {
    return null;
  }
}
const report = parseReport(run.stdout);

function notChecked(why) {
  console.log(`audit:deps: NOT CHECKED: ${why}`);
  console.log('  The dependencies were not compared with any advisory database. Run `npm run audit:deps` where');
  console.log(
    '  https://registry.npmjs.org (or a registry that serves /-/npm/v1/security/advisories/bulk) is reachable.',
  );
  process.exit(allowUnreachable ? 0 : 3);
}

if (run.error) notChecked(`npm audit did not run: ${run.error.message}`);
if (!report || typeof report !== 'object')
  notChecked(
    `npm audit gave no report (exit ${run.status}): ${(run.stderr || '').split('\n').find((l) => l.trim()) ?? 'no output'}`,
  );
if (report.error || report.statusCode || report.message) {
  const reason = report.error?.summary || report.message || `HTTP ${report.statusCode}`;
  notChecked(`the advisory service answered with an error: ${reason}`);
}

const vulns = Object.values(report.vulnerabilities ?? {});
const counts = report.metadata?.vulnerabilities ?? {};
const serious = vulns.filter((v) => order.indexOf(v.severity) >= order.indexOf(level));
console.log(
  `audit:deps: checked ${report.metadata?.dependencies?.total ?? '?'} dependencies: ${order.map((s) => `${counts[s] ?? 0} ${s}`).join(', ')}`,
);
for (const v of serious)
  console.log(`  ${v.severity.padEnd(9)} ${v.name} ${v.range ?? ''}${v.fixAvailable ? ' (fix available)' : ''}`);
process.exit(serious.length > 0 ? 1 : 0);
