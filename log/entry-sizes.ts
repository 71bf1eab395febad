// The size of each entry of a log's newest contiguous run, as written: what
// compaction weighs live entries against dead ones with (compactionPoint in
// raft/host/sparse-entries.ts) without reading them back from disk. Entries
// written before the log was opened are unknown until a later run replaces
// them; four bytes per entry, dropped below the first index, and at most the
// newest MAX_TRACKED entries (a stream without limits never moves its first
// index: older sizes are then estimated, at the mean of the known ones).

/** Sizes kept at most (4 MiB, in a buffer of at most 8 MiB, per group). */
export const MAX_TRACKED = 1 << 20;

export class EntrySizes {
  /** Index of slot 0 of `sizes`. */
  private base = 1;
  /** Known slots: [base + start, base + end). */
  private start = 0;
  private end = 0;
  private sizes = new Uint32Array(1024);

  /** Entry `index` was written with `bytes` of data; every entry after it is gone (an append replaces the suffix). */
  record(index: number, bytes: number): void {
    if (index < this.base + this.start || index > this.base + this.end) {
      // Not next to the known run (a gap, or a rewrite below it): start a new run here.
      this.base = index;
      this.start = 0;
      this.end = 0;
    }
    let slot = index - this.base;
    if (slot >= this.sizes.length) {
      // Reclaim the slots below `start` first; grow only when the run itself needs it.
      const used = this.end - this.start;
      const next = used * 2 > this.sizes.length ? new Uint32Array(this.sizes.length * 2) : this.sizes;
      next.set(this.sizes.subarray(this.start, this.end), 0);
      this.sizes = next;
      this.base += this.start;
      this.end = used;
      this.start = 0;
      slot = index - this.base;
    }
    this.sizes[slot] = Math.min(bytes, 0xffffffff);
    this.end = slot + 1;
    if (this.end - this.start > MAX_TRACKED) this.start = this.end - MAX_TRACKED;
  }

  /** Entries from `index` on were removed (a truncation with nothing written yet). */
  truncateFrom(index: number): void {
    const slot = index - this.base;
    if (slot < this.end) this.end = Math.max(this.start, slot);
  }

  /** Entries below `index` left the contiguous log. */
  dropBelow(index: number): void {
    const slot = index - this.base;
    if (slot > this.start) this.start = Math.min(slot, this.end);
  }

  /** Forget everything (the log was replaced by a snapshot). */
  clear(): void {
    this.start = this.end = 0;
  }

  get(index: number): number | undefined {
    const slot = index - this.base;
    return slot >= this.start && slot < this.end ? this.sizes[slot] : undefined;
  }
}
