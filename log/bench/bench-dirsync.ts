// What the directory fsyncs cost (dir-sync.ts): synced appends of 1 KiB
// entries through LevelWal with them on and off, in alternating paired runs
// on fresh databases (other work shares these cores), batches of 1 and 64,
// with LevelDB's default 16 MiB write buffer and with a 1 MiB one (a log
// switch every ~1 000 entries: the worst case). Prints one line per shape:
// the medians, the median of the pairs' ratios, and the directory fsyncs made.
//
//   node dist/log/bench/bench-dirsync.js

import { openWal } from '../level-wal.js';
import { range } from '../testing/payload.js';
import { removeDir, tempDir } from '../testing/tmp.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const PHASE_MS = Number(process.env.BENCH_PHASE_MS ?? 1500);

async function run(syncDirectory: boolean, batch: number, writeBufferSize: number): Promise<{ rate: number; dirSyncs: number; checks: number }> {
  const dir = await tempDir('bench-dirsync');
  const wal = await openWal({ dir, clusterId: 'b', nodeId: 1, syncDirectory, level: { writeBufferSize } });
  try {
    const g = await wal.group(0);
    let last = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < PHASE_MS) {
      await g.persist({ entries: range(last + 1, last + 1 + batch, 1, 1024), hardState: { term: 1, vote: 1, commit: last } }, true);
      last += batch;
    }
    const secs = (performance.now() - t0) / 1000;
    return { rate: last / secs, dirSyncs: wal.dirSyncStats?.dirSyncs ?? 0, checks: wal.dirSyncStats?.checks ?? 0 };
  } finally {
    await wal.close();
    await removeDir(dir);
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

for (const [batch, buffer] of [
  [1, 16 << 20],
  [64, 16 << 20],
  [64, 1 << 20],
] as const) {
  const on: number[] = [];
  const off: number[] = [];
  const ratios: number[] = [];
  let dirSyncs = 0;
  let checks = 0;
  for (let i = 0; i < RUNS; i++) {
    // Alternate which goes first, so a burst of outside load tends to hit both.
    const a = i % 2 ? await run(false, batch, buffer) : await run(true, batch, buffer);
    const b = i % 2 ? await run(true, batch, buffer) : await run(false, batch, buffer);
    const [withSync, without] = i % 2 ? [b, a] : [a, b];
    on.push(withSync.rate);
    off.push(without.rate);
    ratios.push(withSync.rate / without.rate);
    dirSyncs += withSync.dirSyncs;
    checks += withSync.checks;
  }
  console.log(
    JSON.stringify({
      batch,
      writeBufferMiB: buffer / (1 << 20),
      entriesPerSecOn: Math.round(median(on)),
      entriesPerSecOff: Math.round(median(off)),
      ratioOnOff: Number(median(ratios).toFixed(3)),
      dirFsyncsPerSyncedBatch: Number((dirSyncs / Math.max(1, checks)).toFixed(4)),
      runs: RUNS,
    }),
  );
}
