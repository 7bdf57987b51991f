/**
 * `npm run doctor` — which system tools the test suite needs are present here, and the
 * apt-get line for those that are not. Exits 1 when something is missing.
 * The checks are the ones the tests use (test/support/prerequisites.ts): a test whose tool is
 * missing skips with the same message, or fails when ARGUS_STRICT is set (as `.ci/run` does).
 */
import {
  aptLine,
  missingReason,
  prerequisites,
  STRICT_ENV,
  strictPrerequisites,
  type Prerequisite,
  type PrerequisiteName,
} from '../test/support/prerequisites.js';

const names = Object.keys(prerequisites) as PrerequisiteName[];
const missing: PrerequisiteName[] = [];
const width = Math.max(...names.map((n) => n.length));
for (const name of names) {
  const p = prerequisites[name];
  const reason = missingReason(name);
  if (reason !== null) missing.push(name);
  const mark = reason === null ? 'ok     ' : 'MISSING';
  process.stdout.write(`${mark}  ${name.padEnd(width)}  ${p.what}${reason === null ? '' : ` — ${reason}`}\n`);
  process.stdout.write(`${' '.repeat(9 + width)}  used by ${p.usedBy}\n`);
}
process.stdout.write(
  `\nElectron's own binary is not checked: where it is absent (ELECTRON_SKIP_BINARY_DOWNLOAD) test/e2e/electron.test.ts skips and says why.\n`,
);
if (missing.length === 0) {
  process.stdout.write('Everything the suite needs is present.\n');
} else {
  const apt = aptLine(missing);
  if (apt) process.stdout.write(`\nTo install what is missing (as root):\n  apt-get update && ${apt}\n`);
  for (const name of missing) {
    const fix = (prerequisites[name] as Prerequisite).fix;
    if (fix) process.stdout.write(`${name}: ${fix}\n`);
  }
  process.stdout.write(
    `\nWithout them the tests that need them skip with a message${strictPrerequisites() ? '' : `; with ${STRICT_ENV}=1 (as in .ci/run) they fail`}.\n`,
  );
  process.exitCode = 1;
}
