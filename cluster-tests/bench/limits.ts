// What this machine allows for the shapes the cluster uses, measured in the
// same run so that outside load hits both sides alike:
//   - raw fsync latency (4 KiB append + fdatasync);
//   - raw classic-level synced batches of 1 KiB entries (batch 1 and 256),
//     from one writer and from three writers at once (three replicas share
//     one disk when a cluster runs on one machine; each writer's rate is the
//     ceiling of a 3-node cluster's confirmed appends);
//   - a raw gRPC AppendStream between two processes against a server that
//     stores nothing (same protobuf messages, 1 message per request at 256 in
//     flight, and 16 / 256 per request), and its round trip at 1 in flight.

import { spawn } from 'node:child_process';
import { trackChild } from './cleanup.js';
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { ClassicLevel } from 'classic-level';
import { appendWindowed, closeClients } from './driver.js';
import type { Report } from './report.js';
import { percentile, progress } from './report.js';
import type { BenchOptions, Workload } from './workload.js';

// The log's own LevelDB options (log/level-wal.ts defaults), so the limit is for the same engine settings.
const LEVEL = { writeBufferSize: 16 << 20, cacheSize: 8 << 20, compression: true, maxFileSize: 4 << 20 };

function fsyncLatencies(ms: number): number[] {
  const dir = mkdtempSync(join(tmpdir(), 'quorumq-bench-fsync-'));
  const fd = openSync(join(dir, 'f'), 'a');
  const block = randomBytes(4096);
  const out: number[] = [];
  try {
    const t0 = performance.now();
    while (performance.now() - t0 < ms && out.length < 20_000) {
      const a = performance.now();
      writeSync(fd, block);
      fdatasyncSync(fd);
      out.push(performance.now() - a);
    }
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

/** `writers` databases written at once, each with synced batches of `batch` 1 KiB entries; entries/s per writer. */
async function levelWriters(writers: number, batch: number, size: number, ms: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'quorumq-bench-level-'));
  const pool = Array.from({ length: 64 }, () => randomBytes(size));
  const dbs = await Promise.all(
    Array.from({ length: writers }, async (_, k) => {
      const db = new ClassicLevel<Buffer, Buffer>(join(dir, `w${k}`), { keyEncoding: 'buffer', valueEncoding: 'buffer', ...LEVEL });
      await db.open();
      return db;
    }),
  );
  try {
    const t0 = performance.now();
    const counts = await Promise.all(
      dbs.map(async (db) => {
        let next = 1;
        const key = Buffer.alloc(12);
        while (performance.now() - t0 < ms) {
          const b = db.batch();
          for (let k = 0; k < batch; k++, next++) {
            key.writeUInt32BE(1, 0);
            key.writeDoubleBE(next, 4);
            b.put(Buffer.from(key), pool[next & 63]!);
          }
          await b.write({ sync: true });
        }
        return next - 1;
      }),
    );
    const secs = (performance.now() - t0) / 1000;
    return counts.reduce((a, b) => a + b, 0) / writers / secs;
  } finally {
    await Promise.all(dbs.map((d) => d.close()));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Run `fn` with a null broker (a child process, stopped afterwards whatever happens) at the address it gets. */
export async function withNullBroker<T>(fn: (addr: string) => Promise<T>): Promise<T> {
  const script = fileURLToPath(new URL('./null-broker.js', import.meta.url));
  const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
  trackChild(child);
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /port (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.once('exit', (c) => reject(new Error(`null broker exited with ${c}`)));
    });
    return await fn(`127.0.0.1:${port}`);
  } finally {
    closeClients();
    child.kill('SIGKILL');
  }
}

export const limitsWorkload: Workload = {
  name: 'limits',
  describe: (o) =>
    `machine limits: fsync of 4 KiB appends; classic-level synced batches of ${o.size} B entries (batch 1, 16, 256) from 1 and 3 writers; raw gRPC AppendStream to a null server (1 msg/request at 1 and ${o.window} in flight, 16 and 256 msgs/request)`,
  async run(o: BenchOptions, report: Report): Promise<void> {
    const ms = Math.min(o.phaseMs, 2000);
    // fsync
    const p50: number[] = [];
    const p99: number[] = [];
    for (let r = 0; r < o.runs; r++) {
      progress(`limits: fsync run ${r + 1}/${o.runs}`);
      const l = fsyncLatencies(ms / 2);
      p50.push(percentile(l, 50));
      p99.push(percentile(l, 99));
    }
    report.record('limit_fsync_p50', 'ms', p50);
    report.record('limit_fsync_p99', 'ms', p99);

    // classic-level synced batches
    for (const writers of [1, 3]) {
      for (const batch of [1, 16, 256]) {
        const rates: number[] = [];
        for (let r = 0; r < o.runs; r++) {
          progress(`limits: classic-level ${writers} writer(s), batch ${batch}, run ${r + 1}/${o.runs}`);
          rates.push(await levelWriters(writers, batch, o.size, ms));
        }
        report.record(`limit_level_sync_w${writers}_b${batch}`, 'entries/s', rates);
      }
    }

    // raw gRPC stream between two processes
    await withNullBroker(async (addr) => {
      const shapes = [
        { name: 'w1_b1', window: 1, batch: 1 },
        { name: `w${o.window}_b1`, window: o.window, batch: 1 },
        { name: 'b16', window: Math.max(2, Math.ceil(o.window / 16)), batch: 16 },
        { name: 'b256', window: Math.max(2, Math.ceil(o.window / 256)), batch: 256 },
      ];
      // warm-up
      await appendWindowed([addr], { stream: 'x', batch: 1, window: 64, size: o.size, messages: 20_000, timeMs: 1000, producers: 1 });
      for (const s of shapes) {
        const rates: number[] = [];
        const lat50: number[] = [];
        const lat99: number[] = [];
        for (let r = 0; r < o.runs; r++) {
          progress(`limits: raw gRPC stream ${s.name}, run ${r + 1}/${o.runs}`);
          const run = await appendWindowed([addr], { stream: 'x', batch: s.batch, window: s.window, size: o.size, messages: s.window === 1 ? 20_000 : o.messages * 2, timeMs: ms, producers: 1 });
          rates.push(run.rate);
          lat50.push(percentile(run.latencies, 50));
          lat99.push(percentile(run.latencies, 99));
        }
        report.record(`limit_grpc_stream_${s.name}`, 'msg/s', rates);
        if (s.window === 1) {
          report.record('limit_grpc_stream_rtt_p50', 'ms', lat50);
          report.record('limit_grpc_stream_rtt_p99', 'ms', lat99);
        }
      }
    });
  },
};
