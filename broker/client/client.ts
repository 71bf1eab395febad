// The SDK's entry point: `const qq = await connect({ servers })`, then
// producers, subscriptions, consumers, workers, and a typed helper for every
// unary Broker call (streams, queues, dead letters, schedules, key/value,
// cluster, users), all over one Connection. Exchanges and transactions have
// their own facade (exchanges.ts).

import { Connection, type Answered, type ConnectionOptions, type UnaryOptions } from './connection.js';
import { QueueConsumer, type ConsumeOptions } from './consumer.js';
import type { RequestOf, ResponseOf, UnaryMethod } from './methods.js';
import { queueProducer, streamProducer, type AppendResult, type Producer, type ProducerOptions, type PublishResult } from './producer.js';
import type { CallOptions } from './signal.js';
import { StreamSubscription, type SubscribeOptions } from './subscription.js';
import { fromWireHeaders, toBuffer, toWireQueueMessage, type Body, type QueueMessageInput, type StreamMessageInput } from './messages.js';
import {
  consistencyOf,
  fromWirePermissions,
  toWirePermissions,
  type DeadLetter,
  type Identity,
  type PermissionsInput,
  type UserInfo,
  type PullOptions,
  type PullResult,
  type QueueInfo,
  type ReadOptions,
  type ReadResult,
  type ReadStreamOptions,
  type Schedule,
  type ScheduleOptions,
  type SettleTags,
  type StreamInfo,
} from './shapes.js';
import type { QueueSettings, StreamSettings } from './wire.js';

/** A connected client: made by {@link connect}; everything else hangs off it. */
export class Client {
  /** @internal use connect() */
  constructor(readonly connection: Connection) {}

  /** Any unary Broker call, routed (writes to the leader) and retried within the deadline. */
  call<M extends UnaryMethod>(method: M, req: RequestOf<M>, o?: UnaryOptions): Promise<Answered<ResponseOf<M>>> {
    return this.connection.call(method, req, o);
  }

  /** A producer appending to a stream. */
  streamProducer(stream: string, o?: ProducerOptions): Producer<StreamMessageInput, AppendResult> {
    return streamProducer(this.connection, stream, o);
  }

  /** A producer publishing to a queue. */
  queueProducer(queue: string, o?: ProducerOptions): Producer<QueueMessageInput, PublishResult> {
    return queueProducer(this.connection, queue, o);
  }

  /** Follow a stream: `for await (const m of qq.subscribe('s'))`. */
  subscribe(stream: string, o?: SubscribeOptions): StreamSubscription {
    return new StreamSubscription(this.connection, stream, o);
  }

  /** Consume a queue: `for await (const d of qq.consume('q')) await d.ack()`. */
  consume(queue: string, o?: ConsumeOptions): QueueConsumer {
    return new QueueConsumer(this.connection, queue, o);
  }

  // ---- streams ------------------------------------------------------------

  /**
   * Create a stream, or confirm it exists with these settings (`created: false`); other settings: FailedPreconditionError.
   * `partitions` (1-64): a partitioned stream, one Raft group per partition with leaders spread over the nodes;
   * offsets are per partition, and a producer's `key` picks the partition.
   */
  async declareStream(name: string, settings: StreamSettings = {}, o?: CallOptions & { partitions?: number }): Promise<{ created: boolean }> {
    const r = await this.call('DeclareStream', { name, settings, partitions: o?.partitions ?? 0 }, o);
    return { created: r.created };
  }

  /** Delete a stream and its messages; its subscriptions end. */
  async deleteStream(name: string, o?: CallOptions): Promise<void> {
    await this.call('DeleteStream', { name }, o);
  }

  /** One stream: settings, first and next offset, count, bytes, and how far each node has it. */
  async streamInfo(name: string, o?: CallOptions): Promise<StreamInfo> {
    return this.call('StreamInfo', { name }, o);
  }

  /** Every stream, with its offsets and sizes. */
  async listStreams(o?: ReadOptions): Promise<StreamInfo[]> {
    return (await this.call('ListStreams', { consistency: consistencyOf(o) }, o)).streams;
  }

