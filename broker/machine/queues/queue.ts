// One quorum queue's replicated state and its rules. Message bodies stay in
// the Raft log; per message the queue keeps a row of MessageTable. Ready
// messages wait in one FIFO per priority (higher first); delayed ones in a
// heap by the time they become ready; delivered ones are unacked under a
// delivery tag until settled. Every decision is a function of the commands
// and the leader time they carry, so every member decides the same.
//
// Semantics worth stating:
// - A consumer receives deliveries while it holds fewer unsettled ones than
//   its prefetch; consumers with room and the highest priority are served
//   round-robin, one message each. A pull consumer (Get) has room only while
//   its open Get's grant lasts; it keeps what it holds for a lease.
// - With a single active consumer only one consumer receives (see pick()).
// - Two counters per message: `failed` (nack, reject, ack timeout) decides the
//   delivery limit; `acquired` counts every delivery, including after a
//   consumer went away (which does not count as failed).
// - A returned message goes back to the front of its priority, before newer
//   ones, and keeps its priority.
// - TTL: a message that reaches the head of its priority after its expiry is
//   dead-lettered, never delivered (as RabbitMQ's quorum queues do, expiry is
//   checked at the head: a ready count may include expired messages until then).
// - Message groups: messages with the same group key are delivered one at a
//   time in publish order — the next only once the previous is settled (acked,
//   rejected, or returned: a returned message goes back to the front of its
//   group, so order holds across requeue and redelivery). Groups with a
//   message ready take turns (round-robin), so one busy group cannot starve
//   the others; grouped and ungrouped messages alternate when both are ready.
//   Within a group, priority does not reorder messages, and expiry is checked
//   when a message reaches the head of its group.
// - Dead letters go to the queue's dead-letter queue when it names one (in the
//   same apply; refused when missing or full), else to its own store (listed,
//   counted, replayable, purgeable) unless the queue says 'drop'; nothing
//   leaves silently.
// - At a limit (max messages / bytes): reject-publish refuses the publish;
//   reject-publish-dlx refuses it too and dead-letters every message of it
//   (all or none: the rows point at the refused publish's entry, which the
//   log then keeps like any other live entry); drop-head stores it and
//   dead-letters the oldest ready messages. Reason 'maxlen' either way.
// - Counts per priority and per group are queries over what the queue keeps
//   anyway (ring lengths, group rings, 32 counters of grouped ready messages
//   per priority): nothing is added per message.
// - A requeue without its own delay waits out the queue's retry backoff, a
//   function of the message's place in the log and its failures (retryDelay).

import type { Reader, Writer } from '../bytes.js';
import { Producers } from '../producers.js';
import { MessageTable, MsgState } from './message-table.js';
import { IdQueue } from './id-queue.js';
import { MinHeap } from './min-heap.js';
import type { QueueConfig } from './config.js';
import { MAX_PRIORITY, readQueueConfig, writeQueueConfig } from './config.js';
import type { QueueMessage, SettleOutcome } from './commands.js';
import { messageBytes } from './commands.js';
import { RecentSettles } from './recent-settles.js';

/** How many departed consumers' recent settles a queue remembers. */
export const DEPARTED_SETTLES = 64;
import { cronOf, nextCron } from './cron.js';

export type DeadReason = 'rejected' | 'delivery-limit' | 'expired' | 'maxlen';
export const DEAD_REASONS: readonly DeadReason[] = ['rejected', 'delivery-limit', 'expired', 'maxlen'];

/** Where a dead letter that moved to another queue came from, and why (its headers on delivery). */
export interface DeadLetterOrigin {
  readonly reason: DeadReason;
  readonly queue: string;
  /** Leader time it was dead-lettered. */
  readonly at: number;
  readonly failed: number;
  readonly acquired: number;
}

/** A dead letter on its way to another queue: its body stays where it is in the log. */
export interface ArrivingDeadLetter {
  readonly raftIndex: number;
  readonly part: number;
  readonly slot: number;
  readonly bytes: number;
  readonly priority: number;
  readonly origin: DeadLetterOrigin;
}

/** Takes a dead letter into queue `target` in the same apply (true), or refuses it (false: it stays in the source's store). */
export type DeadLetterSink = (target: string, m: ArrivingDeadLetter, now: number) => boolean;
/** Routes a dead letter through exchange `exchange` by `key` into every queue reached, all or none (true), or refuses it (false). */
export type DeadLetterRouter = (exchange: string, key: string, m: ArrivingDeadLetter, now: number) => boolean;

/** One message handed to a consumer: where its body is, and its counters. */
export interface Delivery {
  readonly tag: number;
  readonly raftIndex: number;
  readonly part: number;
  readonly slot: number;
  readonly priority: number;
  /** Acquired before (by this or another consumer). */
  readonly redelivered: boolean;
  readonly acquired: number;
  readonly failed: number;
  /** The queue's time (the leader time of the entry being applied) when the delivery was made. */
  readonly at: number;
  /** Set when the message came here as another queue's dead letter. */
  readonly deadLetter?: DeadLetterOrigin;
}

export interface Consumer {
  readonly id: string;
  /** The node the consumer is attached to: only that node sends it its deliveries. */
  readonly node: number;
  /** A push consumer (a Consume call) has room while it holds fewer than this unsettled; a pull consumer's is 0. */
  prefetch: number;
  /** Consumers with room and the highest priority are served (round-robin among them); others wait. */
  readonly priority: number;
  /** Deliveries not settled yet. */
  unsettled: number;
  /**
   * A pull consumer (Get) takes deliveries only against the grant of its open
   * Get: `credit` more, until `creditUntil`. Between Gets it holds what it was
   * given until `leaseUntil`; a Get or a settle renews that by `leaseMs`, and a
   * lapsed lease cancels it (its deliveries return, as after a disconnect).
   */
  readonly pull: boolean;
  credit: number;
  creditUntil: number;
  /** The open Get's request id (0: none open); the last one is kept so that a retried Get grants nothing twice. */
  request: number;
  open: boolean;
  leaseMs: number;
  leaseUntil: number;
  /** The open Get's byte budget (0: none): its grant ends once the bytes given reach it, so its answer stays small. */
  maxBytes: number;
  gotBytes: number;
  /** Tags this consumer settled lately and how: a settle applied again answers as it did the first time. */
  settled: RecentSettles;
}

/** A Get whose grant ran out (filled, or its wait lapsed): its node answers the call. */
export interface PullDone {
  readonly consumer: string;
  readonly node: number;
  readonly request: number;
}

const pushConsumer = (id: string, node: number, prefetch: number, priority: number): Consumer => ({ id, node, prefetch, priority, unsettled: 0, pull: false, credit: 0, creditUntil: 0, request: 0, open: false, leaseMs: 0, leaseUntil: 0, maxBytes: 0, gotBytes: 0, settled: new RecentSettles() });

export interface QueueStats {
  ready: number;
  delayed: number;
  unacked: number;
  deadLettered: number;
  bytes: number;
  published: number;
  delivered: number;
  redelivered: number;
  acked: number;
  failed: number;
  expired: number;
  deadLetterDropped: number;
  /** Dead letters moved to the queue's dead-letter queue. */
  deadLetterMoved: number;
  /** Dead letters of other queues taken in. */
  deadLetterReceived: number;
  /** Due times of schedules not published: the queue was full (reject-publish), or more were due than a tick catches up on. */
  scheduleSkipped: number;
}

