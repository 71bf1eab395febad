// The log as the algorithm sees it: durable entries (through Storage) followed
// by unstable ones, with the commit and apply cursors.

import { CompactedError } from './errors.js';
import { UnstableLog } from './log-unstable.js';
import type { Storage, Unavailable } from './storage.js';
import { UNAVAILABLE } from './storage.js';
import type { Entry, Snapshot } from './types.js';
import { entryBytes } from './types.js';

export class RaftLog {
  readonly unstable: UnstableLog;
  committed: number;
  applied: number;
  /** The lowest index whose entry an append replaced since takeTruncation() was last called. */
  private truncatedFrom: number | undefined;

  constructor(readonly storage: Storage, applied: number) {
    const first = storage.firstIndex();
    const last = storage.lastIndex();
    this.unstable = new UnstableLog(last + 1);
    // Everything at or below the snapshot is committed and applied by definition.
    this.committed = first - 1;
    this.applied = Math.max(first - 1, applied);
  }

  firstIndex(): number {
    return this.unstable.maybeFirstIndex() ?? this.storage.firstIndex();
  }

  lastIndex(): number {
    return this.unstable.maybeLastIndex() ?? this.storage.lastIndex();
  }

  lastTerm(): number {
    return this.term(this.lastIndex());
  }

  /** The last index known durable here: everything before the unstable tail. */
  persistedLastIndex(): number {
    // A snapshot being installed replaces the whole log; until it is durable nothing here is.
    if (this.unstable.snapshot) return 0;
    return this.unstable.entries.length ? this.unstable.offset - 1 : this.storage.lastIndex();
  }

  /** Term of entry i; 0 when i is past the end. Throws CompactedError below the log. */
  term(i: number): number {
    const t = this.unstable.maybeTerm(i);
    if (t !== undefined) return t;
    if (i > this.lastIndex()) return 0;
    const dummy = this.firstIndex() - 1;
    if (i < dummy) throw new CompactedError(i, dummy + 1);
    return this.storage.term(i);
  }

  /** Like term(), but 0 instead of an error for compacted indexes (they cannot be compared). */
  zeroTermOnCompacted(i: number): number {
    try {
      return this.term(i);
    } catch (e) {
      if (e instanceof CompactedError) return 0;
      throw e;
    }
  }

  matchTerm(i: number, t: number): boolean {
    try {
      return this.term(i) === t;
    } catch (e) {
      if (e instanceof CompactedError) return false;
      throw e;
    }
  }

  isUpToDate(lastIndex: number, lastTerm: number): boolean {
    const ourTerm = this.lastTerm();
    return lastTerm > ourTerm || (lastTerm === ourTerm && lastIndex >= this.lastIndex());
  }

  append(ents: readonly Entry[]): number {
    if (ents.length === 0) return this.lastIndex();
    const after = ents[0]!.index - 1;
    if (after < this.committed) throw new RangeError(`append at ${after + 1} would overwrite committed ${this.committed}`);
    if (after < this.lastIndex()) this.truncatedFrom = Math.min(this.truncatedFrom ?? Infinity, after + 1);
    this.unstable.truncateAndAppend(ents);
    return this.lastIndex();
  }

  takeTruncation(): number | undefined {
    const t = this.truncatedFrom;
    this.truncatedFrom = undefined;
    return t;
  }

  /**
   * A follower's append: if our log matches (prevIndex, prevTerm), append the
   * entries from the first conflict on and advance commit. Returns the index of
   * the last new entry, or -1 on mismatch.
   */
  maybeAppend(prevIndex: number, prevTerm: number, commit: number, ents: readonly Entry[]): number {
    if (!this.matchTerm(prevIndex, prevTerm)) return -1;
    const lastNew = prevIndex + ents.length;
    const ci = this.findConflict(ents);
    if (ci !== 0) {
      if (ci <= this.committed) throw new RangeError(`entry ${ci} conflicts with committed entry (committed ${this.committed})`);
      this.append(ents.slice(ci - (prevIndex + 1)));
    }
    this.commitTo(Math.min(commit, lastNew));
    return lastNew;
  }

  /** The index of the first entry that is new or conflicts with ours, or 0 if we have them all. */
  findConflict(ents: readonly Entry[]): number {
    for (const e of ents) {
      if (!this.matchTerm(e.index, e.term)) return e.index;
    }
    return 0;
  }

