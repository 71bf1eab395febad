// The quorum-queue workloads of `make bench`: publish with confirm (1 and
// `window` in flight, one message per request; batches of 16) on PublishStream
// calls to the leader, and through the SDK's queue producer (256 concurrent
// send()); consume with acknowledgements (prefetch 256) on a follower; end to
// end (publishes to the leader at half the maximum rate, delivered to a
// consumer on a follower); each with its server CPU per message and leader
// changes; on a fresh local cluster of real `quorumq server` processes. And
// the restart of a follower holding a large backlog (queue-recovery).

import { connect } from '../../broker/client/index.js';
import type { BrokerPool } from '../../broker/cli/client.js';
import { LocalCluster, waitFor } from '../e2e/cluster.js';
import { benchCluster, endBenchCluster } from './clusters.js';
import { CostSamples } from './cost.js';
import { consumeAcked, consumeDelays, deliversOne, payload, publishAtRate, publishWindowed } from './driver.js';
import type { AppendRun } from './driver.js';
import type { Report } from './report.js';
import { percentile, progress } from './report.js';
import { measureRestarts, recordRestarts } from './restart.js';
import { closedLoop } from './sdk.js';
import type { BenchOptions, Workload } from './workload.js';

const QUEUE = 'bench-q';
/** Its own queue, empty at the start, so no backlog adds to the delays. */
const E2E_QUEUE = 'bench-e2e-q';
/** Concurrent `send()` of the SDK publish phase (the issue's shape). */
const SDK_CONCURRENCY = 256;

export interface QueueCluster {
  readonly cluster: LocalCluster;
  leader: number;
  /** A node that was not the leader when the cluster came up. */
  readonly follower: number;
  readonly pool: BrokerPool;
}

/** A fresh cluster for a queue workload, tracked from its first process on and destroyed when `fn` ends, however it ends. */
export async function withQueueCluster<T>(o: BenchOptions, clusterId: string, fn: (q: QueueCluster) => Promise<T>): Promise<T> {
  const cluster = await benchCluster(o, o.nodes, clusterId);
  try {
    progress(`${clusterId}: starting a ${o.nodes}-node cluster in ${cluster.dir}`);
    await cluster.startAll();
    const leader = await cluster.waitForLeader(o.startTimeoutMs);
    const follower = [...cluster.nodes.keys()].find((id) => id !== leader)!;
    return await fn({ cluster, leader, follower, pool: cluster.client(undefined, 10_000) });
  } finally {
    // Gracefully when profiling: a --cpu-prof node writes its profile on the way out.
    await endBenchCluster(cluster, o.nodeArgs.length > 0);
  }
}