/** A message group: its ready messages in order, and whether one is in flight. */
interface Group {
  readonly name: string;
  readonly ready: IdQueue;
  /** A message of the group is delivered and not settled. */
  busy: boolean;
  /** Waiting in the turn order. */
  queued: boolean;
  /** Messages of the group the queue holds (any state): the group is forgotten at 0. */
  members: number;
}

/** A replicated schedule: its template message is in the log where it was added; it is published once per due time. */
export interface Schedule {
  readonly name: string;
  /** The interval, or 0 with a cron expression. */
  readonly everyMs: number;
  /** A cron expression (UTC, see cron.ts), or ''. */
  readonly cron: string;
  /** Leader time of the next due publish. */
  next: number;
  readonly raftIndex: number;
  readonly part: number;
  readonly bytes: number;
  readonly priority: number;
  readonly ttlMs: number;
  readonly group: string;
  /** Messages it published. */
  fired: number;
}

/** The next due time of a cron schedule that has none (never, in practice: parseCron refuses such expressions). */
export const NEVER = Number.MAX_SAFE_INTEGER;

/** A schedule's due time after the one at `t`. */
function nextDue(sc: Schedule, t: number): number {
  if (sc.everyMs > 0) return t + sc.everyMs;
  return sc.cron ? (nextCron(cronOf(sc.cron), t) ?? NEVER) : NEVER;
}

/** Due times one tick catches up on at most per schedule (after an outage); the rest are skipped, and counted. */
export const MAX_SCHEDULE_CATCH_UP = 100;

/** Where a publish's messages sit in the log. */
export interface PublishPlace {
  readonly raftIndex: number;
  readonly part: number;
  readonly time: number;
}

export class Queue {
  readonly table = new MessageTable();
  private readonly ready: IdQueue[] = Array.from({ length: MAX_PRIORITY + 1 }, () => new IdQueue());
  private readonly delayed = new MinHeap();
  private readonly ackDeadlines = new MinHeap();
  /** (Raft index, id) of the messages stored out of Raft-index order (see newRow); the others are in order by id. */
  private readonly held = new MinHeap();
  /** The newest Raft index a message was stored from in order. */
  private maxIndex = 0;
  /** No held in-order message has a smaller id (see firstLiveIndex). */
  private low = 0;
  readonly dead = new IdQueue();
  readonly consumers = new Map<string, Consumer>();
  /** Round-robin order of consumers (subscription order), and whose turn is next. */
  private order: string[] = [];
  private turn = 0;
  /** With a single active consumer: the one receiving (see pick). */
  private active: string | undefined;
  /** Gets closed and not yet reported (see takePullsDone); empty between commands. */
  private pullsDone: PullDone[] = [];
  /** Delivery tag -> (consumer, message id). */
  private readonly unacked = new Map<number, { readonly consumer: string; readonly msg: number }>();
  private nextTag = 1;
  /** Marks deadline-heap pushes (see MessageTable.mark): each push gets a new one. */
  private nextMark = 1;
  /** Idempotent producers' recent sequences (the record's firstOffset is the publish's first sequence). */
  readonly producers = new Producers();
  /** Message groups by name, and by number (the table's `group` column; numbers are never reused). */
  private readonly groupIds = new Map<string, number>();
  private readonly groups = new Map<number, Group>();
  private nextGroup = 1;
  /** Groups with a message ready and none in flight, in the order they take turns. */
  private readonly turns = new IdQueue();
  /**
   * The recent settles of consumers that went away (cancelled, or their node
   * went silent), by consumer id, oldest first, at most DEPARTED_SETTLES: a
   * settle re-sent to a new leader can arrive after its consumer was removed
   * (a paused leader's node is declared silent meanwhile), and must still
   * answer as its first copy did; a consumer attached again under the same id
   * takes its memory back.
   */
  private readonly departed = new Map<string, RecentSettles>();
  /** Ready messages without a group (in the priority rings). */
  private readyPlain = 0;
  /**
   * Ready grouped messages per priority (ungrouped ones are the lengths of
   * the priority rings): kept as messages enter and leave the group rings, so
   * readyByPriority costs 32 numbers per queue, nothing per message. Derived
   * state: rebuilt from the group rings on restore, not stored.
   */
  private readonly groupedReady = new Float64Array(MAX_PRIORITY + 1);
  /** When both kinds are ready, the next delivery takes a grouped message. */
  private groupsNext = false;
  /** Message ids seen within the dedup window, with the time each was first published, oldest first. */
  private readonly ids = new Map<string, number>();
  private idOrder: string[] = [];
  private idHead = 0;
  readonly stats: QueueStats = { ready: 0, delayed: 0, unacked: 0, deadLettered: 0, bytes: 0, published: 0, delivered: 0, redelivered: 0, acked: 0, failed: 0, expired: 0, deadLetterDropped: 0, deadLetterMoved: 0, deadLetterReceived: 0, scheduleSkipped: 0 };
  /** Schedules by name, in the order they were added. */
  readonly schedules = new Map<string, Schedule>();
  /** Messages that came as other queues' dead letters, by message id: only those pay for it. */
  private readonly origins = new Map<number, DeadLetterOrigin>();
  /** Where dead letters go when the queue names a dead-letter queue (the machine sets it). */
  sink: DeadLetterSink | undefined;
  /** How dead letters are routed when the queue names a dead-letter exchange (the machine sets it). */
  router: DeadLetterRouter | undefined;

  constructor(
    readonly name: string,
    public config: QueueConfig,
    /** Raft index of the declaration: tells a re-created queue from the old one. */
    readonly createdAt: number,
  ) {}

  /** Ready, delayed and unacked messages: what the limits count. */
  get messages(): number {
    return this.stats.ready + this.stats.delayed + this.stats.unacked;
  }

  /** Message bytes of held (ready, delayed, unacked) messages; dead letters are not counted. */
  get bytes(): number {
    return this.stats.bytes;
  }

  // ---- publishing ----------------------------------------------------------

  /** Why a publish of `count` messages and `bytes` would overshoot a limit under reject-publish or reject-publish-dlx, or undefined. */
  refusal(count: number, bytes: number): string | undefined {
    const c = this.config;
    if (c.overflow === 'drop-head') return undefined;
    if (c.maxMessages > 0 && this.messages + count > c.maxMessages) return `queue "${this.name}" holds ${this.messages} of at most ${c.maxMessages} messages (maxMessages; overflow: ${c.overflow})`;
    if (c.maxBytes > 0 && this.stats.bytes + bytes > c.maxBytes) return `queue "${this.name}" holds ${this.stats.bytes} of at most ${c.maxBytes} bytes (maxBytes; overflow: ${c.overflow})`;
    return undefined;
  }

  /**
   * A publish refused under reject-publish-dlx: its messages go to the
   * queue's dead-letter target (reason maxlen) straight from where they sit
   * in the log, as drop-head's do; none is stored as ready, none counts as
   * published, and their ids are not remembered (a later retry may store
   * them). A message whose id was seen within the dedup window is a copy of
   * one the queue has: it is not dead-lettered. Returns how many were.
   */
  deadLetterRefused(place: PublishPlace, messages: readonly QueueMessage[], slots?: readonly number[]): number {
    const t = this.table;
    let n = 0;
    for (let slot = 0; slot < messages.length; slot++) {
      const m = messages[slot]!;
      if (m.id && this.ids.has(m.id)) continue;
      const b = messageBytes(m);
      const id = this.newRow(place.raftIndex, place.part, slots ? slots[slot]! : slot, b);
      t.set('priority', id, m.priority);
      t.set('group', id, m.group ? this.joinGroup(m.group) : 0);
      // deadLetter takes the bytes off again: they were never held.
      this.stats.bytes += b;
      this.deadLetter(id, 'maxlen', place.time);
      n++;
    }
    return n;
  }

