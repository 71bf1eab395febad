// The exchanges machine (see ../api.ts): RabbitMQ's exchanges and bindings,
// and the atomic write that routed publishes and transactions use.
//
// A write (commands.ts) is a list of operations — publishes routed through
// an exchange, publishes straight to a queue or stream, settles of delivered
// messages — applied all or none. Routing is decided here, at apply time,
// from the replicated bindings, so every member routes the same. The write
// is applied in two steps (../landing.ts): first every target the command
// touches is checked against the state as it is (pure: nothing changes), and
// only when every check passes is anything stored — so a write that fails
// anywhere changes nothing anywhere, and its counters do not move either.

import type { ApplyMeta, Effect, Failure, ForwardedEffects, Machine, MachinePeers, Outcome } from '../api.js';
import { failure } from '../api.js';
import { DecodeError, Reader, Writer } from '../bytes.js';
import { validateName } from '../names.js';
import { Producers, batchChecksum } from '../producers.js';
import type { QueueMessage } from '../queues/commands.js';
import { QUEUES_MACHINE_ID } from '../queues/commands.js';
import { MAX_SETTLE } from '../queues/config.js';
import { QueuesMachine } from '../queues/machine.js';
import { STREAMS_MACHINE_ID } from '../streams/commands.js';
import { StreamsMachine } from '../streams/machine.js';
import type { Binding, ExchangeCommand, ExchangeType, WriteOp } from './commands.js';
import { EXCHANGES_MACHINE_ID, EXCHANGE_TYPES, TARGET_KINDS, decodeExchangeCommand, encodeExchangeCommand, opMessages, readBinding, writeBinding } from './commands.js';
import type { BoundRecord, ExchangeStats } from './exchange.js';
import { Exchange } from './exchange.js';
import { X_MATCH, xMatchOf } from './headers-match.js';

/** RabbitMQ's limit on a routing key (bytes; we count characters). */
export const MAX_ROUTING_KEY = 255;
export const MAX_BINDING_ARGS = 32;
export const MAX_WRITE_OPS = 1000;
/** How long a write's producer sequences are remembered (as queues' default dedup window). */
export const WRITE_DEDUP_WINDOW_MS = 120_000;
/** The default exchange: routes to the queue named by the routing key; not declared, deleted or bound. */
export const DEFAULT_EXCHANGE = '';

/** What one operation of a write did: where its messages went, or how many deliveries it settled. */
export interface OpResult {
  readonly queues: readonly string[];
  readonly streams: readonly string[];
  /** Messages the operation carried that went nowhere (a route without mandatory). */
  readonly unroutable: number;
  readonly settled: number;
}

export type ExchangeReply =
  | { readonly ok: true; readonly kind: 'declared'; readonly created: boolean }
  | { readonly ok: true; readonly kind: 'deleted'; readonly bindings: number }
  | { readonly ok: true; readonly kind: 'bound'; readonly created: boolean }
  | { readonly ok: true; readonly kind: 'unbound' }
  /** `duplicate`: a producer's retry of a write already applied (nothing applied again; `ops` is empty). */
  | { readonly ok: true; readonly kind: 'written'; readonly duplicate: boolean; readonly ops: readonly OpResult[] }
  | Failure;
export type ExchangeOk = Exclude<ExchangeReply, Failure>;
const KINDS = ['declared', 'deleted', 'bound', 'unbound', 'written'] as const;

export interface BindingInfo extends Binding {
  readonly matched: number;
}

export interface ExchangeInfo {
  readonly name: string;
  readonly type: ExchangeType;
  readonly alternate: string;
  readonly createdAt: number;
  readonly stats: Readonly<ExchangeStats>;
  readonly bindings: readonly BindingInfo[];
}

