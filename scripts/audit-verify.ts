/**
 * `npm run audit:verify -- <audit.db> [--head SEQ:HASH]`
 *
 * Checks the hash chain of an Argus audit database and prints the result. Exit codes:
 * 0 the chain is intact, 1 it is broken (the first broken link is named), 2 the file
 * could not be read as an audit database. Read-only: it never changes the file.
 */
import { existsSync } from 'node:fs';
import { verifyChain } from '../main/runtime/security/audit-trail.js';

function usage(message: string): never {
  console.error(`${message}\nusage: npm run audit:verify -- <audit.db> [--head SEQ:HASH]`);
  process.exit(2);
}

const args = process.argv.slice(2);
let file: string | undefined;
let expectedHead: { seq: number; hash: string } | undefined;
for (let i = 0; i < args.length; i++) {
  const arg = args[i] as string;
  if (arg === '--head') {
    const match = /^(\d+):([0-9a-f]{64})$/.exec(args[++i] ?? '');
    if (!match) usage('--head wants SEQ:HASH (the last entry recorded elsewhere)');
    expectedHead = { seq: Number(match[1]), hash: match[2] as string };
  } else if (file === undefined) file = arg;
  else usage(`unexpected argument ${arg}`);
}
if (!file) usage('no audit database given');
if (!existsSync(file)) usage(`${file}: no such file`);

try {
  const result = verifyChain(file, expectedHead ? { expectedHead } : {});
  if (result.ok) {
    const head = result.head ? `; head ${result.head.seq}:${result.head.hash}` : '';
    console.log(`${file}: chain intact: ${result.entries} entries${head}`);
    process.exit(0);
  }
  console.log(`${file}: chain BROKEN at entry ${result.firstBrokenSeq}: ${result.reason} (${result.entriesChecked} entries before it are intact)`);
  process.exit(1);
} catch (err) {
  console.error(`${file}: cannot verify: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(2);
}
