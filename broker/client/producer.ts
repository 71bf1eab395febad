// A producer: `await producer.send(msg)` resolves once the message is
// committed on a majority and applied. Sends made in one event-loop turn go
// out as one batch request (the Batcher), at most `maxInFlight` batches at
// once, each on its own lane.
//
// Idempotence (on by default): each lane is a producer of its own on the
// server — `<producerId>.<lane>` — that numbers its requests 1, 2, 3... and
// has at most one request in flight. So a retry after UNAVAILABLE or a
// deadline repeats exactly one (producer, sequence) with the same messages,
// which the server stores at most once, also across leader changes; and no
// request ever waits behind another one's unknown outcome. A lane that had to
// give up on an unknown outcome (the caller's deadline or abort) starts a new
// producer id, since its next sequence would otherwise be refused as a skip.
//
// Independent outcomes: the server stores a batch atomically, so when it
// refuses one for something a message may cause (a message too large, a full
// queue) the producer sends its halves in turn, down to single messages, and
// each send gets its own answer.

import { randomUUID } from 'node:crypto';
import { Batcher, type Batch, type ItemResult } from './batcher.js';
import type { Connection } from './connection.js';
import { InvalidArgumentError, QuorumqError, ResourceExhaustedError, isRetryable } from './errors.js';
import { messageSize, toBuffer, toWireHeaders, toWireQueueMessage, type QueueMessageInput, type StreamMessageInput } from './messages.js';
import { deadlineOf, type CallOptions } from './signal.js';
import type { AppendResponse__Output, PublishResponse__Output } from './wire.js';

/** Options of `Client.streamProducer` and `Client.queueProducer`. */
export interface ProducerOptions {
  /** A name (letters, digits, '.', '_', '-'); default a random one. Lanes append `.<n>`. */
  readonly producerId?: string;
  /** Default true: retries never store twice. False: no producer id, and a send whose outcome is unknown is not retried. */
  readonly idempotent?: boolean;
  /** Most messages per request (server maximum 10 000). Default 1000. */
  readonly maxBatchMessages?: number;
  /** Most bytes per request (server maximum 8 MiB). Default 1 MiB. */
  readonly maxBatchBytes?: number;
  /** Batch requests in flight at once (lanes). Default 4. */
  readonly maxInFlight?: number;
  /** Sends accepted and not yet confirmed beyond which `send` waits. Default 8192. */
  readonly window?: number;
  /** Default deadline of a send, ms (the connection's timeoutMs if unset). */
  readonly timeoutMs?: number;
  /**
   * A partitioned stream: every send goes to this key's partition, in order
   * per lane (without a key, each lane's producer id picks its partition).
   * Ignored by other streams and by queues (their messages carry a group).
   */
  readonly key?: string;
}

/** Where a stream message was stored. */
export interface AppendResult {
  /** A partitioned stream's partition (`offset` is that partition's); 0 on other streams. */
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  /** A retry found the batch already stored: these are its original offsets. */
  readonly duplicate: boolean;
}

/** A queue publish's confirmation. */
export interface PublishResult {
  /** The Raft index of the publish. */
  readonly index: number;
  /** A retry found the publish already stored: nothing stored again. */
  readonly duplicate: boolean;
}

/** What differs between appending to a stream and publishing to a queue. */
interface Target<M, R> {
  readonly method: 'Append' | 'Publish';
  request(messages: readonly M[], producerId: string, sequence: number): object;
  results(res: object, n: number): R[];
}

const streamTarget = (stream: string, key = ''): Target<StreamMessageInput, AppendResult> => ({
  method: 'Append',
  request: (ms, producerId, sequence) => ({ stream, producerId, sequence, key, messages: ms.map((m) => ({ body: toBuffer(m.body), headers: toWireHeaders(m.headers) })) }),
  results: (res, n) => {
    const r = res as AppendResponse__Output;
    return Array.from({ length: n }, (_, i) => ({ partition: r.partition, offset: r.firstOffset + i, timestamp: r.timestamp, duplicate: r.duplicate }));
  },
});

const queueTarget = (queue: string): Target<QueueMessageInput, PublishResult> => ({
  method: 'Publish',
  request: (ms, producerId, sequence) => ({
    queue,
    producerId,
    sequence,
    messages: ms.map(toWireQueueMessage),
  }),
  results: (res, n) => {
    const r = res as PublishResponse__Output;
    return Array.from({ length: n }, () => ({ index: r.index, duplicate: r.duplicate }));
  },
});

interface Lane {
  id: string;
  sequence: number;
}

/** Sends messages to a stream or a queue: batched, idempotent, retried across leader changes. */
export class Producer<M extends StreamMessageInput, R> {
  private readonly batcher: Batcher<M, R>;
  private readonly lanes: Lane[] = [];
  private generation = 0;
  private readonly baseId: string;
  private readonly idempotent: boolean;