/** Why a binding is not acceptable whatever the state, or undefined (the front door checks this too). */
export function validateBinding(b: Binding): string | undefined {
  if (b.source === DEFAULT_EXCHANGE) return 'the default exchange takes no bindings (it routes to the queue named by the key)';
  const bad = validateName('exchange', b.source) ?? validateName(b.kind, b.target) ?? validateKey(b.key);
  if (bad) return bad;
  if (b.args.length > MAX_BINDING_ARGS) return `a binding takes at most ${MAX_BINDING_ARGS} arguments, got ${b.args.length}`;
  const xm = xMatchOf(b.args);
  if (!(X_MATCH as readonly string[]).includes(xm)) return `argument x-match must be one of ${X_MATCH.join(', ')}, got "${xm}"`;
  return undefined;
}

function validateKey(key: string): string | undefined {
  return key.length > MAX_ROUTING_KEY ? `routing key is ${key.length} characters; the limit is ${MAX_ROUTING_KEY}` : undefined;
}

/** Why a write is not acceptable whatever the state, or undefined (the front door checks this too). */
export function validateWrite(ops: readonly WriteOp[], producer: string): string | undefined {
  if (ops.length === 0) return 'a write needs at least one operation';
  if (ops.length > MAX_WRITE_OPS) return `a write holds at most ${MAX_WRITE_OPS} operations, got ${ops.length}`;
  if (producer) {
    const bad = validateName('producer', producer);
    if (bad) return bad;
  }
  const settled = new Set<string>();
  for (let i = 0; i < ops.length; i++) {
    const o = ops[i]!;
    const bad =
      o.op === 'route'
        ? (o.exchange === DEFAULT_EXCHANGE ? undefined : validateName('exchange', o.exchange)) ?? validateKey(o.key) ?? (o.messages.length ? undefined : 'a publish needs at least one message')
        : o.op === 'queue'
          ? validateName('queue', o.queue) ?? (o.messages.length ? undefined : 'a publish needs at least one message')
          : o.op === 'stream'
            ? validateName('stream', o.stream) ?? (o.messages.length ? undefined : 'an append needs at least one message')
            : validateName('queue', o.queue) ?? validateName('consumer', o.consumer) ?? (o.tags.length >= 1 && o.tags.length <= MAX_SETTLE ? undefined : `a settle names between 1 and ${MAX_SETTLE} delivery tags, got ${o.tags.length}`);
    if (bad) return `operation ${i}: ${bad}`;
    if (o.op === 'settle') {
      for (const t of o.tags) {
        const k = `${o.queue}\u0000${t}`;
        if (settled.has(k)) return `operation ${i}: delivery ${t} of queue "${o.queue}" is settled twice in one write`;
        settled.add(k);
      }
    }
  }
  return undefined;
}

/** What a write will do, gathered before anything changes. */
class Plan {
  readonly queues = new Map<string, number[]>();
  readonly streams = new Map<string, number[]>();
  readonly settles: Array<Extract<WriteOp, { op: 'settle' }>> = [];
  readonly matched: BoundRecord[] = [];
  readonly stats = new Map<Exchange, ExchangeStats>();
  readonly results: OpResult[] = [];

  add(into: Map<string, number[]>, name: string, slot: number): void {
    const s = into.get(name);
    if (s) s.push(slot);
    else into.set(name, [slot]);
  }

  statsOf(e: Exchange): ExchangeStats {
    let s = this.stats.get(e);
    if (!s) this.stats.set(e, (s = { published: 0, routed: 0, unroutable: 0 }));
    return s;
  }
}

type Out = Outcome<ExchangeReply, never>;

export class ExchangesMachine implements Machine<ExchangeCommand, ExchangeReply, never> {
  readonly id = EXCHANGES_MACHINE_ID;
  readonly name = 'exchanges';
  readonly snapshotVersion = 1;
  private readonly exchanges = new Map<string, Exchange>();
  private readonly producers = new Producers();
  private now = 0;
  private queues: QueuesMachine | undefined;
  private streams: StreamsMachine | undefined;

  constructor() {
    this.exchanges.set(DEFAULT_EXCHANGE, new Exchange(DEFAULT_EXCHANGE, 'direct', '', 0));
  }

