// What TLS costs: append with confirm to the leader of 3 nodes, 1 and
// `window` requests in flight, on two clusters started side by side — one
// plaintext, one with TLS on every port (--tls all, certificates from
// `quorumq cert`) — measured in turns (plain, TLS, plain, TLS, ...) so that
// load from elsewhere on the machine falls on both alike.

import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { BrokerPool } from '../../broker/cli/client.js';
import { LocalCluster, waitFor } from '../e2e/cluster.js';
import { destroyCluster } from './cleanup.js';
import { benchCluster } from './clusters.js';
import { appendWindowed, useTls } from './driver.js';
import type { Report } from './report.js';
import { percentile, progress } from './report.js';
import type { BenchOptions, Workload } from './workload.js';

const STREAM = 'bench-tls';

interface Side {
  readonly name: 'off' | 'on';
  readonly cluster: LocalCluster;
  readonly pool: BrokerPool;
  leader: string;
}

async function cli(c: LocalCluster, args: string[]): Promise<void> {
  const r = await c.cli(args, 60_000);
  if (r.code !== 0) throw new Error(`quorumq ${args.join(' ')}: ${r.stderr.trim()}`);
}

async function start(o: BenchOptions, tls: boolean): Promise<Side> {
  const cluster = await benchCluster(o, o.nodes, tls ? 'bench-tls' : 'bench-plain');
  const ids = [...cluster.nodes.keys()];
  let creds: grpc.ChannelCredentials | undefined;
  const extra = (id: number): string[] => {
    if (!tls) return [];
    const d = join(cluster.dir, 'certs');
    return ['--tls', 'all', '--tls-ca', join(d, 'ca.pem'), '--tls-cert', join(d, `node-${id}.pem`), '--tls-key', join(d, `node-${id}-key.pem`)];
  };
  if (tls) {
    const d = join(cluster.dir, 'certs');
    await cli(cluster, ['cert', 'init', '--dir', d, '--cluster-id', 'bench-tls']);
    for (const id of ids) await cli(cluster, ['cert', 'issue', 'node', '--id', String(id), '--dir', d]);
    creds = grpc.credentials.createSsl(readFileSync(join(d, 'ca.pem')));
    // Node warns (DEP0123) of TLS to an IP address by name; the certificate's IP SAN is still checked.
    process.noDeprecation = true;
    useTls(ids.map((id) => cluster.node(id).client), creds);
  }
  progress(`tls: starting a ${o.nodes}-node cluster with TLS ${tls ? 'on' : 'off'} in ${cluster.dir}`);
  const started = await Promise.all(ids.map((id) => cluster.startNode(id, extra(id))));
  started.forEach((r, i) => {
    if (r.exitCode !== undefined) throw new Error(`node ${i + 1} exited with ${r.exitCode}: ${r.stderr.trim().split('\n').pop()}`);
  });
  const pool = new BrokerPool(ids.map((id) => cluster.node(id).client), 10_000, creds);
  const leader = await waitFor('a leader', async () => (await pool.call<{ leader: number }>('ClusterStatus', {})).leader || undefined, o.startTimeoutMs);
  await pool.call('DeclareStream', { name: STREAM, settings: {} });
  return { name: tls ? 'on' : 'off', cluster, pool, leader: cluster.node(leader).client };
}

export const tlsWorkload: Workload = {
  name: 'tls',
  describe: (o) => `TLS overhead: append with confirm to the leader of ${o.nodes} nodes, 1 and ${o.window} in flight, TLS off vs on (--tls all), measured in turns on two clusters, ${o.runs} runs each`,
  async run(o, report: Report) {
    const sides: Side[] = [];
    try {
      sides.push(await start(o, false));
      sides.push(await start(o, true));
      for (const s of sides) await appendWindowed([s.leader], { stream: STREAM, batch: 1, window: 64, size: o.size, messages: 5000, timeMs: 5000, producers: 1 });
      for (const window of [1, o.window]) {
        const rates = new Map<string, number[]>(sides.map((s) => [s.name, []]));
        const p50s = new Map<string, number[]>(sides.map((s) => [s.name, []]));
        for (let r = 0; r < o.runs; r++) {
          for (const s of sides) {
            const run = await appendWindowed([s.leader], { stream: STREAM, batch: 1, window, size: o.size, messages: o.messages, timeMs: o.phaseMs, producers: 1 });
            if (run.errors) report.note(`tls ${s.name} w${window}: ${run.errors} request(s) failed, first: ${run.firstError}`);
            progress(`tls ${s.name} w${window} run ${r + 1}/${o.runs}: ${Math.round(run.rate)} msg/s, p50 ${percentile(run.latencies, 50).toFixed(2)} ms`);
            rates.get(s.name)!.push(run.rate);
            p50s.get(s.name)!.push(percentile(run.latencies, 50));
          }
        }
        for (const s of sides) {
          report.record(`tls_${s.name}_append_w${window}`, 'msg/s', rates.get(s.name)!);
          report.record(`tls_${s.name}_append_w${window}_p50`, 'ms', p50s.get(s.name)!);
        }
      }
    } finally {
      for (const s of sides) s.pool.close();
      for (const s of sides) await destroyCluster(s.cluster);
    }
  },
};
