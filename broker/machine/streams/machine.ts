// The streams machine: a deterministic fold over stream commands in log
// order (see ../api.ts). Every member computes the same state and the same
// reply for each command; time is the entry's leader time. Message bodies are
// not copied here: each append's Raft index and position in its entry are
// recorded, and readers decode the messages from their own node's log (see
// readPlan), which is why those entries stay live (firstLiveIndex).

import type { ApplyMeta, Effect, ErrorCode, Failure, Machine, Outcome } from '../api.js';
import { QueryError, failure } from '../api.js';
import { DecodeError, Reader, Writer } from '../bytes.js';
import type { StreamConfig } from './config.js';
import { MAX_BATCH_BYTES, MAX_BATCH_MESSAGES, MAX_HEADERS, firstDifference, validateConfig, validateName } from './config.js';
import type { StreamCommand, StreamMessage } from './commands.js';
import { STREAMS_MACHINE_ID, decodeStreamCommand, encodeStreamCommand, messageBytes, readStreamConfig, writeStreamConfig } from './commands.js';
import { batchChecksum } from '../producers.js';
import { Stream } from './stream.js';
import type { MessageLanding, Staged } from '../landing.js';

export type StreamErrorCode = Extract<ErrorCode, 'not-found' | 'invalid-argument' | 'failed-precondition' | 'resource-exhausted' | 'out-of-range'>;

export type StreamResult =
  | { readonly ok: true; readonly kind: 'declared'; readonly created: boolean }
  | { readonly ok: true; readonly kind: 'deleted' }
  | {
      readonly ok: true;
      readonly kind: 'appended';
      readonly firstOffset: number;
      readonly count: number;
      readonly timestamp: number;
      /** A retry of a (producer, sequence) already stored: nothing was stored again. */
      readonly duplicate: boolean;
    }
  | { readonly ok: true; readonly kind: 'committed' }
  | Failure;

/** A successful stream reply. */
export type StreamOk = Exclude<StreamResult, Failure>;

/**
 * Every node: a batch was stored at (index, part). The messages were decoded
 * to apply it; a reader cache may keep them (views into the entry's buffer:
 * do not modify) so recent reads neither touch the log nor decode again.
 */
export interface StreamAppended {
  readonly kind: 'appended';
  readonly index: number;
  readonly part: number;
  readonly messages: readonly StreamMessage[];
}
export type StreamEffect = StreamAppended;

const fail = (code: StreamErrorCode, message: string): StreamResult => failure(code, message);
const KIND = { declared: 1, deleted: 2, appended: 3, committed: 4 } as const;

export interface StreamInfo {
  readonly name: string;
  readonly config: StreamConfig;
  readonly firstOffset: number;
  /** The last offset stored, or firstOffset - 1 when empty. */
  readonly lastOffset: number;
  readonly messages: number;
  readonly bytes: number;
  readonly consumers: number;
  readonly producers: number;
  readonly createdAt: number;
}

/**
 * One appended batch a reader needs from the log: decode the command at
 * (raftIndex, part), take its messages [slot + skip, slot + skip + take)
 * (offsets firstOffset + skip on).
 */
export interface ReadSpan {
  readonly raftIndex: number;
  /** The append's position among its entry's commands. */
  readonly part: number;
  readonly firstOffset: number;
  /** The batch's first message among its command's (0 but for an exchange write). */
  readonly slot: number;
  readonly skip: number;
  readonly take: number;
  readonly time: number;
}

/** Validation that needs no state: done by the front door before proposing, and again here. */
export function validateMessages(messages: readonly StreamMessage[], maxMessageBytes: number): string | undefined {
  if (messages.length === 0) return 'an append needs at least one message';
  if (messages.length > MAX_BATCH_MESSAGES) return `a batch holds at most ${MAX_BATCH_MESSAGES} messages, got ${messages.length}`;
  let total = 0;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    if (m.headers.length > MAX_HEADERS) return `message ${i} has ${m.headers.length} headers; the limit is ${MAX_HEADERS}`;
    const b = messageBytes(m);
    if (b > maxMessageBytes) return `message ${i} is ${b} bytes; the stream's maxMessageBytes is ${maxMessageBytes}`;
    total += b;
  }
  if (total > MAX_BATCH_BYTES) return `the batch is ${total} bytes; the limit is ${MAX_BATCH_BYTES}`;
  return undefined;
}