  link(peers: MachinePeers): void {
    const q = peers.machine(QUEUES_MACHINE_ID);
    const s = peers.machine(STREAMS_MACHINE_ID);
    if (q instanceof QueuesMachine) {
      this.queues = q;
      // Dead letters of a queue with a dead-letter exchange are routed here, at apply time.
      q.deadLetterRoutes = (exchange, key) => this.routeOf(exchange, key)?.queues ?? [];
    }
    if (s instanceof StreamsMachine) this.streams = s;
  }

  encodeCommand(c: ExchangeCommand): Uint8Array {
    return encodeExchangeCommand(c);
  }

  decodeCommand(payload: Uint8Array): ExchangeCommand {
    return decodeExchangeCommand(payload);
  }

  apply(meta: ApplyMeta, c: ExchangeCommand): Out {
    if (meta.time > this.now) this.now = meta.time;
    switch (c.op) {
      case 'declare':
        return { reply: this.declare(c.name, c.type, c.alternate, meta.index) };
      case 'delete':
        return { reply: this.delete(c.name, c.force) };
      case 'bind':
        return { reply: this.bind(c.binding) };
      case 'unbind': {
        const bad = validateBinding(c.binding);
        if (bad) return { reply: failure('invalid-argument', bad) };
        const e = this.exchanges.get(c.binding.source);
        if (!e) return { reply: failure('not-found', `exchange "${c.binding.source}" does not exist`) };
        const rec = e.unbind(c.binding);
        // A binding whose target was deleted went with it.
        if (!rec || !this.live(rec)) return { reply: failure('not-found', `exchange "${c.binding.source}" has no such binding to ${c.binding.kind} "${c.binding.target}" with key "${c.binding.key}"`) };
        return { reply: { ok: true, kind: 'unbound' } };
      }
      case 'write':
        return this.write(meta, c.producer, c.seq, c.ops);
    }
  }

  private declare(name: string, type: ExchangeType, alternate: string, index: number): ExchangeReply {
    if (name === DEFAULT_EXCHANGE) return failure('invalid-argument', 'exchange name must not be empty (the default exchange exists always)');
    const bad = validateName('exchange', name) ?? (alternate ? validateName('alternate exchange', alternate) : undefined);
    if (bad) return failure('invalid-argument', bad);
    const e = this.exchanges.get(name);
    if (e) {
      if (e.type !== type) return failure('failed-precondition', `exchange "${name}" exists with different settings: type is ${e.type}, not ${type}`);
      if (e.alternate !== alternate) return failure('failed-precondition', `exchange "${name}" exists with different settings: alternate exchange is "${e.alternate}", not "${alternate}"`);
      return { ok: true, kind: 'declared', created: false };
    }
    this.exchanges.set(name, new Exchange(name, type, alternate, index));
    return { ok: true, kind: 'declared', created: true };
  }

  /** The Raft index at which a binding's target was declared, or undefined while it does not exist. */
  private createdAt(kind: Binding['kind'], name: string): number | undefined {
    if (kind === 'queue') return this.queues?.queue(name)?.createdAt;
    if (kind === 'stream') return this.streams?.declaredAt(name);
    return this.exchanges.get(name)?.createdAt;
  }

  /**
   * Whether a binding's target still exists as it was when bound. Bindings
   * die with their targets (as RabbitMQ's do) without the queues and streams
   * machines telling this one: a deleted target, or one declared again since,
   * no longer matches the declaration index the binding recorded.
   */
  private live(r: BoundRecord): boolean {
    return this.createdAt(r.binding.kind, r.binding.target) === r.targetCreatedAt;
  }

  /** Bindings to exchange `name` from other exchanges. */
  private incoming(name: string): Array<[Exchange, BoundRecord]> {
    const out: Array<[Exchange, BoundRecord]> = [];
    for (const e of this.exchanges.values()) for (const r of e.bindings.values()) if (r.binding.kind === 'exchange' && r.binding.target === name) out.push([e, r]);
    return out;
  }

