// The sparse part of a log held in memory: the entries a compaction kept below
// the first index because a machine still reads them (message bodies), and
// those a leader sent along with a snapshot. Shared by the in-memory logs
// (log/memory-wal.ts, raft/host/testing) so they answer readEntries below the
// first index exactly as the LevelDB log does (see GroupLog in wal.ts).

import { CompactedError } from '../core/errors.js';
import type { Entry } from '../core/types.js';
import { entryBytes } from '../core/types.js';

export class SparseEntries {
  private readonly byIndex = new Map<number, Entry>();
  /** Ascending indexes of byIndex; rebuilt lazily after a change. */
  private sorted: number[] | undefined = [];

  copy(): SparseEntries {
    const c = new SparseEntries();
    for (const [i, e] of this.byIndex) c.byIndex.set(i, e);
    c.sorted = undefined;
    return c;
  }

  get size(): number {
    return this.byIndex.size;
  }

  /** Kept indexes below `first`, ascending. */
  indexesBelow(first: number): number[] {
    const all = this.indexes();
    return all.slice(0, lowerBound(all, first));
  }

  store(entries: readonly Entry[]): void {
    for (const e of entries) this.byIndex.set(e.index, e);
    this.sorted = undefined;
  }

  /**
   * A compaction to `index`: below `index` the sparse set becomes `keep`,
   * each entry taken from what was kept before or from `live(i)`, the log's
   * contiguous part; indexes found in neither are dropped. At and above
   * `index` nothing changes.
   */
  compact(index: number, keep: Iterable<number>, live: (i: number) => Entry | undefined): void {
    const next = new Map<number, Entry>();
    for (const i of keep) {
      if (i >= index || next.has(i)) continue;
      const e = this.byIndex.get(i) ?? live(i);
      if (e) next.set(i, e);
    }
    // Entries stored ahead of a snapshot (at or above `index`) wait for it.
    for (const [i, e] of this.byIndex) if (i >= index) next.set(i, e);
    this.byIndex.clear();
    for (const [i, e] of next) this.byIndex.set(i, e);
    this.sorted = undefined;
  }

  /**
   * readEntries below `first`: the kept entries in [lo, min(hi, first)) within
   * maxBytes (at least one), and whether the byte budget ran out. Throws
   * CompactedError when there is none.
   */
  read(lo: number, hi: number, maxBytes: number, first: number): { entries: Entry[]; bytes: number; full: boolean } {
    const all = this.indexes();
    const top = Math.min(hi, first);
    const out: Entry[] = [];
    let bytes = 0;
    for (let k = lowerBound(all, lo); k < all.length && all[k]! < top; k++) {
      const e = this.byIndex.get(all[k]!)!;
      const b = entryBytes(e);
      if (out.length > 0 && bytes + b > maxBytes) return { entries: out, bytes, full: true };
      bytes += b;
      out.push(e);
    }
    if (out.length === 0) throw new CompactedError(lo, first);
    return { entries: out, bytes, full: false };
  }

  /** readEntries over both parts: the kept entries from `lo` below `first`, then the contiguous log from `first` on. */
  async readAcross(lo: number, hi: number, maxBytes: number, first: number, contiguous: (lo: number, hi: number, maxBytes: number) => Promise<Entry[]>): Promise<Entry[]> {
    return readAcross(lo, hi, maxBytes, first, (l, h, m) => this.read(l, h, m, first), contiguous);
  }

  private indexes(): number[] {
    this.sorted ??= [...this.byIndex.keys()].sort((a, b) => a - b);
    return this.sorted;
  }
}

/** The first position in ascending `xs` whose value is >= x. */
export function lowerBound(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** readEntries for a log with a sparse part below `first` (shared by every GroupLog implementation). */
export async function readAcross(
  lo: number,
  hi: number,
  maxBytes: number,
  first: number,
  sparse: (lo: number, hi: number, maxBytes: number) => { entries: Entry[]; bytes: number; full: boolean } | Promise<{ entries: Entry[]; bytes: number; full: boolean }>,
  contiguous: (lo: number, hi: number, maxBytes: number) => Promise<Entry[]>,
): Promise<Entry[]> {
  if (lo >= first || lo >= hi) return contiguous(lo, hi, maxBytes);
  const below = await sparse(lo, hi, maxBytes);
  if (below.full || hi <= first) return below.entries;
  const out = below.entries;
  let bytes = below.bytes;
  for (const e of await contiguous(first, hi, Math.max(1, maxBytes - bytes))) {
    bytes += entryBytes(e);
    if (bytes > maxBytes) break;
    out.push(e);
  }
  return out;
}

/**
 * How far a compaction to `index` should really move the log's first index,
 * given the indexes machines still read (`live`, ascending) and the size of
 * each entry (`sizeOf`; undefined when not known, counted at the mean of the
 * known ones).
 *
 * Moving the first index past a live entry costs copying it into the sparse
 * part (a second write of its bytes, and its deletion from the contiguous
 * part). That pays when most of the range is dead: the dead bytes are freed.
 * When more than half of the range's bytes are live (a stream without limits,
 * where every entry stays live, or a queue's backlog nobody has consumed yet)
 * the copy would rewrite the whole log at every snapshot and free little, so
 * the first index moves only up to the lowest live entry: the dead prefix
 * goes, the rest stays where it is. The dead bytes left behind are then fewer
 * than the live ones, so disk use stays within twice what machines retain;
 * once enough of them die, the next compaction copies the few still live.
 */
export function compactionPoint(first: number, index: number, live: readonly number[], sizeOf: (i: number) => number | undefined): number {
  if (index <= first) return index;
  const lo = lowerBound(live, first);
  const hi = lowerBound(live, index);
  if (lo === hi) return index;
  let known = 0;
  let knownBytes = 0;
  for (let i = first; i < index; i++) {
    const s = sizeOf(i);
    if (s === undefined) continue;
    known++;
    knownBytes += s;
  }
  const mean = known > 0 ? knownBytes / known : 1;
  const total = knownBytes + (index - first - known) * mean;
  let liveBytes = 0;
  for (let k = lo; k < hi; k++) {
    // Duplicates in `live` count once.
    if (k > lo && live[k] === live[k - 1]) continue;
    liveBytes += sizeOf(live[k]!) ?? mean;
  }
  return liveBytes * 2 > total ? live[lo]! : index;
}

/**
 * `xs` ascending without repeats. Every snapshot lists every live index (a
 * stream without limits: every entry it ever took), so this is linear when
 * they already come in order, as one stream's do, and otherwise a numeric
 * typed-array sort: a Set plus a comparator sort cost ~0.3 s per million
 * indexes, per snapshot, on every node.
 */
export function ascendingUnique(xs: Iterable<number>): number[] {
  const arr = Array.isArray(xs) ? (xs as number[]) : [...xs];
  let sorted = true;
  for (let k = 1; k < arr.length; k++) {
    if (arr[k]! <= arr[k - 1]!) {
      sorted = false;
      break;
    }
  }
  if (sorted) return arr;
  const a = Float64Array.from(arr).sort();
  const out: number[] = [];
  for (let k = 0; k < a.length; k++) if (k === 0 || a[k] !== a[k - 1]) out.push(a[k]!);
  return out;
}
