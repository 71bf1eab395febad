// The quorum-queue workload, in the shape of Jepsen's total-queue test:
// producers publish unique values with confirms, consumers on every node take
// them with credit (a prefetch) and settle them, and at the end, healed, the
// queue is drained and every node's final state read.
//
// Producers: `q<k>.<gen>` publishes `<producer>:<seq>` (sequences from 1), one
// message per publish, idempotent by (producer, sequence), retried on the
// next node after a transient status (writeWithRetries, as the stream
// workload). Every other producer puts its messages in a group named after
// itself, so the checker can hold the queue to group order. Half the
// ungrouped messages carry a priority (1-9), a tenth of all a TTL (0.3-4 s)
// and a twentieth of the ungrouped a delay (0.1-3 s), so the checker can hold
// the queue to priority order, expiry and delays (each delivery carries the
// queue's time when it was made).
//
// Consumers: one per node, each Consume call on its own node with a random
// prefetch and a random lifetime after which it is cancelled mid-flight
// (whatever it holds returns to the queue). Per delivery: most are acked, some
// requeued (nack), some rejected (dead-lettered), and some held unsettled
// until the queue's ack timeout takes them back. Settles go out every few ms
// with a request id; their confirmation (and the tags the server no longer
// held) is recorded, and settles unanswered when a call ends are recorded as
// unknown. A call that fails moves its consumer to the next node.
//
// The drain: healed, consumers acking everything run on each node in turn
// until a linearizable QueueInfo shows nothing ready, delayed or unacked; then,
// once every node's local counters agree (or the settle time passed), each
// node's counters and dead-letter store are read locally.

import type * as grpc from '@grpc/grpc-js';
import type { ConsumeRequest } from '../../../proto/generated/quorumq/v1/ConsumeRequest.js';
import type { ConsumeResponse__Output } from '../../../proto/generated/quorumq/v1/ConsumeResponse.js';
import type { ListDeadLettersResponse__Output } from '../../../proto/generated/quorumq/v1/ListDeadLettersResponse.js';
import type { PublishResponse__Output } from '../../../proto/generated/quorumq/v1/PublishResponse.js';
import type { QueueInfoResponse__Output } from '../../../proto/generated/quorumq/v1/QueueInfoResponse.js';
import { partitionOf } from '../../../proto/partition-hash.js';
import { sleep, waitFor } from '../../../deploy/chaos/cluster-ctl.js';
import type { ProbeTry } from '../groups.js';
import type { HistoryEvent } from '../history.js';
import { checkQueue, queueSummaryLine } from '../queue-checker.js';
import type { QueueFinal, QueueNodeState } from '../queue-checker.js';
import { certainlyNotApplied, describeError, NodeClients, writeWithRetries } from './clients.js';
import { nodeAddrs, setupCall } from './workload.js';
import type { Verdict, Workload, WorkloadCtx } from './workload.js';

export const QUEUE = 'chaos-q';
/** The queue's settings: a short ack timeout (held deliveries come back) and a low delivery limit (some reach it). */
export const QUEUE_SETTINGS = { ackTimeoutMs: 4000, deliveryLimit: 5 };
/** The most dead letters one ListDeadLetters call returns. */
const LIST_MAX = 10_000;

export interface QueueWorkloadOptions {
  producers: number;
  consumers: number;
  /** Pause between a producer's publishes, ms. */
  thinkMs: number;
  tryMs: number;
  giveUpMs: number;
  /** What a consumer does with a delivery: the chance of each (the rest are acked). */
  requeueP: number;
  rejectP: number;
  holdP: number;
  /** A Consume call is cancelled after a random time in this range (ms). */
  lifetimeMs: [number, number];
  /** The chance an ungrouped message gets a priority (1..maxPriority; the rest have 0). */
  priorityP: number;
  maxPriority: number;
  /** The chance a message gets a TTL, drawn from ttlMs. */
  ttlP: number;
  ttlMs: [number, number];
  /** The chance an ungrouped message gets a delay, drawn from delayMs. */
  delayP: number;
  delayMs: [number, number];
  /**
   * 0: an ordinary queue (one Raft group). N: the queue declared with N
   * partitions (N Raft groups, leaders spread over the nodes); publishes then
   * carry no producer sequence (a partitioned queue takes none), so a publish
   * that may have been applied is never sent again.
   */
  partitions: number;
  /** The isolation probes: each try's deadline, and the pause between tries (ms). */
  probeTryMs: number;
  probeThinkMs: number;
  probesPerPartition: number;
}

