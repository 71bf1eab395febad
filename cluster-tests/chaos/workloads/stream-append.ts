// The replicated-log workload: idempotent producers append unique values
// through different nodes, retrying like a careful user; readers read the
// tail (linearizable and local) through different nodes; subscribers follow
// the stream and resume on another node when theirs goes away.
//
// A producer is `w<k>.<gen>` and its values are `<producer>:<seq>`. On
// UNAVAILABLE, DEADLINE_EXCEEDED and other transient statuses the same
// (producer, sequence) is retried on the next node, so the server's dedup
// keeps it stored once. Each failed try's x-quorumq-outcome trailer says
// whether it may have been applied; a status without one (the client's own
// deadline, a broken connection) counts as unknown. After giving up (12 s)
// the append is recorded as failed when every try was certainly not applied
// (the checker then holds the server to it: the value must never appear),
// else as unknown; the worker continues as a new producer generation (a new
// producer may start at any sequence; the old one must not skip).

import * as grpc from '@grpc/grpc-js';
import type { BrokerClient } from '../../../proto/generated/quorumq/v1/Broker.js';
import type { AppendResponse__Output } from '../../../proto/generated/quorumq/v1/AppendResponse.js';
import type { ReadResponse__Output } from '../../../proto/generated/quorumq/v1/ReadResponse.js';
import type { SubscribeResponse__Output } from '../../../proto/generated/quorumq/v1/SubscribeResponse.js';
import { sleep, waitFor } from '../../../deploy/chaos/cluster-ctl.js';
import { NodeClients, writeWithRetries } from './clients.js';
import type { HistoryEvent } from '../history.js';
import { check, summaryLine } from '../checker.js';
import type { Verdict, Workload, WorkloadCtx } from './workload.js';

const STREAM = 'chaos';

/** A message's value: its body up to a '|' (bulk messages pad their value after one). */
function valueOf(body: Uint8Array): string {
  const b = Buffer.from(body);
  const bar = b.indexOf(0x7c);
  return (bar < 0 ? b : b.subarray(0, bar)).toString();
}

export interface StreamAppendOptions {
  appenders: number;
  readers: number;
  subscribers: number;
  /** Pause between a worker's operations, ms. */
  thinkMs: number;
  /** Per-try deadline and give-up time for an append, ms. */
  tryMs: number;
  giveUpMs: number;
}

export class StreamAppendWorkload implements Workload<Record<string, string[]>> {
  readonly name = 'stream-append';
  private readonly clients = new NodeClients();
  private readonly opts: StreamAppendOptions;

  constructor(opts: Partial<StreamAppendOptions> = {}) {
    this.opts = { appenders: 4, readers: 2, subscribers: 2, thinkMs: 5, tryMs: 2000, giveUpMs: 12_000, ...opts };
  }

  private client(addr: string): BrokerClient {
    return this.clients.client(addr);
  }

  private unary<Res>(addr: string, method: string, req: object, timeoutMs: number): Promise<Res> {
    return this.clients.unary(addr, method, req, timeoutMs);
  }

  async setup(ctx: WorkloadCtx): Promise<void> {
    this.clients.useAccess(ctx.ctl.clientAccess());
    const addrs = ctx.ctl.slots.map((s) => ctx.ctl.client(s));
    let i = 0;
    await waitFor('the chaos stream to be declared', async () => {
      await this.unary(addrs[i++ % addrs.length]!, 'DeclareStream', { name: STREAM, settings: {} }, 5000);
      return true;
    }, 60_000, 200);
  }

  async run(ctx: WorkloadCtx, until: number): Promise<void> {
    const workers: Promise<void>[] = [];
    for (let k = 0; k < this.opts.appenders; k++) workers.push(this.appender(ctx, k, until));
    for (let k = 0; k < this.opts.readers; k++) workers.push(this.reader(ctx, k, until));
    for (let k = 0; k < this.opts.subscribers; k++) workers.push(this.subscriber(ctx, k, until));
    await Promise.all(workers);
  }

  private addrs(ctx: WorkloadCtx): string[] {
    return ctx.ctl.slots.map((s) => ctx.ctl.client(s));
  }

  private readonly bulkRuns = new Set<Promise<void>>();

