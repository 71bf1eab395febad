// Reading streams on any node. The streams machine knows, per retained batch,
// the Raft index of the entry that holds it; the bodies are in this node's
// own log. A read resolves spans on the applied machine state (readPlan),
// takes the decoded entries from a byte-bounded LRU cache — filled as entries
// are applied, since applying decodes them anyway — and fetches what is
// missing from the log in one readEntries call per contiguous run, so old
// data costs one LevelDB scan per run, never a read per message.
//
// Waiting (long-poll reads, subscriptions) wakes on apply, not on a timer.

import * as grpc from '@grpc/grpc-js';
import { CompactedError } from '../../raft/core/errors.js';
import type { GroupLog } from '../../raft/host/wal.js';
import type { StreamMessage } from '../machine/streams/commands.js';
import { decodeAppendedMessages, messageBytes } from '../machine/streams/commands.js';
import type { ReadSpan, StreamsMachine } from '../machine/streams/machine.js';
import { StreamReadError } from '../machine/streams/machine.js';
import { StatusError } from './status.js';

export interface ReadMessage {
  readonly offset: number;
  readonly timestamp: number;
  readonly message: StreamMessage;
  /** Header keys and values plus body, as the stream counts them. */
  readonly bytes: number;
}

export interface ReadResult {
  readonly messages: ReadMessage[];
  /** Where the next read should start. */
  readonly next: number;
}

/** Bookkeeping per cached message besides its bytes (objects, arrays). */
const PER_MESSAGE_OVERHEAD = 64;

interface Decoded {
  readonly messages: readonly StreamMessage[];
  readonly bytes: number;
}

/** Decoded append entries by Raft index, least recently used evicted first, within a byte budget. */
export class DecodedCache {
  private readonly map = new Map<number, Decoded>();
  private bytes_ = 0;
  hits = 0;
  misses = 0;

  constructor(readonly maxBytes: number) {}

  get bytes(): number {
    return this.bytes_;
  }

  get size(): number {
    return this.map.size;
  }

  get(raftIndex: number): readonly StreamMessage[] | undefined {
    const d = this.map.get(raftIndex);
    if (!d) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    // Most recently used goes last (Map keeps insertion order).
    this.map.delete(raftIndex);
    this.map.set(raftIndex, d);
    return d.messages;
  }

  put(raftIndex: number, messages: readonly StreamMessage[]): void {
    let bytes = 0;
    for (const m of messages) bytes += messageBytes(m) + PER_MESSAGE_OVERHEAD;
    if (bytes > this.maxBytes) return;
    const old = this.map.get(raftIndex);
    if (old) {
      this.bytes_ -= old.bytes;
      this.map.delete(raftIndex);
    }
    this.map.set(raftIndex, { messages, bytes });
    this.bytes_ += bytes;
    while (this.bytes_ > this.maxBytes) {
      const [k, d] = this.map.entries().next().value as [number, Decoded];
      this.map.delete(k);
      this.bytes_ -= d.bytes;
    }
  }

  clear(): void {
    this.map.clear();
    this.bytes_ = 0;
  }
}

/** The log as the reader needs it. */
export type EntrySource = Pick<GroupLog, 'readEntries'>;

/** Two Raft indexes this close are fetched in one readEntries call (the entries between are skipped). */
const RUN_GAP = 16;

export class StreamReader {
  readonly cache: DecodedCache;
  private readonly wakers = new Set<() => void>();

  constructor(
    private readonly machine: StreamsMachine,
    private readonly log: EntrySource,
    cacheBytes = 64 << 20,
  ) {
    this.cache = new DecodedCache(cacheBytes);
  }

  /** The dispatcher decoded a new batch while applying it. */
  appended(raftIndex: number, messages: readonly StreamMessage[]): void {
    this.cache.put(raftIndex, messages);
  }

