// Snapshots, checkpoints and sparse log compaction for one replica.
//
// Applications that keep data in the Raft log (a stream's message bodies, a
// queue's messages: their state only points at Raft indexes) still read some
// entries below any snapshot they could take. Compaction is therefore sparse,
// as rabbitmq/ra does it with live indexes: the snapshot is the live machine's
// state at the applied index, taken together with the set of indexes it still
// reads; the log deletes every entry below the snapshot except those, which
// stay readable by index (GroupLog.compact's `keep`). One old unacked message
// keeps its own entry on disk, not the whole log written after it. A follower
// that needs the snapshot receives it together with the entries kept below it
// (see snapshotEntries), in chunks bounded in bytes.
//
// A local checkpoint, at the recently applied index, is kept besides, more
// often than the snapshot, so a restart replays only the tail after it; the
// core accepts an applied index above its snapshot's.

import type { ConfState, Entry, Snapshot } from '../core/types.js';
import type { GroupLog } from './wal.js';
import type { Logger, StateMachine } from './env.js';
import { ascendingUnique, lowerBound } from './sparse-entries.js';

/** A state machine that may still need log entries below its applied index. */
export interface RetainingStateMachine<R = unknown> extends StateMachine<R> {
  /** Every Raft index whose entry the state still reads (any order); none when absent. */
  liveIndexes?(): Iterable<number>;
}

export interface SnapshotterOptions<R> {
  readonly log: GroupLog;
  /** The live machine, which the host applies committed entries to. */
  readonly machine: RetainingStateMachine<R>;
  readonly logger: Logger;
  /** Take a Raft snapshot once this many entries were applied since the last... */
  readonly snapshotEvery: number;
  /**
   * ...or this many bytes of entries (default 32 MiB): with large entries a
   * count alone let the log grow to gigabytes past what the machines retain.
   */
  readonly snapshotBytes?: number;
  /** Entries kept below the snapshot so a follower just behind catches up from the log... */
  readonly compactKeep: number;
  /** ...but no more than about this many bytes of them (default 8 MiB). */
  readonly compactKeepBytes?: number;
  /** Take a restart checkpoint once this many entries were applied since the last. */
  readonly checkpointEvery: number;
  /**
   * ...or once this many bytes of entries were applied since the last, so a
   * restart never re-reads and re-applies more than about this much of the
   * log (with large entries a count alone let it replay gigabytes).
   */
  readonly checkpointBytes?: number;
  /** A planted bug (tests only): compaction keeps nothing below the snapshot, whatever the machine still reads. */
  readonly ignoreLiveIndexes?: boolean;
  /** A planted bug (tests only): a restart restores the checkpoint but reports the snapshot's index, so entries after it apply twice. */
  readonly restartAtSnapshotIndex?: boolean;
}

/** Byte marks kept at most (one per Ready since the last compaction). */
const MAX_MARKS = 1 << 16;

export class Snapshotter<R> {
  private readonly log: GroupLog;
  private readonly machine: RetainingStateMachine<R>;
  private snapIndex: number;
  private checkpointIndex: number;
  /** Bytes of entries applied since the last checkpoint was captured. */
  private appliedBytes = 0;
  /** Bytes of entries applied since start-up, as of each applied index we were told of (ascending). */
  private readonly marks: Array<{ readonly index: number; readonly total: number }> = [];
  private totalBytes = 0;
  private busy = false;
  private stopped = false;
  /** Bumped when a leader's snapshot replaces everything: a job started before it must not write over it. */
  private generation = 0;
  private work: Promise<void> = Promise.resolve();

  constructor(private readonly opts: SnapshotterOptions<R>) {
    this.log = opts.log;
    this.machine = opts.machine;
    const snap = this.log.snapshot();
    this.snapIndex = snap.meta.index;
    this.checkpointIndex = snap.meta.index;
  }

  /**
   * Restore the live machine at start-up. Returns the index it is at: the
   * checkpoint's when it is newer than the snapshot.
   */
  restore(): number {
    const snap = this.log.snapshot();
    const cp = this.log.checkpoint();
    if (cp && cp.index > snap.meta.index) {
      this.machine.restore(cp.data, { index: cp.index, term: this.log.term(cp.index), conf: snap.meta.conf });
      this.checkpointIndex = cp.index;
      this.opts.logger.info({ checkpoint: cp.index, snapshot: snap.meta.index, bytes: cp.data.byteLength }, 'restored from the checkpoint');
      return this.opts.restartAtSnapshotIndex ? snap.meta.index : cp.index;
    }
    if (snap.meta.index > 0) this.machine.restore(snap.data, snap.meta);
    return snap.meta.index;
  }

  /** A snapshot from the leader (with the entries kept below it) replaced the log and the live machine's state. */
  installed(snap: Snapshot): void {
    this.generation++;
    this.snapIndex = snap.meta.index;
    this.checkpointIndex = Math.max(this.checkpointIndex, snap.meta.index);
  }

  /** The Raft snapshot's index. */
  get snapshotIndex(): number {
    return this.snapIndex;
  }

