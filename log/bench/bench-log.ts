// make bench-log: what the durable log costs over raw LevelDB, in one run.
//
//   1. Synced appends of 1 KiB entries in batches of 1, 64, 256 and 1024,
//      through LevelWal and through raw classic-level batches of the same shape
//      (same keys, same values, same LevelDB options, sync: true), both as a
//      chained batch (what the log uses, and the cheaper raw way) and as an
//      array of operations. The headline ratio is against the faster raw way.
//   2. Group commit: 256 concurrent single-entry appenders, against the
//      256-entry batches of phase 1.
//   3. Range reads: from the entry cache, from disk through the log (checksums
//      verified) and through a raw iterator.
//   4. Open time of a long log, and disk use before and after compaction.
//
// Every figure is the median of at least 3 runs, each bounded in time and
// count. Results go to stdout as JSON lines, then a table; progress to stderr.
// Runs in a temporary directory that is removed afterwards.

import { ClassicLevel } from 'classic-level';
import type { BatchOperation } from 'classic-level';
import { randomBytes } from 'node:crypto';
import type { Entry } from '../../raft/core/types.js';
import { UNAVAILABLE } from '../../raft/core/storage.js';
import { GroupKeys } from '../keys.js';
import { openWal } from '../level-wal.js';
import type { LevelGroupLog, LevelWal, OpenWalOptions } from '../level-wal.js';
import { dirBytes, removeDir, tempDir } from '../testing/tmp.js';

const ENTRY_BYTES = 1024;
// Other work shares these 2 cores: each append figure is the median of RUNS
// paired runs (raw and log back to back, in alternating order, each on a
// fresh database), and the ratio the median of the pairs' ratios, so that a
// burst of outside load tends to hit both sides of a pair.
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PHASE_MS = Number(process.env.BENCH_PHASE_MS ?? 800);
const BATCHES = [1, 64, 256, 1024];
const READ_ENTRIES = 50_000;
const MB = 1e6;

// The log's LevelDB options, used for the raw baseline too, so the ratio is the module's own cost.
const LEVEL = { writeBufferSize: 16 * 1024 * 1024, cacheSize: 8 * 1024 * 1024, compression: true, maxFileSize: 4 * 1024 * 1024 };

interface Result {
  metric: string;
  value: number;
  unit: string;
  runs: number;
  min: number;
  max: number;
}

const results = new Map<string, Result>();

function progress(msg: string): void {
  process.stderr.write(`bench-log: ${msg}\n`);
}

function record(metric: string, unit: string, samples: number[]): Result {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const r: Result = { metric, value: round(median), unit, runs: samples.length, min: round(sorted[0]!), max: round(sorted[sorted.length - 1]!) };
  results.set(metric, r);
  process.stdout.write(JSON.stringify(r) + '\n');
  return r;
}

function round(x: number): number {
  return x >= 100 ? Math.round(x) : Math.round(x * 1000) / 1000;
}

// A pool of distinct random payloads: incompressible, like most message bodies after client compression.
const POOL: Buffer[] = Array.from({ length: 64 }, () => randomBytes(ENTRY_BYTES));

function entries(from: number, n: number, term = 1): Entry[] {
  const out: Entry[] = new Array(n);
  for (let k = 0; k < n; k++) out[k] = { index: from + k, term, type: 0, data: POOL[(from + k) & 63]! };
  return out;
}

async function freshWal(options: Partial<OpenWalOptions> = {}): Promise<{ wal: LevelWal; dir: string }> {
  const dir = await tempDir('bench');
  const wal = await openWal({ dir, clusterId: 'bench', nodeId: 1, level: LEVEL, ...options });
  return { wal, dir };
}

async function freshRaw(): Promise<{ db: ClassicLevel<Buffer, Buffer>; dir: string }> {
  const dir = await tempDir('bench-raw');
  const db = new ClassicLevel<Buffer, Buffer>(dir, { keyEncoding: 'buffer', valueEncoding: 'buffer', ...LEVEL });
  await db.open();
  return { db, dir };
}

interface Timing {
  entries: number;
  seconds: number;
  /** Process CPU (all threads, LevelDB's included) per entry: steadier than wall time when others share the cores. */
  cpuMicros: number;
}

/** Runs `step` (which reports how many entries it handled) until the phase time or the entry budget is spent. */
async function timed(step: () => Promise<number>, maxEntries: number): Promise<Timing> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let n = 0;
  while (performance.now() - t0 < PHASE_MS && n < maxEntries) n += await step();
  const cpu = process.cpuUsage(c0);
  return { entries: n, seconds: (performance.now() - t0) / 1000, cpuMicros: (cpu.user + cpu.system) / Math.max(1, n) };
}