  /**
   * Store the messages (those whose id was seen within the dedup window are
   * skipped); returns how many were stored. `slots`: each message's position
   * in its command when not its position here (an exchange write).
   */
  publish(place: PublishPlace, messages: readonly QueueMessage[], slots?: readonly number[]): number {
    const t = this.table;
    let stored = 0;
    for (let slot = 0; slot < messages.length; slot++) {
      const m = messages[slot]!;
      if (m.id) {
        if (this.ids.has(m.id)) continue;
        this.ids.set(m.id, place.time);
        this.idOrder.push(m.id);
      }
      stored++;
      const b = messageBytes(m);
      const id = this.newRow(place.raftIndex, place.part, slots ? slots[slot]! : slot, b);
      t.set('priority', id, m.priority);
      const ttl = m.ttlMs || this.config.messageTtlMs;
      t.set('expiresAt', id, ttl > 0 ? place.time + ttl : 0);
      t.set('group', id, m.group ? this.joinGroup(m.group) : 0);
      this.stats.bytes += b;
      this.stats.published++;
      if (m.delayMs > 0) this.delay(id, place.time + m.delayMs);
      else this.makeReady(id, false);
    }
    if (this.config.overflow === 'drop-head') this.dropHead(place.time);
    return stored;
  }

  // ---- schedules -------------------------------------------------------------

  /** Add a schedule; the same name again with the same interval is answered as existing, with another as a conflict. */
  addSchedule(sc: Schedule): 'created' | 'exists' | 'conflict' {
    const old = this.schedules.get(sc.name);
    if (old) return old.everyMs === sc.everyMs && old.cron === sc.cron && old.bytes === sc.bytes && old.priority === sc.priority ? 'exists' : 'conflict';
    this.schedules.set(sc.name, sc);
    return 'created';
  }

  /** Publish what the schedules have due by `now`, once per due time. */
  private fireSchedules(now: number): void {
    for (const sc of this.schedules.values()) {
      let n = 0;
      while (sc.next <= now && n < MAX_SCHEDULE_CATCH_UP) {
        n++;
        sc.next = nextDue(sc, sc.next);
        if (this.refusal(1, sc.bytes)) {
          this.stats.scheduleSkipped++;
          continue;
        }
        this.storeScheduled(sc, now);
      }
      if (sc.next <= now && sc.everyMs > 0) {
        const skipped = Math.floor((now - sc.next) / sc.everyMs) + 1;
        this.stats.scheduleSkipped += skipped;
        sc.next += skipped * sc.everyMs;
      }
      // A cron schedule counts its missed due times one by one (at most one a minute).
      for (; sc.next <= now; sc.next = nextDue(sc, sc.next)) this.stats.scheduleSkipped++;
    }
    if (this.config.overflow === 'drop-head') this.dropHead(now);
  }

  private storeScheduled(sc: Schedule, now: number): void {
    const t = this.table;
    const id = this.newRow(sc.raftIndex, sc.part, 0, sc.bytes);
    t.set('priority', id, sc.priority);
    const ttl = sc.ttlMs || this.config.messageTtlMs;
    t.set('expiresAt', id, ttl > 0 ? now + ttl : 0);
    t.set('group', id, sc.group ? this.joinGroup(sc.group) : 0);
    this.stats.bytes += sc.bytes;
    this.stats.published++;
    sc.fired++;
    this.makeReady(id, false);
  }

  /** The publish sequence the next stored message gets (what a producer's record remembers): its id. */
  get publishSeq(): number {
    return this.table.size;
  }

  /**
   * A new row for a message whose body is at (raftIndex, part, slot). Rows
   * come in Raft-index order except those stored from an older entry (a
   * schedule's fire, a replayed or arriving dead letter): those are flagged
   * and kept in `held`, so that firstLiveIndex stays exact.
   */
  private newRow(raftIndex: number, part: number, slot: number, bytes: number): number {
    const t = this.table;
    const id = t.alloc();
    t.setPlace(id, raftIndex, part, slot, bytes);
    if (raftIndex < this.maxIndex) {
      t.set('ooo', id, 1);
      this.held.push(raftIndex, id, id);
    } else this.maxIndex = raftIndex;
    return id;
  }

  /** Forget producers and message ids older than the dedup window. */
  private expireDedup(now: number): void {
    const w = this.config.dedupWindowMs;
    this.producers.expire(now, w);
    while (this.idHead < this.idOrder.length) {
      const id = this.idOrder[this.idHead]!;
      if (now - this.ids.get(id)! <= w) break;
      this.ids.delete(id);
      this.idHead++;
    }
    if (this.idHead > 1024 && this.idHead * 2 > this.idOrder.length) {
      this.idOrder = this.idOrder.slice(this.idHead);
      this.idHead = 0;
    }
  }

  /** Over a limit with overflow drop-head: the oldest ready messages, lowest priority first, are dead-lettered. */
  private dropHead(now: number): void {
    const c = this.config;
    const over = (): boolean => (c.maxMessages > 0 && this.messages > c.maxMessages) || (c.maxBytes > 0 && this.stats.bytes > c.maxBytes);
    for (let p = 0; p <= MAX_PRIORITY && over(); p++) {
      const q = this.ready[p]!;
      while (q.length && over()) {
        const id = q.shift()!;
        this.stats.ready--;
        this.readyPlain--;
        this.deadLetter(id, 'maxlen', now);
      }
    }
    // Then grouped messages, the oldest group first, each from its head.
    for (const g of this.groups.values()) {
      while (g.ready.length && over()) {
        const id = g.ready.shift()!;
        this.groupedReady[this.table.get('priority', id)]--;
        this.stats.ready--;
        this.deadLetter(id, 'maxlen', now);
      }
    }
  }

  private makeReady(id: number, front: boolean): void {
    this.table.setState(id, MsgState.Ready);
    this.stats.ready++;
    const gid = this.table.get('group', id);
    if (gid) {
      const g = this.groups.get(gid)!;
      if (front) g.ready.unshift(id);
      else g.ready.push(id);
      this.groupedReady[this.table.get('priority', id)]++;
      this.offerTurn(gid, g);
      return;
    }
    const q = this.ready[this.table.get('priority', id)]!;
    if (front) q.unshift(id);
    else q.push(id);
    this.readyPlain++;
  }

  // ---- message groups ------------------------------------------------------

  private joinGroup(name: string): number {
    let gid = this.groupIds.get(name);
    if (gid === undefined) {
      gid = this.nextGroup++;
      this.groupIds.set(name, gid);
      this.groups.set(gid, { name, ready: new IdQueue(), busy: false, queued: false, members: 0 });
    }
    this.groups.get(gid)!.members++;
    return gid;
  }

  /** A group with a ready message and none in flight waits for its turn. */
  private offerTurn(gid: number, g: Group): void {
    if (g.busy || g.queued || g.ready.length === 0) return;
    g.queued = true;
    this.turns.push(gid);
  }

