import { defineConfig } from 'vitest/config';

// Under ARGUS_STRICT (set by .ci/run) the run also writes a JSON report, which
// scripts/check-test-report.mjs reads to prove every test file ran and none was skipped.
const strict = !['', '0', 'false'].includes(process.env.ARGUS_STRICT ?? '');

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    ...(strict ? { reporters: ['default', 'json'], outputFile: { json: 'test-results/vitest.json' } } : {}),
    // Integration and e2e tests start real servers and browsers: give them room, and run
    // files in separate processes so one file's sockets never leak into another's.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    fileParallelism: true,
    maxWorkers: 2,
  },
});
