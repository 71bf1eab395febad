// The restart figure of `make bench`, one measurement for every machine: a
// follower of a cluster that holds a large backlog is killed (SIGKILL, no
// goodbye) and started again; the figures are the time to its ready line, the
// time until it serves what the workload asks of it (a stream's tail read
// locally, a queue's delivery to a consumer attached to it), and its resident
// memory then.

import { readFileSync } from 'node:fs';
import { waitFor } from '../e2e/cluster.js';
import type { LocalCluster } from '../e2e/cluster.js';
import type { Report } from './report.js';
import { progress } from './report.js';

export interface RestartFigures {
  readonly ready: number[];
  readonly serving: number[];
  readonly rssMiB: number[];
  /** The restarted node's own CPU (user + system) until its ready line (its log's startCpuMs): comparable on a loaded machine, where wall time is not. */
  readonly startCpuMs: number[];
}

/** startCpuMs of the last "node ready" line in a node's log, once pino has written it (NaN if it never shows). */
async function lastStartCpuMs(logFile: string, after: number): Promise<number> {
  let found = NaN;
  await waitFor(
    'the restarted node\'s ready line in its log',
    async () => {
      const lines = readFileSync(logFile, 'utf8').split('\n').filter((l) => l.includes('"node ready"'));
      if (lines.length <= after) return false;
      found = Number(JSON.parse(lines[lines.length - 1]!).startCpuMs);
      return true;
    },
    10_000,
    5,
  ).catch(() => undefined);
  return found;
}

function readyLines(logFile: string): number {
  try {
    return readFileSync(logFile, 'utf8').split('\n').filter((l) => l.includes('"node ready"')).length;
  } catch {
    return 0;
  }
}

function rssBytes(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Kills and restarts node `id` `runs` times; `serves` says whether it serves yet (polled every 5 ms). */
export async function measureRestarts(cluster: LocalCluster, id: number, runs: number, what: string, serves: () => Promise<boolean>): Promise<RestartFigures> {
  const figures: RestartFigures = { ready: [], serving: [], rssMiB: [], startCpuMs: [] };
  for (let r = 0; r < runs; r++) {
    await cluster.stopNode(id, 'SIGKILL');
    const before = readyLines(cluster.node(id).logFile);
    const t0 = performance.now();
    const st = await cluster.startNode(id);
    if (st.exitCode !== undefined) throw new Error(`node ${id} did not restart: ${st.stderr.trim().split('\n').pop()}`);
    figures.ready.push(performance.now() - t0);
    await waitFor(`the restarted node to serve ${what}`, serves, 60_000, 5);
    figures.serving.push(performance.now() - t0);
    figures.rssMiB.push(rssBytes(cluster.node(id).proc?.pid) / (1 << 20));
    figures.startCpuMs.push(await lastStartCpuMs(cluster.node(id).logFile, before));
    progress(
      `${what}: restart ${r + 1}/${runs}: ready after ${figures.ready[r]!.toFixed(0)} ms (node CPU ${figures.startCpuMs[r]!.toFixed(0)} ms), serving after ${figures.serving[r]!.toFixed(0)} ms, RSS ${figures.rssMiB[r]!.toFixed(0)} MiB`,
    );
  }
  return figures;
}

/** Records `<prefix>_ready_<n>`, `<prefix>_serving_<n>`, `<prefix>_rss_<n>` and `<prefix>_start_cpu_<n>`. */
export function recordRestarts(report: Report, prefix: string, n: number, f: RestartFigures): void {
  report.record(`${prefix}_ready_${n}`, 'ms', f.ready);
  report.record(`${prefix}_serving_${n}`, 'ms', f.serving);
  report.record(`${prefix}_rss_${n}`, 'MiB', f.rssMiB);
  report.record(`${prefix}_start_cpu_${n}`, 'ms', f.startCpuMs);
}
