// What a queue's features cost its consumers, in `make bench`:
//   - queue-features: delivered (and acked) msg/s by 8 consumers on one
//     follower, from a queue filled with plain messages, with 1 000 message
//     groups, with 32 priorities, and with a TTL on every message. Each run
//     fills and drains one queue per variant, in turn (so a load that drifts
//     during the run weighs on all alike), same count, same sizes, same
//     consumers; the table shows each variant beside the plain figure.
//   - queue-dead-letter: dead-letter moves per second: every delivery is
//     requeued until the queue's delivery limit is reached, and the message
//     moves to the queue's dead-letter store.
// Filling is not measured, nor attaching the consumers (the clock starts at
// the first delivery: at small counts the attach, a Raft round per consumer
// on a loaded machine, outweighed the drain). Every figure checks afterwards that the queue
// holds nothing more (all acked, or all dead-lettered), and says so in a note
// when not.

import type { BrokerPool } from '../../broker/cli/client.js';
import type { QueueInfoResponse__Output } from '../../proto/generated/quorumq/v1/QueueInfoResponse.js';
import { CostSamples } from './cost.js';
import { consumeSettled, publishWindowed } from './driver.js';
import type { Report } from './report.js';
import { progress } from './report.js';
import { withQueueCluster } from './queues.js';
import type { BenchOptions, Workload } from './workload.js';

const CONSUMERS = 8;
const PREFETCH = 256;
const GROUPS = 1000;
const PRIORITIES = 32;
/** Long enough that nothing expires: the cost of carrying a TTL, not of expiring. */
const TTL_MS = 3_600_000;
/** Failed deliveries after which a message is dead-lettered. */
const DELIVERY_LIMIT = 3;

/** Messages per queue per run: up to --messages, bounded so four variants x runs fill in reasonable time; whole fill batches of 256, so every queue holds exactly as many. */
const perRun = (o: BenchOptions): number => Math.max(256, Math.floor(Math.min(o.messages, 50_000) / 256) * 256);
/** A drain that takes longer than this is cut short (and noted). */
const drainMs = (o: BenchOptions): number => Math.max(30_000, o.phaseMs * 6);

export const VARIANTS: ReadonlyArray<{ key: string; label: string; fields: (i: number) => object }> = [
  { key: 'plain', label: 'no groups, priorities or TTL', fields: () => ({}) },
  { key: 'groups', label: `${GROUPS} message groups`, fields: (i) => ({ group: `g${i % GROUPS}` }) },
  { key: 'priority', label: `${PRIORITIES} priorities`, fields: (i) => ({ priority: i % PRIORITIES }) },
  { key: 'ttl', label: 'a TTL on every message', fields: () => ({ ttlMs: TTL_MS }) },
];

/** The variants --variants picks (all when empty); a name that is none of them is an error, not a silent empty run. */
export function chosenVariants(names: readonly string[]): typeof VARIANTS {
  const unknown = names.filter((n) => !VARIANTS.some((v) => v.key === n));
  if (unknown.length) throw new Error(`--variants: unknown ${unknown.join(', ')}; queue-features has ${VARIANTS.map((v) => v.key).join(', ')}`);
  return names.length ? VARIANTS.filter((v) => names.includes(v.key)) : VARIANTS;
}

async function fill(addr: string, queue: string, o: BenchOptions, count: number, fields: (i: number) => object, report: Report): Promise<number> {
  const run = await publishWindowed([addr], queue, { batch: 256, window: 4, size: o.size, messages: count, timeMs: 600_000, producers: 1 }, fields);
  if (run.errors) report.note(`${queue} fill: ${run.errors} request(s) failed, first: ${run.firstError}`);
  return run.confirmed;
}

/** A note when the queue still holds messages, or ended them otherwise than expected. */
async function checkDrained(pool: BrokerPool, queue: string, want: { acked?: number; deadLettered?: number }, report: Report): Promise<void> {
  const i = await pool.call<QueueInfoResponse__Output>('QueueInfo', { name: queue });
  const left = Number(i.ready) + Number(i.unacked) + Number(i.delayed);
  const problems: string[] = [];
  if (left) problems.push(`${left} still queued (ready ${i.ready}, unacked ${i.unacked}, delayed ${i.delayed})`);
  if (want.acked !== undefined && Number(i.acked) !== want.acked) problems.push(`${i.acked} acked, ${want.acked} expected`);
  if (want.deadLettered !== undefined && Number(i.deadLettered) !== want.deadLettered) problems.push(`${i.deadLettered} dead-lettered, ${want.deadLettered} expected`);
  if (Number(i.expired)) problems.push(`${i.expired} expired`);
  if (problems.length) report.note(`${queue}: ${problems.join('; ')}`);
}