  /**
   * Read a stream from an offset, once (a subscription follows it instead):
   * up to `maxMessages` / `maxBytes` (at least one message when any is there),
   * waiting up to `waitMs` for new ones. Served by any member. Below the first
   * retained offset: OutOfRangeError.
   */
  async read(stream: string, fromOffset: number, o: ReadStreamOptions = {}): Promise<ReadResult> {
    const r = await this.call(
      'Read',
      { stream, fromOffset, partitions: [...(o.partitions ?? [])], fromOffsets: [...(o.fromOffsets ?? [])], maxMessages: o.maxMessages ?? 1000, maxBytes: o.maxBytes ?? 1 << 20, waitMs: o.waitMs ?? 0, consistency: consistencyOf(o) },
      // A long poll outlives the default attempt.
      { ...o, attemptTimeoutMs: Math.max(10_000, (o.waitMs ?? 0) + 5000) },
    );
    return {
      messages: r.messages.map((m) => ({ stream, offset: m.offset, timestamp: m.timestamp, headers: fromWireHeaders(m.headers), body: m.body, partition: m.partition })),
      nextOffset: r.nextOffset,
      nextOffsets: r.nextOffsets,
      partitions: r.partitions,
      firstOffset: r.firstOffset,
      endOffset: r.endOffset,
      servedBy: r.servedBy,
    };
  }

  /** Store a named consumer's offset (the next offset it wants), so it resumes there on any node (`from: { consumer }`). */
  async commitOffset(stream: string, consumer: string, offset: number, o?: CallOptions): Promise<void> {
    await this.call('CommitOffset', { stream, consumer, offset }, o);
  }

  /** A named consumer's committed offset, or undefined if it never committed one. */
  async getOffset(stream: string, consumer: string, o?: ReadOptions): Promise<number | undefined> {
    const r = await this.call('GetOffset', { stream, consumer, consistency: consistencyOf(o) }, o);
    return r.found ? r.offset : undefined;
  }

  // ---- queues -------------------------------------------------------------

  /**
   * Create a queue, or confirm it exists with these settings (`created: false`); other settings: FailedPreconditionError.
   * `partitions` (1-64): a partitioned queue, one Raft group per partition with leaders spread over the nodes;
   * `replicas` (with partitions): members per partition's group, odd, at most the voters; 0 (default): every voter, at most 5.
   */
  async declareQueue(name: string, settings: QueueSettings = {}, o?: CallOptions & { partitions?: number; replicas?: number }): Promise<{ created: boolean }> {
    const r = await this.call('DeclareQueue', { name, settings, partitions: o?.partitions ?? 0, replicas: o?.replicas ?? 0 }, o);
    return { created: r.created };
  }

  /** Delete a queue and everything in it; its consumers end. */
  async deleteQueue(name: string, o?: CallOptions): Promise<void> {
    await this.call('DeleteQueue', { name }, o);
  }

  /** Remove every ready and delayed message (delivered, unsettled ones stay with their consumers); how many went. */
  async purgeQueue(name: string, o?: CallOptions): Promise<{ purged: number }> {
    return { purged: (await this.call('PurgeQueue', { name }, o)).purged };
  }

  /** One queue: settings, counts (ready, delayed, unacked, dead letters), bytes, consumers. */
  async queueInfo(name: string, o?: CallOptions): Promise<QueueInfo> {
    return this.call('QueueInfo', { name }, o);
  }

  /** Every queue, as queueInfo gives it. */
  async listQueues(o?: ReadOptions): Promise<QueueInfo[]> {
    return (await this.call('ListQueues', { consistency: consistencyOf(o) }, o)).queues;
  }