  /** The message of a group in flight was settled or returned: the group may go on. */
  private groupFreed(id: number): void {
    const gid = this.table.get('group', id);
    if (!gid) return;
    const g = this.groups.get(gid)!;
    g.busy = false;
    this.offerTurn(gid, g);
  }

  /** Free a message's row (and its group's, once the group holds nothing). */
  private free(id: number): void {
    this.origins.delete(id);
    const gid = this.table.get('group', id);
    if (gid) {
      const g = this.groups.get(gid)!;
      if (--g.members === 0) {
        this.groups.delete(gid);
        this.groupIds.delete(g.name);
      }
    }
    this.table.release(id);
  }

  private delay(id: number, until: number): void {
    this.table.setState(id, MsgState.Delayed);
    this.table.set('at', id, until);
    this.table.set('mark', id, this.nextMark++);
    this.delayed.push(until, this.table.get('mark', id), id);
    this.stats.delayed++;
  }

  // ---- consumers -----------------------------------------------------------

  subscribe(id: string, node: number, prefetch: number, priority: number): 'created' | 'exists' | 'conflict' {
    const c = this.consumers.get(id);
    if (c) return c.node === node && !c.pull ? 'exists' : 'conflict';
    this.add(pushConsumer(id, node, prefetch, priority));
    return 'created';
  }

  private add(c: Consumer): void {
    const memory = this.departed.get(c.id);
    if (memory) {
      if (c.settled.length === 0) c.settled = memory;
      this.departed.delete(c.id);
    }
    this.consumers.set(c.id, c);
    this.order.push(c.id);
  }

  /**
   * Open a Get for pull consumer `id` (created on first use): up to `max`
   * deliveries until `now + waitMs`. A retry of the same request grants
   * nothing more ('repeat'); a new request replaces an open one, which is
   * answered as done.
   */
  pull(id: string, node: number, max: number, waitMs: number, leaseMs: number, request: number, priority: number, now: number, maxBytes = 0): 'created' | 'exists' | 'repeat' | 'conflict' {
    let c = this.consumers.get(id);
    let made: 'created' | 'exists' = 'exists';
    if (c && (c.node !== node || !c.pull)) return 'conflict';
    if (c && c.request === request) return 'repeat';
    if (!c) {
      c = { ...pushConsumer(id, node, 0, priority), pull: true };
      this.add(c);
      made = 'created';
    }
    if (c.open) this.pullsDone.push({ consumer: c.id, node: c.node, request: c.request });
    c.open = true;
    c.request = request;
    c.credit = max;
    c.maxBytes = maxBytes;
    c.gotBytes = 0;
    c.creditUntil = now + waitMs;
    c.leaseMs = leaseMs;
    c.leaseUntil = now + waitMs + leaseMs;
    return made;
  }

  /** Close the Gets whose grant is used up or whose wait lapsed (after a delivery round). */
  closePulls(now: number): void {
    for (const id of this.order) {
      const c = this.consumers.get(id)!;
      if (!c.open || (c.credit > 0 && c.creditUntil > now)) continue;
      c.open = false;
      c.credit = 0;
      this.pullsDone.push({ consumer: c.id, node: c.node, request: c.request });
    }
  }

  /** The Gets closed since the last call, in the order they closed. */
  takePullsDone(): PullDone[] {
    if (this.pullsDone.length === 0) return [];
    const out = this.pullsDone;
    this.pullsDone = [];
    return out;
  }

  /** Pull consumers whose lease lapsed (no open Get, no settle for `leaseMs`). */
  lapsedLeases(now: number): string[] {
    return this.order.filter((id) => {
      const c = this.consumers.get(id)!;
      return c.pull && !c.open && c.leaseUntil <= now;
    });
  }

  private hasRoom(c: Consumer): boolean {
    return c.pull ? c.credit > 0 : c.unsettled < c.prefetch;
  }

  /** Remove a consumer; its unsettled deliveries return to the queue (not counted as failed). */
  cancel(id: string, now: number): number {
    const c = this.consumers.get(id);
    if (!c) return 0;
    const mine: number[] = [];
    for (const [tag, u] of this.unacked) if (u.consumer === id) mine.push(tag);
    this.returnTags(mine, false, 0, now);
    this.consumers.delete(id);
    if (c.settled.length > 0) {
      this.departed.delete(id);
      this.departed.set(id, c.settled);
      if (this.departed.size > DEPARTED_SETTLES) this.departed.delete(this.departed.keys().next().value!);
    }
    if (this.active === id) this.active = undefined;
    const k = this.order.indexOf(id);
    this.order.splice(k, 1);
    if (this.turn > k) this.turn--;
    if (this.turn >= this.order.length) this.turn = 0;
    return mine.length;
  }

  /**
   * Settle deliveries of `consumer`; returns the tags it does not hold
   * (another's, never delivered, or settled otherwise). A tag this consumer
   * settled lately the same way counts as settled: the same settle applied
   * again (re-sent to a new leader) answers as the first copy did.
   */
  settle(consumer: string, tags: readonly number[], outcome: SettleOutcome, delayMs: number, now: number): number[] {
    const unknown: number[] = [];
    const mine: number[] = [];
    const k = this.consumers.get(consumer);
    if (k?.pull && !k.open) k.leaseUntil = Math.max(k.leaseUntil, now + k.leaseMs);
    const memory = k?.settled ?? this.departed.get(consumer);
    const seen = new Set<number>();
    for (const tag of tags) {
      const u = this.unacked.get(tag);
      const again = seen.has(tag);
      seen.add(tag);
      if (u && u.consumer === consumer && !again) mine.push(tag);
      else if (!u && !again && memory?.outcomeOf(tag) === outcome) continue;
      else unknown.push(tag);
    }
    if (k) for (const tag of mine) k.settled.add(tag, outcome);
    if (outcome === 'ack') {
      for (const tag of mine) {
        const msg = this.takeUnacked(tag);
        this.stats.acked++;
        this.remove(msg);
      }
    } else if (outcome === 'reject') {
      for (const tag of mine) {
        const msg = this.takeUnacked(tag);
        if (this.table.get('failed', msg) < 0xffff) this.table.set('failed', msg, this.table.get('failed', msg) + 1);
        this.stats.failed++;
        this.deadLetter(msg, 'rejected', now);
      }
    } else this.returnTags(mine, true, delayMs, now, true);
    return unknown;
  }

  /**
   * Back to the queue: to the front of their priorities, oldest first, or
   * delayed (by `delayMs`, or with `backoff` and no delay of its own, by the
   * queue's retry backoff).
   */
  private returnTags(tags: readonly number[], failed: boolean, delayMs: number, now: number, backoff = false): void {
    const t = this.table;
    const msgs = tags.map((tag) => this.takeUnacked(tag));
    // Oldest last, so that after every unshift it is the first again.
    msgs.sort((a, b) => b - a);
    for (const msg of msgs) {
      if (failed) {
        if (t.get('failed', msg) < 0xffff) t.set('failed', msg, t.get('failed', msg) + 1);
        this.stats.failed++;
        if (this.config.deliveryLimit > 0 && t.get('failed', msg) >= this.config.deliveryLimit) {
          this.deadLetter(msg, 'delivery-limit', now);
          continue;
        }
      }
      const wait = delayMs > 0 ? delayMs : backoff ? this.backoff(msg) : 0;
      if (wait > 0) {
        this.delay(msg, now + wait);
        // A grouped message waits out its delay at the head of its group: the group stays blocked meanwhile.
        const gid = t.get('group', msg);
        if (gid) this.groups.get(gid)!.busy = true;
      }
      else this.makeReady(msg, true);
    }
  }

