// A stream subscription: messages from a start position onwards, with credit
// granted as the user takes messages (never more than `credit` received and
// not taken), resumed on another node from the next offset when its node
// fails, until the stream is deleted or the user closes it.

import * as grpc from '@grpc/grpc-js';
import { Backoff } from './backoff.js';
import { anySignal, type Connection } from './connection.js';
import { QuorumqError, UnavailableError, fromServiceError, isRetryable } from './errors.js';
import { Inbox, type EachOptions } from './inbox.js';
import { fromWireHeaders } from './messages.js';
import { sleep } from './signal.js';
import type { StreamMessage__Output, SubscribeRequest, SubscribeResponse__Output } from './wire.js';

/** Where a subscription starts. */
export type StartFrom = 'first' | 'new' | { readonly offset: number } | { readonly timestamp: number } | { readonly consumer: string };

/** Options of `Client.subscribe`. */
export interface SubscribeOptions {
  /** Default 'first'. */
  readonly from?: StartFrom;
  /** Messages received and not yet taken, at most. Default 256. */
  readonly credit?: number;
  /** Which node serves it: 'any' (default: spread over members), 'leader', or a host:port. */
  readonly route?: 'any' | 'leader' | string;
  /** Stop following (closes the subscription). */
  readonly signal?: AbortSignal;
}

/** A stream message as a subscription or a read gives it. */
export interface ReceivedStreamMessage {
  readonly stream: string;
  readonly offset: number;
  readonly timestamp: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  /** A partitioned stream's partition (the offset is that partition's); 0 on other streams. */
  readonly partition?: number;
}

/** A stream subscription (`qq.subscribe(stream)`): an async iterable of messages, or `each(fn, { concurrency })`. */
export class StreamSubscription implements AsyncIterable<ReceivedStreamMessage> {
  private readonly inbox: Inbox<ReceivedStreamMessage>;
  private readonly credit: number;
  private readonly stopping = new AbortController();
  /** The offset after the last message received: where a resumed call starts. */
  private nextOffset: number | undefined;
  /**
   * A partitioned stream's: per partition, the offset after its last message
   * (offsets are per partition, so duplicates are told apart per partition).
   */
  private readonly nextByPartition = new Map<number, number>();
  private call: grpc.ClientDuplexStream<SubscribeRequest, SubscribeResponse__Output> | undefined;
  /** On the current call: credit granted and messages received. */
  private granted = 0;
  private received = 0;
  /** The node the current call is attached to (undefined between calls). */
  server: string | undefined;
  /** Resolves when the subscription is over. */
  readonly done: Promise<void>;

  /** @internal use Client.subscribe */
  constructor(
    private readonly conn: Connection,
    readonly stream: string,
    private readonly opts: SubscribeOptions = {},
  ) {
    this.credit = opts.credit ?? 256;
    if (!Number.isInteger(this.credit) || this.credit < 1) throw new RangeError(`credit must be an integer >= 1 (got ${this.credit})`);
    this.inbox = new Inbox(() => this.topUp());
    this.done = this.run();
  }

  [Symbol.asyncIterator](): AsyncIterator<ReceivedStreamMessage> {
    return this.inbox[Symbol.asyncIterator]();
  }

  /** Run `fn` on every message, `concurrency` at once. */
  each(fn: (m: ReceivedStreamMessage) => Promise<void> | void, o?: EachOptions): Promise<void> {
    return this.inbox.each(fn, o);
  }

  /** Stop: the iterator ends after the messages already received. */
  close(): void {
    this.stopping.abort();
    this.call?.cancel();
  }

  private first(): SubscribeRequest {
    const base = { stream: this.stream, credit: this.granted };
    if (this.nextOffset !== undefined) return { ...base, start: 'START_AT_OFFSET', offset: this.nextOffset };
    const f = this.opts.from ?? 'first';
    if (f === 'first') return { ...base, start: 'START_FIRST' };
    if (f === 'new') return { ...base, start: 'START_NEW' };
    if ('offset' in f) return { ...base, start: 'START_AT_OFFSET', offset: f.offset };
    if ('timestamp' in f) return { ...base, start: 'START_AT_TIMESTAMP', timestamp: f.timestamp };
    return { ...base, start: 'START_AT_CONSUMER', consumer: f.consumer };
  }

  /** Grant more once half the credit is used: fewer, larger grants. */
  private topUp(): void {
    if (!this.call) return;
    const room = this.credit - (this.granted - this.received) - this.inbox.size;
    if (room >= Math.ceil(this.credit / 2)) {
      this.granted += room;
      this.call.write({ credit: room });
    }
  }

  private async run(): Promise<void> {
    const stop = anySignal(this.opts.signal, anySignal(this.stopping.signal, this.conn.closedSignal));
    stop.addEventListener('abort', () => this.call?.cancel(), { once: true });
    const backoff = new Backoff(this.conn.backoff);
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
        this.inbox.end(err);
        return;
      }
      // One resumed call cannot start partitions already seen at their next offsets and the others at the first start position.
      if (this.nextByPartition.size > 1 || [...this.nextByPartition.keys()].some((p) => p !== 0)) {
        this.inbox.end(new UnavailableError(`the subscription to partitioned stream "${this.stream}" lost its server (${err?.message ?? 'ended'}); it does not resume by itself: subscribe again (Read with next offsets per partition)`, { cause: err }));
        return;
      }
      try {
        await sleep(backoff.next(), stop);
      } catch {
        break;
      }
    }
    this.inbox.end();
  }

  /** One Subscribe call; resolves true when the server ended the subscription (stream deleted). */
  private attach(addr: string, onData: () => void): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      const call = this.conn.client(addr).Subscribe(this.conn.metadata());
      this.call = call;
      this.server = addr;
      this.received = 0;
      this.granted = Math.max(1, this.credit - this.inbox.size);
      let ended = false;
      call.on('data', (r: SubscribeResponse__Output) => {
        onData();
        this.conn.answered(addr, {});
        for (const m of r.messages) this.deliver(m);
        if (r.ended) ended = true;
      });
      call.on('error', (e: grpc.ServiceError) => {
        this.call = undefined;
        this.server = undefined;
        const err = fromServiceError(e, addr);
        if (!this.stopping.signal.aborted) this.conn.failed(addr, err);
        reject(err);
      });
      call.on('end', () => {
        this.call = undefined;
        resolve(ended);
      });
      call.write(this.first());
    });
  }

  private deliver(m: StreamMessage__Output): void {
    this.received++;
    // After a resume the server starts at nextOffset; never hand out a message twice.
    const p = m.partition ?? 0;
    const next = this.nextByPartition.get(p);
    if (next !== undefined && m.offset < next) return;
    this.nextByPartition.set(p, m.offset + 1);
    if (p === 0) this.nextOffset = m.offset + 1;
    this.inbox.push({ stream: this.stream, offset: m.offset, timestamp: m.timestamp, headers: fromWireHeaders(m.headers), body: m.body, partition: m.partition });
  }
}
