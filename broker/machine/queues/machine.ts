// The quorum queues machine (see ../api.ts): named queues with confirms,
// prefetch, ack / nack-requeue / reject, delivery limits, a dead-letter store,
// TTL, priorities and delays (queue.ts has the rules). Deliveries are effects
// for the node the consumer is attached to: every node sees them (so replay
// and followers compute the same state) and only that node sends them, with
// the bodies read from its own log.

import type { ApplyMeta, Effect, Failure, Machine, Outcome } from '../api.js';
import { failure } from '../api.js';
import { DecodeError, Reader, Writer } from '../bytes.js';
import { validateName } from '../names.js';
import { batchChecksum } from '../producers.js';
import type { QueueCommand, QueueMessage, SettleOutcome } from './commands.js';
import type { MessageLanding, Staged } from '../landing.js';
import { QUEUES_MACHINE_ID, decodeQueueCommand, encodeQueueCommand, messageBytes } from './commands.js';
import { MAX_SCHEDULE_EVERY_MS, MAX_TOP_GROUPS, MIN_SCHEDULE_EVERY_MS, MAX_CONSUMER_PRIORITY, MAX_GET, MAX_GET_WAIT_MS, MAX_PREFETCH, MAX_PRIORITY, MAX_PULL_LEASE_MS, MAX_PUBLISH_BYTES, MAX_PUBLISH_MESSAGES, MAX_SETTLE, firstDifference, validateQueueConfig } from './config.js';
import type { DeadLetterRouter, DeadLetterSink, Delivery, QueueStats } from './queue.js';
import { NEVER, Queue } from './queue.js';
import { nextCron, parseCron } from './cron.js';

export const MAX_HEADERS = 64;
export const MAX_MESSAGE_ID = 256;

export type QueueReply =
  | { readonly ok: true; readonly kind: 'declared'; readonly created: boolean }
  | { readonly ok: true; readonly kind: 'deleted' }
  | { readonly ok: true; readonly kind: 'purged'; readonly count: number }
  /**
   * `count`: messages stored; `deduplicated`: skipped because their id was
   * seen within the dedup window; `duplicate`: a producer's retry of a
   * sequence already stored (nothing stored again; the counts are the first try's).
   */
  | { readonly ok: true; readonly kind: 'published'; readonly count: number; readonly deduplicated: number; readonly duplicate: boolean }
  | { readonly ok: true; readonly kind: 'subscribed'; readonly created: boolean }
  | { readonly ok: true; readonly kind: 'prefetch-set' }
  | { readonly ok: true; readonly kind: 'schedule-added'; readonly created: boolean }
  | { readonly ok: true; readonly kind: 'schedule-removed' }
  /** A Get is open (`created`: its pull consumer is new; `repeat`: a retry of a Get applied before, which grants nothing more). */
  | { readonly ok: true; readonly kind: 'pulling'; readonly created: boolean; readonly repeat: boolean }
  /**
   * `unknown`: tags this consumer does not hold and did not settle the same
   * way lately (another's, never delivered, settled otherwise, or long ago):
   * a settle applied again answers as its first copy did (see RecentSettles).
   */
  | { readonly ok: true; readonly kind: 'settled'; readonly settled: number; readonly unknown: readonly number[] }
  | { readonly ok: true; readonly kind: 'cancelled'; readonly returned: number }
  | { readonly ok: true; readonly kind: 'nodes-down'; readonly consumers: number; readonly returned: number }
  | { readonly ok: true; readonly kind: 'replayed'; readonly count: number }
  | { readonly ok: true; readonly kind: 'dlq-purged'; readonly count: number }
  | Failure;

export type QueueOk = Exclude<QueueReply, Failure>;

/** For the consumer's node: deliver these (bodies from its own log). */
export interface QueueDeliver {
  readonly kind: 'deliver';
  readonly queue: string;
  readonly consumer: string;
  readonly node: number;
  readonly deliveries: readonly Delivery[];
}
/** For the consumer's node: the subscription ended (the queue was deleted, or the node was taken for gone). */
export interface QueueConsumerEnded {
  readonly kind: 'ended';
  readonly queue: string;
  readonly consumer: string;
  readonly node: number;
  readonly reason: string;
}
/** For the pull consumer's node: Get `request` is over (its grant used up or its wait lapsed); answer the call with what it delivered. */
export interface QueuePullDone {
  readonly kind: 'pull-done';
  readonly queue: string;
  readonly consumer: string;
  readonly node: number;
  readonly request: number;
}
export type QueueEffect = QueueDeliver | QueueConsumerEnded | QueuePullDone;

