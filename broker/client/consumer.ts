// A queue consumer: deliveries as an async iterator or a callback, at most
// `prefetch` unsettled (the server's credit: settling a delivery makes room
// for the next, so credit tops itself up), settles batched on the wire
// through the SDK's Batcher and confirmed by the server, and a new Consume
// call on another node when its node fails — the server then returns the
// unsettled deliveries to the queue and they come again, marked redelivered.

import * as grpc from '@grpc/grpc-js';
import { Backoff } from './backoff.js';
import { Batcher, type Batch, type ItemResult } from './batcher.js';
import { anySignal, type Connection } from './connection.js';
import { ClosedError, DeliveryLostError, QuorumqError, fromServiceError, isRetryable } from './errors.js';
import { Inbox, type EachOptions } from './inbox.js';
import { fromWireHeaders } from './messages.js';
import { sleep } from './signal.js';
import type { ConsumeRequest, ConsumeResponse__Output, Delivery__Output } from './wire.js';

/** Options of `Client.consume`. */
export interface ConsumeOptions {
  /** Unsettled deliveries at most (1-65535). Default 256. */
  readonly prefetch?: number;
  /** Which node to attach to: 'any' (default), 'leader', or a host:port. */
  readonly route?: 'any' | 'leader' | string;
  /** Stop consuming (closes the consumer). */
  readonly signal?: AbortSignal;
}

/** Options of `QueueDelivery.nack`. */
export interface NackOptions {
  /** Back to the queue (default true), or dead-lettered (false: same as reject). */
  readonly requeue?: boolean;
  /** Not delivered again sooner than this, ms. */
  readonly delayMs?: number;
}

type SettleKind = 'ack' | 'requeue' | 'reject';

interface Settle {
  readonly tag: number;
  /** Which Consume call delivered it: tags mean something only on their own call. */
  readonly call: number;
  readonly kind: SettleKind;
  readonly delayMs: number;
}

/** One message delivered from a queue. Settle it exactly once: ack, nack or reject. */
export class QueueDelivery {
  private settled: Promise<void> | undefined;

  /** @internal */
  constructor(
    private readonly consumer: QueueConsumer,
    readonly queue: string,
    /** @internal the Consume call it came on */
    readonly call: number,
    readonly tag: number,
    readonly body: Buffer,
    readonly headers: Record<string, string>,
    readonly priority: number,
    /** Delivered before (to this or another consumer). */
    readonly redelivered: boolean,
    /** Times delivered, including this one. */
    readonly acquired: number,
    /** Deliveries that failed before this one (requeue, reject, ack timeout). */
    readonly failed: number,
    /** When the queue handed it out, ms since the epoch (leader time: what its TTL and delays are judged by). */
    readonly deliveredAt: number,
  ) {}

  /**
   * Done with it: once the promise resolves the server confirmed the ack and
   * the message is never delivered again. Not awaiting it is fine (settles
   * are batched; a lost one means the message comes again, redelivered).
   */
  ack(): Promise<void> {
    return this.settle('ack', 0);
  }

  /** Give it back: requeued (optionally after a delay), or dead-lettered with `requeue: false`. */
  nack(o: NackOptions = {}): Promise<void> {
    return (o.requeue ?? true) ? this.settle('requeue', o.delayMs ?? 0) : this.settle('reject', 0);
  }

  /** Dead-letter it (the queue's dead-letter store, unless it drops them). */
  reject(): Promise<void> {
    return this.settle('reject', 0);
  }

  /** Whether ack, nack or reject was called. */
  get isSettled(): boolean {
    return this.settled !== undefined;
  }

  private settle(kind: SettleKind, delayMs: number): Promise<void> {
    if (!this.settled) {
      this.settled = this.consumer.settle({ tag: this.tag, call: this.call, kind, delayMs });
      // Awaiting is optional: a caller that does not wait for the confirmation
      // (for throughput: settles batch up) must not get an unhandled rejection.
      this.settled.catch(() => {});
    }
    return this.settled;
  }
}

interface Waiting {
  resolve(unknownTags: number[]): void;
  reject(e: unknown): void;
}

/** A queue consumer (`qq.consume(queue)`): an async iterable of deliveries, or `each(fn, { concurrency })`. */
export class QueueConsumer implements AsyncIterable<QueueDelivery> {
  private readonly inbox = new Inbox<QueueDelivery>();
  private readonly settler: Batcher<Settle, void>;
  private readonly stopping = new AbortController();
  private readonly prefetch: number;
  private stream: grpc.ClientDuplexStream<ConsumeRequest, ConsumeResponse__Output> | undefined;
  /** The current Consume call's number. */
  private callNo = 0;
  private nextRequestId = 1;
  private readonly confirms = new Map<number, Waiting>();
  /** The server's name for this consumer (on the current call). */
  name = '';
  /** The node the current call is attached to (undefined between calls). */
  server: string | undefined;
  /** Resolves when the consumer is over. */
  readonly done: Promise<void>;

  /** @internal use Client.consume */
  constructor(
    private readonly conn: Connection,
    readonly queue: string,
    private readonly opts: ConsumeOptions = {},
  ) {
    this.prefetch = opts.prefetch ?? 256;
    if (!Number.isInteger(this.prefetch) || this.prefetch < 1 || this.prefetch > 65535) throw new RangeError(`prefetch must be an integer from 1 to 65535 (got ${this.prefetch})`);
    this.settler = new Batcher<Settle, void>({
      maxItems: 4096,
      maxBytes: 1 << 30,
      maxInFlight: 4,
      window: 1 << 16,
      size: () => 1,
      flush: (b) => this.flushSettles(b),
    });
    this.done = this.run();
  }

  [Symbol.asyncIterator](): AsyncIterator<QueueDelivery> {
    return this.inbox[Symbol.asyncIterator]();
  }