  /** Entries were applied (or a snapshot installed): wake everyone waiting for data. */
  applied(): void {
    if (this.wakers.size === 0) return;
    const ws = [...this.wakers];
    this.wakers.clear();
    for (const w of ws) w();
  }

  /** Call `fn` once on the next apply. Returns a cancel function. */
  onNextApply(fn: () => void): () => void {
    this.wakers.add(fn);
    return () => this.wakers.delete(fn);
  }

  /** Resolves on the next apply or after `ms`, whichever comes first. */
  nextApply(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        cancel();
        resolve();
      }, Math.max(0, ms));
      const cancel = this.onNextApply(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  /**
   * Up to `maxMessages` messages from `from`, stopping before `maxBytes`
   * (at least one message when any is available). Throws StreamReadError
   * (not-found, out-of-range) or a StatusError.
   */
  async read(stream: string, from: number, maxMessages: number, maxBytes: number): Promise<ReadResult> {
    const spans = this.machine.readPlan(stream, from, maxMessages);
    const out: ReadMessage[] = [];
    let next = from;
    let bytes = 0;
    const fetched = new Map<number, readonly StreamMessage[]>();
    for (let i = 0; i < spans.length; i++) {
      const span = spans[i]!;
      let msgs = fetched.get(span.raftIndex) ?? this.cache.get(span.raftIndex);
      if (!msgs) {
        await this.fetchRun(stream, from, spans, i, maxBytes - bytes, fetched);
        msgs = fetched.get(span.raftIndex);
        if (!msgs) throw new StatusError(grpc.status.INTERNAL, `entry ${span.raftIndex} of stream "${stream}" could not be read`);
      }
      for (let k = span.skip; k < span.skip + span.take; k++) {
        const m = msgs[k];
        if (!m) throw new StatusError(grpc.status.INTERNAL, `entry ${span.raftIndex} holds ${msgs.length} messages, expected at least ${k + 1}`);
        // Framing counts too: a response must fit a client's default 4 MiB receive limit.
        const b = messageBytes(m) + PER_MESSAGE_OVERHEAD;
        if (out.length > 0 && bytes + b > maxBytes) return { messages: out, next };
        bytes += b;
        out.push({ offset: span.firstOffset + k, timestamp: span.time, message: m, bytes: b });
        next = span.firstOffset + k + 1;
      }
    }
    return { messages: out, next };
  }

  /** Read the entries of spans[i] and the following spans that are close in the log, in one call. */
  private async fetchRun(stream: string, from: number, spans: readonly ReadSpan[], i: number, budget: number, into: Map<number, readonly StreamMessage[]>): Promise<void> {
    const lo = spans[i]!.raftIndex;
    const wanted = new Set<number>([lo]);
    let hi = lo;
    for (let j = i + 1; j < spans.length && spans[j]!.raftIndex - hi <= RUN_GAP; j++) {
      hi = spans[j]!.raftIndex;
      wanted.add(hi);
    }
    let at = lo;
    let got = 0;
    while (at <= hi) {
      let entries;
      try {
        entries = await this.log.readEntries(at, hi + 1, Math.max(budget, 1 << 20));
      } catch (e) {
        if (e instanceof CompactedError) {
          // Retention moved past us while we read: say so the way a fresh read would.
          this.machine.readPlan(stream, from, 1);
          throw new StatusError(grpc.status.UNAVAILABLE, `log entry ${at} of stream "${stream}" is not on this node (it may be catching up); retry or read from another node`);
        }
        throw e;
      }
      if (entries.length === 0) break;
      for (const e of entries) {
        if (!wanted.has(e.index)) continue;
        const msgs = decodeAppendedMessages(e.data);
        into.set(e.index, msgs);
        this.cache.put(e.index, msgs);
        got += e.data.byteLength;
      }
      at = entries[entries.length - 1]!.index + 1;
      // Enough for this read: the rest is fetched if a span still needs it.
      if (got >= budget) break;
    }
  }
}

export { StreamReadError };