export interface QueueInfo {
  readonly name: string;
  readonly createdAt: number;
  readonly consumers: number;
  /** With a single active consumer: the one receiving ('' when none). */
  readonly activeConsumer: string;
  readonly stats: Readonly<QueueStats>;
}

export interface QueueBreakdown {
  /** Index p: ready messages of priority p. */
  readonly readyByPriority: readonly number[];
  /** Groups holding a message, those with one ready, and the top ones by ready count (see Queue.groupCounts). */
  readonly groups: ReturnType<Queue['groupCounts']>;
}

const KINDS = ['declared', 'deleted', 'purged', 'published', 'subscribed', 'prefetch-set', 'settled', 'cancelled', 'nodes-down', 'replayed', 'dlq-purged', 'pulling', 'schedule-added', 'schedule-removed'] as const;

type Out = Outcome<QueueReply, QueueEffect>;
const reply = (r: QueueReply): Out => ({ reply: r });

/** Why a publish is not acceptable whatever the queue's state, or undefined (the front door checks this too). */
export function validatePublish(messages: readonly QueueMessage[], maxMessageBytes: number): string | undefined {
  if (messages.length === 0) return 'a publish needs at least one message';
  if (messages.length > MAX_PUBLISH_MESSAGES) return `a publish holds at most ${MAX_PUBLISH_MESSAGES} messages, got ${messages.length}`;
  let total = 0;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    if (!Number.isInteger(m.priority) || m.priority < 0 || m.priority > MAX_PRIORITY) return `message ${i}: priority must be between 0 and ${MAX_PRIORITY}, got ${m.priority}`;
    if (m.headers.length > MAX_HEADERS) return `message ${i} has ${m.headers.length} headers; the limit is ${MAX_HEADERS}`;
    if (m.id.length > MAX_MESSAGE_ID) return `message ${i}: id is ${m.id.length} characters; the limit is ${MAX_MESSAGE_ID}`;
    if (m.group.length > MAX_MESSAGE_ID) return `message ${i}: group is ${m.group.length} characters; the limit is ${MAX_MESSAGE_ID}`;
    const b = messageBytes(m);
    if (b > maxMessageBytes) return `message ${i} is ${b} bytes; the queue's maxMessageBytes is ${maxMessageBytes}`;
    total += b;
  }
  if (total > MAX_PUBLISH_BYTES) return `the publish is ${total} bytes; the limit is ${MAX_PUBLISH_BYTES}`;
  return undefined;
}

export class QueuesMachine implements Machine<QueueCommand, QueueReply, QueueEffect>, MessageLanding<QueueEffect> {
  readonly id = QUEUES_MACHINE_ID;
  readonly name = 'queues';
  /** 2: pull consumers, consumer priorities, the single active consumer, settings after dedupWindowMs; 3: Get byte budgets, recent settles; 4: the chunked message table (ids in publish order); 5: the dead-letter exchange; 6: departed consumers' recent settles. */
  readonly snapshotVersion = 6;
  /**
   * The queues a dead letter routed through `exchange` by `key` reaches
   * (set by the exchanges machine when linked; without it, a queue's
   * dead-letter exchange routes nowhere and its dead letters stay in its store).
   */
  deadLetterRoutes: ((exchange: string, key: string) => readonly string[]) | undefined;
  /** Routes a dead letter into every queue its exchange reaches, all or none: each must take it. */
  private readonly router: DeadLetterRouter = (exchange, key, m, now) => {
    const targets = (this.deadLetterRoutes?.(exchange, key) ?? []).filter((n) => n !== m.origin.queue).map((n) => this.queues.get(n)!);
    if (targets.length === 0 || !targets.every((t) => t.canAcceptDeadLetter(m))) return false;
    for (const t of targets) {
      t.acceptDeadLetter(m, now);
      this.touched.add(t);
    }
    return true;
  };
  private readonly queues = new Map<string, Queue>();
  private now = 0;
  /** Queues that took in dead letters during this command: they get a delivery round too. */
  private readonly touched = new Set<Queue>();
  /** Moves a dead letter into its target queue, in the same apply. */
  private readonly sink: DeadLetterSink = (target, m, now) => {
    const t = this.queues.get(target);
    if (!t || t.name === m.origin.queue || !t.acceptDeadLetter(m, now)) return false;
    this.touched.add(t);
    return true;
  };

