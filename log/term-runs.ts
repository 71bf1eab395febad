// Every term of a group's log, in memory, as runs: (start index, term) pairs,
// one per term change. A term changes only on an election, so a log of
// millions of entries has a handful of runs, and term(i), which the core calls
// synchronously and often, is a binary search (usually a check of the last
// run) that never touches disk. The runs are also persisted, one key per run
// start, written in the same batch as the entries that create them, so opening
// a long log reads a few keys instead of every entry.

/** Receives the run starts that appeared or disappeared, so the caller can put or delete their keys. */
export interface RunChanges {
  added(start: number, term: number): void;
  removed(start: number): void;
}

export class TermRuns {
  private starts: number[] = [];
  private terms: number[] = [];

  /**
   * @param prevIndex the index just before the first entry (the snapshot's or the last compacted one)
   * @param prevTerm its term
   */
  constructor(
    private prevIndex: number,
    private prevTerm: number,
  ) {}

  get count(): number {
    return this.starts.length;
  }

  /** The runs in order, for persistence checks and tests. */
  runs(): Array<readonly [start: number, term: number]> {
    return this.starts.map((s, k) => [s, this.terms[k]!] as const);
  }

  /** Restores runs read from disk; they must be sorted by start. */
  load(runs: ReadonlyArray<readonly [number, number]>): void {
    this.starts = runs.map((r) => r[0]);
    this.terms = runs.map((r) => r[1]);
  }

  /** The term at i, for prevIndex <= i <= the last appended index; the caller checks the bounds. */
  term(i: number): number {
    if (i <= this.prevIndex) return this.prevTerm;
    const n = this.starts.length;
    if (n === 0) return this.prevTerm;
    if (i >= this.starts[n - 1]!) return this.terms[n - 1]!;
    let lo = 0;
    let hi = n - 1;
    // Invariant: starts[lo] <= i < starts[hi] (or i precedes every run, when lo's start is above i).
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (this.starts[mid]! <= i) lo = mid;
      else hi = mid;
    }
    return this.starts[lo]! <= i ? this.terms[lo]! : this.prevTerm;
  }

  /** Drops the runs that start at or after `index` (a conflicting suffix is being replaced). */
  truncateFrom(index: number, changes: RunChanges): void {
    while (this.starts.length > 0 && this.starts[this.starts.length - 1]! >= index) {
      changes.removed(this.starts.pop()!);
      this.terms.pop();
    }
  }

  /** Records that the entry at `index` (the next after the last) has `term`. */
  push(index: number, term: number, changes: RunChanges): void {
    const n = this.starts.length;
    const before = n === 0 ? this.prevTerm : this.terms[n - 1]!;
    // The first run is written even when it repeats prevTerm: a reopened log
    // then finds every entry's term in the run keys, independent of the first-index record.
    if (n > 0 && before === term) return;
    this.starts.push(index);
    this.terms.push(term);
    changes.added(index, term);
  }

  /** The log now starts at prevIndex + 1: forgets runs that cover nothing at or after it. */
  compact(prevIndex: number, prevTerm: number, changes: RunChanges): void {
    this.prevIndex = prevIndex;
    this.prevTerm = prevTerm;
    // A run is still needed while the next one starts after the new first index.
    while (this.starts.length > 1 && this.starts[1]! <= prevIndex + 1) {
      changes.removed(this.starts.shift()!);
      this.terms.shift();
    }
  }

  /** Everything was replaced by a snapshot at prevIndex. */
  reset(prevIndex: number, prevTerm: number, changes: RunChanges): void {
    for (const s of this.starts) changes.removed(s);
    this.starts = [];
    this.terms = [];
    this.prevIndex = prevIndex;
    this.prevTerm = prevTerm;
  }
}
