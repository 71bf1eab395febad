// The routed workload: messages through an exchange and through transactions,
// judged by routed-checker.ts.
//
// Fan-out: producers publish unique values `f<k>.<gen>:<seq>` through a
// fanout exchange bound to three queues (PublishToExchange, or every other
// producer a Transact of one TX_PUBLISH_EXCHANGE; idempotent by producer and
// sequence, retried on the next node after a transient status); the queues
// are drained only at the end.
//
// Consume-transform-publish: producers publish `s<k>.<gen>:<seq>` to a source
// queue; a transformer per node takes messages with Gets (a pull consumer
// whose unsettled messages return when its lease lapses) and, per batch, runs
// one Transact: publish each transformed value `x<k>.<gen>:<seq>` to the
// destination queue and ack the source deliveries, all or none, with its own
// producer id and sequence so a retry on another node is applied once. A
// transaction refused because a delivery is no longer held (its lease lapsed,
// its node was taken for gone) leaves the messages to come back and be
// transformed again; one of unknown outcome likewise, if it was not applied.
//
// At the end, healed: the transformers run until the source is empty, then
// every queue is drained (Gets, acks) and each node's counters read locally.

import type { ExchangePublishResponse__Output } from '../../../proto/generated/quorumq/v1/ExchangePublishResponse.js';
import type { GetMessagesResponse__Output } from '../../../proto/generated/quorumq/v1/GetMessagesResponse.js';
import type { PublishResponse__Output } from '../../../proto/generated/quorumq/v1/PublishResponse.js';
import type { QueueInfoResponse__Output } from '../../../proto/generated/quorumq/v1/QueueInfoResponse.js';
import type { TransactResponse__Output } from '../../../proto/generated/quorumq/v1/TransactResponse.js';
import { sleep, waitFor } from '../../../deploy/chaos/cluster-ctl.js';
import type { HistoryEvent } from '../history.js';
import { checkRouted, routedSummaryLine, transformed } from '../routed-checker.js';
import type { Drained, RoutedFinal, RoutedQueueFinal } from '../routed-checker.js';
import { describeError, NodeClients, writeWithRetries } from './clients.js';
import { nodeAddrs, setupCall } from './workload.js';
import type { Verdict, Workload, WorkloadCtx } from './workload.js';

export const EXCHANGE = 'chaos-fan';
export const FAN_QUEUES = ['chaos-fan-a', 'chaos-fan-b', 'chaos-fan-c'];
export const SOURCE = 'chaos-src';
export const DESTINATION = 'chaos-dst';
/** No delivery limit (nothing may be dead-lettered: every source message must reach the destination). */
const SETTINGS = { deliveryLimit: -1 };
/** A transformer's pull consumer keeps what it took this long without a Get or settle. */
const LEASE_MS = 5000;

export interface RoutedWorkloadOptions {
  fanProducers: number;
  sourceProducers: number;
  transformers: number;
  thinkMs: number;
  tryMs: number;
  giveUpMs: number;
  /** Most messages one transaction moves. */
  batch: number;
}

export class RoutedWorkload implements Workload<RoutedFinal> {
  readonly name = 'routed';
  private readonly clients = new NodeClients();
  private readonly opts: RoutedWorkloadOptions;

  constructor(opts: Partial<RoutedWorkloadOptions> = {}) {
    this.opts = { fanProducers: 2, sourceProducers: 2, transformers: 3, thinkMs: 10, tryMs: 2000, giveUpMs: 12_000, batch: 8, ...opts };
  }

  private addrs(ctx: WorkloadCtx): string[] {
    return nodeAddrs(ctx);
  }

  async setup(ctx: WorkloadCtx): Promise<void> {
    this.clients.useAccess(ctx.ctl.clientAccess());
    const call = (what: string, method: string, req: object): Promise<void> => setupCall(this.clients, ctx, what, method, req);
    for (const q of [...FAN_QUEUES, SOURCE, DESTINATION]) await call(`queue ${q} to be declared`, 'DeclareQueue', { name: q, settings: SETTINGS });
    await call(`exchange ${EXCHANGE} to be declared`, 'DeclareExchange', { name: EXCHANGE, type: 'EXCHANGE_FANOUT' });
    for (const q of FAN_QUEUES) await call(`${q} to be bound`, 'Bind', { exchange: EXCHANGE, targetKind: 'TARGET_QUEUE', target: q });
  }

  async run(ctx: WorkloadCtx, until: number): Promise<void> {
    const o = this.opts;
    const workers: Promise<void>[] = [];
    for (let k = 0; k < o.fanProducers; k++) workers.push(this.producer(ctx, k, until, 'fan'));
    for (let k = 0; k < o.sourceProducers; k++) workers.push(this.producer(ctx, k, until, 'src'));
    for (let k = 0; k < o.transformers; k++) workers.push(this.transformer(ctx, k, () => Date.now() < until));
    await Promise.all(workers);
  }

