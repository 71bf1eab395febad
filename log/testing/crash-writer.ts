// The child process of the crash test (crash.test.ts): it opens a data
// directory, continues the log found there, and writes until it is killed
// with SIGKILL. It describes every write on stdout BEFORE issuing it
// ("I ...") and confirms it once persist() resolved ("S <seq>"), with
// synchronous writes to fd 1 so that a line printed is a line the parent
// reads. The parent then knows that the recovered log must equal the state
// after some prefix of the described writes, at least up to the last
// confirmed one.
//
// Usage: node dist/log/testing/crash-writer.js <dir> <seed> <mixed|truncate>
//
// Lines:
//   R <first> <last> <lastTerm> <hsTerm> <hsCommit>     opened, continuing from here
//   I <seq> <kind> <at> <n> <term> <hsTerm> <hsCommit> <snapIndex>
//        kind: a (append at `at`, possibly truncating), s (install a snapshot at
//        snapIndex with term `term`, then append), h (hard state only)
//   S <seq>                                            that write is durable
//   K <index> <term>                                   saved snapshot (then compaction)

import { writeSync } from 'node:fs';
import { openWal } from '../level-wal.js';
import type { Entry, HardState } from '../../raft/core/types.js';
import { payload, range } from './payload.js';

const [dir, seedArg, mode] = process.argv.slice(2);
if (!dir || !seedArg || (mode !== 'mixed' && mode !== 'truncate')) {
  process.stderr.write('usage: crash-writer <dir> <seed> <mixed|truncate>\n');
  process.exit(2);
}

let seed = Number(seedArg) >>> 0 || 1;
function rand(n: number): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  seed >>>= 0;
  return seed % n;
}

function say(line: string): void {
  writeSync(1, line + '\n');
}

export const SNAPSHOT_BYTES = 300;
const PIPELINE = 6;

const wal = await openWal({ dir, clusterId: 'crash', nodeId: 1, verifyOnOpen: 'tail' });
const log = await wal.group(1);
let last = log.lastIndex();
let first = log.firstIndex();
const hs0 = log.initialState().hardState;
let term = Math.max(hs0.term, log.term(last), 1);
let commit = hs0.commit;
say(`R ${first} ${last} ${log.term(last)} ${hs0.term} ${hs0.commit}`);

let seq = 0;
let writes = 0;
const inflight = new Set<Promise<void>>();
let compacting = false;

function nextWrite(): Promise<void> {
  const my = ++seq;
  const roll = rand(100);
  let kind: 'a' | 's' | 'h' = 'a';
  let at = last + 1;
  let n = 1 + rand(mode === 'truncate' ? 400 : 64);
  let snapIndex = 0;
  if (mode === 'truncate' ? roll < 50 : roll < 15) {
    // A conflicting suffix: a new term rewrites entries after the commit index.
    term++;
    at = Math.max(commit + 1, first, last + 1 - (1 + rand(mode === 'truncate' ? 300 : 30)));
    n = 1 + rand(mode === 'truncate' ? 300 : 40);
  } else if (mode === 'mixed' && roll < 17) {
    kind = 's';
    term++;
    snapIndex = last + 1 + rand(20);
    at = snapIndex + 1;
    n = rand(10);
  } else if (roll < 22) {
    kind = 'h';
    n = 0;
  }
  const entries: Entry[] = n > 0 ? range(at, at + n, term) : [];
  const newLast = kind === 's' ? snapIndex + n : n > 0 ? at + n - 1 : last;
  // Commit never runs past the write's own last index, and never goes back.
  commit = Math.max(commit, kind === 's' ? snapIndex : 0, Math.min(newLast, commit + rand(40)));
  const hs: HardState = { term, vote: 1, commit };
  say(`I ${my} ${kind} ${at} ${n} ${term} ${hs.term} ${hs.commit} ${snapIndex}`);
  const snapshot = kind === 's' ? { meta: { index: snapIndex, term, conf: { voters: [1], learners: [] } }, data: payload(snapIndex, term, SNAPSHOT_BYTES) } : undefined;
  if (kind === 's') first = snapIndex + 1;
  last = newLast;
  return log.persist({ entries, hardState: hs, snapshot }, true).then(() => say(`S ${my}`));
}

async function snapshotAndCompact(): Promise<void> {
  compacting = true;
  try {
    const at = commit;
    if (at < log.firstIndex()) return;
    const t = log.term(at);
    await log.saveSnapshot({ meta: { index: at, term: t, conf: { voters: [1], learners: [] } }, data: payload(at, t, SNAPSHOT_BYTES) });
    say(`K ${at} ${t}`);
    await log.compact(Math.max(log.firstIndex(), at - 50));
    first = log.firstIndex();
  } finally {
    compacting = false;
  }
}

for (;;) {
  while (inflight.size < PIPELINE) {
    const p = nextWrite().finally(() => inflight.delete(p));
    inflight.add(p);
    writes++;
    if (mode === 'mixed' && writes % 150 === 0 && !compacting) void snapshotAndCompact();
  }
  await Promise.race(inflight);
}