export const queueWorkload: Workload = {
  name: 'queue',
  describe: (o) =>
    `quorum queue on a fresh ${o.nodes}-node cluster, ${o.size} B messages, up to ${o.messages} messages or ${o.phaseMs} ms per run: publish with confirm 1 and ${o.window} in flight (1 message per request) and in batches of 16 to the leader; ${SDK_CONCURRENCY} concurrent send() of the SDK's queue producer; consume with acks, prefetch 256, on a follower; end to end at half the ${o.window}-in-flight publish rate, publish to the leader -> delivered to a consumer (prefetch 256) on a follower; server CPU per message and leader changes in each`,
  run: (o, report) =>
    withQueueCluster(o, 'bench-queues', async ({ cluster, leader, follower, pool }) => {
      await pool.call('DeclareQueue', { name: QUEUE, settings: {} });
      const at = [cluster.node(leader).client];
      const note = (run: AppendRun, what: string): void => {
        if (run.errors) report.note(`${what}: ${run.errors} request(s) failed, first: ${run.firstError}`);
      };
      const warm = await publishWindowed(at, QUEUE, { batch: 1, window: 64, size: o.size, messages: 2000, timeMs: 5000, producers: 1 });
      let published = warm.confirmed;
      const shapes = [
        { key: 'w1', batch: 1, window: 1 },
        { key: `w${o.window}`, batch: 1, window: o.window },
        { key: 'b16', batch: 16, window: Math.max(2, Math.ceil(o.window / 16)) },
      ];
      for (const sh of shapes) {
        const rates: number[] = [];
        const p50: number[] = [];
        const p99: number[] = [];
        const cost = new CostSamples();
        for (let r = 0; r < o.runs; r++) {
          const run = await cost.measure(
            cluster,
            () => publishWindowed(at, QUEUE, { batch: sh.batch, window: sh.window, size: o.size, messages: o.messages, timeMs: o.phaseMs, producers: 1 }),
            (run) => run.confirmed,
          );
          note(run, `queue publish ${sh.key}`);
          published += run.confirmed;
          progress(`queue publish ${sh.key} run ${r + 1}/${o.runs}: ${Math.round(run.rate)} msg/s, p50 ${percentile(run.latencies, 50).toFixed(2)} ms`);
          rates.push(run.rate);
          p50.push(percentile(run.latencies, 50));
          p99.push(percentile(run.latencies, 99));
        }
        report.record(`queue_publish_${sh.key}`, 'msg/s', rates);
        report.record(`queue_publish_${sh.key}_p50`, 'ms', p50);
        report.record(`queue_publish_${sh.key}_p99`, 'ms', p99);
        cost.record(report, `queue_publish_${sh.key}`);
      }

      // The SDK: concurrent producer.send() of one message each (the SDK batches them), to the same queue.
      published += await sdkPublish(o, report, cluster);

      // Everything published so far is consumed and acked, from a follower, in runs.
      const per = Math.ceil(published / o.runs);
      const consume: number[] = [];
      const consumeCost = new CostSamples();
      let acked = 0;
      for (let r = 0; r < o.runs; r++) {
        const c = await consumeCost.measure(cluster, () => consumeAcked(cluster.node(follower).client, QUEUE, 256, per, o.phaseMs, 500 + r), (c) => c.acked);
        acked += c.acked;
        progress(`queue consume run ${r + 1}/${o.runs}: ${Math.round(c.rate)} msg/s (${c.acked} acked)`);
        consume.push(c.rate);
      }
      if (acked < published) report.note(`queue consume: ${acked} of ${published} published acked within ${o.runs} x ${o.phaseMs} ms`);
      report.record('queue_consume_ack', 'msg/s', consume);
      consumeCost.record(report, 'queue_consume_ack');

      // End to end: a publish stamped with when it was due -> its delivery on a follower, at half the maximum publish rate.
      const max = report.value(`queue_publish_w${o.window}`);
      const rate = Math.max(100, Math.round((Number.isFinite(max) ? max : 2000) / 2));
      report.note(`queue end to end: offered ${rate} msg/s (half of ${Number.isFinite(max) ? `queue_publish_w${o.window} ${max}` : 'an assumed 2000'} msg/s)`);
      await pool.call('DeclareQueue', { name: E2E_QUEUE, settings: {} });
      const leaderAddr = cluster.node(leader).client;
      const p50: number[] = [];
      const p99: number[] = [];
      const got: number[] = [];
      const e2eCost = new CostSamples();
      for (let r = 0; r < o.runs; r++) {
        const sub = consumeDelays(cluster.node(follower).client, E2E_QUEUE, 256);
        // Until the consumer is attached: publish a few and wait for one to arrive.
        await waitFor('the consumer to attach', async () => {
          await publishAtRate(leaderAddr, E2E_QUEUE, o.size, 200, 50, true);
          await new Promise((res) => setTimeout(res, 50));
          return sub.delays.length > 0;
        }, 10_000, 1);
        await new Promise((res) => setTimeout(res, 100));
        sub.delays.length = 0;
        const run = await e2eCost.measure(
          cluster,
          async () => {
            const run = await publishAtRate(leaderAddr, E2E_QUEUE, o.size, rate, o.phaseMs, true);
            await waitFor('deliveries', () => sub.delays.length >= run.confirmed, 10_000).catch(() => undefined);
            return run;
          },
          (run) => run.confirmed,
        );
        note(run, 'queue end to end');
        sub.stop();
        if (sub.delays.length < run.confirmed) report.note(`queue end to end run ${r + 1}: ${sub.delays.length} of ${run.confirmed} confirmed delivered within 10 s`);
        progress(`queue e2e at ${rate} msg/s run ${r + 1}/${o.runs}: ${sub.delays.length} delivered, p50 ${percentile(sub.delays, 50).toFixed(2)} ms, p99 ${percentile(sub.delays, 99).toFixed(2)} ms`);
        p50.push(percentile(sub.delays, 50));
        p99.push(percentile(sub.delays, 99));
        got.push(run.rate);
      }
      report.record('queue_e2e_rate', 'msg/s', got);
      report.record('queue_e2e_p50', 'ms', p50);
      report.record('queue_e2e_p99', 'ms', p99);
      e2eCost.record(report, 'queue_e2e');
    }),
};