/** A message's value: its body up to a '|' (bulk messages pad their value after one). */
function valueOf(body: Uint8Array): string {
  const b = Buffer.from(body);
  const bar = b.indexOf(0x7c);
  return (bar < 0 ? b : b.subarray(0, bar)).toString();
}

type Action = 'ack' | 'requeue' | 'reject' | 'hold';

/** How one Consume call ended. */
interface SessionEnd {
  ok: boolean;
  error?: string;
}

export class QueueWorkload implements Workload<QueueFinal> {
  readonly name = 'queue';
  private readonly clients = new NodeClients();
  private readonly opts: QueueWorkloadOptions;

  constructor(opts: Partial<QueueWorkloadOptions> = {}) {
    this.opts = { producers: 4, consumers: 3, thinkMs: 5, tryMs: 2000, giveUpMs: 12_000, requeueP: 0.04, rejectP: 0.02, holdP: 0.02, lifetimeMs: [2000, 12_000], priorityP: 0.5, maxPriority: 9, ttlP: 0.1, ttlMs: [300, 4000], delayP: 0.05, delayMs: [100, 3000], partitions: 0, probeTryMs: 1000, probeThinkMs: 10, probesPerPartition: 4, ...opts };
  }

  private addrs(ctx: WorkloadCtx): string[] {
    return nodeAddrs(ctx);
  }

  get partitioned(): { queue: string; partitions: number } | undefined {
    return this.opts.partitions ? { queue: QUEUE, partitions: this.opts.partitions } : undefined;
  }

  /**
   * Probes per partition (`probesPerPartition` at once, so a confirmation
   * comes often enough to time a gap finely on a loaded machine): grouped
   * messages whose keys hash to that partition (2 keys per probe in turn, so
   * the drain is not one group's one message in flight at a time), one
   * publish at a time with a deadline of `probeTryMs` and no retry, sent to
   * `addrs` in turn. Recorded as publishes (checked
   * like every other); a try that failed starts that key afresh (a new group
   * and sequence), as a producer does.
   */
  async probe(ctx: WorkloadCtx, addrs: readonly string[], until: number): Promise<ProbeTry[]> {
    const n = this.opts.partitions;
    const out: ProbeTry[] = [];
    const keyFor = (p: number, lane: number, gen: number): string => {
      for (let salt = 0; ; salt++) {
        const k = `iso${p}-${lane}.${gen}${salt ? `~${salt}` : ''}`;
        if (partitionOf(k, n) === p) return k;
      }
    };
    const one = async (p: number, k: number): Promise<void> => {
      const proc = `probe-${p}.${k}`;
      const lanes = Array.from({ length: 2 }, (_, lane) => ({ gen: 0, seq: 1, key: keyFor(p, k * 2 + lane, 0) }));
      for (let i = k; Date.now() < until; i++) {
        const lane = lanes[i % lanes.length]!;
        const addr = addrs[i % addrs.length]!;
        const value = `${lane.key}:${lane.seq}`;
        const id = ctx.history.invoke({ proc, f: 'publish', node: addr, value, producer: lane.key, seq: lane.seq, queue: QUEUE, group: lane.key });
        const sentAt = Date.now();
        try {
          const r = await this.clients.unary<PublishResponse__Output>(addr, 'Publish', { queue: QUEUE, messages: [{ body: Buffer.from(value), group: lane.key }] }, this.opts.probeTryMs);
          ctx.history.complete(id, 'ok', { proc, f: 'publish', node: addr, tries: 1 });
          out.push({ partition: p, sentAt, doneAt: Date.now(), ok: true, leader: Number(r.leader) });
          lane.seq++;
        } catch (e) {
          const said = (e as grpc.ServiceError).metadata?.get('x-quorumq-outcome')[0]?.toString();
          ctx.history.complete(id, certainlyNotApplied(e) ? 'fail' : 'unknown', { proc, f: 'publish', node: addr, error: `${describeError(e)} [outcome ${said ?? 'not said'}]`, tries: 1 });
          out.push({ partition: p, sentAt, doneAt: Date.now(), ok: false });
          lane.key = keyFor(p, k * 2 + (i % lanes.length), ++lane.gen);
          lane.seq = 1;
        }
        await sleep(this.opts.probeThinkMs);
      }
    };
    await Promise.all(Array.from({ length: n * this.opts.probesPerPartition }, (_, i) => one(i % n, Math.floor(i / n))));
    return out;
  }

  async setup(ctx: WorkloadCtx): Promise<void> {
    this.clients.useAccess(ctx.ctl.clientAccess());
    const partitions = this.opts.partitions;
    await setupCall(this.clients, ctx, `the chaos queue to be declared${partitions ? ` with ${partitions} partitions` : ''}`, 'DeclareQueue', { name: QUEUE, settings: QUEUE_SETTINGS, ...(partitions ? { partitions } : {}) });
  }