  encodeCommand(c: QueueCommand): Uint8Array {
    return encodeQueueCommand(c);
  }

  encodeCommandWithId(c: QueueCommand): Uint8Array {
    return encodeQueueCommand(c, this.id);
  }

  decodeCommand(payload: Uint8Array): QueueCommand {
    return decodeQueueCommand(payload);
  }

  apply(meta: ApplyMeta, c: QueueCommand): Out {
    if (meta.time > this.now) this.now = meta.time;
    const now = this.now;
    if (c.op === 'declare') return reply(this.declare(c.name, c, meta.index));
    if (c.op === 'node-down') return this.nodeDown(c.node, now);
    const name = c.op === 'delete' || c.op === 'purge' ? c.name : c.queue;
    const q = this.queues.get(name);
    if (!q) return reply(failure('not-found', `queue "${name}" does not exist`));
    switch (c.op) {
      case 'delete': {
        this.queues.delete(name);
        const effects: Effect<QueueEffect>[] = [...q.consumers.values()].map((k) => ({
          on: 'every-node',
          effect: { kind: 'ended', queue: name, consumer: k.id, node: k.node, reason: `queue "${name}" was deleted` },
        }));
        return { reply: { ok: true, kind: 'deleted' }, effects };
      }
      case 'purge':
        return reply({ ok: true, kind: 'purged', count: q.purge() });
      case 'publish': {
        const bad = validatePublish(c.messages, q.config.maxMessageBytes) ?? (c.producer ? validateName('producer', c.producer) : undefined);
        if (bad) return reply(failure('invalid-argument', bad));
        const sum = c.producer ? batchChecksum(c.messages) : 0;
        if (c.producer) {
          const check = q.producers.check(c.producer, c.seq, sum);
          if (check.kind === 'error') return reply(failure('failed-precondition', check.message));
          if (check.kind === 'duplicate') return reply({ ok: true, kind: 'published', count: check.record.count, deduplicated: 0, duplicate: true });
        }
        let bytes = 0;
        for (const m of c.messages) bytes += messageBytes(m);
        const refused = q.refusal(c.messages.length, bytes);
        if (refused && q.config.overflow === 'reject-publish-dlx') {
          // All or none: the whole publish is refused, and every message of it dead-lettered (see Queue.deadLetterRefused).
          const n = q.deadLetterRefused({ raftIndex: meta.index, part: meta.part, time: now }, c.messages);
          const effects = this.rounds(q, now);
          const r = failure('resource-exhausted', `${refused}: the publish was refused and its ${n} message${n === 1 ? ' was' : 's were'} dead-lettered`);
          return effects.length ? { reply: r, effects } : { reply: r };
        }
        if (refused) return reply(failure('resource-exhausted', refused));
        const first = q.publishSeq;
        const stored = q.publish({ raftIndex: meta.index, part: meta.part, time: now }, c.messages);
        if (c.producer) q.producers.record(c.producer, { seq: c.seq, firstOffset: first, count: stored, sum }, now);
        return this.deliverAfter(q, { ok: true, kind: 'published', count: stored, deduplicated: c.messages.length - stored, duplicate: false }, now);
      }
      case 'subscribe': {
        const bad = validateName('consumer', c.consumer) ?? checkPrefetch(c.prefetch) ?? (c.node > 0 ? undefined : `node must be a member id, got ${c.node}`);
        if (bad) return reply(failure('invalid-argument', bad));
        if (!Number.isInteger(c.priority) || c.priority < 0 || c.priority > MAX_CONSUMER_PRIORITY) return reply(failure('invalid-argument', `consumer priority must be between 0 and ${MAX_CONSUMER_PRIORITY}, got ${c.priority}`));
        const s = q.subscribe(c.consumer, c.node, c.prefetch, c.priority);
        if (s === 'conflict') return reply(failure('already-exists', `consumer "${c.consumer}" of queue "${name}" is attached to another node`));
        return this.deliverAfter(q, { ok: true, kind: 'subscribed', created: s === 'created' }, now);
      }
      case 'pull': {
        const bad =
          validateName('consumer', c.consumer) ??
          (c.node > 0 ? undefined : `node must be a member id, got ${c.node}`) ??
          (c.max >= 1 && c.max <= MAX_GET ? undefined : `max must be between 1 and ${MAX_GET}, got ${c.max}`) ??
          (c.waitMs <= MAX_GET_WAIT_MS ? undefined : `wait must be at most ${MAX_GET_WAIT_MS} ms, got ${c.waitMs}`) ??
          (c.leaseMs >= 1 && c.leaseMs <= MAX_PULL_LEASE_MS ? undefined : `lease must be between 1 and ${MAX_PULL_LEASE_MS} ms, got ${c.leaseMs}`) ??
          (c.request > 0 ? undefined : 'request must be a positive id') ??
          (c.priority <= MAX_CONSUMER_PRIORITY ? undefined : `consumer priority must be between 0 and ${MAX_CONSUMER_PRIORITY}, got ${c.priority}`);
        if (bad) return reply(failure('invalid-argument', bad));
        const s = q.pull(c.consumer, c.node, c.max, c.waitMs, c.leaseMs, c.request, c.priority, now, c.maxBytes);
        if (s === 'conflict') return reply(failure('already-exists', `consumer "${c.consumer}" of queue "${name}" is attached to another node, or is a Consume call's`));
        return this.deliverAfter(q, { ok: true, kind: 'pulling', created: s === 'created', repeat: s === 'repeat' }, now);
      }
      case 'prefetch': {
        const bad = checkPrefetch(c.prefetch);
        if (bad) return reply(failure('invalid-argument', bad));
        const k = q.consumers.get(c.consumer);
        if (!k) return reply(failure('not-found', `consumer "${c.consumer}" of queue "${name}" does not exist`));
        if (k.pull) return reply(failure('failed-precondition', `consumer "${c.consumer}" of queue "${name}" pulls (Get): it has no prefetch`));
        k.prefetch = c.prefetch;
        return this.deliverAfter(q, { ok: true, kind: 'prefetch-set' }, now);
      }
      case 'settle': {
        if (c.tags.length === 0 || c.tags.length > MAX_SETTLE) return reply(failure('invalid-argument', `a settle names between 1 and ${MAX_SETTLE} delivery tags, got ${c.tags.length}`));
        if (c.delayMs > 0 && c.outcome !== 'requeue') return reply(failure('invalid-argument', `delay applies only to requeue, not ${c.outcome}`));
        const unknown = q.settle(c.consumer, c.tags, c.outcome, c.delayMs, now);
        return this.deliverAfter(q, { ok: true, kind: 'settled', settled: c.tags.length - unknown.length, unknown }, now);
      }
      case 'cancel':
        return this.deliverAfter(q, { ok: true, kind: 'cancelled', returned: q.cancel(c.consumer, now) }, now);
      case 'dlq-replay':
        return this.deliverAfter(q, { ok: true, kind: 'replayed', count: q.replayDead(c.max) }, now);
      case 'dlq-purge':
        return reply({ ok: true, kind: 'dlq-purged', count: q.purgeDead() });
      case 'schedule-add': {
        const m = c.message;
        const cron = c.cron ? parseCron(c.cron) : undefined;
        const bad =
          validateName('schedule', c.name) ??
          (typeof cron === 'string' ? cron : undefined) ??
          (cron && c.everyMs !== 0 ? `a schedule has either every or cron, not both (every ${c.everyMs} ms, cron "${c.cron}")` : undefined) ??
          (cron || (Number.isSafeInteger(c.everyMs) && c.everyMs >= MIN_SCHEDULE_EVERY_MS && c.everyMs <= MAX_SCHEDULE_EVERY_MS) ? undefined : `every must be between ${MIN_SCHEDULE_EVERY_MS} and ${MAX_SCHEDULE_EVERY_MS} ms, got ${c.everyMs}`) ??
          (m.delayMs === 0 ? undefined : 'a scheduled message takes no delay (the schedule says when)') ??
          (m.id === '' ? undefined : 'a scheduled message takes no message id (each due time publishes it once)') ??
          validatePublish([m], q.config.maxMessageBytes);
        if (bad) return reply(failure('invalid-argument', bad));
        const next = typeof cron === 'object' ? (nextCron(cron, c.firstAt > 0 ? c.firstAt - 1 : now) ?? NEVER) : c.firstAt > 0 ? c.firstAt : now + c.everyMs;
        const s = q.addSchedule({ name: c.name, everyMs: c.everyMs, cron: c.cron ?? '', next, raftIndex: meta.index, part: meta.part, bytes: messageBytes(m), priority: m.priority, ttlMs: m.ttlMs, group: m.group, fired: 0 });
        if (s === 'conflict') return reply(failure('already-exists', `queue "${name}" has a schedule "${c.name}" with other settings; remove it first`));
        return reply({ ok: true, kind: 'schedule-added', created: s === 'created' });
      }
      case 'schedule-remove':
        if (!q.schedules.delete(c.name)) return reply(failure('not-found', `queue "${name}" has no schedule "${c.name}"`));
        return reply({ ok: true, kind: 'schedule-removed' });
    }
  }