interface Rate {
  rate: number;
  cpu: number;
}

async function rawAppends(batch: number, shape: 'chained' | 'array'): Promise<Rate> {
  const { db, dir } = await freshRaw();
  const keys = new GroupKeys(1);
  let next = 1;
  try {
    const r = await timed(async () => {
      if (shape === 'chained') {
        const b = db.batch();
        for (let k = 0; k < batch; k++, next++) b.put(keys.entry(next), POOL[next & 63]!);
        await b.write({ sync: true });
      } else {
        const ops: Array<BatchOperation<typeof db, Buffer, Buffer>> = new Array(batch);
        for (let k = 0; k < batch; k++, next++) ops[k] = { type: 'put', key: keys.entry(next), value: POOL[next & 63]! };
        await db.batch(ops, { sync: true });
      }
      return batch;
    }, 400_000);
    return { rate: r.entries / r.seconds, cpu: r.cpuMicros };
  } finally {
    await db.close();
    await removeDir(dir);
  }
}

async function walAppends(batch: number): Promise<Rate> {
  const { wal, dir } = await freshWal();
  const log = await wal.group(1);
  let next = 1;
  try {
    const r = await timed(async () => {
      const es = entries(next, batch);
      next += batch;
      await log.persist({ entries: es, hardState: undefined }, true);
      return batch;
    }, 400_000);
    return { rate: r.entries / r.seconds, cpu: r.cpuMicros };
  } finally {
    await wal.close();
    await removeDir(dir);
  }
}

async function groupCommit(appenders: number): Promise<{ rate: number; perSync: number }> {
  const { wal, dir } = await freshWal();
  const log = await wal.group(1);
  let next = 1;
  const before = { ...wal.queue.stats };
  try {
    const t0 = performance.now();
    let done = 0;
    const worker = async (): Promise<void> => {
      while (performance.now() - t0 < PHASE_MS && done < 400_000) {
        const e = entries(next++, 1);
        await log.persist({ entries: e }, true);
        done++;
      }
    };
    await Promise.all(Array.from({ length: appenders }, worker));
    const seconds = (performance.now() - t0) / 1000;
    const syncs = wal.queue.stats.syncedBatches - before.syncedBatches;
    return { rate: done / seconds, perSync: done / Math.max(1, syncs) };
  } finally {
    await wal.close();
    await removeDir(dir);
  }
}

async function populate(log: LevelGroupLog, n: number): Promise<void> {
  for (let lo = 1; lo <= n; lo += 1024) await log.persist({ entries: entries(lo, Math.min(1024, n + 1 - lo)) }, false);
  await log.persist({ entries: [] }, true);
}

/** Sweeps [1, n] in requests of 256 entries for the phase time; entries/s. */
async function sweep(read: (lo: number, hi: number) => Promise<number> | number, n: number): Promise<number> {
  let lo = 1;
  const r = await timed(async () => {
    const hi = Math.min(n + 1, lo + 256);
    const got = await read(lo, hi);
    lo = hi > n ? 1 : lo + got;
    return got;
  }, 5_000_000);
  return r.entries / r.seconds;
}