  async run(ctx: WorkloadCtx, until: number): Promise<void> {
    const workers: Promise<void>[] = [];
    for (let k = 0; k < this.opts.producers; k++) workers.push(this.producer(ctx, k, until));
    for (let k = 0; k < this.opts.consumers; k++) workers.push(this.consumer(ctx, k, until));
    await Promise.all(workers);
  }

  private readonly bulkRuns = new Set<Promise<void>>();
  private bulkId = 0;

  /**
   * Extra producers of large messages (a value, '|', then padding to
   * `bytes`), recorded and checked like the others, until stopped: many
   * confirms in flight while LevelDB switches log files (the power-loss
   * nemesis cuts power right after a switch).
   */
  bulk(ctx: WorkloadCtx, producers: number, bytes: number): { stop(): void } {
    let running = true;
    const id = ++this.bulkId;
    for (let k = 0; k < producers; k++) {
      const run = this.producer(ctx, k, Infinity, { name: `bulk${id}-`, producer: `b${id}-`, pad: bytes, running: () => running });
      this.bulkRuns.add(run);
      void run.finally(() => this.bulkRuns.delete(run));
    }
    return { stop: () => void (running = false) };
  }

  private async producer(ctx: WorkloadCtx, k: number, until: number, bulk?: { name: string; producer: string; pad: number; running: () => boolean }): Promise<void> {
    const proc = `${bulk?.name ?? 'publish-'}${k}`;
    let gen = 0;
    let seq = 1;
    const at = { n: k };
    const padding = bulk ? '|' + 'x'.repeat(Math.max(0, bulk.pad - 32)) : '';
    while (Date.now() < until && (!bulk || bulk.running())) {
      const producer = `${bulk?.producer ?? 'q'}${k}.${gen}`;
      const group = !bulk && k % 2 === 1 ? producer : undefined;
      const value = `${producer}:${seq}`;
      const addrs = this.addrs(ctx);
      // Priorities on ungrouped messages only (within a group they reorder nothing); TTLs on any.
      const o = this.opts;
      const priority = !bulk && !group && ctx.rng() < o.priorityP ? 1 + Math.floor(ctx.rng() * o.maxPriority) : 0;
      const ttlMs = !bulk && ctx.rng() < o.ttlP ? Math.round(o.ttlMs[0] + ctx.rng() * (o.ttlMs[1] - o.ttlMs[0])) : 0;
      const delayMs = !bulk && !group && ctx.rng() < o.delayP ? Math.round(o.delayMs[0] + ctx.rng() * (o.delayMs[1] - o.delayMs[0])) : 0;
      const extra = { ...(group ? { group } : {}), ...(priority ? { priority } : {}), ...(ttlMs ? { ttlMs } : {}), ...(delayMs ? { delayMs } : {}) };
      const id = ctx.history.invoke({ proc, f: 'publish', node: addrs[at.n % addrs.length]!, value, producer, seq, queue: QUEUE, ...extra });
      const message = { body: Buffer.from(value + padding), ...extra };
      const r = await writeWithRetries({
        addrs: () => this.addrs(ctx),
        at,
        giveUpMs: this.opts.giveUpMs,
        rng: ctx.rng,
        attempt: (addr) => this.clients.unary<PublishResponse__Output>(addr, 'Publish', { queue: QUEUE, messages: [message], ...(this.opts.partitions ? {} : { producerId: producer, sequence: seq }) }, this.opts.tryMs),
        idempotent: !this.opts.partitions,
      });
      if (r.outcome === 'ok') {
        ctx.history.complete(id, 'ok', { proc, f: 'publish', node: r.addr, tries: r.tries });
        seq++;
      } else {
        // A new producer (and group) after a publish of unknown or refused outcome: the old one must not skip a sequence.
        ctx.history.complete(id, r.outcome, { proc, f: 'publish', node: r.addr, error: r.error, tries: r.tries });
        gen++;
        seq = 1;
      }
      // A group has one message in flight, so it drains at one ack round trip
      // per message (~15-30 ms on a loaded CI machine): its producer pauses
      // four times longer, or its backlog outgrows what the final drain can
      // empty in time (6 499 left at a drain of ~70 msg/s failed a CI run).
      if (this.opts.thinkMs && !bulk) await sleep(group ? this.opts.thinkMs * 4 : this.opts.thinkMs);
    }
  }

