// Whatever a bench phase starts — local clusters of `quorumq server`
// processes, helper servers — is stopped by the bench, whatever happens:
// when the phase fails (even while its cluster is still starting), at the end
// of the run, on SIGINT/SIGTERM/SIGHUP of the bench process, and, as a last
// resort, with SIGKILL when the process exits any other way.

import type { ChildProcess } from 'node:child_process';
import type { LocalCluster } from '../e2e/cluster.js';
import { progress } from './report.js';

const clusters = new Set<LocalCluster>();
const children = new Set<ChildProcess>();

export function trackCluster(c: LocalCluster): void {
  clusters.add(c);
}

/** Kill every node of a cluster (SIGKILL) and remove its data; it is no longer tracked. */
export async function destroyCluster(c: LocalCluster): Promise<void> {
  clusters.delete(c);
  await c.destroy();
}

/** A helper process (e.g. the null broker) to kill if the bench ends before its phase does. */
export function trackChild(p: ChildProcess): void {
  children.add(p);
  p.once('exit', () => children.delete(p));
}

const alive = (p: ChildProcess | undefined): p is ChildProcess => !!p && p.exitCode === null && p.signalCode === null;

/** The pids of every server and helper the bench has started and not yet stopped. */
export function livePids(): number[] {
  const pids: number[] = [];
  for (const c of clusters) for (const n of c.nodes.values()) if (alive(n.proc) && n.proc.pid) pids.push(n.proc.pid);
  for (const p of children) if (alive(p) && p.pid) pids.push(p.pid);
  return pids;
}

/** Destroy every tracked cluster and kill every tracked helper. */
export async function destroyAll(): Promise<void> {
  for (const p of children) if (alive(p)) p.kill('SIGKILL');
  await Promise.all([...clusters].map((c) => destroyCluster(c)));
}

/** Synchronous last resort (an 'exit' handler cannot wait): SIGKILL whatever still runs. */
export function killAllNow(): number {
  const pids = livePids();
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  return pids.length;
}

/**
 * On SIGINT, SIGTERM or SIGHUP: run `teardown` (bounded), then exit with
 * 128 + the signal number; a second signal kills everything at once. On any
 * exit: SIGKILL whatever is left.
 */
export function installSignalTeardown(teardown: () => Promise<void>, boundMs = 30_000): void {
  let stopping = false;
  const numbers: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      const code = 128 + numbers[sig]!;
      if (stopping) {
        progress(`${sig} again: killing ${killAllNow()} process(es) now`);
        process.exit(code);
      }
      stopping = true;
      progress(`${sig}: stopping ${livePids().length} process(es) the bench started`);
      const bound = new Promise<void>((r) => setTimeout(r, boundMs).unref());
      void Promise.race([teardown().catch((e: unknown) => progress(`teardown: ${(e as Error).message}`)), bound]).finally(() => process.exit(code));
    });
  }
  process.on('exit', () => {
    killAllNow();
  });
}