  private declare(name: string, c: Extract<QueueCommand, { op: 'declare' }>, index: number): QueueReply {
    const bad = validateName('queue', name) ?? validateQueueConfig(c.config);
    if (bad) return failure('invalid-argument', bad);
    const existing = this.queues.get(name);
    if (existing) {
      const diff = firstDifference(existing.config, c.config);
      if (diff) return failure('failed-precondition', `queue "${name}" exists with different settings: ${diff}`);
      return { ok: true, kind: 'declared', created: false };
    }
    const q = new Queue(name, c.config, index);
    q.sink = this.sink;
    q.router = this.router;
    this.queues.set(name, q);
    return { ok: true, kind: 'declared', created: true };
  }

  private nodeDown(node: number, now: number): Out {
    let consumers = 0;
    let returned = 0;
    const effects: Effect<QueueEffect>[] = [];
    for (const q of this.queues.values()) {
      const gone = q.consumersOn(node);
      if (!gone.length) continue;
      for (const id of gone) {
        returned += q.cancel(id, now);
        // A node cut off while this was decided still serves these consumers' calls: it ends them when it applies this.
        effects.push({ on: 'every-node', effect: { kind: 'ended', queue: q.name, consumer: id, node, reason: `node ${node} was taken for gone; its deliveries were returned to the queue` } });
      }
      consumers += gone.length;
      effects.push(...this.rounds(q, now));
    }
    return { reply: { ok: true, kind: 'nodes-down', consumers, returned }, effects };
  }