/** SDK_CONCURRENCY concurrent `send()` of the SDK's queue producer to QUEUE, in runs; returns the messages it confirmed. */
async function sdkPublish(o: BenchOptions, report: Report, cluster: LocalCluster): Promise<number> {
  const qq = await connect({ servers: [...cluster.nodes.values()].map((n) => n.client) });
  try {
    const body = payload(o.size);
    const p = qq.queueProducer(QUEUE);
    const send = (): Promise<unknown> => p.send({ body });
    // Warm-up: the SDK's channels open and its leader known, the JIT has seen the path.
    const warm = await closedLoop(64, 1000, 5000, send);
    let sent = warm.latencies.length;
    const metric = `queue_sdk_publish_w${SDK_CONCURRENCY}`;
    const rates: number[] = [];
    const p50: number[] = [];
    const p99: number[] = [];
    const cost = new CostSamples();
    for (let r = 0; r < o.runs; r++) {
      const run = await cost.measure(cluster, () => closedLoop(SDK_CONCURRENCY, o.phaseMs, o.messages, send), (run) => run.latencies.length);
      sent += run.latencies.length;
      if (run.errors) report.note(`${metric}: ${run.errors} send(s) failed, first: ${run.firstError}`);
      progress(`queue SDK publish ${SDK_CONCURRENCY} concurrent run ${r + 1}/${o.runs}: ${Math.round(run.rate)} msg/s, p50 ${percentile(run.latencies, 50).toFixed(2)} ms`);
      rates.push(run.rate);
      p50.push(percentile(run.latencies, 50));
      p99.push(percentile(run.latencies, 99));
    }
    await p.close();
    report.record(metric, 'msg/s', rates);
    report.record(`${metric}_p50`, 'ms', p50);
    report.record(`${metric}_p99`, 'ms', p99);
    cost.record(report, metric);
    return sent;
  } finally {
    qq.close();
  }
}

/** Its own cluster and queue: the backlog of the recovery figure. */
const RECOVERY_QUEUE = 'bench-recovery-q';

export const queueRecoveryWorkload: Workload = {
  name: 'queue-recovery',
  describe: (o) =>
    `queue recovery: a follower killed (SIGKILL) and restarted with ${o.recoveryMessages} messages of ${o.size} B queued (published in batches of 256); time to its ready line and to delivering a message to a consumer attached to it; its resident memory then`,
  run: (o, report: Report) =>
    withQueueCluster(o, 'bench-queue-recovery', async ({ cluster, leader, follower, pool }) => {
      await pool.call('DeclareQueue', { name: RECOVERY_QUEUE, settings: {} });
      const t0 = performance.now();
      const run = await publishWindowed([cluster.node(leader).client], RECOVERY_QUEUE, {
        batch: 256,
        window: 4,
        size: o.size,
        messages: o.recoveryMessages,
        timeMs: 900_000,
        producers: 1,
        onProgress: (n) => progress(`queue-recovery fill: ${n}/${o.recoveryMessages}`),
      });
      if (run.errors) report.note(`queue-recovery fill: ${run.errors} request(s) failed, first: ${run.firstError}`);
      progress(`queue-recovery: ${run.confirmed} queued in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      const addr = cluster.node(follower).client;
      const figures = await measureRestarts(cluster, follower, o.runs, 'a queue delivery', () => deliversOne(addr, RECOVERY_QUEUE, 1000));
      recordRestarts(report, 'queue_recovery', o.recoveryMessages, figures);
    }),
};
