/**
 * `npm run audit:verify -- <audit.db> [--key FILE] [--checkpoint FILE] [--head SEQ:HASH]`
 *
 * Checks the keyed chain of an Argus audit database and whether its tail still matches the
 * last head checkpoint, and prints where the chain breaks. The key defaults to `audit-key`
 * and the checkpoint to `audit-head.json` beside the database (a copy from a history backup
 * or another machine can be named instead). Exit codes: 0 intact and matching the
 * checkpoint, 1 broken or not matching (the first broken link is named), 2 the file could
 * not be read as an audit database. Read-only: it never changes the file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  AUDIT_CHECKPOINT_FILE,
  readAuditKey,
  readCheckpoint,
  verifyChain,
} from '../main/runtime/security/audit-trail.js';

function usage(message: string): never {
  console.error(
    `${message}\nusage: npm run audit:verify -- <audit.db> [--key FILE] [--checkpoint FILE] [--head SEQ:HASH]`,
  );
  process.exit(2);
}

const args = process.argv.slice(2);
let file: string | undefined;
let expectedHead: { seq: number; hash: string } | undefined;
let keyFile: string | undefined;
let checkpointFile: string | undefined;
for (let i = 0; i < args.length; i++) {
  const arg = args[i] as string;
  if (arg === '--head') {
    const match = /^(\d+):([0-9a-f]{64})$/.exec(args[++i] ?? '');
    if (!match) usage('--head wants SEQ:HASH (the last entry recorded elsewhere)');
    expectedHead = { seq: Number(match[1]), hash: match[2] as string };
  } else if (arg === '--key') keyFile = args[++i] ?? usage('--key wants a file');
  else if (arg === '--checkpoint') checkpointFile = args[++i] ?? usage('--checkpoint wants a file');
  else if (file === undefined) file = arg;
  else usage(`unexpected argument ${arg}`);
}
if (!file) usage('no audit database given');
if (!existsSync(file)) usage(`${file}: no such file`);

try {
  const key = keyFile ? Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'hex') : readAuditKey(file);
  if (!key) console.log(`${file}: no audit key found beside it (give --key FILE); keyed entries cannot be checked`);
  const chain = verifyChain(file, { key, ...(expectedHead ? { expectedHead } : {}) });
  let broken = false;
  if (chain.ok) {
    const head = chain.head ? `; head ${chain.head.seq}:${chain.head.hash}` : '';
    console.log(`${file}: chain intact: ${chain.entries} entries${head}`);
  } else {
    broken = true;
    console.log(
      `${file}: chain BROKEN at entry ${chain.firstBrokenSeq}: ${chain.reason} (${chain.entriesChecked} entries before it are intact)`,
    );
  }
  const cpFile = checkpointFile ?? join(dirname(file), AUDIT_CHECKPOINT_FILE);
  const checkpoint = readCheckpoint(cpFile, key);
  if (checkpoint === null) console.log(`${cpFile}: no head checkpoint to compare the tail with`);
  else if ('problem' in checkpoint) {
    broken = true;
    console.log(`${cpFile}: ${checkpoint.problem}`);
  } else {
    const tail = verifyChain(file, { key, expectedHead: { seq: checkpoint.seq, hash: checkpoint.hash } });
    if (
      tail.ok ||
      (!tail.ok && chain.ok === false && tail.firstBrokenSeq === chain.firstBrokenSeq && tail.reason === chain.reason)
    ) {
      if (tail.ok) console.log(`${cpFile}: the tail matches the last checkpoint (entry ${checkpoint.seq})`);
    } else {
      broken = true;
      console.log(`${cpFile}: the tail does NOT match the last checkpoint (entry ${checkpoint.seq}): ${tail.reason}`);
    }
    for (const problem of checkpoint.problems) {
      broken = true;
      console.log(`${cpFile}: recorded at an earlier start: ${problem}`);
    }
  }
  process.exit(broken ? 1 : 0);
} catch (err) {
  console.error(`${file}: cannot verify: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(2);
}