  /**
   * The retry backoff of a message after its latest failure: base *
   * factor^(failed - 1), at most max, less up to jitter% of it. The jitter is
   * a hash of where the message is in the log and the attempt, so every
   * member (and a replay) computes the same delay, and messages requeued
   * together spread out instead of coming back at once.
   */
  private backoff(id: number): number {
    const t = this.table;
    return retryDelay(this.config, t.raftIndex(id), t.part(id), t.slot(id), t.get('failed', id));
  }

  private takeUnacked(tag: number): number {
    const u = this.unacked.get(tag)!;
    this.unacked.delete(tag);
    const c = this.consumers.get(u.consumer);
    if (c) c.unsettled--;
    this.stats.unacked--;
    this.table.set('tag', u.msg, 0);
    this.groupFreed(u.msg);
    return u.msg;
  }

  private remove(id: number): void {
    this.stats.bytes -= this.table.bytes(id);
    this.free(id);
  }

  private deadLetter(id: number, reason: DeadReason, now: number): void {
    const t = this.table;
    this.stats.bytes -= t.bytes(id);
    if (reason === 'expired') this.stats.expired++;
    const target = this.config.deadLetterQueue;
    const dlx = this.config.deadLetterExchange;
    if ((target && this.sink) || (dlx && this.router)) {
      const origin: DeadLetterOrigin = { reason, queue: this.name, at: now, failed: t.get('failed', id), acquired: t.get('acquired', id) };
      const m: ArrivingDeadLetter = { raftIndex: t.raftIndex(id), part: t.part(id), slot: t.slot(id), bytes: t.bytes(id), priority: t.get('priority', id), origin };
      if (dlx ? this.router!(dlx, this.config.deadLetterRoutingKey || this.name, m, now) : this.sink!(target, m, now)) {
        this.stats.deadLetterMoved++;
        this.free(id);
        return;
      }
      // The target is missing or full (or the exchange routes nowhere): kept in this queue's own store, never dropped for it.
    } else if (this.config.deadLetter === 'drop') {
      this.stats.deadLetterDropped++;
      this.free(id);
      return;
    }
    t.setState(id, MsgState.Dead);
    t.set('reason', id, DEAD_REASONS.indexOf(reason) + 1);
    t.set('at', id, now);
    this.dead.push(id);
    this.stats.deadLettered++;
    while (this.dead.length > this.config.maxDeadLetters) {
      const old = this.dead.shift()!;
      this.stats.deadLettered--;
      this.stats.deadLetterDropped++;
      this.free(old);
    }
  }

  /** Whether acceptDeadLetter would take `m` (pure). */
  canAcceptDeadLetter(m: ArrivingDeadLetter): boolean {
    const c = this.config;
    return !((c.maxMessages > 0 && this.messages + 1 > c.maxMessages) || (c.maxBytes > 0 && this.stats.bytes + m.bytes > c.maxBytes));
  }

  /**
   * Take in another queue's dead letter, at the end of its priority (the body
   * stays in the log where it is). Refused when it would put this queue over a
   * limit, whatever its overflow: a dead letter never pushes out another.
   */
  acceptDeadLetter(m: ArrivingDeadLetter, now: number): boolean {
    if (!this.canAcceptDeadLetter(m)) return false;
    const c = this.config;
    const t = this.table;
    const id = this.newRow(m.raftIndex, m.part, m.slot, m.bytes);
    t.set('priority', id, m.priority);
    t.set('expiresAt', id, c.messageTtlMs > 0 ? now + c.messageTtlMs : 0);
    this.origins.set(id, m.origin);
    this.stats.bytes += m.bytes;
    this.stats.deadLetterReceived++;
    this.makeReady(id, false);
    return true;
  }

  // ---- delivery ------------------------------------------------------------

  /** Hand ready messages to consumers with room (see pick); returns the deliveries per consumer. */
  deliver(now: number): Map<Consumer, Delivery[]> {
    const out = new Map<Consumer, Delivery[]>();
    for (;;) {
      const c = this.pick();
      if (!c) break;
      const msg = this.nextReady(now);
      if (msg === undefined) break;
      let list = out.get(c);
      if (!list) out.set(c, (list = []));
      list.push(this.assign(c, msg, now));
    }
    return out;
  }

  /**
   * The consumer the next message goes to. With a single active consumer:
   * that one, if it has room. The active one is the consumer of the highest
   * priority, the earliest subscribed among equals; a consumer of higher
   * priority than the active one takes over once the active one holds nothing
   * unsettled (so no two ever hold messages at once, and order holds), and
   * when the active one goes away the next takes over. Otherwise: among the
   * consumers with room, those of the highest priority, round-robin (the turn
   * moves past the one chosen).
   */
  private pick(): Consumer | undefined {
    const n = this.order.length;
    if (n === 0) return undefined;
    if (this.config.singleActiveConsumer) {
      let best: Consumer | undefined;
      for (const id of this.order) {
        const c = this.consumers.get(id)!;
        if (!best || c.priority > best.priority) best = c;
      }
      const a = this.active === undefined ? undefined : this.consumers.get(this.active);
      if (!a || (a.unsettled === 0 && best!.priority > a.priority)) this.active = best!.id;
      const c = this.consumers.get(this.active!)!;
      return this.hasRoom(c) ? c : undefined;
    }
    let top = -1;
    for (const id of this.order) {
      const c = this.consumers.get(id)!;
      if (c.priority > top && this.hasRoom(c)) top = c.priority;
    }
    if (top < 0) return undefined;
    for (let k = 0; k < n; k++) {
      const i = (this.turn + k) % n;
      const c = this.consumers.get(this.order[i]!)!;
      if (c.priority === top && this.hasRoom(c)) {
        this.turn = (i + 1) % n;
        return c;
      }
    }
    return undefined;
  }

  /** With a single active consumer: the one receiving (undefined before the first delivery round with a consumer). */
  get activeConsumer(): string | undefined {
    return this.config.singleActiveConsumer ? this.active : undefined;
  }

  /** The next deliverable message, dead-lettering expired ones on the way: grouped and ungrouped take turns. */
  private nextReady(now: number): number | undefined {
    const grouped = this.turns.length > 0 && (this.groupsNext || this.readyPlain === 0);
    const id = grouped ? this.nextGrouped(now) : this.nextPlain(now);
    if (id !== undefined) {
      this.groupsNext = !grouped;
      return id;
    }
    // That kind ran out (every candidate had expired): the other kind, if any.
    return grouped ? this.nextPlain(now) : this.nextGrouped(now);
  }

  /** Highest priority, oldest first. */
  private nextPlain(now: number): number | undefined {
    const t = this.table;
    for (let p = MAX_PRIORITY; p >= 0 && this.readyPlain > 0; p--) {
      const q = this.ready[p]!;
      while (q.length) {
        const id = q.shift()!;
        this.stats.ready--;
        this.readyPlain--;
        if (t.get('expiresAt', id) > 0 && t.get('expiresAt', id) <= now) {
          this.deadLetter(id, 'expired', now);
          continue;
        }
        return id;
      }
    }
    return undefined;
  }