  /**
   * Called after entries were applied: starts, in the background, whatever is
   * due — a checkpoint, a snapshot and the compaction below it. One job at a time.
   */
  maybeRun(applied: number, conf: ConfState, appliedBytes = 0): void {
    this.appliedBytes += appliedBytes;
    if (appliedBytes > 0) {
      this.totalBytes += appliedBytes;
      this.marks.push({ index: applied, total: this.totalBytes });
      // Keep the marks bounded by halving their resolution.
      if (this.marks.length > MAX_MARKS) this.marks.splice(0, this.marks.length, ...this.marks.filter((_, i) => i % 2 === 1 || i === this.marks.length - 1));
    }
    if (this.busy || this.stopped) return;
    const checkpointDue =
      applied > this.checkpointIndex && (applied - this.checkpointIndex >= this.opts.checkpointEvery || this.appliedBytes >= (this.opts.checkpointBytes ?? Number.POSITIVE_INFINITY));
    const snapshotDue =
      applied - this.snapIndex >= this.opts.snapshotEvery ||
      (applied > this.snapIndex && this.bytesAt(applied) - this.bytesAt(this.snapIndex) >= (this.opts.snapshotBytes ?? 32 << 20));
    if (!checkpointDue && !snapshotDue) return;
    this.busy = true;
    // Captured now, synchronously: the live machine moves on as soon as we await.
    const state = this.machine.snapshot();
    const live = snapshotDue && !this.opts.ignoreLiveIndexes ? ascendingUnique(this.machine.liveIndexes?.() ?? []) : [];
    this.appliedBytes = 0;
    this.work = (async () => {
      try {
        if (snapshotDue) {
          await this.snapshotAt({ meta: { index: applied, term: this.log.term(applied), conf }, data: state }, live);
          // The snapshot restores as fast as a checkpoint at the same index would.
          this.checkpointIndex = Math.max(this.checkpointIndex, applied);
        } else if (!this.stopped) {
          await this.log.saveCheckpoint({ index: applied, data: state });
          this.checkpointIndex = applied;
        }
      } catch (e) {
        this.opts.logger.warn({ err: (e as Error).message, applied }, 'snapshot or checkpoint failed; will retry');
      } finally {
        this.busy = false;
      }
    })();
  }

  /** Save the snapshot, then compact below it keeping the live entries. */
  private async snapshotAt(snapshot: Snapshot, live: readonly number[]): Promise<void> {
    const gen = this.generation;
    const { index } = snapshot.meta;
    await this.log.saveSnapshot(snapshot);
    if (gen !== this.generation || this.stopped) return;
    this.snapIndex = index;
    // The keep list replaces the sparse part below upTo only. Never widen it to
    // the log's first index: a snapshot received meanwhile may have moved that
    // past this one, with entries live at its index that this state never saw.
    // (Below upTo nothing is lost: an entry live at a later index was live here.)
    const upTo = this.keepFrom(index);
    await this.log.compact(upTo, live.slice(0, lowerBound(live, upTo)));
    this.opts.logger.info(
      { index, bytes: snapshot.data.byteLength, compactedBelow: upTo, firstIndex: this.log.firstIndex(), kept: this.log.sparseIndexes().length },
      'snapshot taken',
    );
  }

  /** Bytes applied since start-up up to `index` (as of the last Ready that ended at or below it; 0 before any). */
  private bytesAt(index: number): number {
    let lo = 0;
    let hi = this.marks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.marks[mid]!.index <= index) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? 0 : this.marks[lo - 1]!.total;
  }

  /** The lowest index to keep whole below a snapshot at `index`: at most compactKeep entries and about compactKeepBytes. */
  private keepFrom(index: number): number {
    let from = index + 1 - this.opts.compactKeep;
    const budget = this.opts.compactKeepBytes ?? 8 << 20;
    const top = this.bytesAt(index);
    // The first mark whose bytes up to `index` fit the budget: entries up to it go.
    let below = false;
    let fits = false;
    for (const m of this.marks) {
      if (m.index >= index) break;
      below = true;
      if (top - m.total <= budget) {
        from = Math.max(from, m.index + 1);
        fits = true;
        break;
      }
    }
    // Even the last Ready below the snapshot carried more than the budget: keep nothing below it.
    if (below && !fits) from = index + 1;
    // Marks below what is kept are no longer needed.
    let drop = 0;
    while (drop < this.marks.length - 1 && this.marks[drop + 1]!.index < from) drop++;
    if (drop) this.marks.splice(0, drop);
    return from;
  }

  /** Let the job in progress finish (it stops early) before the log closes. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.work;
  }
}

/**
 * What a follower installing the snapshot at `index` needs besides it: the
 * sparse part of the log (the entries kept below the first index) and every
 * entry from the first index up to the snapshot, read in chunks of about
 * `chunkBytes` so neither side holds them all.
 */
export async function* snapshotEntries(log: GroupLog, index: number, chunkBytes: number): AsyncGenerator<Entry[]> {
  const sparse = log.sparseIndexes().filter((i) => i <= index);
  let k = 0;
  while (k < sparse.length) {
    const lo = sparse[k]!;
    const hi = Math.min(log.firstIndex(), index + 1);
    if (lo >= hi) break;
    const got = await log.readEntries(lo, hi, chunkBytes);
    const chunk = got.filter((e) => e.index < hi);
    if (chunk.length === 0) break;
    yield chunk;
    const last = chunk[chunk.length - 1]!.index;
    while (k < sparse.length && sparse[k]! <= last) k++;
  }
  let at = log.firstIndex();
  while (at <= index) {
    const got = await log.readEntries(at, index + 1, chunkBytes);
    if (got.length === 0) break;
    yield got;
    at = got[got.length - 1]!.index + 1;
  }
}