  private deliverAfter(q: Queue, r: QueueReply, now: number): Out {
    const effects = this.rounds(q, now);
    return effects.length ? { reply: r, effects } : { reply: r };
  }

  /** A delivery round on `q`, then on every queue that took in its dead letters (and theirs, in turn). */
  private rounds(q: Queue, now: number): Effect<QueueEffect>[] {
    const effects = deliveries(q, now);
    while (this.touched.size) {
      const [t] = this.touched;
      this.touched.delete(t!);
      if (this.queues.get(t!.name) === t) effects.push(...deliveries(t!, now));
    }
    return effects;
  }

  nextDeadline(): number | undefined {
    let d: number | undefined;
    for (const q of this.queues.values()) {
      const qd = q.nextDeadline();
      if (qd !== undefined && (d === undefined || qd < d)) d = qd;
    }
    return d;
  }

  tick(now: number): ReadonlyArray<Effect<QueueEffect>> {
    if (now > this.now) this.now = now;
    const effects: Effect<QueueEffect>[] = [];
    for (const q of this.queues.values()) {
      q.tick(this.now);
      for (const id of q.lapsedLeases(this.now)) {
        const k = q.consumers.get(id)!;
        q.cancel(id, this.now);
        effects.push({ on: 'every-node', effect: { kind: 'ended', queue: q.name, consumer: id, node: k.node, reason: `pull consumer "${id}" made no Get or settle for ${k.leaseMs} ms; its deliveries were returned to the queue` } });
      }
      effects.push(...this.rounds(q, this.now));
    }
    return effects;
  }