  private async producer(ctx: WorkloadCtx, k: number, until: number, kind: 'fan' | 'src'): Promise<void> {
    const proc = `${kind}-${k}`;
    // Every other fan-out producer publishes through the exchange inside a transaction (TX_PUBLISH_EXCHANGE).
    const viaTransact = kind === 'fan' && k % 2 === 1;
    let gen = 0;
    let seq = 1;
    const at = { n: k };
    while (Date.now() < until) {
      const producer = `${kind === 'fan' ? 'f' : 's'}${k}.${gen}`;
      const value = `${producer}:${seq}`;
      const addrs = this.addrs(ctx);
      const where = kind === 'fan' ? { exchange: EXCHANGE } : { queue: SOURCE };
      const id = ctx.history.invoke({ proc, f: 'publish', node: addrs[at.n % addrs.length]!, value, producer, seq, ...where });
      const messages = [{ body: Buffer.from(value) }];
      const r = await writeWithRetries<ExchangePublishResponse__Output | PublishResponse__Output | TransactResponse__Output>({
        addrs: () => this.addrs(ctx),
        at,
        giveUpMs: this.opts.giveUpMs,
        rng: ctx.rng,
        attempt: (addr) =>
          kind === 'src'
            ? this.clients.unary<PublishResponse__Output>(addr, 'Publish', { queue: SOURCE, messages, producerId: producer, sequence: seq }, this.opts.tryMs)
            : viaTransact
              ? this.clients.unary<TransactResponse__Output>(addr, 'Transact', { ops: [{ kind: 'TX_PUBLISH_EXCHANGE', exchange: EXCHANGE, messages }], producerId: producer, sequence: seq }, this.opts.tryMs)
              : this.clients.unary<ExchangePublishResponse__Output>(addr, 'PublishToExchange', { exchange: EXCHANGE, messages, producerId: producer, sequence: seq }, this.opts.tryMs),
      });
      if (r.outcome === 'ok') {
        ctx.history.complete(id, 'ok', { proc, f: 'publish', node: r.addr, tries: r.tries });
        seq++;
      } else {
        ctx.history.complete(id, r.outcome, { proc, f: 'publish', node: r.addr, error: r.error, tries: r.tries });
        gen++;
        seq = 1;
      }
      await sleep(this.opts.thinkMs);
    }
  }

  /**
   * Take source messages with Gets on this transformer's node and move each
   * batch with one Transact, while `going()`; a failed Get moves it to the
   * next node (with a new pull consumer).
   */
  private async transformer(ctx: WorkloadCtx, k: number, going: () => boolean): Promise<void> {
    const proc = `transform-${k}`;
    let node = k;
    let consumer = '';
    let gen = 0;
    let seq = 1;
    const at = { n: k };
    while (going()) {
      const addrs = this.addrs(ctx);
      const addr = addrs[node % addrs.length]!;
      let got: GetMessagesResponse__Output;
      try {
        got = await this.clients.unary<GetMessagesResponse__Output>(addr, 'GetMessages', { queue: SOURCE, max: this.opts.batch, waitMs: 500, consumer, leaseMs: LEASE_MS }, 5000);
      } catch (e) {
        ctx.say(`${proc}: GetMessages on ${addr}: ${describeError(e)}`);
        node++;
        consumer = '';
        await sleep(200);
        continue;
      }
      consumer = got.consumer;
      if (!got.deliveries.length) continue;
      const values = got.deliveries.map((d) => Buffer.from(d.body).toString());
      const producer = `t${k}.${gen}`;
      const id = ctx.history.invoke({ proc, f: 'transact', node: addr, producer, seq, queue: SOURCE, values });
      const ops = [
        { kind: 'TX_PUBLISH_QUEUE', queue: DESTINATION, messages: values.map((v) => ({ body: Buffer.from(transformed(v)) })) },
        { kind: 'TX_SETTLE', queue: SOURCE, consumer, ack: got.deliveries.map((d) => d.tag) },
      ];
      at.n = node;
      const r = await writeWithRetries({
        addrs: () => this.addrs(ctx),
        at,
        giveUpMs: this.opts.giveUpMs,
        rng: ctx.rng,
        attempt: (a) => this.clients.unary<TransactResponse__Output>(a, 'Transact', { ops, producerId: producer, sequence: seq }, this.opts.tryMs),
      });
      if (r.outcome === 'ok') {
        ctx.history.complete(id, 'ok', { proc, f: 'transact', node: r.addr, tries: r.tries });
        seq++;
      } else {
        // Refused (a delivery no longer held) or unknown: the messages come back unless it was applied.
        ctx.history.complete(id, r.outcome, { proc, f: 'transact', node: r.addr, error: r.error, tries: r.tries });
        gen++;
        seq = 1;
      }
    }
  }