  /**
   * Run `fn` on every delivery, `concurrency` at once. A delivery `fn` did not
   * settle is acked when `fn` returns and requeued when it throws.
   */
  each(fn: (d: QueueDelivery) => Promise<void> | void, o?: EachOptions): Promise<void> {
    return this.inbox.each(async (d) => {
      try {
        await fn(d);
      } catch (e) {
        if (!d.isSettled) await d.nack().catch(() => {});
        return;
      }
      if (!d.isSettled) await d.ack().catch(() => {});
    }, o);
  }

  /** Stop receiving; unsettled deliveries return to the queue when the call ends. Settles already made are sent first. */
  async close(): Promise<void> {
    await this.settler.idle();
    this.stopping.abort();
    this.stream?.cancel();
    await this.done;
  }

  /** @internal */
  settle(s: Settle): Promise<void> {
    return this.settler.add(s);
  }

  private async flushSettles(b: Batch<Settle>): Promise<ItemResult<void>[]> {
    const stream = this.stream;
    const lost = (outcome: 'not-applied' | 'unknown'): ItemResult<void> => ({
      ok: false,
      error: new DeliveryLostError(`queue ${this.queue}: the delivery's consumer call ended; the message returned to the queue and will be delivered again`, { outcome }),
    });
    const results: ItemResult<void>[] = b.items.map(() => ({ ok: true, value: undefined }));
    // Group the settles of the current call into requests: acks and rejects
    // in one, requeues in one per delay (a request carries a single delay).
    const groups = new Map<number, number[]>();
    b.items.forEach((s, i) => {
      if (!stream || s.call !== this.callNo) {
        results[i] = lost('not-applied');
        return;
      }
      const key = s.kind === 'requeue' ? s.delayMs : -1;
      const g = groups.get(key) ?? [];
      g.push(i);
      groups.set(key, g);
    });
    const sends = [...groups.entries()].map(async ([delay, idx]) => {
      const req: ConsumeRequest = { ack: [], requeue: [], reject: [], requeueDelayMs: Math.max(0, delay), requestId: this.nextRequestId++ };
      for (const i of idx) {
        const s = b.items[i]!;
        (s.kind === 'ack' ? req.ack! : s.kind === 'reject' ? req.reject! : req.requeue!).push(s.tag);
      }
      try {
        const unknown = new Set(await this.request(stream!, req));
        for (const i of idx) if (unknown.has(b.items[i]!.tag)) results[i] = lost('not-applied');
      } catch {
        for (const i of idx) results[i] = lost('unknown');
      }
    });
    await Promise.all(sends);
    return results;
  }

  /** Send a settle request and wait for its confirmation: the tags the server did not hold. */
  private request(stream: grpc.ClientDuplexStream<ConsumeRequest, ConsumeResponse__Output>, req: ConsumeRequest): Promise<number[]> {
    return new Promise((resolve, reject) => {
      this.confirms.set(Number(req.requestId), { resolve, reject });
      stream.write(req);
    });
  }

  private async run(): Promise<void> {
    const stop = anySignal(this.opts.signal, anySignal(this.stopping.signal, this.conn.closedSignal));
    stop.addEventListener('abort', () => this.stream?.cancel(), { once: true });
    const backoff = new Backoff(this.conn.backoff);
    let failure: unknown;
    while (!stop.aborted) {
      const addr = this.conn.pick(this.opts.route, false);
      let err: QuorumqError | undefined;
      let ended = false;
      try {
        ended = await this.attach(addr, () => backoff.reset());
      } catch (e) {
        err = e as QuorumqError;
      }
      if (ended || stop.aborted) break;
      if (err && !isRetryable(err)) {
        failure = err;
        break;
      }
      try {
        await sleep(backoff.next(), stop);
      } catch {
        break;
      }
    }
    this.settler.close(new ClosedError(`queue ${this.queue}: the consumer is closed`));
    this.inbox.end(failure);
  }

  /** One Consume call; resolves true when the server ended it (queue deleted). */
  private attach(addr: string, onData: () => void): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      const callNo = ++this.callNo;
      const stream = this.conn.client(addr).Consume(this.conn.metadata());
      this.stream = stream;
      this.server = addr;
      let ended = false;
      const over = (): void => {
        if (this.stream === stream) {
          this.stream = undefined;
          this.server = undefined;
        }
        // Deliveries of this call not yet taken will come again on the next one.
        this.inbox.drop((d) => d.call === callNo);
        for (const w of this.confirms.values()) w.reject(new DeliveryLostError('the consumer call ended before the settle was confirmed', { outcome: 'unknown' }));
        this.confirms.clear();
      };
      stream.on('data', (r: ConsumeResponse__Output) => {
        onData();
        if (r.consumer) this.name = r.consumer;
        for (const d of r.deliveries) this.inbox.push(this.delivery(callNo, d));
        if (r.confirmed) {
          const w = this.confirms.get(r.confirmed);
          this.confirms.delete(r.confirmed);
          w?.resolve(r.unknownTags.map(Number));
        }
        if (r.ended) ended = true;
      });
      stream.on('error', (e: grpc.ServiceError) => {
        over();
        const err = fromServiceError(e, addr);
        if (!this.stopping.signal.aborted) this.conn.failed(addr, err);
        reject(err);
      });
      stream.on('end', () => {
        over();
        resolve(ended);
      });
      stream.write({ queue: this.queue, prefetch: this.prefetch });
    });
  }

  private delivery(callNo: number, d: Delivery__Output): QueueDelivery {
    return new QueueDelivery(this, this.queue, callNo, Number(d.tag), d.body, fromWireHeaders(d.headers), d.priority, d.redelivered, d.acquired, d.failed, Number(d.deliveredAtMs));
  }
}