  /**
   * Extra appenders of large messages (a value, '|', then padding to `bytes`),
   * recorded and checked like the others, until stopped: a load that keeps
   * many confirms in flight and makes LevelDB switch log files every few
   * seconds (the power-loss nemesis).
   */
  bulk(ctx: WorkloadCtx, appenders: number, bytes: number): { stop(): void } {
    let running = true;
    const id = ++this.bulkId;
    for (let k = 0; k < appenders; k++) {
      const run = this.appender(ctx, k, Infinity, { name: `bulk${id}-`, producer: `b${id}-`, pad: bytes, running: () => running });
      this.bulkRuns.add(run);
      void run.finally(() => this.bulkRuns.delete(run));
    }
    return { stop: () => void (running = false) };
  }

  private bulkId = 0;

  private async appender(
    ctx: WorkloadCtx,
    k: number,
    until: number,
    bulk?: { name: string; producer: string; pad: number; running: () => boolean },
  ): Promise<void> {
    const proc = `${bulk?.name ?? 'append-'}${k}`;
    let gen = 0;
    let seq = 0;
    const at = { n: k }; // which node it starts on: different per worker
    const padding = bulk ? '|' + 'x'.repeat(Math.max(0, bulk.pad - 32)) : '';
    while (Date.now() < until && (!bulk || bulk.running())) {
      const addrs = this.addrs(ctx);
      const producer = `${bulk?.producer ?? 'w'}${k}.${gen}`;
      const value = `${producer}:${seq}`;
      const id = ctx.history.invoke({ proc, f: 'append', node: addrs[at.n % addrs.length]!, value, producer, seq });
      const r = await writeWithRetries({
        addrs: () => this.addrs(ctx),
        at,
        giveUpMs: this.opts.giveUpMs,
        rng: ctx.rng,
        attempt: (addr) => this.clients.unary<AppendResponse__Output>(addr, 'Append', { stream: STREAM, messages: [{ body: Buffer.from(value + padding) }], producerId: producer, sequence: seq }, this.opts.tryMs),
      });
      if (r.outcome === 'ok') {
        ctx.history.complete(id, 'ok', { proc, f: 'append', node: r.addr, offset: Number(r.value.firstOffset), tries: r.tries });
        seq++;
      } else {
        ctx.history.complete(id, r.outcome, { proc, f: 'append', node: r.addr, error: r.error, tries: r.tries });
        gen++;
        seq = 0;
      }
      if (this.opts.thinkMs && !bulk) await sleep(this.opts.thinkMs);
    }
  }

  private async reader(ctx: WorkloadCtx, k: number, until: number): Promise<void> {
    const proc = `read-${k}`;
    let at = k + 1;
    let end = 0;
    let n = 0;
    while (Date.now() < until) {
      const addrs = this.addrs(ctx);
      const addr = addrs[at % addrs.length]!;
      const linearizable = n++ % 3 !== 2; // two in three linearizable
      const from = Math.max(0, end - 50);
      const consistency = linearizable ? 'linearizable' : 'local';
      const id = ctx.history.invoke({ proc, f: 'read', node: addr, from, consistency });
      try {
        const r = await this.unary<ReadResponse__Output>(addr, 'Read', { stream: STREAM, fromOffset: from, maxMessages: 10_000, consistency: linearizable ? 'LINEARIZABLE' : 'LOCAL' }, 3000);
        const reads = r.messages.map((m) => [Number(m.offset), valueOf(m.body)] as [number, string]);
        ctx.history.complete(id, 'ok', { proc, f: 'read', node: addr, reads, end: Number(r.endOffset) });
        if (linearizable) end = Math.max(end, Number(r.endOffset));
      } catch (e) {
        const err = e as grpc.ServiceError;
        ctx.history.complete(id, 'fail', { proc, f: 'read', node: addr, error: `${grpc.status[err.code] ?? err.code}: ${err.details ?? err.message}` });
        at++;
        await sleep(100);
      }
      await sleep(20 + Math.floor(ctx.rng() * 30));
    }
  }

