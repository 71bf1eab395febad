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
//
// Partitioned queues: a queue producer asks the connection where the queue
// lives (a cached placement) and splits each batch by partition with the
// server's own hash (proto/partition-hash.ts; messages without a group key
// go, a batch at a time, to the partitions in turn), then sends each part
// to its partition's leader, naming the partition's group, on a lane of its
// own (`<lane>.p<partition>`: a producer's sequences are per partition).
// The server re-checks that the keys hash there, so a stale placement costs
// a refusal and a fresh lookup, never a misplaced message; a leader that
// moved forwards the part and its answer redirects the next one.

import { randomUUID } from 'node:crypto';
import { partitionOf } from '../../proto/partition-hash.js';
import { Batcher, type Batch, type ItemResult } from './batcher.js';
import type { Connection } from './connection.js';
import { FailedPreconditionError, InvalidArgumentError, QuorumqError, ResourceExhaustedError, isRetryable } from './errors.js';
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
  /** `group`: the data group of the one partition the request is aimed at (0: none). */
  request(messages: readonly M[], producerId: string, sequence: number, group: number): object;
  results(res: object, n: number): R[];
  /** A queue's name: its placement decides where each message goes (undefined: a stream, sent as ever). */
  readonly placed?: string;
  /** A message's group key (it picks the partition). */
  key?(m: M): string | undefined;
}

/** Where one part of a batch goes: a partition of a placed queue. */
interface Aim {
  readonly queue: string;
  readonly partition: number;
  readonly group: number;
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
  request: (ms, producerId, sequence, group) => ({
    queue,
    producerId,
    sequence,
    messages: ms.map(toWireQueueMessage),
    group,
  }),
  placed: queue,
  key: (m) => m.group || undefined,
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
  /** By key: the slot, or `<slot>.p<partition>` for a partition's part sent from that slot. */
  private readonly lanes = new Map<string, Lane>();
  private generation = 0;
  /** The partition the next batch's unkeyed messages go to. */
  private turn = 0;
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

  private lane(key: string): Lane {
    let l = this.lanes.get(key);
    if (!l) this.lanes.set(key, (l = { id: this.laneId(key), sequence: 1 }));
    return l;
  }

  private laneId(key: string): string {
    return this.generation === 0 ? `${this.baseId}.${key}` : `${this.baseId}.${key}.${this.generation}`;
  }

  private async flush(batch: Batch<M>): Promise<ItemResult<R>[]> {
    const queue = this.target.placed;
    if (queue === undefined) return this.sendSplitting(String(batch.slot), batch.items, batch.deadline);
    // Two rounds at most: a refusal of a stale placement drops it, and the refused parts go again after a fresh lookup.
    const results: Array<ItemResult<R> | undefined> = new Array(batch.items.length);
    let todo = batch.items.map((_, i) => i);
    for (let round = 0; todo.length > 0; round++) {
      const placement = await this.conn.placementOf(queue);
      const n = placement?.partitions.length ?? 0;
      if (!n || round === 2) {
        // Not partitioned, or no node could say: the ordinary path (any node forwards each partition's part).
        const rs = await this.sendSplitting(String(batch.slot), todo.map((i) => batch.items[i]!), batch.deadline);
        todo.forEach((i, k) => (results[i] = rs[k]));
        break;
      }
      const parts = new Map<number, number[]>();
      const unkeyed = this.turn++ % n;
      for (const i of todo) {
        const key = this.target.key?.(batch.items[i]!);
        const p = key ? partitionOf(key, n) : unkeyed;
        const list = parts.get(p);
        if (list) list.push(i);
        else parts.set(p, [i]);
      }
      const again: number[] = [];
      await Promise.all(
        [...parts].map(async ([p, idx]) => {
          const aim = { queue, partition: p, group: placement!.partitions[p]!.group };
          const rs = await this.sendSplitting(`${batch.slot}.p${p}`, idx.map((i) => batch.items[i]!), batch.deadline, aim);
          idx.forEach((i, k) => {
            const r = rs[k]!;
            if (!r.ok && isPlacementRefusal(r.error)) again.push(i);
            else results[i] = r;
          });
        }),
      );
      if (again.length) this.conn.placements?.invalidate(queue);
      todo = again.sort((a, b) => a - b);
    }
    return results as ItemResult<R>[];
  }

  /**
   * Send `ms` as one request; when the server refuses it as a whole for
   * something a message may cause (a bad or oversized message, a full queue),
   * nothing was stored, so send each half in turn (same lane, same sequence
   * free again): one bad message among n costs about 2·log2(n) requests, and
   * every other message is stored and answered on its own.
   */
  private async sendSplitting(key: string, ms: readonly M[], deadline: number, aim?: Aim): Promise<ItemResult<R>[]> {
    try {
      return (await this.request(key, ms, deadline, aim)).map((value) => ({ ok: true, value }));
    } catch (e) {
      if (ms.length === 1 || !isMessageRefusal(e)) return ms.map(() => ({ ok: false, error: e }));
      const mid = ms.length >> 1;
      const left = await this.sendSplitting(key, ms.slice(0, mid), deadline, aim);
      return [...left, ...(await this.sendSplitting(key, ms.slice(mid), deadline, aim))];
    }
  }

  /** One request on a lane, retried (same sequence, same messages) until a definite answer or the deadline. */
  private async request(key: string, ms: readonly M[], deadline: number, aim?: Aim): Promise<R[]> {
    const lane = this.lane(key);
    const producerId = this.idempotent ? lane.id : '';
    const sequence = this.idempotent ? lane.sequence : 0;
    try {
      const res = await this.conn.call(this.target.method, this.target.request(ms, producerId, sequence, aim?.group ?? 0) as never, {
        route: 'leader',
        // Each attempt asks again: a leader that failed is forgotten, and a redirect names the new one.
        ...(aim ? { to: () => this.conn.partitionAddress(aim.queue, aim.partition) } : {}),
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
        this.lanes.set(key, { id: this.laneId(key), sequence: 1 });
      }
      throw e;
    }
  }
}

/**
 * The server refused a publish aimed at a partition because the placement
 * the client used is wrong (the group is not one of the queue's partitions,
 * a key hashes elsewhere, the queue is not partitioned): nothing was stored.
 */
function isPlacementRefusal(e: unknown): boolean {
  return e instanceof FailedPreconditionError && e.outcome === 'not-applied' && /group must|hashes to partition/.test(e.message);
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