  private delete(name: string, force: boolean): ExchangeReply {
    if (name === DEFAULT_EXCHANGE) return failure('invalid-argument', 'the default exchange cannot be deleted');
    const e = this.exchanges.get(name);
    if (!e) return failure('not-found', `exchange "${name}" does not exist`);
    const incoming = this.incoming(name);
    const from = [...e.bindings.values()].filter((r) => this.live(r)).length;
    const to = incoming.filter(([, r]) => this.live(r)).length;
    const n = from + to;
    if (n > 0 && !force) return failure('failed-precondition', `exchange "${name}" has ${from} bindings from it and ${to} to it; unbind them or delete with force`);
    for (const [src, r] of incoming) src.unbind(r.binding);
    this.exchanges.delete(name);
    return { ok: true, kind: 'deleted', bindings: n };
  }

  private bind(b: Binding): ExchangeReply {
    const bad = validateBinding(b);
    if (bad) return failure('invalid-argument', bad);
    const e = this.exchanges.get(b.source);
    if (!e) return failure('not-found', `exchange "${b.source}" does not exist`);
    const createdAt = this.createdAt(b.kind, b.target);
    if (createdAt === undefined) return failure('not-found', `${b.kind} "${b.target}" does not exist`);
    const old = e.get(b);
    if (old && this.live(old)) return { ok: true, kind: 'bound', created: false };
    // The same binding to a target deleted since: replaced.
    if (old) e.unbind(b);
    e.bind(b, createdAt);
    return { ok: true, kind: 'bound', created: true };
  }

  // ---- routing -------------------------------------------------------------

  /**
   * Route one message from exchange `e`: the queues and streams it reaches
   * (each once, however many paths lead there), following exchange-to-
   * exchange bindings and alternate exchanges; every exchange visited once.
   */
  private route(e: Exchange, key: string, m: QueueMessage, queues: Set<string>, streams: Set<string>, matched: BoundRecord[], visited: Set<string>): void {
    visited.add(e.name);
    const before = queues.size + streams.size;
    if (e.name === DEFAULT_EXCHANGE) {
      if (this.queues?.queue(key)) queues.add(key);
    } else {
      for (const r of e.match(key, m.headers)) {
        if (!this.live(r)) continue;
        const b = r.binding;
        if (b.kind === 'queue') queues.add(b.target);
        else if (b.kind === 'stream') streams.add(b.target);
        else {
          const next = this.exchanges.get(b.target)!;
          if (visited.has(next.name)) continue;
          this.route(next, key, m, queues, streams, matched, visited);
        }
        matched.push(r);
      }
    }
    if (queues.size + streams.size === before && e.alternate) {
      const alt = this.exchanges.get(e.alternate);
      if (alt && !visited.has(alt.name)) this.route(alt, key, m, queues, streams, matched, visited);
    }
  }

  /** The queues and streams a message published to `exchange` with `key` would reach now (for tools and tests). */
  routeOf(exchange: string, key: string, headers: ReadonlyArray<readonly [string, string]> = []): { queues: string[]; streams: string[] } | undefined {
    const e = this.exchanges.get(exchange);
    if (!e) return undefined;
    const queues = new Set<string>();
    const streams = new Set<string>();
    this.route(e, key, { headers, body: new Uint8Array(0), priority: 0, ttlMs: 0, delayMs: 0, id: '', group: '' }, queues, streams, [], new Set());
    return { queues: [...queues].sort(), streams: [...streams].sort() };
  }

  // ---- the atomic write ----------------------------------------------------

