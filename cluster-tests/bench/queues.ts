// The quorum-queue workloads of `make bench`: publish with confirm (1 and
// `window` in flight, one message per request; batches of 16) on PublishStream
// calls to the leader, consume with acknowledgements (prefetch 256) on a
// follower, and end to end (publishes to the leader at a steady 1000 msg/s,
// delivered to a consumer on a follower), on a fresh local cluster of real
// `quorumq server` processes.

import { LocalCluster, waitFor } from '../e2e/cluster.js';
import { destroyCluster, trackCluster } from './cleanup.js';
import { consumeAcked, consumeDelays, deliversOne, publishAtRate, publishWindowed } from './driver.js';
import type { AppendRun } from './driver.js';
import type { Report } from './report.js';
import { percentile, progress } from './report.js';
import { measureRestarts, recordRestarts } from './restart.js';
import type { Workload } from './workload.js';

const QUEUE = 'bench-q';
/** Its own queue, empty at the start, so no backlog adds to the delays. */
const E2E_QUEUE = 'bench-e2e-q';

export const queueWorkload: Workload = {
  name: 'queue',
  describe: (o) =>
    `quorum queue on a fresh ${o.nodes}-node cluster, ${o.size} B messages, up to ${o.messages} messages or ${o.phaseMs} ms per run: publish with confirm 1 and ${o.window} in flight (1 message per request) and in batches of 16 to the leader; consume with acks, prefetch 256, on a follower; end to end at 1000 msg/s, publish to the leader -> delivered to a consumer (prefetch 256) on a follower`,
  async run(o, report: Report) {
    const cluster = await LocalCluster.create(o.nodes, { clusterId: 'bench-queues', timing: o.serverArgs });
    trackCluster(cluster);
    try {
      progress(`queue: starting a ${o.nodes}-node cluster in ${cluster.dir}`);
      await cluster.startAll();
      const leader = await cluster.waitForLeader(o.startTimeoutMs);
      const follower = [...cluster.nodes.keys()].find((id) => id !== leader)!;
      const pool = cluster.client(undefined, 10_000);
      await pool.call('DeclareQueue', { name: QUEUE, settings: {} });
      const at = [cluster.node(leader).client];
      const note = (run: AppendRun, what: string): void => {
        if (run.errors) report.note(`${what}: ${run.errors} request(s) failed, first: ${run.firstError}`);
      };
      await publishWindowed(at, QUEUE, { batch: 1, window: 64, size: o.size, messages: 2000, timeMs: 5000, producers: 1 });
      const shapes = [
        { key: 'w1', batch: 1, window: 1 },
        { key: `w${o.window}`, batch: 1, window: o.window },
        { key: 'b16', batch: 16, window: Math.max(2, Math.ceil(o.window / 16)) },
      ];
      let published = 2000;
      for (const sh of shapes) {
        const rates: number[] = [];
        const p50: number[] = [];
        const p99: number[] = [];
        for (let r = 0; r < o.runs; r++) {
          const run = await publishWindowed(at, QUEUE, { batch: sh.batch, window: sh.window, size: o.size, messages: o.messages, timeMs: o.phaseMs, producers: 1 });
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
      }
      // Everything published so far is consumed and acked, from a follower, in runs.
      const per = Math.ceil(published / o.runs);
      const consume: number[] = [];
      for (let r = 0; r < o.runs; r++) {
        const c = await consumeAcked(cluster.node(follower).client, QUEUE, 256, per, o.phaseMs, 500 + r);
        progress(`queue consume run ${r + 1}/${o.runs}: ${Math.round(c.rate)} msg/s (${c.acked} acked)`);
        consume.push(c.rate);
      }
      report.record('queue_consume_ack', 'msg/s', consume);

      // End to end: a publish stamped with when it was due -> its delivery on a follower.
      await pool.call('DeclareQueue', { name: E2E_QUEUE, settings: {} });
      const leaderAddr = cluster.node(leader).client;
      const p50: number[] = [];
      const p99: number[] = [];
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
        const run = await publishAtRate(leaderAddr, E2E_QUEUE, o.size, 1000, o.phaseMs, true);
        note(run, 'queue end to end');
        await waitFor('deliveries', () => sub.delays.length >= run.confirmed, 10_000).catch(() => undefined);
        sub.stop();
        progress(`queue e2e run ${r + 1}/${o.runs}: ${sub.delays.length} delivered, p50 ${percentile(sub.delays, 50).toFixed(2)} ms, p99 ${percentile(sub.delays, 99).toFixed(2)} ms`);
        p50.push(percentile(sub.delays, 50));
        p99.push(percentile(sub.delays, 99));
      }
      report.record('queue_e2e_p50', 'ms', p50);
      report.record('queue_e2e_p99', 'ms', p99);
    } finally {
      await destroyCluster(cluster);
    }
  },
};

/** Its own cluster and queue: the backlog of the recovery figure. */
const RECOVERY_QUEUE = 'bench-recovery-q';

export const queueRecoveryWorkload: Workload = {
  name: 'queue-recovery',
  describe: (o) =>
    `queue recovery: a follower killed (SIGKILL) and restarted with ${o.recoveryMessages} messages of ${o.size} B queued (published in batches of 256); time to its ready line and to delivering a message to a consumer attached to it; its resident memory then`,
  async run(o, report: Report) {
    const cluster = await LocalCluster.create(o.nodes, { clusterId: 'bench-queue-recovery', timing: o.serverArgs });
    trackCluster(cluster);
    try {
      progress(`queue-recovery: starting a ${o.nodes}-node cluster in ${cluster.dir}`);
      await cluster.startAll();
      const leader = await cluster.waitForLeader(o.startTimeoutMs);
      const follower = [...cluster.nodes.keys()].find((id) => id !== leader)!;
      await cluster.client(undefined, 10_000).call('DeclareQueue', { name: RECOVERY_QUEUE, settings: {} });
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
    } finally {
      await destroyCluster(cluster);
    }
  },
};