  *liveIndexes(): Iterable<number> {
    for (const q of this.queues.values()) yield* q.liveIndexes();
  }

  firstLiveIndex(): number | undefined {
    let min: number | undefined;
    for (const q of this.queues.values()) {
      const i = q.firstLiveIndex();
      if (i !== undefined && (min === undefined || i < min)) min = i;
    }
    return min;
  }

  // ---- landing messages and settles of another machine's command (see ../landing.ts) ----

  /**
   * Pure, so a routed publish into a reject-publish-dlx queue over its limit
   * is refused as under reject-publish, without dead-lettering: the write is
   * all or none across its queues, and a refused one stores nothing anywhere.
   */
  checkLanding(name: string, messages: readonly QueueMessage[], staged: Staged): Failure | undefined {
    const q = this.queues.get(name);
    if (!q) return failure('not-found', `queue "${name}" does not exist`);
    const bad = validatePublish(messages, q.config.maxMessageBytes);
    if (bad) return failure('invalid-argument', `queue "${name}": ${bad}`);
    let bytes = 0;
    for (const m of messages) bytes += messageBytes(m);
    const refused = q.refusal(staged.count + messages.length, staged.bytes + bytes);
    return refused ? failure('resource-exhausted', refused) : undefined;
  }

  land(meta: ApplyMeta, name: string, all: readonly QueueMessage[], slots: readonly number[]): Effect<QueueEffect>[] {
    if (meta.time > this.now) this.now = meta.time;
    const q = this.queues.get(name)!;
    q.publish({ raftIndex: meta.index, part: meta.part, time: this.now }, slots.map((s) => all[s]!), slots);
    return this.rounds(q, this.now);
  }

  /** Why `consumer` of `queue` cannot settle `tags` (each must be a delivery it holds now), or undefined. Pure. */
  checkSettle(queue: string, consumer: string, tags: readonly number[]): Failure | undefined {
    const q = this.queues.get(queue);
    if (!q) return failure('not-found', `queue "${queue}" does not exist`);
    if (!q.consumers.has(consumer)) return failure('not-found', `consumer "${consumer}" of queue "${queue}" does not exist`);
    if (tags.length === 0 || tags.length > MAX_SETTLE) return failure('invalid-argument', `a settle names between 1 and ${MAX_SETTLE} delivery tags, got ${tags.length}`);
    for (const t of tags) {
      if (!q.holds(consumer, t)) return failure('failed-precondition', `delivery ${t} of queue "${queue}" is not held by consumer "${consumer}" (settled already, or returned after a timeout or disconnect)`);
    }
    return undefined;
  }

  settleChecked(meta: ApplyMeta, queue: string, consumer: string, outcome: SettleOutcome, tags: readonly number[]): Effect<QueueEffect>[] {
    if (meta.time > this.now) this.now = meta.time;
    const q = this.queues.get(queue)!;
    q.settle(consumer, tags, outcome, 0, this.now);
    return this.rounds(q, this.now);
  }

  // ---- queries (any node, from its applied state) ---------------------------

  names(): string[] {
    return [...this.queues.keys()].sort();
  }

  info(name: string): QueueInfo | undefined {
    const q = this.queues.get(name);
    return q && { name, createdAt: q.createdAt, consumers: q.consumers.size, activeConsumer: q.activeConsumer ?? '', stats: { ...q.stats } };
  }

  /** Ready counts per priority level (0-31) and the message groups (the MAX_TOP_GROUPS with the most ready), or undefined. */
  breakdown(name: string, top = MAX_TOP_GROUPS): QueueBreakdown | undefined {
    const q = this.queues.get(name);
    return q && { readyByPriority: q.readyByPriority(), groups: q.groupCounts(Math.min(top, MAX_TOP_GROUPS)) };
  }

  queue(name: string): Queue | undefined {
    return this.queues.get(name);
  }

  /** Message bytes held by every queue (ready, delayed, unacked): what a node's memory watermark counts. */
  heldBytes(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.bytes;
    return n;
  }