  private write(meta: ApplyMeta, producer: string, seq: number, ops: readonly WriteOp[]): Out {
    const bad = validateWrite(ops, producer);
    if (bad) return { reply: failure('invalid-argument', bad) };
    const all = opMessages(ops);
    const sum = producer ? batchChecksum(all) : 0;
    if (producer) {
      const check = this.producers.check(producer, seq, sum);
      if (check.kind === 'error') return { reply: failure('failed-precondition', check.message) };
      if (check.kind === 'duplicate') return { reply: { ok: true, kind: 'written', duplicate: true, ops: [] } };
    }
    const queues = this.queues;
    const streams = this.streams;
    if (!queues || !streams) return { reply: failure('unsupported', 'this node has no queues or streams machine to write to') };

    // 1. Plan: where every message goes; nothing changes yet.
    const plan = new Plan();
    let slot = 0;
    for (let i = 0; i < ops.length; i++) {
      const o = ops[i]!;
      if (o.op === 'settle') {
        plan.settles.push(o);
        plan.results.push({ queues: [], streams: [], unroutable: 0, settled: o.tags.length });
        continue;
      }
      if (o.op === 'queue' || o.op === 'stream') {
        for (const _ of o.messages) plan.add(o.op === 'queue' ? plan.queues : plan.streams, o.op === 'queue' ? o.queue : o.stream, slot++);
        plan.results.push(o.op === 'queue' ? { queues: [o.queue], streams: [], unroutable: 0, settled: 0 } : { queues: [], streams: [o.stream], unroutable: 0, settled: 0 });
        continue;
      }
      const e = this.exchanges.get(o.exchange);
      if (!e) return { reply: failure('not-found', `operation ${i}: exchange "${o.exchange}" does not exist`) };
      const st = plan.statsOf(e);
      const reachedQ = new Set<string>();
      const reachedS = new Set<string>();
      let unroutable = 0;
      for (const m of o.messages) {
        const qs = new Set<string>();
        const ss = new Set<string>();
        this.route(e, o.key, m, qs, ss, plan.matched, new Set());
        st.published++;
        if (qs.size + ss.size === 0) {
          if (o.mandatory) return { reply: failure('failed-precondition', `operation ${i}: exchange "${o.exchange || '(default)'}" routes key "${o.key}" to no queue or stream, and the publish is mandatory`) };
          st.unroutable++;
          unroutable++;
        } else st.routed++;
        for (const q of qs) {
          plan.add(plan.queues, q, slot);
          reachedQ.add(q);
        }
        for (const s of ss) {
          plan.add(plan.streams, s, slot);
          reachedS.add(s);
        }
        slot++;
      }
      plan.results.push({ queues: [...reachedQ].sort(), streams: [...reachedS].sort(), unroutable, settled: 0 });
    }

    // 2. Check every target against the state as it is.
    for (const [name, slots] of plan.queues) {
      const f = queues.checkLanding(name, slots.map((s) => all[s]!), { count: 0, bytes: 0 });
      if (f) return { reply: f };
    }
    for (const [name, slots] of plan.streams) {
      const f = streams.checkLanding(name, slots.map((s) => all[s]!), { count: 0, bytes: 0 });
      if (f) return { reply: f };
    }
    for (const s of plan.settles) {
      const f = queues.checkSettle(s.queue, s.consumer, s.tags);
      if (f) return { reply: f };
    }

    // 3. Every part would succeed: apply them all.
    const qEffects: Effect<unknown>[] = [];
    const sEffects: Effect<unknown>[] = [];
    for (const s of plan.settles) qEffects.push(...queues.settleChecked(meta, s.queue, s.consumer, s.outcome, s.tags));
    for (const [name, slots] of plan.queues) qEffects.push(...queues.land(meta, name, all, slots));
    for (const [name, slots] of plan.streams) sEffects.push(...streams.land(meta, name, all, slots));
    for (const r of plan.matched) r.matched++;
    for (const [e, d] of plan.stats) {
      e.stats.published += d.published;
      e.stats.routed += d.routed;
      e.stats.unroutable += d.unroutable;
    }
    if (producer) this.producers.record(producer, { seq, firstOffset: 0, count: all.length, sum }, this.now);
    const forwarded: ForwardedEffects[] = [];
    if (qEffects.length) forwarded.push({ machine: QUEUES_MACHINE_ID, effects: qEffects });
    if (sEffects.length) forwarded.push({ machine: STREAMS_MACHINE_ID, effects: sEffects });
    return { reply: { ok: true, kind: 'written', duplicate: false, ops: plan.results }, forwarded };
  }

  // ---- time: forgetting producers ------------------------------------------

  nextDeadline(): number | undefined {
    const p = this.producers.oldestUse();
    return p === undefined ? undefined : p + WRITE_DEDUP_WINDOW_MS + 1;
  }

  tick(now: number): undefined {
    if (now > this.now) this.now = now;
    this.producers.expire(this.now, WRITE_DEDUP_WINDOW_MS);
    return undefined;
  }