export class StreamsMachine implements Machine<StreamCommand, StreamResult, StreamEffect>, MessageLanding<StreamEffect> {
  readonly id = STREAMS_MACHINE_ID;
  readonly name = 'streams';
  /** 3: batch records keep their first slot (exchange writes); 2: producer sequences keep their batch's checksum (1 did not). Older ones are still read. */
  readonly snapshotVersion = 3;
  private readonly streams = new Map<string, Stream>();
  /** The newest leader time seen: drives age retention on every stream. */
  private now = 0;

  encodeCommand(c: StreamCommand): Uint8Array {
    return encodeStreamCommand(c);
  }

  encodeCommandWithId(c: StreamCommand): Uint8Array {
    return encodeStreamCommand(c, this.id);
  }

  decodeCommand(payload: Uint8Array): StreamCommand {
    return decodeStreamCommand(payload);
  }

  apply(meta: ApplyMeta, cmd: StreamCommand): Outcome<StreamResult, StreamEffect> {
    if (meta.time > this.now) this.now = meta.time;
    switch (cmd.op) {
      case 'declare':
        return { reply: this.declare(cmd.name, cmd.config, meta.index) };
      case 'delete':
        if (!this.streams.delete(cmd.name)) return { reply: fail('not-found', `stream "${cmd.name}" does not exist`) };
        return { reply: { ok: true, kind: 'deleted' } };
      case 'append':
        return this.append(cmd, meta);
      case 'commit-offset': {
        const s = this.streams.get(cmd.stream);
        if (!s) return { reply: fail('not-found', `stream "${cmd.stream}" does not exist`) };
        const bad = validateName('consumer', cmd.consumer);
        if (bad) return { reply: fail('invalid-argument', bad) };
        if (cmd.offset > s.nextOffset) return { reply: fail('out-of-range', `offset ${cmd.offset} is beyond the end of stream "${cmd.stream}" (next offset ${s.nextOffset})`) };
        s.consumers.set(cmd.consumer, cmd.offset);
        return { reply: { ok: true, kind: 'committed' } };
      }
    }
  }

  nextDeadline(): number | undefined {
    let d: number | undefined;
    for (const s of this.streams.values()) {
      const sd = s.nextDeadline();
      if (sd !== undefined && (d === undefined || sd < d)) d = sd;
    }
    return d;
  }

  tick(now: number): undefined {
    if (now > this.now) this.now = now;
    for (const s of this.streams.values()) s.enforceRetention(this.now);
    return undefined;
  }

  encodeReply(r: StreamOk): Uint8Array {
    const w = new Writer().u8(KIND[r.kind]);
    if (r.kind === 'declared') w.u8(r.created ? 1 : 0);
    else if (r.kind === 'appended') w.u53(r.firstOffset).u53(r.count).u53(r.timestamp).u8(r.duplicate ? 1 : 0);
    return w.finish();
  }

  decodeReply(b: Uint8Array): StreamOk {
    const r = new Reader(b);
    const kind = r.u8();
    let out: StreamOk;
    if (kind === KIND.declared) out = { ok: true, kind: 'declared', created: r.u8() === 1 };
    else if (kind === KIND.deleted) out = { ok: true, kind: 'deleted' };
    else if (kind === KIND.appended) out = { ok: true, kind: 'appended', firstOffset: r.u53(), count: r.u53(), timestamp: r.u53(), duplicate: r.u8() === 1 };
    else if (kind === KIND.committed) out = { ok: true, kind: 'committed' };
    else throw new DecodeError(`unknown stream reply kind ${kind}`);
    r.end();
    return out;
  }

  private declare(name: string, config: StreamConfig, raftIndex: number): StreamResult {
    const bad = validateName('stream', name) ?? validateConfig(config);
    if (bad) return fail('invalid-argument', bad);
    const existing = this.streams.get(name);
    if (existing) {
      const diff = firstDifference(existing.config, config);
      if (diff) return fail('failed-precondition', `stream "${name}" exists with different settings: ${diff}`);
      return { ok: true, kind: 'declared', created: false };
    }
    this.streams.set(name, new Stream(name, config, raftIndex));
    return { ok: true, kind: 'declared', created: true };
  }