  /**
   * Pull up to `max` messages (waiting up to `waitMs` for them) for a pull
   * consumer on the node that answers — the same consumer again when
   * `consumer` names the one an earlier pull returned (pass `route:
   * result.server` too: a pull consumer lives on one node). Settle them with
   * {@link Client.settle} before `leaseMs` lapses, or they return to the
   * queue, marked redelivered. A pull whose answer is lost is not retried (it
   * took messages): they come back when the lease lapses.
   */
  async pull(queue: string, o: PullOptions = {}): Promise<PullResult> {
    const r = await this.call(
      'GetMessages',
      { queue, max: o.max ?? 1, waitMs: o.waitMs ?? 0, consumer: o.consumer ?? '', leaseMs: o.leaseMs ?? 0, priority: o.priority ?? 0 },
      { ...o, route: o.route ?? 'any', attemptTimeoutMs: Math.max(10_000, (o.waitMs ?? 0) + 5000) },
    );
    return {
      consumer: r.consumer,
      server: r._server,
      messages: r.deliveries.map((d) => ({ tag: Number(d.tag), body: d.body, headers: fromWireHeaders(d.headers), priority: d.priority, redelivered: d.redelivered, acquired: d.acquired, failed: d.failed, deliveredAt: Number(d.deliveredAtMs) })),
    };
  }

  /**
   * Settle a consumer's deliveries by tag (a pull consumer's, or a Consume
   * call's from outside it): ack, requeue (after `requeueDelayMs`) or reject
   * (dead-letter). Answers the tags the consumer did not hold (already
   * settled, or returned to the queue).
   */
  async settle(queue: string, consumer: string, s: SettleTags, o?: CallOptions): Promise<{ unknownTags: number[] }> {
    const r = await this.call('Settle', { queue, consumer, ack: [...(s.ack ?? [])], requeue: [...(s.requeue ?? [])], reject: [...(s.reject ?? [])], requeueDelayMs: s.requeueDelayMs ?? 0 }, o);
    return { unknownTags: r.unknownTags.map(Number) };
  }

  /** The queue's dead letters, oldest first (at most `max`, default 100), and how many there are in all. */
  async listDeadLetters(queue: string, o: ReadOptions & { readonly max?: number } = {}): Promise<{ deadLetters: DeadLetter[]; total: number }> {
    const r = await this.call('ListDeadLetters', { queue, max: o.max ?? 100, consistency: consistencyOf(o) }, o);
    return {
      deadLetters: r.deadLetters.map((d) => ({ body: d.body, headers: fromWireHeaders(d.headers), priority: d.priority, reason: d.reason, deadLetteredAt: d.deadLetteredAt, failed: d.failed, acquired: d.acquired })),
      total: r.total,
    };
  }

  /** Move up to `max` dead letters (oldest first) back to the end of the queue; how many moved. */
  async replayDeadLetters(queue: string, max: number, o?: CallOptions): Promise<{ replayed: number }> {
    return { replayed: (await this.call('ReplayDeadLetters', { queue, max }, o)).replayed };
  }

  /** Drop every dead letter of the queue; how many went. */
  async purgeDeadLetters(queue: string, o?: CallOptions): Promise<{ purged: number }> {
    return { purged: (await this.call('PurgeDeadLetters', { queue }, o)).purged };
  }

  /**
   * Publish `message` to the queue every `everyMs`, first at `firstAtMs`
   * (leader time, ms since the epoch; default one interval from now), once per
   * due time whatever the leader changes. The same name and settings again:
   * `created: false`; other settings: AlreadyExistsError.
   */
  async addSchedule(queue: string, name: string, s: ScheduleOptions, o?: CallOptions): Promise<{ created: boolean }> {
    const r = await this.call('AddSchedule', { queue, name, everyMs: s.everyMs, firstAtMs: s.firstAtMs ?? 0, message: toWireQueueMessage(s.message) }, { idempotent: true, ...o });
    return { created: r.created };
  }

  /** The queue's schedules: name, interval, next due time, messages published. */
  async listSchedules(queue: string, o?: ReadOptions): Promise<Schedule[]> {
    return (await this.call('ListSchedules', { queue, consistency: consistencyOf(o) }, o)).schedules;
  }

  /** Stop and forget a schedule. */
  async removeSchedule(queue: string, name: string, o?: CallOptions): Promise<void> {
    await this.call('RemoveSchedule', { queue, name }, o);
  }

  // ---- key/value and cluster ----------------------------------------------

  /** Store `value` under `key`; resolves once committed and applied, with the Raft index. */
  async put(key: string, value: Body, o?: CallOptions): Promise<{ index: number }> {
    return { index: (await this.call('Put', { key, value: toBuffer(value) }, o)).index };
  }

