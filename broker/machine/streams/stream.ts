// One stream's replicated state: its settings, where each appended batch sits
// in the Raft log, retention, producers and named consumers' offsets.

import type { StreamConfig } from './config.js';
import type { EntryRecord } from './entry-index.js';
import { EntryIndex } from './entry-index.js';
import { Producers } from '../producers.js';

export class Stream {
  readonly entries = new EntryIndex();
  readonly producers = new Producers();
  readonly consumers = new Map<string, number>();
  /** The offset the next message gets. */
  nextOffset = 0;
  /** The first offset still retained (== nextOffset when empty). */
  firstOffset = 0;
  bytes = 0;
  /** The newest timestamp given; timestamps never go backwards within a stream. */
  lastTime = 0;

  constructor(
    readonly name: string,
    public config: StreamConfig,
    /** Raft index of the declaration: distinguishes a re-created stream from the old one. */
    readonly createdAt: number,
  ) {}

  get messageCount(): number {
    return this.nextOffset - this.firstOffset;
  }

  /** Timestamp for a batch proposed at `proposedTime` (the leader's clock, carried in the entry). */
  stamp(proposedTime: number): number {
    this.lastTime = Math.max(this.lastTime, proposedTime);
    return this.lastTime;
  }

  /** Whether a batch of `count` messages and `bytes` fits under the limits with the reject policy. */
  rejectReason(count: number, bytes: number): string | undefined {
    const c = this.config;
    if (c.discard !== 'reject') return undefined;
    if (c.maxMessages > 0 && this.messageCount + count > c.maxMessages) {
      return `stream "${this.name}" holds ${this.messageCount} of at most ${c.maxMessages} messages (discard policy: reject)`;
    }
    if (c.maxBytes > 0 && this.bytes + bytes > c.maxBytes) {
      return `stream "${this.name}" holds ${this.bytes} of at most ${c.maxBytes} bytes (discard policy: reject)`;
    }
    return undefined;
  }

  append(raftIndex: number, part: number, count: number, bytes: number, time: number, slot = 0): EntryRecord {
    const r: EntryRecord = { firstOffset: this.nextOffset, raftIndex, part, slot, count, time, bytes };
    this.entries.push(r);
    this.nextOffset += count;
    this.bytes += bytes;
    return r;
  }

  /**
   * Apply count, size and age limits by dropping batches from the front. A
   * batch is what one append request carried: appends that shared a Raft
   * entry are still separate batches, retained and dropped on their own.
   */
  enforceRetention(now: number): void {
    const c = this.config;
    for (;;) {
      const oldest = this.entries.oldest();
      if (!oldest) break;
      const tooMany = c.maxMessages > 0 && this.messageCount > c.maxMessages;
      const tooBig = c.maxBytes > 0 && this.bytes > c.maxBytes;
      const tooOld = c.maxAgeMs > 0 && oldest.time < now - c.maxAgeMs;
      if (!tooMany && !tooBig && !tooOld) break;
      this.dropOldest();
    }
    this.producers.expire(now, c.dedupWindowMs);
  }

  private dropOldest(): void {
    const r = this.entries.oldest()!;
    this.entries.shift();
    this.bytes -= r.bytes;
    this.firstOffset = r.firstOffset + r.count;
  }

  /** The earliest time at which age retention or a producer's dedup window would drop something, or undefined. */
  nextDeadline(): number | undefined {
    const c = this.config;
    let d: number | undefined;
    const oldest = this.entries.oldest();
    // Dropped once older than maxAge: at a time strictly after time + maxAge.
    if (c.maxAgeMs > 0 && oldest) d = oldest.time + c.maxAgeMs + 1;
    const p = this.producers.oldestUse();
    if (p !== undefined) {
      const pd = p + c.dedupWindowMs + 1;
      if (d === undefined || pd < d) d = pd;
    }
    return d;
  }

  /** The Raft index of every retained batch. */
  liveIndexes(): Iterable<number> {
    return this.entries.raftIndexes();
  }

  /** The Raft index of the oldest retained batch, or undefined when empty. */
  firstLiveIndex(): number | undefined {
    return this.entries.oldest()?.raftIndex;
  }
}