  private append(cmd: Extract<StreamCommand, { op: 'append' }>, meta: ApplyMeta): Outcome<StreamResult, StreamEffect> {
    const s = this.streams.get(cmd.stream);
    if (!s) return { reply: fail('not-found', `stream "${cmd.stream}" does not exist`) };
    const bad = validateMessages(cmd.messages, s.config.maxMessageBytes);
    if (bad) return { reply: fail('invalid-argument', bad) };
    const sum = cmd.producer ? batchChecksum(cmd.messages) : 0;
    if (cmd.producer) {
      const check = s.producers.check(cmd.producer, cmd.seq, sum);
      if (check.kind === 'error') return { reply: fail('failed-precondition', check.message) };
      if (check.kind === 'duplicate') {
        const r = check.record;
        return { reply: { ok: true, kind: 'appended', firstOffset: r.firstOffset, count: r.count, timestamp: s.lastTime, duplicate: true } };
      }
    }
    let bytes = 0;
    for (const m of cmd.messages) bytes += messageBytes(m);
    const refusal = s.rejectReason(cmd.messages.length, bytes);
    if (refusal) return { reply: fail('resource-exhausted', refusal) };
    const time = s.stamp(meta.time);
    const rec = s.append(meta.index, meta.part, cmd.messages.length, bytes, time);
    if (cmd.producer) s.producers.record(cmd.producer, { seq: cmd.seq, firstOffset: rec.firstOffset, count: rec.count, sum }, time);
    s.enforceRetention(this.now);
    const effect: Effect<StreamEffect> = { on: 'every-node', effect: { kind: 'appended', index: meta.index, part: meta.part, messages: cmd.messages } };
    return { reply: { ok: true, kind: 'appended', firstOffset: rec.firstOffset, count: rec.count, timestamp: time, duplicate: false }, effects: [effect] };
  }

  // ---- landing messages of another machine's command (see ../landing.ts) ----

  checkLanding(name: string, messages: readonly StreamMessage[], staged: Staged): Failure | undefined {
    const s = this.streams.get(name);
    if (!s) return failure('not-found', `stream "${name}" does not exist`);
    const bad = validateMessages(messages, s.config.maxMessageBytes);
    if (bad) return failure('invalid-argument', `stream "${name}": ${bad}`);
    let bytes = 0;
    for (const m of messages) bytes += messageBytes(m);
    const refusal = s.rejectReason(staged.count + messages.length, staged.bytes + bytes);
    return refusal ? failure('resource-exhausted', refusal) : undefined;
  }

  /** One batch record per run of consecutive slots (a record's messages are consecutive in its command). */
  land(meta: ApplyMeta, name: string, all: readonly StreamMessage[], slots: readonly number[]): Effect<StreamEffect>[] {
    if (meta.time > this.now) this.now = meta.time;
    const s = this.streams.get(name)!;
    const time = s.stamp(meta.time);
    for (let i = 0; i < slots.length; ) {
      let j = i + 1;
      while (j < slots.length && slots[j] === slots[j - 1]! + 1) j++;
      let bytes = 0;
      for (let k = i; k < j; k++) bytes += messageBytes(all[slots[k]!]!);
      s.append(meta.index, meta.part, j - i, bytes, time, slots[i]!);
      i = j;
    }
    s.enforceRetention(this.now);
    return [{ on: 'every-node', effect: { kind: 'appended', index: meta.index, part: meta.part, messages: all } }];
  }

  // ---- queries (any node, from its applied state) ---------------------------

  has(name: string): boolean {
    return this.streams.has(name);
  }

  /** The Raft index at which stream `name` was declared, or undefined. */
  declaredAt(name: string): number | undefined {
    return this.streams.get(name)?.createdAt;
  }

  names(): string[] {
    return [...this.streams.keys()].sort();
  }

  info(name: string): StreamInfo | undefined {
    const s = this.streams.get(name);
    if (!s) return undefined;
    return {
      name,
      config: s.config,
      firstOffset: s.firstOffset,
      lastOffset: s.nextOffset - 1,
      messages: s.messageCount,
      bytes: s.bytes,
      consumers: s.consumers.size,
      producers: s.producers.byId.size,
      createdAt: s.createdAt,
    };
  }

  consumerOffset(stream: string, consumer: string): number | undefined {
    return this.streams.get(stream)?.consumers.get(consumer);
  }