async function main(): Promise<void> {
  const started = performance.now();

  // Warm both paths up (JIT, file system) so the first measured run is not the slowest.
  progress('warming up');
  await rawAppends(64, 'chained');
  await rawAppends(64, 'array');
  await walAppends(64);

  // 1. Synced appends.
  for (const batch of BATCHES) {
    const raw: Rate[] = [];
    const array: Rate[] = [];
    const wal: Rate[] = [];
    for (let run = 0; run < RUNS; run++) {
      progress(`synced appends, batch ${batch}, run ${run + 1}/${RUNS}`);
      // Rotate the order so that drift in the machine's load hits all alike.
      const steps = [
        async () => raw.push(await rawAppends(batch, 'chained')),
        async () => wal.push(await walAppends(batch)),
        async () => array.push(await rawAppends(batch, 'array')),
      ];
      for (let k = 0; k < steps.length; k++) await steps[(k + run) % steps.length]!();
    }
    const r = record(`append_sync_raw_b${batch}`, 'entries/s', raw.map((x) => x.rate));
    const w = record(`append_sync_log_b${batch}`, 'entries/s', wal.map((x) => x.rate));
    record(`append_sync_raw_array_b${batch}`, 'entries/s', array.map((x) => x.rate));
    record(`append_sync_raw_b${batch}_mb`, 'MB/s', raw.map((x) => (x.rate * ENTRY_BYTES) / MB));
    record(`append_sync_log_b${batch}_mb`, 'MB/s', wal.map((x) => (x.rate * ENTRY_BYTES) / MB));
    record(`append_sync_ratio_b${batch}`, 'log/raw', wal.map((x, k) => x.rate / raw[k]!.rate));
    record(`append_sync_ratio_array_b${batch}`, 'log/raw-array', wal.map((x, k) => x.rate / array[k]!.rate));
    record(`append_sync_cpu_raw_b${batch}`, 'us/entry', raw.map((x) => x.cpu));
    record(`append_sync_cpu_log_b${batch}`, 'us/entry', wal.map((x) => x.cpu));
    progress(`batch ${batch}: log ${w.value} entries/s, raw ${r.value} entries/s`);
  }

  // 2. Group commit.
  const gc: number[] = [];
  const perSync: number[] = [];
  for (let run = 0; run < Math.min(RUNS, 3); run++) {
    progress(`group commit, 256 concurrent appenders, run ${run + 1}`);
    const g = await groupCommit(256);
    gc.push(g.rate);
    perSync.push(g.perSync);
  }
  const g = record('group_commit_256_appenders', 'entries/s', gc);
  record('group_commit_entries_per_fsync', 'entries', perSync);
  record('group_commit_ratio_to_b256', 'x', [g.value / results.get('append_sync_log_b256')!.value]);

  // 3. Range reads and 4. open time and compaction, on one long log.
  progress(`range reads: writing ${READ_ENTRIES} entries`);
  const { wal: w0, dir } = await freshWal();
  await populate(await w0.group(1), READ_ENTRIES);
  await w0.close();
  try {
    const cached: number[] = [];
    const disk: number[] = [];
    const loads: number[] = [];
    const raw: number[] = [];
    const openTail: number[] = [];
    const openFull: number[] = [];
    for (let run = 0; run < Math.min(RUNS, 3); run++) {
      progress(`range reads and open time, run ${run + 1}`);
      let t0 = performance.now();
      let wal = await openWal({ dir, clusterId: 'bench', nodeId: 1, level: LEVEL, verifyOnOpen: 'full', cacheBytes: 128 << 20 });
      let log = await wal.group(1);
      openFull.push(performance.now() - t0);
      cached.push(
        await sweep((lo, hi) => {
          const got = log.entries(lo, hi, Number.MAX_SAFE_INTEGER);
          if (got === UNAVAILABLE) throw new Error('cached read missed');
          return got.length;
        }, READ_ENTRIES),
      );
      await wal.close();

      t0 = performance.now();
      wal = await openWal({ dir, clusterId: 'bench', nodeId: 1, level: LEVEL, cacheBytes: 1 << 20, loadChunkBytes: 1 << 20, loadedBytes: 4 << 20 });
      log = await wal.group(1);
      openTail.push(performance.now() - t0);
      // Through readEntries: a consumer that awaits disk reads of 256 entries at a time.
      disk.push(await sweep(async (lo, hi) => (await log.readEntries(lo, hi, Number.MAX_SAFE_INTEGER)).length, READ_ENTRIES - 2000));
      // Through the core's protocol: UNAVAILABLE, a 1 MiB load, then reads from it.
      const reader = log;
      loads.push(
        await sweep(async (lo, hi) => {
          for (;;) {
            const got = reader.entries(lo, hi, Number.MAX_SAFE_INTEGER);
            if (got !== UNAVAILABLE) return got.length;
            await new Promise<void>((resolve) => {
              const off = reader.onEntriesLoaded(() => (off(), resolve()));
            });
          }
        }, READ_ENTRIES - 2000),
      );
      await wal.close();

      const db = new ClassicLevel<Buffer, Buffer>(dir, { keyEncoding: 'buffer', valueEncoding: 'buffer', ...LEVEL });
      await db.open();
      const keys = new GroupKeys(1);
      raw.push(
        await sweep(async (lo, hi) => {
          const it = db.iterator({ gte: keys.entry(lo), lt: keys.entry(hi) });
          const got = await it.nextv(hi - lo);
          await it.close();
          return got.length;
        }, READ_ENTRIES - 2000),
      );
      await db.close();
    }
    record('read_cached_log', 'entries/s', cached);
    const d = record('read_disk_log_readEntries', 'entries/s', disk);
    record('read_disk_log_unavailable_then_loaded', 'entries/s', loads);
    const r = record('read_disk_raw_iterator', 'entries/s', raw);
    record('read_disk_ratio', 'log/raw', [d.value / r.value]);
    record(`open_ms_tail_${READ_ENTRIES}_entries`, 'ms', openTail);
    record(`open_ms_full_${READ_ENTRIES}_entries`, 'ms', openFull);

    progress('compaction: snapshot, compact all but the last 1000 entries');
    const before = await dirBytes(dir);
    const wal = await openWal({ dir, clusterId: 'bench', nodeId: 1, level: LEVEL });
    const log = await wal.group(1);
    await log.saveSnapshot({ meta: { index: READ_ENTRIES - 1000, term: 1, conf: { voters: [1], learners: [] } }, data: new Uint8Array(1024) });
    const t0 = performance.now();
    await log.compact(READ_ENTRIES - 999);
    const compactMs = performance.now() - t0;
    await wal.close();
    const after = await dirBytes(dir);
    record('disk_bytes_before_compaction', 'bytes', [before]);
    record('disk_bytes_after_compaction', 'bytes', [after]);
    record(`compaction_ms_${READ_ENTRIES - 1000}_entries`, 'ms', [compactMs]);
  } finally {
    await removeDir(dir);
  }

  table();
  progress(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

function table(): void {
  const v = (m: string) => results.get(m)?.value ?? NaN;
  const fmt = (x: number, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  const lines: string[] = [];
  lines.push('');
  lines.push('synced appends, 1 KiB entries   log entries/s     MB/s    raw entries/s     MB/s   log/raw   CPU us/entry log, raw   raw array entries/s  log/raw array');
  for (const b of BATCHES) {
    lines.push(
      `  batch ${String(b).padEnd(5)}                ${fmt(v(`append_sync_log_b${b}`)).padStart(12)} ${fmt(v(`append_sync_log_b${b}_mb`), 1).padStart(8)} ${fmt(v(`append_sync_raw_b${b}`)).padStart(16)} ${fmt(v(`append_sync_raw_b${b}_mb`), 1).padStart(8)} ${fmt(v(`append_sync_ratio_b${b}`), 2).padStart(9)}   ${fmt(v(`append_sync_cpu_log_b${b}`), 1).padStart(8)} ${fmt(v(`append_sync_cpu_raw_b${b}`), 1).padStart(6)}   ${fmt(v(`append_sync_raw_array_b${b}`)).padStart(19)} ${fmt(v(`append_sync_ratio_array_b${b}`), 2).padStart(14)}`,
    );
  }
  lines.push(
    `  256 concurrent appenders      ${fmt(v('group_commit_256_appenders')).padStart(12)}   (${fmt(v('group_commit_entries_per_fsync'), 1)} entries per fsync; ${fmt(v('group_commit_ratio_to_b256'), 2)} of batch-256 throughput)`,
  );
  lines.push('');
  lines.push('range reads (256 entries per read)    entries/s');
  lines.push(`  log, cached                    ${fmt(v('read_cached_log')).padStart(12)}`);
  lines.push(`  log, disk (readEntries)        ${fmt(v('read_disk_log_readEntries')).padStart(12)}   ${fmt(v('read_disk_ratio'), 2)} of raw`);
  lines.push(`  log, disk (UNAVAILABLE + load) ${fmt(v('read_disk_log_unavailable_then_loaded')).padStart(12)}`);
  lines.push(`  raw iterator                   ${fmt(v('read_disk_raw_iterator')).padStart(12)}`);
  lines.push('');
  lines.push(`open ${READ_ENTRIES} entries: ${fmt(v(`open_ms_tail_${READ_ENTRIES}_entries`), 1)} ms (tail check), ${fmt(v(`open_ms_full_${READ_ENTRIES}_entries`), 1)} ms (full check)`);
  lines.push(
    `compaction of ${READ_ENTRIES - 1000} entries: ${fmt(v(`compaction_ms_${READ_ENTRIES - 1000}_entries`))} ms; disk ${fmt(v('disk_bytes_before_compaction') / MB, 1)} MB -> ${fmt(v('disk_bytes_after_compaction') / MB, 1)} MB`,
  );
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`bench-log failed: ${(e as Error)?.stack ?? e}\n`);
  process.exitCode = 1;
});