  /** The nodes that have consumers attached. */
  consumerNodes(): Set<number> {
    const out = new Set<number>();
    for (const q of this.queues.values()) for (const c of q.consumers.values()) out.add(c.node);
    return out;
  }

  // ---- replies across nodes ------------------------------------------------

  encodeReply(r: QueueOk): Uint8Array {
    const w = new Writer().u8(KINDS.indexOf(r.kind));
    switch (r.kind) {
      case 'declared':
      case 'subscribed':
      case 'schedule-added':
        return w.u8(r.created ? 1 : 0).finish();
      case 'published':
        return w.u53(r.count).u53(r.deduplicated).u8(r.duplicate ? 1 : 0).finish();
      case 'purged':
      case 'replayed':
      case 'dlq-purged':
        return w.u53(r.count).finish();
      case 'settled':
        w.u53(r.settled).u32(r.unknown.length);
        for (const t of r.unknown) w.u53(t);
        return w.finish();
      case 'cancelled':
        return w.u53(r.returned).finish();
      case 'nodes-down':
        return w.u53(r.consumers).u53(r.returned).finish();
      case 'pulling':
        return w.u8(r.created ? 1 : 0).u8(r.repeat ? 1 : 0).finish();
      default:
        return w.finish();
    }
  }

  decodeReply(b: Uint8Array): QueueOk {
    const r = new Reader(b);
    const kind = KINDS[r.u8()];
    let out: QueueOk;
    switch (kind) {
      case 'declared':
      case 'subscribed':
      case 'schedule-added':
        out = { ok: true, kind, created: r.u8() === 1 };
        break;
      case 'published':
        out = { ok: true, kind, count: r.u53(), deduplicated: r.u53(), duplicate: r.u8() === 1 };
        break;
      case 'purged':
      case 'replayed':
      case 'dlq-purged':
        out = { ok: true, kind, count: r.u53() };
        break;
      case 'settled': {
        const settled = r.u53();
        const n = r.u32();
        const unknown: number[] = [];
        for (let i = 0; i < n; i++) unknown.push(r.u53());
        out = { ok: true, kind, settled, unknown };
        break;
      }
      case 'cancelled':
        out = { ok: true, kind, returned: r.u53() };
        break;
      case 'nodes-down':
        out = { ok: true, kind, consumers: r.u53(), returned: r.u53() };
        break;
      case 'pulling':
        out = { ok: true, kind, created: r.u8() === 1, repeat: r.u8() === 1 };
        break;
      case 'deleted':
      case 'prefetch-set':
      case 'schedule-removed':
        out = { ok: true, kind };
        break;
      default:
        throw new DecodeError('unknown queue reply kind');
    }
    r.end();
    return out;
  }

  // ---- snapshots -------------------------------------------------------------

  /** `version` below the current one: the older format (tests prove that format is still read). */
  writeSnapshot(w: Writer, version = this.snapshotVersion): void {
    w.u53(this.now);
    const names = this.names();
    w.u32(names.length);
    for (const n of names) this.queues.get(n)!.write(w, version);
  }

  readSnapshot(r: Reader, version = this.snapshotVersion): void {
    this.queues.clear();
    this.now = r.u53();
    const n = r.u32();
    for (let i = 0; i < n; i++) {
      const q = Queue.read(r, version);
      q.sink = this.sink;
      q.router = this.router;
      this.queues.set(q.name, q);
    }
  }
}

function checkPrefetch(p: number): string | undefined {
  return Number.isInteger(p) && p >= 1 && p <= MAX_PREFETCH ? undefined : `prefetch must be between 1 and ${MAX_PREFETCH}, got ${p}`;
}

/** A delivery round: what each consumer got, then the Gets it closed. */
function deliveries(q: Queue, now: number): Effect<QueueEffect>[] {
  const out: Effect<QueueEffect>[] = [];
  for (const [c, list] of q.deliver(now)) out.push({ on: 'every-node', effect: { kind: 'deliver', queue: q.name, consumer: c.id, node: c.node, deliveries: list } });
  q.closePulls(now);
  for (const d of q.takePullsDone()) out.push({ on: 'every-node', effect: { kind: 'pull-done', queue: q.name, ...d } });
  return out;
}