  /** The head of the group whose turn it is; the group is then in flight until that message is settled. */
  private nextGrouped(now: number): number | undefined {
    const t = this.table;
    while (this.turns.length) {
      const gid = this.turns.shift()!;
      const g = this.groups.get(gid);
      // A group emptied and forgotten (or blocked) since it took its place in the turns.
      if (!g) continue;
      g.queued = false;
      if (g.busy) continue;
      while (g.ready.length) {
        const id = g.ready.shift()!;
        this.groupedReady[t.get('priority', id)]--;
        this.stats.ready--;
        if (t.get('expiresAt', id) > 0 && t.get('expiresAt', id) <= now) {
          this.deadLetter(id, 'expired', now);
          continue;
        }
        g.busy = true;
        return id;
      }
    }
    return undefined;
  }

  private assign(c: Consumer, id: number, now: number): Delivery {
    const t = this.table;
    const redelivered = t.get('acquired', id) > 0;
    if (t.get('acquired', id) < 0xffff) t.set('acquired', id, t.get('acquired', id) + 1);
    const tag = this.nextTag++;
    t.setState(id, MsgState.Unacked);
    t.set('tag', id, tag);
    this.unacked.set(tag, { consumer: c.id, msg: id });
    c.unsettled++;
    if (c.pull) {
      c.credit--;
      c.gotBytes += t.bytes(id);
      if (c.maxBytes > 0 && c.gotBytes >= c.maxBytes) c.credit = 0;
    }
    this.stats.unacked++;
    this.stats.delivered++;
    if (redelivered) this.stats.redelivered++;
    if (this.config.ackTimeoutMs > 0) {
      t.set('at', id, now + this.config.ackTimeoutMs);
      t.set('mark', id, this.nextMark++);
      this.ackDeadlines.push(t.get('at', id), t.get('mark', id), id);
    }
    const d: Delivery = { tag, raftIndex: t.raftIndex(id), part: t.part(id), slot: t.slot(id), priority: t.get('priority', id), redelivered, acquired: t.get('acquired', id), failed: t.get('failed', id), at: now };
    const origin = this.origins.get(id);
    return origin ? { ...d, deadLetter: origin } : d;
  }

  // ---- time ----------------------------------------------------------------

  /** The earliest time at which tick() would change something, or undefined. */
  nextDeadline(): number | undefined {
    let d: number | undefined;
    const take = (k: number | undefined): void => {
      if (k !== undefined && (d === undefined || k < d)) d = k;
    };
    this.prune();
    take(this.delayed.topKey());
    take(this.ackDeadlines.topKey());
    const w = this.config.dedupWindowMs;
    const p = this.producers.oldestUse();
    if (p !== undefined) take(p + w + 1);
    if (this.idHead < this.idOrder.length) take(this.ids.get(this.idOrder[this.idHead]!)! + w + 1);
    for (const c of this.consumers.values()) if (c.pull) take(c.open ? c.creditUntil : c.leaseUntil);
    for (const sc of this.schedules.values()) take(sc.next);
    const t = this.table;
    for (const q of this.ready) {
      const id = q.peek();
      if (id !== undefined && t.get('expiresAt', id) > 0) take(t.get('expiresAt', id));
    }
    return d;
  }

  /** Delayed messages become ready, expired heads are dead-lettered, timed-out deliveries return as failed. */
  tick(now: number): void {
    const t = this.table;
    this.expireDedup(now);
    this.fireSchedules(now);
    this.prune();
    while (this.delayed.size && this.delayed.topKey()! <= now) {
      const id = this.delayed.topId();
      this.delayed.pop();
      this.stats.delayed--;
      // A grouped message returned with a delay goes back to the front of its group, which it kept blocked.
      const returned = t.get('group', id) !== 0 && t.get('acquired', id) > 0;
      if (returned) this.groups.get(t.get('group', id))!.busy = false;
      this.makeReady(id, returned);
      this.prune();
    }
    const late: number[] = [];
    while (this.ackDeadlines.size && this.ackDeadlines.topKey()! <= now) {
      late.push(t.get('tag', this.ackDeadlines.topId()));
      this.ackDeadlines.pop();
      this.prune();
    }
    if (late.length) this.returnTags(late, true, 0, now);
    for (const q of this.ready) {
      for (let id = q.peek(); id !== undefined && t.get('expiresAt', id) > 0 && t.get('expiresAt', id) <= now; id = q.peek()) {
        q.shift();
        this.stats.ready--;
        this.readyPlain--;
        this.deadLetter(id, 'expired', now);
      }
    }
  }

  /** Drop stale heap tops (messages that moved on since they were pushed). */
  private prune(): void {
    const t = this.table;
    while (this.delayed.size) {
      const id = this.delayed.topId();
      if (t.state(id) === MsgState.Delayed && t.get('mark', id) === this.delayed.topTie()) break;
      this.delayed.pop();
    }
    while (this.ackDeadlines.size) {
      const id = this.ackDeadlines.topId();
      if (t.state(id) === MsgState.Unacked && t.get('mark', id) === this.ackDeadlines.topTie()) break;
      this.ackDeadlines.pop();
    }
    // Ids are never reused: an entry stays live until its message is gone.
    while (this.held.size && t.state(this.held.topId()) === MsgState.Free) this.held.pop();
  }

  /** The lowest Raft index whose entry holds a message this queue still has (dead letters included). */
  firstLiveIndex(): number | undefined {
    this.prune();
    const t = this.table;
    let id = t.nextHeld(this.low);
    while (id < t.size && t.get('ooo', id)) id = t.nextHeld(id + 1);
    this.low = id;
    let min = this.held.topKey();
    if (id < t.size && (min === undefined || t.raftIndex(id) < min)) min = t.raftIndex(id);
    // A schedule's template stays in the entry that added it.
    for (const sc of this.schedules.values()) if (min === undefined || sc.raftIndex < min) min = sc.raftIndex;
    return min;
  }

  /**
   * The Raft index of every entry this queue still reads: each message it has
   * (dead letters included), in table order, and each schedule's template
   * (a schedule publishes from the entry that added it).
   */
  *liveIndexes(): Iterable<number> {
    const t = this.table;
    for (const id of t.ids()) yield t.raftIndex(id);
    for (const sc of this.schedules.values()) yield sc.raftIndex;
  }

  // ---- the dead-letter store -----------------------------------------------

  /** Move up to `max` dead letters back to the queue's end as new messages (failed count reset). */
  replayDead(max: number): number {
    const t = this.table;
    let n = 0;
    while (n < max && this.dead.length) {
      const old = this.dead.shift()!;
      this.stats.deadLettered--;
      // A new row (ids are publish order): the failed count, reason and old TTL are not carried over.
      const id = this.newRow(t.raftIndex(old), t.part(old), t.slot(old), t.bytes(old));
      t.set('priority', id, t.get('priority', old));
      t.set('acquired', id, t.get('acquired', old));
      t.set('group', id, t.get('group', old));
      const origin = this.origins.get(old);
      if (origin) {
        this.origins.delete(old);
        this.origins.set(id, origin);
      }
      // The group keeps its member: only the row changes.
      t.release(old);
      this.stats.bytes += t.bytes(id);
      this.makeReady(id, false);
      n++;
    }
    return n;
  }

  purgeDead(): number {
    const n = this.dead.length;
    for (const id of this.dead) this.free(id);
    this.dead.clear();
    this.stats.deadLettered = 0;
    return n;
  }

