// Every local cluster a bench phase uses is made here: with the bench's
// server flags (--server-arg) and node options (--node-arg, e.g. a CPU
// profile per node: %id becomes the node's id), and tracked for cleanup.ts
// before its first process starts, so whatever happens later it is stopped.

import { LocalCluster } from '../e2e/cluster.js';
import { destroyCluster, trackCluster } from './cleanup.js';
import type { BenchOptions } from './workload.js';

/** A fresh cluster of `n` nodes, not started yet. */
export async function benchCluster(o: BenchOptions, n: number, clusterId: string): Promise<LocalCluster> {
  const cluster = await LocalCluster.create(n, { clusterId, timing: o.serverArgs });
  trackCluster(cluster);
  if (o.nodeArgs.length) {
    // Node options go before the script.
    const orig = cluster.serverArgs.bind(cluster);
    cluster.serverArgs = (id, extra, members) => [...o.nodeArgs.map((a) => a.replace('%id', String(id))), ...orig(id, extra, members)];
  }
  return cluster;
}

/**
 * Stop a phase's cluster: with `graceful`, SIGTERM first (bounded), so a
 * server run with --cpu-prof writes its profile; then every node is killed
 * and the data removed (destroyCluster).
 */
export async function endBenchCluster(cluster: LocalCluster, graceful: boolean): Promise<void> {
  if (graceful) {
    const stopping = Promise.all([...cluster.nodes.keys()].filter((id) => cluster.running(id)).map((id) => cluster.stopNode(id, 'SIGTERM')));
    // A server that does not stop in time is killed below.
    await Promise.race([stopping, new Promise((r) => setTimeout(r, 20_000).unref())]);
  }
  await destroyCluster(cluster);
}
