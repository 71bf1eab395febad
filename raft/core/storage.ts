// The read side of the durable log, as the core sees it. Reads are synchronous:
// the core is a pure state machine and cannot await. A LevelDB-backed log keeps
// every term in memory (as runs, see log/) and the newest entries in a bounded
// cache; when older entries are asked for, it answers UNAVAILABLE, starts an
// asynchronous load and the core simply tries again on its next chance (the next
// heartbeat response from that follower). Writes never go through this
// interface: they leave the core inside a Ready and the driver persists them.

import type { ConfState, Entry, HardState, Snapshot } from './types.js';

/** Returned by `entries` when the range is durable but not in memory right now. */
export const UNAVAILABLE = Symbol('entries-unavailable');
export type Unavailable = typeof UNAVAILABLE;

export interface InitialState {
  readonly hardState: HardState;
  readonly confState: ConfState;
}

export interface Storage {
  /** Hard state and membership as last persisted (membership as of the snapshot plus applied conf changes). */
  initialState(): InitialState;
  /**
   * Entries in [lo, hi), at most `maxBytes` in total but always at least one
   * when the range is non-empty. Throws CompactedError when lo < firstIndex().
   */
  entries(lo: number, hi: number, maxBytes: number): Entry[] | Unavailable;
  /**
   * The term of entry i, for firstIndex()-1 <= i <= lastIndex() (firstIndex()-1
   * is the snapshot's index). Throws CompactedError below that range and
   * returns 0 above it.
   */
  term(i: number): number;
  /** Index of the first entry still in the log (snapshot index + 1). */
  firstIndex(): number;
  /** Index of the last entry in the log (the snapshot index when the log is empty). */
  lastIndex(): number;
  /** The newest snapshot. Throws SnapshotUnavailableError when it is being produced. */
  snapshot(): Snapshot;
}