  /** The first offset whose batch was stamped at or after `time`. */
  offsetAtTime(stream: string, time: number): number | undefined {
    const s = this.streams.get(stream);
    if (!s) return undefined;
    const k = s.entries.findTime(time);
    return k < s.entries.length ? s.entries.at(k).firstOffset : s.nextOffset;
  }

  /**
   * The stream's next offset as of Raft index `raftIndex`: offsets below it
   * were appended at or before that index (how far a node that applied or
   * stored up to `raftIndex` has the stream). Undefined for an unknown stream.
   */
  nextOffsetAt(stream: string, raftIndex: number): number | undefined {
    const s = this.streams.get(stream);
    if (!s) return undefined;
    const k = s.entries.findAfterRaftIndex(raftIndex);
    return k < s.entries.length ? s.entries.at(k).firstOffset : s.nextOffset;
  }

  /**
   * Where to find messages from `from` on: at most `maxMessages`, spans in
   * offset order. Throws a QueryError for an unknown stream or an offset
   * below the first retained one.
   */
  readPlan(stream: string, from: number, maxMessages: number): ReadSpan[] {
    const s = this.streams.get(stream);
    if (!s) throw new QueryError('not-found', `stream "${stream}" does not exist`);
    if (from < s.firstOffset) {
      throw new QueryError('out-of-range', `offset ${from} of stream "${stream}" is no longer retained; the first available offset is ${s.firstOffset}`);
    }
    const spans: ReadSpan[] = [];
    if (from >= s.nextOffset) return spans;
    let k = s.entries.find(from);
    let want = maxMessages;
    let offset = from;
    while (k >= 0 && k < s.entries.length && want > 0) {
      const r = s.entries.at(k);
      const skip = offset - r.firstOffset;
      const take = Math.min(r.count - skip, want);
      spans.push({ raftIndex: r.raftIndex, part: r.part, slot: r.slot, firstOffset: r.firstOffset, skip, take, time: r.time });
      want -= take;
      offset += take;
      k++;
    }
    return spans;
  }

  /** The Raft index of every retained batch of every stream: the entries compaction keeps. */
  *liveIndexes(): Iterable<number> {
    for (const s of this.streams.values()) yield* s.liveIndexes();
  }

  /**
   * The lowest Raft index any stream still needs. Log entries below it hold no
   * retained message and may be deleted; undefined when no stream holds data.
   */
  firstLiveIndex(): number | undefined {
    let min: number | undefined;
    for (const s of this.streams.values()) {
      const i = s.firstLiveIndex();
      if (i !== undefined && (min === undefined || i < min)) min = i;
    }
    return min;
  }


  // ---- snapshots -------------------------------------------------------------

  writeSnapshot(w: Writer): void {
    w.u53(this.now);
    const names = this.names();
    w.u32(names.length);
    for (const name of names) {
      const s = this.streams.get(name)!;
      const c = s.config;
      w.str(name).u53(s.createdAt);
      writeStreamConfig(w, c);
      w.u53(s.nextOffset).u53(s.firstOffset).u53(s.bytes).u53(s.lastTime);
      w.u32(s.entries.length);
      for (const r of s.entries.records()) w.u53(r.firstOffset).u53(r.raftIndex).u32(r.part).u32(r.slot).u53(r.count).u53(r.time).u53(r.bytes);
      s.producers.write(w);
      const consumers = [...s.consumers.keys()].sort();
      w.u32(consumers.length);
      for (const k of consumers) w.str(k).u53(s.consumers.get(k)!);
    }
  }

  readSnapshot(r: Reader, version: number = this.snapshotVersion): void {
    this.streams.clear();
    this.now = r.u53();
    const n = r.u32();
    for (let i = 0; i < n; i++) {
      const name = r.str();
      const createdAt = r.u53();
      const s = new Stream(name, readStreamConfig(r), createdAt);
      s.nextOffset = r.u53();
      s.firstOffset = r.u53();
      s.bytes = r.u53();
      s.lastTime = r.u53();
      const ne = r.u32();
      for (let j = 0; j < ne; j++) s.entries.push({ firstOffset: r.u53(), raftIndex: r.u53(), part: r.u32(), slot: version >= 3 ? r.u32() : 0, count: r.u53(), time: r.u53(), bytes: r.u53() });
      s.producers.read(r, version >= 2);
      const nc = r.u32();
      for (let j = 0; j < nc; j++) s.consumers.set(r.str(), r.u53());
      this.streams.set(name, s);
    }
  }
}