  private info(addr: string, queue: string, consistency: 'LOCAL' | 'LINEARIZABLE'): Promise<QueueInfoResponse__Output> {
    return this.clients.unary<QueueInfoResponse__Output>(addr, 'QueueInfo', { name: queue, consistency }, 5000);
  }

  private async left(ctx: WorkloadCtx, queue: string): Promise<number | undefined> {
    for (const addr of this.addrs(ctx)) {
      try {
        const i = await this.info(addr, queue, 'LINEARIZABLE');
        return Number(i.ready) + Number(i.delayed) + Number(i.unacked);
      } catch {
        // the next node
      }
    }
    return undefined;
  }

  /** Take everything from `queue` with Gets and acks; returns what was taken. */
  private async drain(ctx: WorkloadCtx, queue: string, deadline: number): Promise<Drained[]> {
    const taken: Drained[] = [];
    let n = 0;
    let consumer = '';
    while (Date.now() < deadline) {
      const left = await this.left(ctx, queue);
      if (left === 0) break;
      const addrs = this.addrs(ctx);
      const addr = addrs[n % addrs.length]!;
      try {
        const got = await this.clients.unary<GetMessagesResponse__Output>(addr, 'GetMessages', { queue, max: 1000, waitMs: 200, consumer, leaseMs: LEASE_MS }, 10_000);
        consumer = got.consumer;
        if (!got.deliveries.length) continue;
        for (const d of got.deliveries) taken.push([Buffer.from(d.body).toString(), d.acquired]);
        await this.clients.unary(addr, 'Settle', { queue, consumer, ack: got.deliveries.map((d) => d.tag) }, 10_000);
      } catch (e) {
        ctx.say(`drain ${queue} on ${addr}: ${describeError(e)}`);
        n++;
        consumer = '';
        await sleep(300);
      }
    }
    return taken;
  }

  async finalRead(ctx: WorkloadCtx): Promise<RoutedFinal> {
    const deadline = Date.now() + (ctx.settleMs ?? 120_000);
    // The transformers finish the source (their own Gets and transactions, recorded).
    let empty = false;
    const done = (): boolean => empty || Date.now() > deadline;
    const watcher = (async () => {
      while (!done()) {
        if ((await this.left(ctx, SOURCE)) === 0) empty = true;
        else await sleep(500);
      }
    })();
    await Promise.all([watcher, ...Array.from({ length: this.opts.transformers }, (_, k) => this.transformer(ctx, k, () => !done()))]);
    if (!empty) ctx.say('drain: the source queue is not empty at the settle deadline');
    const read = async (queue: string, drained: Drained[]): Promise<RoutedQueueFinal> => {
      const nodes: RoutedQueueFinal['nodes'] = {};
      const all = async (): Promise<QueueInfoResponse__Output[]> => Promise.all(this.addrs(ctx).map((a) => this.info(a, queue, 'LOCAL')));
      await waitFor(`every node to hold the same counters of ${queue}`, async () => {
        const s = (await all()).map((i) => `${i.published}/${i.ready}/${i.unacked}/${i.acked}`);
        return s.every((x) => x === s[0]);
      }, Math.max(10_000, deadline - Date.now()), 250).catch((e) => ctx.say(`final read: ${(e as Error).message}`));
      for (const s of ctx.ctl.slots) {
        try {
          const i = await waitFor(`QueueInfo of ${queue} from node ${s}`, () => this.info(ctx.ctl.client(s), queue, 'LOCAL'), 30_000, 500);
          nodes[`n${s}/id${ctx.ctl.id(s)}`] = { published: Number(i.published), ready: Number(i.ready), delayed: Number(i.delayed), unacked: Number(i.unacked), deadLettered: Number(i.deadLettered) };
        } catch (e) {
          nodes[`n${s}/id${ctx.ctl.id(s)}`] = { error: (e as Error).message };
        }
      }
      return { drained, nodes };
    };
    const fanout: Record<string, RoutedQueueFinal> = {};
    for (const q of FAN_QUEUES) fanout[q] = await read(q, await this.drain(ctx, q, deadline));
    const destination = await read(DESTINATION, await this.drain(ctx, DESTINATION, deadline));
    const source = await read(SOURCE, []);
    return { fanout, destination, source };
  }

  judge(history: readonly HistoryEvent[], final: RoutedFinal): Verdict {
    const r = checkRouted(history, final);
    return { violations: r.violations, summary: routedSummaryLine(r), examples: r.examples, result: r };
  }

  close(): void {
    this.clients.close();
  }
}