  /** The value under `key` (undefined if none); linearizable unless `consistency: 'local'`. */
  async get(key: string, o?: ReadOptions): Promise<Buffer | undefined> {
    const r = await this.call('Get', { key, consistency: consistencyOf(o) }, o);
    return r.found ? r.value : undefined;
  }

  /** Members, roles and the leader (also refreshes the connection's view). */
  status(o?: CallOptions): Promise<ResponseOf<'ClusterStatus'>> {
    return this.connection.discover(o);
  }

  /** Add a node (a learner first, a voter once caught up). */
  async addNode(id: number, peerAddress: string, clientAddress: string, o?: CallOptions): Promise<void> {
    await this.call('AddNode', { id, peerAddress, clientAddress }, o);
  }

  /** Remove a node from the cluster. */
  async removeNode(id: number, o?: CallOptions): Promise<void> {
    await this.call('RemoveNode', { id }, o);
  }

  /** Hand leadership to another voter; resolves once it leads. */
  async transferLeader(id: number, o?: CallOptions): Promise<void> {
    await this.call('TransferLeader', { id }, o);
  }

  // ---- users (a cluster run with --auth on) ------------------------------

  /**
   * Add a user with these permissions (what is left out is not granted);
   * resolves with the user's token, shown this once (the nodes keep only its
   * hash). Needs admin. A name already taken: AlreadyExistsError. Not retried
   * after an unknown outcome (a second try would find the name taken): on
   * such an error, look with {@link Client.listUsers} and rotate the token.
   */
  async addUser(name: string, permissions: PermissionsInput = {}, o?: CallOptions): Promise<{ token: string }> {
    return { token: (await this.call('AddUser', { name, permissions: toWirePermissions(permissions) }, o)).token };
  }

  /** Remove a user: its token and certificate stop working on every node at once. Needs admin. */
  async removeUser(name: string, o?: CallOptions): Promise<void> {
    await this.call('RemoveUser', { name }, o);
  }

  /** Every user and its permissions (no tokens). Needs admin. */
  async listUsers(o?: ReadOptions): Promise<UserInfo[]> {
    const r = await this.call('ListUsers', { consistency: consistencyOf(o) }, o);
    return r.users.map((u) => ({ name: u.name, permissions: fromWirePermissions(u.permissions) }));
  }

  /**
   * Replace a user's permissions (what is left out is revoked); resolves with
   * the user as stored. Needs admin. Setting the same permissions twice is
   * harmless, so this one is retried across leader changes.
   */
  async setPermissions(name: string, permissions: PermissionsInput, o?: CallOptions): Promise<UserInfo> {
    const r = await this.call('SetPermissions', { name, permissions: toWirePermissions(permissions) }, { idempotent: true, ...o });
    return { name: r.user?.name ?? name, permissions: fromWirePermissions(r.user?.permissions) };
  }

  /**
   * A new token for a user (admin, or the user itself); the old one stops
   * working at once on every node, without a restart. A connection made with
   * the old token must be remade with the new one.
   */
  async rotateToken(name: string, o?: CallOptions): Promise<{ token: string }> {
    return { token: (await this.call('RotateToken', { name }, o)).token };
  }

  /** Who the serving node takes this connection's credentials for, and what they allow. Needs no permission. */
  async whoAmI(o?: UnaryOptions): Promise<Identity> {
    const r = await this.call('WhoAmI', {}, o);
    return { user: r.user || undefined, auth: r.auth, permissions: fromWirePermissions(r.permissions), method: r.method };
  }

  /** Close every channel; producers, subscriptions and consumers stop. */
  close(): void {
    this.connection.close();
  }
}

/**
 * Connect to a cluster: resolves once a node answered ClusterStatus (so the
 * members and the leader are known), retrying within `timeoutMs`.
 */
export async function connect(opts: ConnectionOptions): Promise<Client> {
  const conn = new Connection(opts);
  try {
    await conn.discover();
  } catch (e) {
    conn.close();
    throw e;
  }
  return new Client(conn);
}