  /** Remove every ready and delayed message (unacked ones stay with their consumers). */
  purge(): number {
    const t = this.table;
    let n = 0;
    for (const q of this.ready) {
      for (const id of q) {
        this.remove(id);
        n++;
      }
      q.clear();
    }
    this.readyPlain = 0;
    for (const g of [...this.groups.values()]) {
      const ids = [...g.ready];
      g.ready.clear();
      for (const id of ids) {
        this.remove(id);
        n++;
      }
    }
    this.groupedReady.fill(0);
    // Only groups with a message in flight are left, and those are not waiting for a turn.
    this.turns.clear();
    for (const g of this.groups.values()) g.queued = false;
    this.stats.ready = 0;
    for (const id of [...t.ids()]) {
      if (t.state(id) === MsgState.Delayed) {
        // A grouped message waiting out a requeue delay no longer blocks its group.
        if (t.get('group', id) && t.get('acquired', id) > 0) this.groupFreed(id);
        this.remove(id);
        n++;
      }
    }
    this.stats.delayed = 0;
    this.delayed.clear();
    return n;
  }

  // ---- per-priority and per-group counts (queries; nothing kept per message) ----

  /**
   * Ready messages per priority level, grouped and ungrouped alike: index p
   * is level p (0-31). O(32): the rings' lengths and groupedReady.
   */
  readyByPriority(): number[] {
    return this.ready.map((q, p) => q.length + this.groupedReady[p]!);
  }

  /**
   * The message groups: how many the queue holds a message of (any state,
   * dead letters included: a group is forgotten once it holds none), how
   * many have a message ready, and the `top` with the most ready messages
   * (most first, then by name, so every member answers the same). O(groups)
   * per call with a bounded selection, nothing kept per message: a queue of
   * 100 000 groups answers with `top` of them, never all.
   */
  groupCounts(top: number): { groups: number; withReady: number; top: { group: string; ready: number; inFlight: boolean }[] } {
    const best: { group: string; ready: number; inFlight: boolean }[] = [];
    const before = (a: { group: string; ready: number }, b: { group: string; ready: number }): boolean => a.ready > b.ready || (a.ready === b.ready && a.group < b.group);
    let withReady = 0;
    for (const g of this.groups.values()) {
      const ready = g.ready.length;
      if (ready === 0) continue;
      withReady++;
      const e = { group: g.name, ready, inFlight: g.busy };
      if (best.length === top && (top === 0 || !before(e, best[top - 1]!))) continue;
      // Insertion into a short sorted list: top is small (see MAX_TOP_GROUPS).
      let k = best.length < top ? best.length : top - 1;
      if (best.length < top) best.push(e);
      while (k > 0 && before(e, best[k - 1]!)) {
        best[k] = best[k - 1]!;
        k--;
      }
      best[k] = e;
    }
    return { groups: this.groups.size, withReady, top: best };
  }

  /** Whether delivery `tag` is unsettled and held by `consumer`. */
  holds(consumer: string, tag: number): boolean {
    return this.unacked.get(tag)?.consumer === consumer;
  }

  /** Consumers attached to `node`. */
  consumersOn(node: number): string[] {
    return this.order.filter((id) => this.consumers.get(id)!.node === node);
  }

  /** Where every message the queue holds (ready, delayed, unacked, dead-lettered) sits in the log, in id order. */
  *places(): Generator<{ raftIndex: number; part: number; slot: number }> {
    const t = this.table;
    for (const id of t.ids()) yield { raftIndex: t.raftIndex(id), part: t.part(id), slot: t.slot(id) };
  }

  /** The dead letters, oldest first: where each is and why. */
  *deadLetters(): Generator<{ raftIndex: number; part: number; slot: number; reason: DeadReason; at: number; failed: number; acquired: number }> {
    const t = this.table;
    for (const id of this.dead) {
      yield { raftIndex: t.raftIndex(id), part: t.part(id), slot: t.slot(id), reason: DEAD_REASONS[t.get('reason', id) - 1]!, at: t.get('at', id), failed: t.get('failed', id), acquired: t.get('acquired', id) };
    }
  }

  // ---- snapshots -----------------------------------------------------------

  /** `version`: 6 (current), 5 (without departed consumers' settles), 4 (also without the dead-letter exchange), 3 (also rows with a free list and a seq column) or 2 (also without Get byte budgets and recent settles). */
  write(w: Writer, version = 6): void {
    // Before version 4, ids were row numbers (reused): written as the rows writeOld lays out.
    const rows = version >= 4 ? undefined : new Map<number, number>([...this.table.ids()].map((id, k) => [id, k]));
    const wid = (id: number): Writer => (rows ? w.u32(rows.get(id)!) : w.u53(id));
    w.str(this.name).u53(this.createdAt);
    writeQueueConfig(w, this.config, version >= 5);
    const st = this.stats;
    for (const k of STAT_KEYS) w.u53(st[k]);
    w.u32(this.schedules.size);
    for (const sc of this.schedules.values()) {
      w.str(sc.name).u53(sc.everyMs).u53(sc.next).u53(sc.raftIndex).u32(sc.part).u32(sc.bytes).u8(sc.priority).u53(sc.ttlMs).str(sc.group).u53(sc.fired);
      if (version >= 4) w.str(sc.cron);
    }
    w.u32(this.origins.size);
    for (const [id, o] of this.origins) wid(id).u8(DEAD_REASONS.indexOf(o.reason)).str(o.queue).u53(o.at).u32(o.failed).u32(o.acquired);
    w.u53(this.nextTag).u53(this.table.size).u53(this.nextMark).u32(this.turn);
    w.str(this.active ?? '');
    if (rows) this.table.writeOld(w);
    else this.table.write(w);
    if (!rows) w.u53(this.maxIndex);
    // A ring: from version 4 as runs of consecutive ids, before as one id each.
    const ring = (q: IdQueue): void => {
      if (!rows) return q.writeRuns(w);
      w.u32(q.length);
      for (const id of q) wid(id);
    };
    for (const q of this.ready) ring(q);
    ring(this.dead);
    w.u32(this.order.length);
    for (const id of this.order) {
      const c = this.consumers.get(id)!;
      w.str(id).u32(c.node).u32(c.prefetch).u32(c.unsettled);
      w.u8(c.priority).u8(c.pull ? 1 : 0).u32(c.credit).u53(c.creditUntil).u53(c.request).u8(c.open ? 1 : 0).u53(c.leaseMs).u53(c.leaseUntil);
      if (version >= 3) {
        w.u53(c.maxBytes).u53(c.gotBytes);
        c.settled.write(w);
      }
    }
    if (version >= 6) {
      w.u32(this.departed.size);
      for (const [id, memory] of this.departed) {
        w.str(id);
        memory.write(w);
      }
    }
    const tags = [...this.unacked.keys()].sort((a, b) => a - b);
    w.u32(tags.length);
    for (const tag of tags) {
      const u = this.unacked.get(tag)!;
      w.u53(tag).str(u.consumer);
      wid(u.msg);
    }
    w.u32(this.nextGroup).u8(this.groupsNext ? 1 : 0).u32(this.groups.size);
    for (const [gid, g] of this.groups) {
      w.u32(gid).str(g.name).u8(g.busy ? 1 : 0).u8(g.queued ? 1 : 0).u32(g.members);
      ring(g.ready);
    }
    w.u32(this.turns.length);
    for (const gid of this.turns) w.u32(gid);
    this.producers.write(w);
    w.u32(this.idOrder.length - this.idHead);
    for (let k = this.idHead; k < this.idOrder.length; k++) w.str(this.idOrder[k]!).u53(this.ids.get(this.idOrder[k]!)!);
  }

