// Reading streams on any node. The streams machine knows, per retained batch,
// the Raft index of the entry that holds it and the batch's position among
// the entry's commands; the bodies are in this node's own log. A read resolves spans on the applied machine state (readPlan),
// takes the decoded entries from a byte-bounded LRU cache — filled as entries
// are applied, since applying decodes them anyway — and fetches what is
// missing from the log in one readEntries call per contiguous run, so old
// data costs one LevelDB scan per run, never a read per message.

import * as grpc from '@grpc/grpc-js';
import { CompactedError } from '../../../raft/core/errors.js';
import type { GroupLog } from '../../../raft/host/wal.js';
import type { StreamMessage } from '../../machine/streams/commands.js';
import { appendedMessagesIn, messageBytes } from '../../machine/streams/commands.js';
import type { ReadSpan, StreamsMachine } from '../../machine/streams/machine.js';
import { StatusError } from '../rpc/status.js';

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

/** Where a batch is: its entry's Raft index and its position among the entry's commands. */
export const batchKey = (raftIndex: number, part: number): string => `${raftIndex}:${part}`;

/** Decoded batches by batchKey, least recently used evicted first, within a byte budget. */
export class DecodedCache {
  private readonly map = new Map<string, Decoded>();
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

  get(key: string): readonly StreamMessage[] | undefined {
    const d = this.map.get(key);
    if (!d) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    // Most recently used goes last (Map keeps insertion order).
    this.map.delete(key);
    this.map.set(key, d);
    return d.messages;
  }

  put(key: string, messages: readonly StreamMessage[]): void {
    let bytes = 0;
    for (const m of messages) bytes += messageBytes(m) + PER_MESSAGE_OVERHEAD;
    if (bytes > this.maxBytes) return;
    const old = this.map.get(key);
    if (old) {
      this.bytes_ -= old.bytes;
      this.map.delete(key);
    }
    this.map.set(key, { messages, bytes });
    this.bytes_ += bytes;
    while (this.bytes_ > this.maxBytes) {
      const o = this.oldest();
      if (!o) break;
      const [k, d] = o;
      this.map.delete(k);
      this.bytes_ -= d.bytes;
    }
  }

  /**
   * The least recently used entry. One iterator is kept across evictions: a
   * fresh `map.entries()` starts at the front of V8's hash table and steps
   * over every entry deleted there since the table was last rebuilt, and an
   * LRU deletes at the front all the time — 22 µs per put at 60 000 cached
   * batches, paid on every node for every batch applied. A live iterator
   * skips deleted entries and reaches entries moved to the back by get().
   */
  private oldest(): [string, Decoded] | undefined {
    let r = this.evictor?.next();
    if (!r || r.done) {
      // None yet, or it reached the back: start again from the front.
      this.evictor = this.map.entries();
      r = this.evictor.next();
    }
    return r.done ? undefined : r.value;
  }
  private evictor: Iterator<[string, Decoded]> | undefined;

  clear(): void {
    this.map.clear();
    this.evictor = undefined;
    this.bytes_ = 0;
  }
}

/** The log as the reader needs it. */
export type EntrySource = Pick<GroupLog, 'readEntries'>;

/** Two Raft indexes this close are fetched in one readEntries call (the entries between are skipped). */
const RUN_GAP = 16;

export class StreamReader {
  readonly cache: DecodedCache;

  constructor(
    private readonly machine: StreamsMachine,
    private readonly log: EntrySource,
    cacheBytes = 64 << 20,
  ) {
    this.cache = new DecodedCache(cacheBytes);
  }

  /** The machine decoded a new batch while applying it. */
  appended(raftIndex: number, part: number, messages: readonly StreamMessage[]): void {
    this.cache.put(batchKey(raftIndex, part), messages);
  }

  /**
   * Up to `maxMessages` messages from `from`, stopping before `maxBytes`
   * (at least one message when any is available). Throws a
   * QueryError (not-found, out-of-range) or a StatusError.
   */
  async read(stream: string, from: number, maxMessages: number, maxBytes: number): Promise<ReadResult> {
    const spans = this.machine.readPlan(stream, from, maxMessages);
    const out: ReadMessage[] = [];
    let next = from;
    let bytes = 0;
    const fetched = new Map<string, readonly StreamMessage[]>();
    for (let i = 0; i < spans.length; i++) {
      const span = spans[i]!;
      const key = batchKey(span.raftIndex, span.part);
      let msgs = fetched.get(key) ?? this.cache.get(key);
      if (!msgs) {
        await this.fetchRun(stream, from, spans, i, maxBytes - bytes, fetched);
        msgs = fetched.get(key);
        if (!msgs) throw new StatusError(grpc.status.INTERNAL, `entry ${span.raftIndex} of stream "${stream}" could not be read`);
      }
      for (let k = span.skip; k < span.skip + span.take; k++) {
        const m = msgs[span.slot + k];
        if (!m) throw new StatusError(grpc.status.INTERNAL, `entry ${span.raftIndex} holds ${msgs.length} messages, expected at least ${span.slot + k + 1}`);
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
  private async fetchRun(stream: string, from: number, spans: readonly ReadSpan[], i: number, budget: number, into: Map<string, readonly StreamMessage[]>): Promise<void> {
    const lo = spans[i]!.raftIndex;
    // Raft index -> the positions of the batches wanted in that entry.
    const wanted = new Map<number, number[]>([[lo, [spans[i]!.part]]]);
    let hi = lo;
    for (let j = i + 1; j < spans.length && spans[j]!.raftIndex - hi <= RUN_GAP; j++) {
      hi = spans[j]!.raftIndex;
      const parts = wanted.get(hi);
      if (parts) parts.push(spans[j]!.part);
      else wanted.set(hi, [spans[j]!.part]);
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
          throw new StatusError(grpc.status.UNAVAILABLE, `log entry ${at} of stream "${stream}" is not on this node (it may be catching up); retry or read from another node`, 'not-applied');
        }
        throw e;
      }
      if (entries.length === 0) break;
      for (const e of entries) {
        const parts = wanted.get(e.index);
        if (!parts) continue;
        for (const part of parts) {
          const msgs = appendedMessagesIn(e.data, part);
          const key = batchKey(e.index, part);
          into.set(key, msgs);
          this.cache.put(key, msgs);
        }
        got += e.data.byteLength;
      }
      at = entries[entries.length - 1]!.index + 1;
      // Enough for this read: the rest is fetched if a span still needs it.
      if (got >= budget) break;
    }
  }
}