  /**
   * Fast backtracking: the highest index <= `index` whose term is <= `term`,
   * with its term. Entries above it cannot match a log whose entry at `index`
   * has term `term`.
   */
  findConflictByTerm(index: number, term: number): { index: number; term: number } {
    let i = Math.min(index, this.lastIndex());
    const floor = this.firstIndex() - 1;
    for (; i > floor; i--) {
      const t = this.term(i);
      if (t <= term) return { index: i, term: t };
    }
    return { index: floor, term: this.zeroTermOnCompacted(floor) };
  }

  commitTo(n: number): void {
    if (n > this.committed) {
      if (n > this.lastIndex()) throw new RangeError(`commit ${n} beyond last index ${this.lastIndex()}`);
      this.committed = n;
    }
  }

  /** Commit up to n if the entry there is of `term` (only current-term entries are committed by counting). */
  maybeCommit(n: number, term: number, anyTerm: boolean): boolean {
    if (n > this.committed && (anyTerm || this.zeroTermOnCompacted(n) === term)) {
      this.commitTo(n);
      return true;
    }
    return false;
  }

  appliedTo(i: number): void {
    if (i > this.committed) throw new RangeError(`applied ${i} beyond committed ${this.committed}`);
    if (i > this.applied) this.applied = i;
  }

  hasNextCommittedEnts(): boolean {
    if (this.unstable.snapshot) return false;
    return this.committed > Math.max(this.applied, this.firstIndex() - 1);
  }

  /**
   * Whether committed entries can be handed out now. Older entries may be on
   * disk and loading (the storage answers UNAVAILABLE and starts the load):
   * until they arrive there is nothing to apply, and a Ready must not claim
   * otherwise — a driver would spin on empty Readys and starve the very load
   * it waits for.
   */
  nextCommittedAvailable(): boolean {
    if (!this.hasNextCommittedEnts()) return false;
    const lo = Math.max(this.applied + 1, this.firstIndex());
    return this.slice(lo, lo + 1, 1) !== UNAVAILABLE;
  }

  nextCommittedEnts(maxBytes: number): Entry[] {
    if (!this.hasNextCommittedEnts()) return [];
    const lo = Math.max(this.applied + 1, this.firstIndex());
    const got = this.slice(lo, this.committed + 1, maxBytes);
    return got === UNAVAILABLE ? [] : got;
  }

  /** Entries from lo to the end, within maxBytes (at least one). */
  entriesFrom(lo: number, maxBytes: number): Entry[] | Unavailable {
    const last = this.lastIndex();
    if (lo > last) return [];
    return this.slice(lo, last + 1, maxBytes);
  }

  /** Entries [lo, hi) within maxBytes (at least one). Throws CompactedError below the log. */
  slice(lo: number, hi: number, maxBytes: number): Entry[] | Unavailable {
    if (lo >= hi) return [];
    const first = this.firstIndex();
    if (lo < first) throw new CompactedError(lo, first);
    const uo = this.unstable.offset;
    let out: Entry[] = [];
    if (lo < uo) {
      const fromStorage = this.storage.entries(lo, Math.min(hi, uo), maxBytes);
      if (fromStorage === UNAVAILABLE) return UNAVAILABLE;
      out = fromStorage;
      // Storage stopped early because of the byte limit: do not continue into unstable.
      if (out.length < Math.min(hi, uo) - lo) return out;
    }
    if (hi > uo) {
      let bytes = 0;
      for (const e of out) bytes += entryBytes(e);
      const from = Math.max(lo, uo);
      const ents = this.unstable.entries;
      for (let i = from; i < hi; i++) {
        const e = ents[i - uo]!;
        bytes += entryBytes(e);
        if (out.length > 0 && bytes > maxBytes) break;
        out.push(e);
      }
    }
    return out;
  }

  unstableEntries(): Entry[] {
    return this.unstable.entries;
  }

  stableTo(i: number, t: number): void {
    this.unstable.stableTo(i, t);
  }

  stableSnapTo(i: number): void {
    this.unstable.stableSnapTo(i);
  }

  restore(s: Snapshot): void {
    this.committed = s.meta.index;
    this.unstable.restore(s);
  }

  snapshot(): Snapshot {
    return this.unstable.snapshot ?? this.storage.snapshot();
  }
}