  private async consumer(ctx: WorkloadCtx, k: number, until: number): Promise<void> {
    const proc = `consume-${k}`;
    let at = k;
    while (Date.now() < until) {
      const addrs = this.addrs(ctx);
      const [lo, hi] = this.opts.lifetimeMs;
      const stopAt = Math.min(until, Date.now() + lo + ctx.rng() * (hi - lo));
      const prefetch = 1 + Math.floor(ctx.rng() * 64);
      const end = await this.session(ctx, proc, addrs[at % addrs.length]!, prefetch, stopAt, () => this.pick(ctx));
      if (!end.ok) {
        at++;
        await sleep(200);
      } else at = k; // back home after a voluntary end
    }
  }

  private pick(ctx: WorkloadCtx): Action {
    const x = ctx.rng();
    const o = this.opts;
    if (x < o.requeueP) return 'requeue';
    if (x < o.requeueP + o.rejectP) return 'reject';
    if (x < o.requeueP + o.rejectP + o.holdP) return 'hold';
    return 'ack';
  }

  /**
   * One Consume call on `addr` until `stopAt` (then cancelled, holding what it
   * holds) or until it fails; every delivery and settle recorded.
   */
  private session(ctx: WorkloadCtx, proc: string, addr: string, prefetch: number, stopAt: number, decide: () => Action, drained?: () => boolean): Promise<SessionEnd> {
    const h = ctx.history;
    const sid = h.invoke({ proc, f: 'consume', node: addr, queue: QUEUE, prefetch });
    const call: grpc.ClientDuplexStream<ConsumeRequest, ConsumeResponse__Output> = this.clients.client(addr).Consume();
    const due: Record<'ack' | 'requeue' | 'reject', number[]> = { ack: [], requeue: [], reject: [] };
    /** request id -> the settle's invocation id. */
    const pending = new Map<number, number>();
    let nextRequest = 1;
    let flushQueued = false;
    return new Promise<SessionEnd>((resolve) => {
      let settled = false;
      const finish = (end: SessionEnd): void => {
        if (settled) return;
        settled = true;
        clearInterval(timer);
        // Settles not confirmed when the call ended may or may not have been applied.
        for (const [, id] of pending) h.complete(id, 'unknown', { proc, f: 'settle', node: addr, error: end.error ?? 'the call ended before the confirmation' });
        pending.clear();
        h.complete(sid, end.ok ? 'ok' : 'fail', { proc, f: 'consume', node: addr, ...(end.error ? { error: end.error } : {}) });
        resolve(end);
      };
      const flush = (): void => {
        if (!due.ack.length && !due.requeue.length && !due.reject.length) return;
        const requestId = nextRequest++;
        const req = { ack: due.ack, requeue: due.requeue, reject: due.reject };
        const id = h.invoke({ proc, f: 'settle', node: addr, session: sid, ...req });
        pending.set(requestId, id);
        call.write({ ...req, requestId });
        due.ack = [];
        due.requeue = [];
        due.reject = [];
      };
      const timer = setInterval(() => {
        flush();
        if (Date.now() >= stopAt || drained?.()) {
          call.cancel();
          finish({ ok: true });
        }
      }, 20);
      call.on('data', (r: ConsumeResponse__Output) => {
        if (settled) return;
        if (r.deliveries.length) {
          const ds = r.deliveries.map((d) => [Number(d.tag), valueOf(d.body), d.acquired, Number(d.deliveredAtMs)] as const);
          h.write({ type: 'qdeliver', id: sid, proc, time: Date.now(), deliveries: ds });
          for (const [tag] of ds) {
            const a = decide();
            if (a !== 'hold') due[a].push(tag);
          }
          // The drain settles at once: a message group has one message in
          // flight, so its next message waits for this ack to be applied, and
          // a 20 ms batching pause per message made a backlog of a few groups
          // drain at ~50 msg/s (CI's drain ran out of time at 1 119 left).
          if (drained && !flushQueued) {
            flushQueued = true;
            setImmediate(() => {
              flushQueued = false;
              if (!settled) flush();
            });
          }
        }
        if (r.confirmed) {
          const id = pending.get(Number(r.confirmed));
          if (id !== undefined) {
            pending.delete(Number(r.confirmed));
            h.complete(id, 'ok', { proc, f: 'settle', node: addr, unknownTags: r.unknownTags.map(Number) });
          }
        }
        if (r.ended) finish({ ok: false, error: `ended by the server: ${r.ended}` });
      });
      call.on('error', (e: grpc.ServiceError) => finish({ ok: false, error: describeError(e) }));
      call.on('end', () => finish({ ok: false, error: 'the server ended the call' }));
      call.write({ queue: QUEUE, prefetch });
    });
  }

