// The SDK's placement cache (`--only sdk-placement`): 256 concurrent keyed
// `send()` to a 3-partition queue on a fresh 3-node cluster, through a
// connection that looks up the placement and sends each partition's part
// straight to its leader ("direct"), beside one with placement off, whose
// publishes all go to the metadata group's leader, which forwards the parts
// of the partitions it does not lead ("via leader"). The two take turns in
// each run, on the same cluster and queue; each run also reports how many
// forwards the nodes made (quorumq_forwarded_requests_total) and the load
// average, since the machine is shared. Neither producer is idempotent: a
// publish spread over partitions refuses a producer id.

import { loadavg } from 'node:os';
import { connect, type Client } from '../../broker/client/index.js';
import { destroyCluster } from './cleanup.js';
import { benchCluster } from './clusters.js';
import { payload } from './driver.js';
import { percentile, progress, type Report } from './report.js';
import { closedLoop } from './sdk.js';
import type { BenchOptions, Workload } from './workload.js';
import type { LocalCluster } from '../e2e/cluster.js';
import { waitFor } from '../e2e/cluster.js';

const CONCURRENCY = 256;
const PARTITIONS = 3;
const QUEUE = 'bench-sdk-placement';
/** Group keys, so per-key order matters and every partition gets its share. */
const KEYS = 64;

async function forwarded(cluster: LocalCluster): Promise<number> {
  let sum = 0;
  for (const n of cluster.nodes.values()) {
    const text = await (await fetch(`http://${n.metrics}/metrics`)).text();
    for (const l of text.split('\n')) if (l.startsWith('quorumq_forwarded_requests_total')) sum += Number(l.split(' ').pop());
  }
  return sum;
}

export const sdkPlacementWorkload: Workload = {
  name: 'sdk-placement',
  describe: (o) =>
    `the SDK's placement cache: ${CONCURRENCY} concurrent keyed send() of ${o.size} B to a ${PARTITIONS}-partition queue on a fresh 3-node cluster, each part straight to its partition's leader ("direct") beside placement off (all to the metadata group's leader, which forwards), taking turns in each of ${o.runs} runs, up to ${o.messages} messages or ${o.phaseMs} ms each`,
  async run(o: BenchOptions, report: Report) {
    const cluster = await benchCluster(o, 3, 'bench-sdk-placement');
    const clients: Client[] = [];
    try {
      progress(`sdk-placement: starting a 3-node cluster in ${cluster.dir}`);
      await cluster.startAll();
      await cluster.waitForLeader(o.startTimeoutMs);
      const servers = [...cluster.nodes.values()].map((n) => n.client);
      const direct = await connect({ servers });
      const viaLeader = await connect({ servers, placement: false });
      clients.push(direct, viaLeader);
      await direct.declareQueue(QUEUE, {}, { partitions: PARTITIONS, timeoutMs: 60_000 });
      await waitFor('every partition led', async () => (await cluster.status()).groups.filter((g) => g.queue === QUEUE).every((g) => Number(g.leader) > 0), 60_000);
      const body = payload(o.size);
      const shapes = [
        { name: 'direct', metric: `sdk_placement_direct_w${CONCURRENCY}`, client: direct },
        { name: 'via leader', metric: `sdk_placement_off_w${CONCURRENCY}`, client: viaLeader },
      ];
      const producers = shapes.map((s) => s.client.queueProducer(QUEUE, { idempotent: false }));
      const sends = producers.map((p) => {
        let i = 0;
        return (): Promise<unknown> => p.send({ body, group: `key-${i++ % KEYS}` });
      });
      // Warm-up: channels open, the placement looked up, the JIT has seen both paths.
      for (const send of sends) await closedLoop(64, 1000, 5000, send);
      const rates = shapes.map(() => [] as number[]);
      const p50 = shapes.map(() => [] as number[]);
      const fwd = shapes.map(() => [] as number[]);
      const load: number[] = [];
      for (let r = 0; r < o.runs; r++) {
        // Which goes first alternates: on a loaded machine later runs tend to be faster (warmer JIT, less contention at the start).
        for (const k of r % 2 === 0 ? [0, 1] : [1, 0]) {
          const before = await forwarded(cluster);
          const run = await closedLoop(CONCURRENCY, o.phaseMs, o.messages, sends[k]!);
          const f = (await forwarded(cluster)) - before;
          if (run.errors) report.note(`${shapes[k]!.metric}: ${run.errors} send(s) failed, first: ${run.firstError}`);
          progress(`sdk-placement ${shapes[k]!.name} run ${r + 1}/${o.runs}: ${Math.round(run.rate)} msg/s, p50 ${percentile(run.latencies, 50).toFixed(2)} ms, ${f} forwards, load ${loadavg()[0]!.toFixed(1)}`);
          rates[k]!.push(run.rate);
          p50[k]!.push(percentile(run.latencies, 50));
          fwd[k]!.push(f);
        }
        load.push(loadavg()[0]!);
      }
      for (const p of producers) await p.close();
      shapes.forEach((s, k) => {
        report.record(s.metric, 'msg/s', rates[k]!);
        report.record(`${s.metric}_p50`, 'ms', p50[k]!);
        report.record(`${s.metric}_forwards`, 'forwards', fwd[k]!);
      });
      report.record('sdk_placement_loadavg', 'load', load);
    } finally {
      for (const c of clients) c.close();
      await destroyCluster(cluster);
    }
  },
};

/** The closing table's rows for this workload. */
export function sdkPlacementRows(report: Report): void {
  const S = `TypeScript SDK, ${PARTITIONS}-partition queue (3 nodes, same run)`;
  report.row({ section: S, label: `${CONCURRENCY} concurrent keyed send(), straight to each partition's leader (vs placement off)`, metric: `sdk_placement_direct_w${CONCURRENCY}`, limit: `sdk_placement_off_w${CONCURRENCY}` });
  report.row({ section: S, label: 'p50, straight to the leaders (vs placement off)', metric: `sdk_placement_direct_w${CONCURRENCY}_p50`, limit: `sdk_placement_off_w${CONCURRENCY}_p50`, lowerIsBetter: true });
  report.row({ section: S, label: 'forwards between nodes per run, straight to the leaders', metric: `sdk_placement_direct_w${CONCURRENCY}_forwards`, lowerIsBetter: true, goal: '~0' });
  report.row({ section: S, label: 'forwards between nodes per run, placement off', metric: `sdk_placement_off_w${CONCURRENCY}_forwards`, lowerIsBetter: true });
  report.row({ section: S, label: 'load average (1 min) during the runs', metric: 'sdk_placement_loadavg', lowerIsBetter: true });
}