  /** `version`: the queues section's snapshot version (1: consumers without pull state; 2: without Get byte budgets and recent settles; 3: the table with reused row ids; 4: without the dead-letter exchange; 5: without departed consumers' settles). */
  static read(r: Reader, version: number): Queue {
    // Before version 4 ids were row numbers: mapped to the ids readOld gives (publish sequences).
    let rows: Map<number, number> | undefined;
    const rid = (): number => (version >= 4 ? r.u53() : r.u32());
    const map = (id: number): number => (rows ? rows.get(id)! : id);
    const q = new Queue(r.str(), undefined as unknown as QueueConfig, r.u53());
    q.config = readQueueConfig(r, version >= 2, version >= 5);
    for (const k of version >= 2 ? STAT_KEYS : STAT_KEYS_V1) q.stats[k] = r.u53();
    if (version >= 2) {
      const ns = r.u32();
      for (let i = 0; i < ns; i++) {
        const sc: Schedule = { name: r.str(), everyMs: r.u53(), next: r.u53(), raftIndex: r.u53(), part: r.u32(), bytes: r.u32(), priority: r.u8(), ttlMs: r.u53(), group: r.str(), fired: r.u53(), cron: '' };
        if (version >= 4) (sc as { cron: string }).cron = r.str();
        q.schedules.set(sc.name, sc);
      }
      const no = r.u32();
      for (let i = 0; i < no; i++) {
        const id = rid();
        q.origins.set(id, { reason: DEAD_REASONS[r.u8()]!, queue: r.str(), at: r.u53(), failed: r.u32(), acquired: r.u32() });
      }
    }
    q.nextTag = r.u53();
    const nextSeq = r.u53();
    q.nextMark = r.u53();
    q.turn = r.u32();
    if (version >= 2) q.active = r.str() || undefined;
    if (version >= 4) {
      q.table.read(r);
      q.maxIndex = r.u53();
    } else {
      rows = q.table.readOld(r);
      q.table.continueFrom(nextSeq);
      const origins = [...q.origins];
      q.origins.clear();
      for (const [id, o] of origins) q.origins.set(map(id), o);
    }
    const ring = (into: IdQueue): void => {
      if (version >= 4) return into.readRuns(r);
      const n = r.u32();
      for (let i = 0; i < n; i++) into.push(map(rid()));
    };
    for (const x of q.ready) ring(x);
    ring(q.dead);
    const nc = r.u32();
    for (let i = 0; i < nc; i++) {
      const c = pushConsumer(r.str(), r.u32(), r.u32(), 0);
      c.unsettled = r.u32();
      if (version >= 2) {
        const priority = r.u8();
        const pull = r.u8() === 1;
        Object.assign(c, { priority, pull, credit: r.u32(), creditUntil: r.u53(), request: r.u53(), open: r.u8() === 1, leaseMs: r.u53(), leaseUntil: r.u53() });
      }
      if (version >= 3) {
        c.maxBytes = r.u53();
        c.gotBytes = r.u53();
        c.settled = RecentSettles.read(r);
      }
      q.add(c);
    }
    if (version >= 6) {
      const nd = r.u32();
      for (let i = 0; i < nd; i++) q.departed.set(r.str(), RecentSettles.read(r));
    }
    const nu = r.u32();
    for (let i = 0; i < nu; i++) q.unacked.set(r.u53(), { consumer: r.str(), msg: map(rid()) });
    q.nextGroup = r.u32();
    q.groupsNext = r.u8() === 1;
    const ng = r.u32();
    for (let i = 0; i < ng; i++) {
      const gid = r.u32();
      const g: Group = { name: r.str(), ready: new IdQueue(), busy: r.u8() === 1, queued: r.u8() === 1, members: r.u32() };
      ring(g.ready);
      q.groups.set(gid, g);
      q.groupIds.set(g.name, gid);
    }
    const nt = r.u32();
    for (let i = 0; i < nt; i++) q.turns.push(r.u32());
    for (const ring of q.ready) q.readyPlain += ring.length;
    for (const g of q.groups.values()) for (const id of g.ready) q.groupedReady[q.table.get('priority', id)]++;
    q.producers.read(r);
    const ni = r.u32();
    for (let i = 0; i < ni; i++) {
      const id = r.str();
      q.ids.set(id, r.u53());
      q.idOrder.push(id);
    }
    // The heaps hold nothing that is not in the table: rebuilt, not stored.
    const t = q.table;
    if (version >= 4) {
      t.forEachTimedOrLate((id, s, late) => {
        if (late) q.held.push(t.raftIndex(id), id, id);
        if (s === MsgState.Delayed) q.delayed.push(t.get('at', id), t.get('mark', id), id);
        else if (s === MsgState.Unacked && q.config.ackTimeoutMs > 0) q.ackDeadlines.push(t.get('at', id), t.get('mark', id), id);
      });
      return q;
    }
    for (const id of t.ids()) {
      const s = t.state(id);
      if (version < 4) {
        // The order rows were stored in is their id order now: which came from an older entry.
        if (t.raftIndex(id) < q.maxIndex) t.set('ooo', id, 1);
        else q.maxIndex = t.raftIndex(id);
      }
      if (t.get('ooo', id)) q.held.push(t.raftIndex(id), id, id);
      if (s === MsgState.Delayed) q.delayed.push(t.get('at', id), t.get('mark', id), id);
      else if (s === MsgState.Unacked && q.config.ackTimeoutMs > 0) q.ackDeadlines.push(t.get('at', id), t.get('mark', id), id);
    }
    return q;
  }
}

const STAT_KEYS_V1: readonly (keyof QueueStats)[] = ['ready', 'delayed', 'unacked', 'deadLettered', 'bytes', 'published', 'delivered', 'redelivered', 'acked', 'failed', 'expired', 'deadLetterDropped'];
const STAT_KEYS: readonly (keyof QueueStats)[] = [...STAT_KEYS_V1, 'deadLetterMoved', 'deadLetterReceived', 'scheduleSkipped'];

/** The retry backoff (see Queue.backoff) of the message at (raftIndex, part, slot) after `failed` failures; 0 without backoff. */
export function retryDelay(c: QueueConfig, raftIndex: number, part: number, slot: number, failed: number): number {
  if (c.retryBaseMs <= 0) return 0;
  const d = Math.min(c.retryMaxMs, c.retryBaseMs * c.retryFactor ** Math.max(0, failed - 1));
  const unit = mix(raftIndex, part * 65_536 + slot, failed) / 4_294_967_296;
  return Math.max(1, d - Math.floor((d * c.retryJitterPercent * unit) / 100));
}

/** A 32-bit hash of three integers (for the retry jitter): deterministic, spread evenly. */
function mix(a: number, b: number, c: number): number {
  let h = 0x9e3779b9 ^ c;
  for (const v of [a % 4_294_967_296, Math.floor(a / 4_294_967_296), b % 4_294_967_296, Math.floor(b / 4_294_967_296)]) {
    h = Math.imul(h ^ v, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}