  private info(addr: string, consistency: 'LOCAL' | 'LINEARIZABLE'): Promise<QueueInfoResponse__Output> {
    return this.clients.unary<QueueInfoResponse__Output>(addr, 'QueueInfo', { name: QUEUE, consistency }, 5000);
  }

  /** Drain (ack everything, recorded), then read every node's counters and dead letters once they agree. */
  async finalRead(ctx: WorkloadCtx): Promise<QueueFinal> {
    await Promise.all(this.bulkRuns);
    const settleMs = ctx.settleMs ?? 120_000;
    const addrs = this.addrs(ctx);
    const queued = (i: QueueInfoResponse__Output): number => Number(i.ready) + Number(i.delayed) + Number(i.unacked);
    const deadline = Date.now() + settleMs;
    let empty = false;
    for (let n = 0; Date.now() < deadline && !empty; n++) {
      const addr = addrs[n % addrs.length]!;
      let info: QueueInfoResponse__Output | undefined;
      try {
        info = await this.info(addr, 'LINEARIZABLE');
      } catch (e) {
        ctx.say(`drain: QueueInfo on ${addr}: ${describeError(e)}`);
        await sleep(500);
        continue;
      }
      if (queued(info) === 0) {
        empty = true;
        break;
      }
      ctx.say(`drain: ${info.ready} ready, ${info.delayed} delayed, ${info.unacked} unacked; consuming on ${addr}`);
      // Stop a drain call once this node sees nothing left to hand out (checked every 500 ms).
      let dry = false;
      let checking = false;
      const poll = setInterval(() => {
        if (checking) return;
        checking = true;
        void this.info(addr, 'LOCAL')
          .then((i) => void (dry = Number(i.ready) + Number(i.delayed) === 0 && Number(i.unacked) === 0))
          .catch(() => undefined)
          .finally(() => (checking = false));
      }, 500);
      await this.session(ctx, 'drain', addr, 256, Math.min(deadline, Date.now() + 8000), () => 'ack', () => dry);
      clearInterval(poll);
    }
    if (!empty) ctx.say('drain: the queue is not empty at the settle deadline; reading what each node has');
    // Every node's local counters equal (the last settles applied everywhere), then read.
    const statsOf = (i: QueueInfoResponse__Output): QueueNodeState['stats'] => ({
      ready: Number(i.ready),
      delayed: Number(i.delayed),
      unacked: Number(i.unacked),
      deadLettered: Number(i.deadLettered),
      published: Number(i.published),
      delivered: Number(i.delivered),
      redelivered: Number(i.redelivered),
      acked: Number(i.acked),
      failed: Number(i.failed),
      expired: Number(i.expired),
      deadLetterDropped: Number(i.deadLetterDropped),
      bytes: Number(i.bytes),
    });
    await waitFor('every node to hold the same queue counters', async () => {
      const all = await Promise.all(addrs.map((a) => this.info(a, 'LOCAL').then(statsOf)));
      return all.every((s) => JSON.stringify(s) === JSON.stringify(all[0]));
    }, Math.max(10_000, deadline - Date.now()), 250).catch((e) => ctx.say(`final read: ${(e as Error).message}; reading what each node has`));
    const out: QueueFinal = {};
    for (const s of ctx.ctl.slots) {
      const label = `n${s}/id${ctx.ctl.id(s)}`;
      const addr = ctx.ctl.client(s);
      try {
        const info = await waitFor(`QueueInfo from node ${s}`, () => this.info(addr, 'LOCAL'), 30_000, 500);
        const dl = await waitFor(`the dead letters of node ${s}`, () =>
          this.clients.unary<ListDeadLettersResponse__Output>(addr, 'ListDeadLetters', { queue: QUEUE, max: LIST_MAX, consistency: 'LOCAL' }, 10_000), 30_000, 500);
        out[label] = {
          stats: statsOf(info),
          deadLetters: dl.deadLetters.map((d) => ({ value: valueOf(d.body), reason: d.reason, acquired: d.acquired, failed: d.failed })),
          deadTotal: Number(dl.total),
        };
      } catch (e) {
        out[label] = { error: (e as Error).message };
      }
    }
    return out;
  }

  judge(history: readonly HistoryEvent[], final: QueueFinal): Verdict {
    const r = checkQueue(history, final, { partitions: this.opts.partitions });
    return { violations: r.violations, summary: queueSummaryLine(r), examples: r.examples, result: r };
  }

  close(): void {
    this.clients.close();
  }
}
