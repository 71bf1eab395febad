// Entries held in memory so that replication and delivery rarely read LevelDB.
//
// EntryCache keeps the newest entries of a group, contiguous up to the last
// index, within a byte budget: new entries go in at the tail as they are
// persisted and the oldest fall out at the head. A follower that keeps up and
// a consumer near the tail are served from here.
//
// LoadedRanges holds ranges read back from disk for a reader that fell behind
// the cache (a lagging follower, a consumer replaying old messages), in a few
// chunks with least-recently-used eviction, so one slow reader does not push
// the tail out of EntryCache.

import type { Entry } from '../raft/core/types.js';
import { entryBytes } from '../raft/core/types.js';

export class EntryCache {
  private ents: Entry[] = [];
  /** ents[head] is the oldest cached entry; the array is compacted lazily to keep eviction O(1). */
  private head = 0;
  private bytes_ = 0;

  constructor(readonly maxBytes: number) {}

  get size(): number {
    return this.ents.length - this.head;
  }

  get bytes(): number {
    return this.bytes_;
  }

  /** Index of the oldest cached entry, or undefined when empty. */
  get first(): number | undefined {
    return this.size > 0 ? this.ents[this.head]!.index : undefined;
  }

  get last(): number | undefined {
    return this.size > 0 ? this.ents[this.ents.length - 1]!.index : undefined;
  }

  has(i: number): boolean {
    const f = this.first;
    return f !== undefined && i >= f && i <= this.last!;
  }

  get(i: number): Entry | undefined {
    const f = this.first;
    if (f === undefined || i < f) return undefined;
    return this.ents[this.head + (i - f)];
  }

  /**
   * Adds entries at the tail. An overlap replaces the cached suffix (a
   * conflicting suffix was truncated); a gap means the cache no longer
   * describes a contiguous tail, so it restarts from these entries.
   */
  append(entries: readonly Entry[]): void {
    if (entries.length === 0) return;
    const at = entries[0]!.index;
    const f = this.first;
    if (f !== undefined) {
      if (at <= f) this.clear();
      else if (at <= this.last!) this.truncateFrom(at);
      else if (at > this.last! + 1) this.clear();
    }
    for (const e of entries) {
      this.ents.push(e);
      this.bytes_ += entryBytes(e);
    }
    this.evict();
  }

  /** Puts older entries in front of the head (warming the cache on open), within the budget. */
  prepend(entries: readonly Entry[]): void {
    if (entries.length === 0) return;
    const f = this.first;
    if (f !== undefined && entries[entries.length - 1]!.index !== f - 1) return;
    let room = this.maxBytes - this.bytes_;
    let k = entries.length;
    while (k > 0 && room >= entryBytes(entries[k - 1]!)) room -= entryBytes(entries[--k]!);
    if (k === entries.length) return;
    const add = entries.slice(k);
    this.ents = add.concat(this.ents.slice(this.head));
    this.head = 0;
    for (const e of add) this.bytes_ += entryBytes(e);
  }

  truncateFrom(index: number): void {
    const f = this.first;
    if (f === undefined || index > this.last!) return;
    if (index <= f) return this.clear();
    const keep = this.head + (index - f);
    for (let k = keep; k < this.ents.length; k++) this.bytes_ -= entryBytes(this.ents[k]!);
    this.ents.length = keep;
  }

  dropBelow(index: number): void {
    const f = this.first;
    if (f === undefined || index <= f) return;
    if (index > this.last!) return this.clear();
    const stop = this.head + (index - f);
    for (let k = this.head; k < stop; k++) this.bytes_ -= entryBytes(this.ents[k]!);
    this.head = stop;
    this.compactArray();
  }

  clear(): void {
    this.ents = [];
    this.head = 0;
    this.bytes_ = 0;
  }

  private evict(): void {
    while (this.bytes_ > this.maxBytes && this.head < this.ents.length) {
      this.bytes_ -= entryBytes(this.ents[this.head]!);
      this.ents[this.head] = undefined as unknown as Entry;
      this.head++;
    }
    this.compactArray();
  }

  private compactArray(): void {
    if (this.head === this.ents.length) {
      this.ents = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.ents.length) {
      this.ents = this.ents.slice(this.head);
      this.head = 0;
    }
  }
}

interface Chunk {
  readonly lo: number;
  entries: Entry[];
  bytes: number;
  lastUse: number;
}

export class LoadedRanges {
  private chunks: Chunk[] = [];
  private bytes_ = 0;
  private clock = 0;

  constructor(readonly maxBytes: number) {}

  get bytes(): number {
    return this.bytes_;
  }

  /** The chunk holding index i, if any; marks it recently used. */
  find(i: number): { readonly lo: number; readonly entries: readonly Entry[] } | undefined {
    for (const c of this.chunks) {
      if (i >= c.lo && i < c.lo + c.entries.length) {
        c.lastUse = ++this.clock;
        return c;
      }
    }
    return undefined;
  }

  add(entries: Entry[]): void {
    if (entries.length === 0) return;
    const lo = entries[0]!.index;
    const hi = lo + entries.length;
    // Overlapping chunks would only waste the budget: the newer read replaces them.
    this.chunks = this.chunks.filter((c) => {
      const overlap = c.lo < hi && lo < c.lo + c.entries.length;
      if (overlap) this.bytes_ -= c.bytes;
      return !overlap;
    });
    let bytes = 0;
    for (const e of entries) bytes += entryBytes(e);
    this.chunks.push({ lo, entries, bytes, lastUse: ++this.clock });
    this.bytes_ += bytes;
    while (this.bytes_ > this.maxBytes && this.chunks.length > 1) {
      let oldest = 0;
      for (let k = 1; k < this.chunks.length; k++) if (this.chunks[k]!.lastUse < this.chunks[oldest]!.lastUse) oldest = k;
      this.bytes_ -= this.chunks[oldest]!.bytes;
      this.chunks.splice(oldest, 1);
    }
  }

  /** Entries from `index` on were replaced. */
  truncateFrom(index: number): void {
    this.trim((c) => {
      const keep = Math.max(0, Math.min(c.entries.length, index - c.lo));
      return c.entries.slice(0, keep);
    });
  }

  dropBelow(index: number): void {
    this.trim((c) => c.entries.slice(Math.max(0, index - c.lo)));
  }

  clear(): void {
    this.chunks = [];
    this.bytes_ = 0;
  }

  private trim(keep: (c: Chunk) => Entry[]): void {
    const out: Chunk[] = [];
    for (const c of this.chunks) {
      const kept = keep(c);
      if (kept.length === c.entries.length) {
        out.push(c);
        continue;
      }
      this.bytes_ -= c.bytes;
      if (kept.length === 0) continue;
      let bytes = 0;
      for (const e of kept) bytes += entryBytes(e);
      this.bytes_ += bytes;
      out.push({ lo: kept[0]!.index, entries: kept, bytes, lastUse: c.lastUse });
    }
    this.chunks = out;
  }
}
