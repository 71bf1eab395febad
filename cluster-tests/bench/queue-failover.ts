// Failover of a quorum queue under a publish+consume load, in `make bench`
// (`--only queue-failover`): publishers (unary Publish, one message each,
// pinned to one node per try and moved to the next node when a try fails,
// 300 ms per try) and one consumer per node (prefetch 64, acking every
// delivery, re-attaching 20 ms after its call ends) run throughout; the leader
// is killed (SIGKILL) --failovers times, and each time the figures are the
// time to the first publish confirmed by another leader and to the first
// delivery only the new leader can have made (failover-gap.ts says which
// count), then the node is restarted and the load must flow again before the
// next kill.

import { Connection } from '../../broker/client/index.js';
import type { ConsumeResponse__Output } from '../../proto/generated/quorumq/v1/ConsumeResponse.js';
import { waitFor } from '../e2e/cluster.js';
import { CostMeter, CostSamples } from './cost.js';
import { failoverGap } from './failover-gap.js';
import type { Confirm, Delivered } from './failover-gap.js';
import { payload } from './driver.js';
import type { Report } from './report.js';
import { progress } from './report.js';
import { withQueueCluster } from './queues.js';
import type { Workload } from './workload.js';

const QUEUE = 'bench-failover-q';
const PUBLISHERS = 4;
const PREFETCH = 64;
/** A failover not over by then is recorded as this (and noted): the median still shows it. */
const GIVE_UP_MS = 30_000;

export const queueFailoverWorkload: Workload = {
  name: 'queue-failover',
  describe: (o) =>
    `queue failover under load on a fresh ${o.nodes}-node cluster: ${PUBLISHERS} publishers (1 message of ${o.size} B per request, 300 ms per try, the next node after a failure) and a consumer on every node (prefetch ${PREFETCH}, acks); the leader killed (SIGKILL) ${o.failovers} times: time to the first publish confirmed by a new leader and to the first delivery of a message published after the kill (or redelivered)`,
  run: (o, report: Report) =>
    withQueueCluster(o, 'bench-queue-failover', async ({ cluster, pool }) => {
      await pool.call('DeclareQueue', { name: QUEUE, settings: {} });
      const addrs = [...cluster.nodes.values()].map((n) => n.client);
      // The SDK's channels with fast reconnects: the figure is the cluster's, not a client's backoff.
      const conn = new Connection({ servers: addrs, discoverMembers: false, backoff: { baseMs: 10, maxMs: 50 } });
      let confirms: Confirm[] = [];
      let deliveries: Delivered[] = [];
      let lastConfirm = 0;
      let lastDelivery = 0;
      let confirmed = 0;
      let running = true;
      const base = payload(Math.max(8, o.size));

      const publisher = async (k: number): Promise<void> => {
        let at = k;
        while (running) {
          const body = Buffer.from(base);
          body.writeDoubleLE(performance.now(), 0);
          try {
            const r = await conn.call('Publish', { queue: QUEUE, messages: [{ body }] }, { route: addrs[at % addrs.length]!, timeoutMs: 300, attemptTimeoutMs: 300 });
            const now = performance.now();
            confirms.push({ at: now, leader: Number(r.leader) });
            lastConfirm = now;
            confirmed++;
          } catch {
            at++;
            await new Promise((res) => setTimeout(res, 5));
          }
        }
      };

      const calls = new Set<{ cancel(): void }>();
      const consumer = async (addr: string): Promise<void> => {
        while (running) {
          await new Promise<void>((resolve) => {
            const call = conn.client(addr).Consume();
            calls.add(call);
            const done = (): void => {
              calls.delete(call);
              resolve();
            };
            call.on('data', (r: ConsumeResponse__Output) => {
              if (!r.deliveries.length) return;
              const now = performance.now();
              for (const d of r.deliveries) deliveries.push({ at: now, sentAt: d.body.readDoubleLE(0), redelivered: d.redelivered });
              lastDelivery = now;
              call.write({ ack: r.deliveries.map((d) => d.tag) });
            });
            call.on('error', done);
            call.on('end', done);
            call.write({ queue: QUEUE, prefetch: PREFETCH });
          });
          if (running) await new Promise((res) => setTimeout(res, 20));
        }
      };

      const load = [...Array.from({ length: PUBLISHERS }, (_, k) => publisher(k)), ...addrs.map((a) => consumer(a))];
      const flowing = (): Promise<unknown> =>
        waitFor('publishes confirmed and delivered again', () => performance.now() - lastConfirm < 200 && performance.now() - lastDelivery < 200, 60_000, 10);
      const confirmMs: number[] = [];
      const deliveryMs: number[] = [];
      const cost = new CostSamples();
      try {
        for (let r = 0; r < o.failovers; r++) {
          const old = await cluster.waitForLeader(30_000);
          await flowing();
          // Let heartbeats settle after the previous round.
          await new Promise((res) => setTimeout(res, 500));
          // Started just before the kill: what the killed node used up to here counts.
          const meter = await CostMeter.start(cluster);
          const confirmed0 = confirmed;
          const proc = cluster.node(old).proc!;
          confirms = [];
          deliveries = [];
          const t0 = performance.now();
          proc.kill('SIGKILL');
          let gap = failoverGap(t0, old, confirms, deliveries);
          try {
            gap = await waitFor('a confirm by a new leader and a delivery it made', () => {
              const g = failoverGap(t0, old, confirms, deliveries);
              return g.confirmMs !== undefined && g.deliveryMs !== undefined ? g : undefined;
            }, GIVE_UP_MS, 5);
          } catch {
            gap = failoverGap(t0, old, confirms, deliveries);
            report.note(`queue failover ${r + 1}: within ${GIVE_UP_MS} ms, ${gap.confirmMs === undefined ? 'no publish confirmed by a new leader' : ''}${gap.confirmMs === undefined && gap.deliveryMs === undefined ? ' and ' : ''}${gap.deliveryMs === undefined ? 'no delivery by a new leader' : ''}`);
          }
          confirmMs.push(gap.confirmMs ?? GIVE_UP_MS);
          deliveryMs.push(gap.deliveryMs ?? GIVE_UP_MS);
          progress(`queue failover ${r + 1}/${o.failovers}: node ${old} killed; first confirm by a new leader after ${gap.confirmMs?.toFixed(0) ?? '-'} ms, first delivery after ${gap.deliveryMs?.toFixed(0) ?? '-'} ms`);
          await new Promise<void>((res) => (proc.exitCode !== null || proc.signalCode !== null ? res() : proc.once('exit', () => res())));
          const st = await cluster.startNode(old);
          if (st.exitCode !== undefined) throw new Error(`node ${old} did not restart`);
          await cluster.waitForLeader(30_000);
          await flowing();
          cost.add(await meter.stop(confirmed - confirmed0));
        }
      } finally {
        running = false;
        for (const c of calls) c.cancel();
        await Promise.all(load);
        conn.close();
      }
      report.record('queue_failover_kill_confirm', 'ms', confirmMs);
      report.record('queue_failover_kill_delivery', 'ms', deliveryMs);
      // Leader changes are expected here (every node that saw the new leader counts one); CPU per confirmed publish, restart included.
      cost.record(report, 'queue_failover_kill');
    }),
};