export const queueFeaturesWorkload: Workload = {
  name: 'queue-features',
  describe: (o) =>
    `consume with acks, ${CONSUMERS} consumers of prefetch ${PREFETCH} on a follower of a fresh ${o.nodes}-node cluster, ${perRun(o)} messages of ${o.size} B per queue and run: plain, ${GROUPS} groups, ${PRIORITIES} priorities, a ${TTL_MS / 1000} s TTL on every message (each variant filled beforehand in batches of 256, drained in turn within a run, timed from the first delivery)`,
  run: (o, report) =>
    withQueueCluster(o, 'bench-queue-features', async ({ cluster, leader, follower, pool }) => {
      const count = perRun(o);
      const variants = chosenVariants(o.variants);
      const rates = new Map<string, number[]>(variants.map((v) => [v.key, []]));
      const costs = new Map<string, CostSamples>(variants.map((v) => [v.key, new CostSamples()]));
      const drain = (queue: string, filled: number): ReturnType<typeof consumeSettled> =>
        consumeSettled(cluster.node(follower).client, queue, { count: filled, timeMs: drainMs(o), prefetch: PREFETCH, consumers: CONSUMERS, slot: 800, fromFirstDelivery: true });
      // Warm-up, not measured: the consumers' connections open and the JIT has seen every variant's path, or the first drained would pay for it.
      for (const v of variants) {
        const queue = `bench-warm-up-${v.key}`;
        await pool.call('DeclareQueue', { name: queue, settings: {} });
        await drain(queue, await fill(cluster.node(leader).client, queue, o, Math.min(count, 5120), v.fields, report));
        await pool.call('DeleteQueue', { name: queue });
      }
      for (let r = 0; r < o.runs; r++) {
        // Each run starts with another variant, so none is always first after a fill of the others.
        for (let k = 0; k < variants.length; k++) {
          const v = variants[(k + r) % variants.length]!;
          const queue = `bench-${v.key}-${r}`;
          await pool.call('DeclareQueue', { name: queue, settings: {} });
          const filled = await fill(cluster.node(leader).client, queue, o, count, v.fields, report);
          const run = await costs.get(v.key)!.measure(cluster, () => drain(queue, filled), (run) => run.counted);
          progress(`queue-features ${v.key} run ${r + 1}/${o.runs}: ${Math.round(run.rate)} msg/s (${run.counted} of ${filled} acked in ${run.seconds.toFixed(1)} s)`);
          rates.get(v.key)!.push(run.rate);
          await checkDrained(pool, queue, { acked: filled }, report);
          await pool.call('DeleteQueue', { name: queue });
        }
      }
      for (const v of variants) {
        report.record(`queue_consume${CONSUMERS}_${v.key}`, 'msg/s', rates.get(v.key)!);
        costs.get(v.key)!.record(report, `queue_consume${CONSUMERS}_${v.key}`);
      }
    }),
};

export const queueDeadLetterWorkload: Workload = {
  name: 'queue-dead-letter',
  describe: (o) =>
    `dead-letter moves/s on a fresh ${o.nodes}-node cluster: ${perRun(o)} messages of ${o.size} B per run, every delivery requeued by one consumer (prefetch ${PREFETCH}) on a follower until the delivery limit (${DELIVERY_LIMIT}) moves it to the queue's dead-letter store, timed from the first delivery`,
  run: (o, report) =>
    withQueueCluster(o, 'bench-queue-dead-letter', async ({ cluster, leader, follower, pool }) => {
      const count = perRun(o);
      const rates: number[] = [];
      const cost = new CostSamples();
      for (let r = 0; r < o.runs; r++) {
        const queue = `bench-dead-letter-${r}`;
        await pool.call('DeclareQueue', { name: queue, settings: { deliveryLimit: DELIVERY_LIMIT, maxDeadLetters: count } });
        const filled = await fill(cluster.node(leader).client, queue, o, count, () => ({}), report);
        // The requeue of a delivery that already failed DELIVERY_LIMIT - 1 times is the one that moves it.
        const run = await cost.measure(
          cluster,
          () =>
            consumeSettled(cluster.node(follower).client, queue, {
              count: filled,
              timeMs: drainMs(o),
              prefetch: PREFETCH,
              slot: 900,
              fromFirstDelivery: true,
              settle: () => 'requeue',
              counts: (d) => d.failed >= DELIVERY_LIMIT - 1,
            }),
          (run) => run.counted,
        );
        progress(`queue-dead-letter run ${r + 1}/${o.runs}: ${Math.round(run.rate)} moves/s (${run.counted} of ${filled} moved in ${run.seconds.toFixed(1)} s)`);
        rates.push(run.rate);
        await checkDrained(pool, queue, { acked: 0, deadLettered: filled }, report);
        await pool.call('DeleteQueue', { name: queue });
      }
      report.record('queue_dead_letter_moves', 'msg/s', rates);
      cost.record(report, 'queue_dead_letter_moves');
    }),
};