  private async subscriber(ctx: WorkloadCtx, k: number, until: number): Promise<void> {
    const proc = `subscribe-${k}`;
    let at = k + 2;
    let next = 0;
    while (Date.now() < until) {
      const addrs = this.addrs(ctx);
      const addr = addrs[at % addrs.length]!;
      const id = ctx.history.invoke({ proc, f: 'subscribe', node: addr, from: next });
      const call = this.client(addr).Subscribe();
      let pending: [number, string][] = [];
      const flush = (): void => {
        if (pending.length) ctx.history.write({ type: 'deliver', id, proc, time: Date.now(), msgs: pending });
        pending = [];
      };
      const outcome = await new Promise<{ ok: boolean; error?: string }>((resolve) => {
        let settled = false;
        const finish = (o: { ok: boolean; error?: string }): void => {
          if (settled) return;
          settled = true;
          clearInterval(timer);
          resolve(o);
        };
        // Silence for a while (a dead or partitioned node) moves the subscriber on.
        let lastData = Date.now();
        const timer = setInterval(() => {
          flush();
          if (Date.now() >= until) {
            call.cancel();
            finish({ ok: true });
          } else if (Date.now() - lastData > 8000) {
            call.cancel();
            finish({ ok: false, error: 'no message for 8 s; moving to another node' });
          }
        }, 250);
        call.on('data', (r: SubscribeResponse__Output) => {
          lastData = Date.now();
          for (const m of r.messages) {
            pending.push([Number(m.offset), valueOf(m.body)]);
            next = Number(m.offset) + 1;
          }
          if (r.messages.length) call.write({ credit: r.messages.length });
        });
        call.on('error', (e: grpc.ServiceError) => finish({ ok: false, error: `${grpc.status[e.code] ?? e.code}: ${e.details}` }));
        call.on('end', () => finish({ ok: true }));
        call.write({ stream: STREAM, start: 'START_AT_OFFSET', offset: next, consistency: 'LINEARIZABLE', credit: 2000 });
      });
      flush();
      ctx.history.complete(id, outcome.ok ? 'ok' : 'fail', { proc, f: 'subscribe', node: addr, ...(outcome.error ? { error: outcome.error } : {}) });
      if (!outcome.ok) {
        at++;
        await sleep(200);
      }
    }
  }

  /** Wait until every node has applied the same end offset, then read the whole stream from each. */
  async finalRead(ctx: WorkloadCtx): Promise<Record<string, string[]>> {
    await Promise.all(this.bulkRuns);
    const slots = ctx.ctl.slots;
    const endOf = async (slot: number): Promise<number> =>
      Number((await this.unary<ReadResponse__Output>(ctx.ctl.client(slot), 'Read', { stream: STREAM, fromOffset: 0, maxMessages: 1, consistency: 'LOCAL' }, 5000)).endOffset);
    // One linearizable read first: every node must then reach at least its end.
    const target = await waitFor('a linearizable read of the end offset', async () => {
      for (const s of slots) {
        try {
          return Number((await this.unary<ReadResponse__Output>(ctx.ctl.client(s), 'Read', { stream: STREAM, fromOffset: 0, maxMessages: 1, consistency: 'LINEARIZABLE' }, 5000)).endOffset) + 1;
        } catch {
          /* next */
        }
      }
      return undefined;
    }, ctx.settleMs ?? 120_000, 500) - 1;
    await waitFor(`every node to apply up to offset ${target}`, async () => {
      const ends = await Promise.all(slots.map(endOf));
      return ends.every((e) => e === ends[0] && e >= target);
    }, ctx.settleMs ?? 120_000, 250).catch((e) => ctx.say(`final read: ${(e as Error).message}; reading what each node has`));
    const out: Record<string, string[]> = {};
    for (const s of slots) {
      const values: string[] = [];
      let from = 0;
      for (;;) {
        const r = await waitFor(`a read of node ${s} at offset ${from}`, () =>
          this.unary<ReadResponse__Output>(ctx.ctl.client(s), 'Read', { stream: STREAM, fromOffset: from, maxMessages: 10_000, consistency: 'LOCAL' }, 10_000), 60_000, 500);
        for (const m of r.messages) values[Number(m.offset)] = valueOf(m.body);
        if (!r.messages.length || Number(r.nextOffset) >= Number(r.endOffset)) break;
        from = Number(r.nextOffset);
      }
      out[`n${s}/id${ctx.ctl.id(s)}`] = Array.from(values, (v) => v ?? '<missing>');
    }
    return out;
  }

  judge(history: readonly HistoryEvent[], final: Record<string, string[]>): Verdict {
    const r = check(history, final);
    return { violations: r.violations, summary: summaryLine(r), examples: r.examples, result: r };
  }

  close(): void {
    this.clients.close();
  }
}