  // ---- queries ---------------------------------------------------------------

  names(): string[] {
    return [...this.exchanges.keys()].sort();
  }

  info(name: string): ExchangeInfo | undefined {
    const e = this.exchanges.get(name);
    if (!e) return undefined;
    const bindings = [...e.bindings.values()].filter((r) => this.live(r)).map((r) => ({ ...r.binding, matched: r.matched }));
    return { name, type: e.type, alternate: e.alternate, createdAt: e.createdAt, stats: { ...e.stats }, bindings };
  }

  // ---- replies across nodes ------------------------------------------------

  encodeReply(r: ExchangeOk): Uint8Array {
    const w = new Writer().u8(KINDS.indexOf(r.kind));
    switch (r.kind) {
      case 'declared':
      case 'bound':
        return w.u8(r.created ? 1 : 0).finish();
      case 'deleted':
        return w.u53(r.bindings).finish();
      case 'unbound':
        return w.finish();
      case 'written':
        w.u8(r.duplicate ? 1 : 0).u32(r.ops.length);
        for (const o of r.ops) {
          w.u32(o.queues.length);
          for (const q of o.queues) w.str(q);
          w.u32(o.streams.length);
          for (const s of o.streams) w.str(s);
          w.u53(o.unroutable).u53(o.settled);
        }
        return w.finish();
    }
  }

  decodeReply(b: Uint8Array): ExchangeOk {
    const r = new Reader(b);
    const kind = KINDS[r.u8()];
    let out: ExchangeOk;
    switch (kind) {
      case 'declared':
      case 'bound':
        out = { ok: true, kind, created: r.u8() === 1 };
        break;
      case 'deleted':
        out = { ok: true, kind, bindings: r.u53() };
        break;
      case 'unbound':
        out = { ok: true, kind };
        break;
      case 'written': {
        const duplicate = r.u8() === 1;
        const n = r.u32();
        const ops: OpResult[] = [];
        for (let i = 0; i < n; i++) {
          const queues: string[] = [];
          for (let k = r.u32(); k > 0; k--) queues.push(r.str());
          const streams: string[] = [];
          for (let k = r.u32(); k > 0; k--) streams.push(r.str());
          ops.push({ queues, streams, unroutable: r.u53(), settled: r.u53() });
        }
        out = { ok: true, kind, duplicate, ops };
        break;
      }
      default:
        throw new DecodeError('unknown exchange reply kind');
    }
    r.end();
    return out;
  }

  // ---- snapshots -------------------------------------------------------------

  writeSnapshot(w: Writer): void {
    w.u53(this.now);
    this.producers.write(w);
    const names = this.names();
    w.u32(names.length);
    for (const n of names) {
      const e = this.exchanges.get(n)!;
      w.str(n).u8(EXCHANGE_TYPES.indexOf(e.type)).str(e.alternate).u53(e.createdAt).u53(e.stats.published).u53(e.stats.routed).u53(e.stats.unroutable);
      // In binding order: the indexes are rebuilt from it.
      w.u32(e.bindings.size);
      for (const r of e.bindings.values()) writeBinding(w, r.binding).u53(r.matched).u53(r.targetCreatedAt);
    }
  }

  readSnapshot(r: Reader): void {
    this.exchanges.clear();
    this.now = r.u53();
    this.producers.read(r);
    const n = r.u32();
    for (let i = 0; i < n; i++) {
      const name = r.str();
      const type = EXCHANGE_TYPES[r.u8()];
      if (!type) throw new DecodeError('unknown exchange type in snapshot');
      const e = new Exchange(name, type, r.str(), r.u53());
      e.stats.published = r.u53();
      e.stats.routed = r.u53();
      e.stats.unroutable = r.u53();
      for (let k = r.u32(); k > 0; k--) {
        const b = readBinding(r);
        if (!TARGET_KINDS.includes(b.kind)) throw new DecodeError('bad binding kind');
        const matched = r.u53();
        e.bind(b, r.u53())!.matched = matched;
      }
      this.exchanges.set(name, e);
    }
  }
}