  /** @internal use Client.producer / Client.publisher */
  constructor(
    private readonly conn: Connection,
    private readonly target: Target<M, R>,
    private readonly opts: ProducerOptions = {},
  ) {
    this.idempotent = opts.idempotent ?? true;
    this.baseId = opts.producerId ?? `p-${randomUUID()}`;
    this.batcher = new Batcher<M, R>({
      maxItems: opts.maxBatchMessages ?? 1000,
      maxBytes: opts.maxBatchBytes ?? 1 << 20,
      maxInFlight: opts.maxInFlight ?? 4,
      window: opts.window ?? 8192,
      size: messageSize,
      flush: (b) => this.flush(b),
    });
  }

  /** Send one message; resolves once it is stored (committed and applied), rejects with its own error. */
  send(msg: M | StreamMessageInput['body'], o: CallOptions = {}): Promise<R> {
    const m = (typeof msg === 'string' || msg instanceof Uint8Array ? { body: msg } : msg) as M;
    return this.batcher.add(m, { signal: o.signal, deadline: deadlineOf(o, this.opts.timeoutMs ?? this.conn.timeoutMs) });
  }

  /** Sends accepted and not yet answered. */
  get outstanding(): number {
    return this.batcher.outstanding;
  }

  /** Refuse new sends and wait for the outstanding ones to be answered. */
  async close(): Promise<void> {
    await this.batcher.idle();
    this.batcher.close();
  }

  private lane(slot: number): Lane {
    return (this.lanes[slot] ??= { id: this.laneId(slot), sequence: 1 });
  }

  private laneId(slot: number): string {
    return this.generation === 0 ? `${this.baseId}.${slot}` : `${this.baseId}.${slot}.${this.generation}`;
  }

  private flush(batch: Batch<M>): Promise<ItemResult<R>[]> {
    return this.sendSplitting(this.lane(batch.slot), batch.items, batch.slot, batch.deadline);
  }

  /**
   * Send `ms` as one request; when the server refuses it as a whole for
   * something a message may cause (a bad or oversized message, a full queue),
   * nothing was stored, so send each half in turn (same lane, same sequence
   * free again): one bad message among n costs about 2·log2(n) requests, and
   * every other message is stored and answered on its own.
   */
  private async sendSplitting(lane: Lane, ms: readonly M[], slot: number, deadline: number): Promise<ItemResult<R>[]> {
    try {
      return (await this.request(lane, ms, slot, deadline)).map((value) => ({ ok: true, value }));
    } catch (e) {
      if (ms.length === 1 || !isMessageRefusal(e)) return ms.map(() => ({ ok: false, error: e }));
      const mid = ms.length >> 1;
      const left = await this.sendSplitting(this.lane(slot), ms.slice(0, mid), slot, deadline);
      return [...left, ...(await this.sendSplitting(this.lane(slot), ms.slice(mid), slot, deadline))];
    }
  }

  /** One request on a lane, retried (same sequence, same messages) until a definite answer or the deadline. */
  private async request(lane: Lane, ms: readonly M[], slot: number, deadline: number): Promise<R[]> {
    const producerId = this.idempotent ? lane.id : '';
    const sequence = this.idempotent ? lane.sequence : 0;
    try {
      const res = await this.conn.call(this.target.method, this.target.request(ms, producerId, sequence) as never, {
        route: 'leader',
        idempotent: this.idempotent,
        timeoutMs: Number.isFinite(deadline) ? Math.max(1, deadline - Date.now()) : Infinity,
      });
      lane.sequence++;
      return this.target.results(res, ms.length);
    } catch (e) {
      if (this.idempotent && !(e instanceof QuorumqError && e.outcome === 'not-applied')) {
        // This sequence may or may not be stored, and we stop asking: the
        // lane starts over as a new producer.
        this.generation++;
        this.lanes[slot] = { id: this.laneId(slot), sequence: 1 };
      }
      throw e;
    }
  }
}

/**
 * A definite refusal of the whole request (nothing stored) that one of its
 * messages may have caused; NOT_FOUND and the like concern every message alike.
 */
function isMessageRefusal(e: unknown): boolean {
  return (e instanceof InvalidArgumentError || e instanceof ResourceExhaustedError) && e.outcome === 'not-applied' && !isRetryable(e) && !deadLetteredRefusal(e);
}

/**
 * A full queue with overflow reject-publish-dlx refused the batch AND
 * dead-lettered its messages: sending halves again would dead-letter them
 * again, so the refusal stands for every message. The server says so in the
 * refusal's message (see Queue.refusal and the publish in the queues machine).
 */
export function deadLetteredRefusal(e: unknown): boolean {
  return e instanceof ResourceExhaustedError && e.message.includes('overflow: reject-publish-dlx');
}

/** A producer appending to a stream (use `Client.streamProducer`). */
export const streamProducer = (conn: Connection, stream: string, o?: ProducerOptions): Producer<StreamMessageInput, AppendResult> => new Producer(conn, streamTarget(stream, o?.key), o);
/** A producer publishing to a queue (use `Client.queueProducer`). */
export const queueProducer = (conn: Connection, queue: string, o?: ProducerOptions): Producer<QueueMessageInput, PublishResult> => new Producer(conn, queueTarget(queue), o);
