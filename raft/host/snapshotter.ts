// Snapshots, checkpoints and log compaction for one replica.
//
// Applications that keep data in the Raft log (a stream's message bodies stay
// there; its state only points at Raft indexes) cannot have the log compacted
// past the oldest entry they still point at. So two different things are kept:
//
//   * the Raft snapshot, at T = (first live index - 1): the state machine as
//     of T, produced by a *trailing* copy of the machine that applies log
//     entries lazily, reading them back from the log, as retention moves the
//     first live index forward. The log is compacted only below T, so it still
//     holds every entry from T+1 on, retained messages included. A follower
//     that is too far behind receives this (small) snapshot and then ordinary
//     replication of everything after T, in bounded append messages — a
//     stream of any size catches up in chunks, never held in memory whole.
//
//   * a local checkpoint, at S = the recently applied index: the live
//     machine's state, so a restart restores S and replays only the tail
//     after it instead of the whole retained log. The core accepts an applied
//     index above its snapshot's.
//
// When nothing below the applied index is live (no streams, or all retention
// caught up), the trailing copy is simply reset from the live machine: no
// entry is read twice.

import { decodeConfChange } from '../core/confchange.js';
import type { ConfState, Entry, Snapshot } from '../core/types.js';
import { EntryType } from '../core/types.js';
import type { GroupLog } from './wal.js';
import type { Logger, StateMachine } from './env.js';

/** A state machine that may still need log entries below its applied index. */
export interface RetainingStateMachine<R = unknown> extends StateMachine<R> {
  /** The lowest Raft index whose entry the state still reads, or undefined when it reads none. */
  firstLiveIndex?(): number | undefined;
}

export interface SnapshotterOptions<R> {
  readonly log: GroupLog;
  /** The live machine, which the host applies committed entries to. */
  readonly machine: RetainingStateMachine<R>;
  /** A fresh machine of the same kind, used as the trailing copy. */
  readonly createMachine: () => RetainingStateMachine<R>;
  readonly logger: Logger;
  /** Advance the Raft snapshot once it can move this many entries... */
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
  /** Bytes of entries read back from the log per step while the trailing copy catches up. */
  readonly readBatchBytes?: number;
  /** A planted bug (tests only): snapshot at the applied index whatever the machine still reads, and compact below it. */
  readonly ignoreLiveIndexes?: boolean;
  /** A planted bug (tests only): a restart restores the checkpoint but reports the snapshot's index, so entries after it apply twice. */
  readonly restartAtSnapshotIndex?: boolean;
}

/** Byte marks kept at most (one per Ready while nothing is compacted). */
const MAX_MARKS = 1 << 16;

export class Snapshotter<R> {
  private readonly log: GroupLog;
  private readonly machine: RetainingStateMachine<R>;
  private trailer: RetainingStateMachine<R>;
  private trailerIndex: number;
  private trailerConf: ConfState;
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
    this.trailer = opts.createMachine();
    const snap = this.log.snapshot();
    this.trailerIndex = snap.meta.index;
    this.trailerConf = snap.meta.conf;
    this.checkpointIndex = snap.meta.index;
  }

  /**
   * Restore both machines at start-up. Returns the index the live machine is
   * at: the checkpoint's when it is newer than the snapshot.
   */
  restore(): number {
    const snap = this.log.snapshot();
    if (snap.meta.index > 0) this.trailer.restore(snap.data, snap.meta);
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

  /** A snapshot from the leader replaced the log and the live machine's state. */
  installed(snap: Snapshot): void {
    this.generation++;
    this.trailer = this.opts.createMachine();
    if (snap.meta.index > 0) this.trailer.restore(snap.data, snap.meta);
    this.trailerIndex = snap.meta.index;
    this.trailerConf = snap.meta.conf;
    this.checkpointIndex = Math.max(this.checkpointIndex, snap.meta.index);
  }

  /** The Raft snapshot's index (the log holds every entry after it). */
  get snapshotIndex(): number {
    return this.trailerIndex;
  }

  /**
   * Called after entries were applied: starts, in the background, whatever is
   * due — a checkpoint, advancing the snapshot, compacting. One job at a time.
   */
  maybeRun(applied: number, conf: ConfState, appliedBytes = 0): void {
    this.appliedBytes += appliedBytes;
    if (appliedBytes > 0) {
      this.totalBytes += appliedBytes;
      this.marks.push({ index: applied, total: this.totalBytes });
      // While nothing is compacted (a pinned live index), keep the marks bounded by halving their resolution.
      if (this.marks.length > MAX_MARKS) this.marks.splice(0, this.marks.length, ...this.marks.filter((_, i) => i % 2 === 1 || i === this.marks.length - 1));
    }
    if (this.busy || this.stopped) return;
    const checkpointDue =
      applied > this.checkpointIndex && (applied - this.checkpointIndex >= this.opts.checkpointEvery || this.appliedBytes >= (this.opts.checkpointBytes ?? Number.POSITIVE_INFINITY));
    const floor = (this.opts.ignoreLiveIndexes ? undefined : this.machine.firstLiveIndex?.()) ?? applied + 1;
    const target = Math.min(applied, floor - 1);
    const snapshotDue =
      target - this.trailerIndex >= this.opts.snapshotEvery ||
      (target > this.trailerIndex && this.bytesAt(target) - this.bytesAt(this.trailerIndex) >= (this.opts.snapshotBytes ?? 32 << 20));
    if (!checkpointDue && !snapshotDue) return;
    this.busy = true;
    // Captured now, synchronously: the live machine moves on as soon as we await.
    const liveState = checkpointDue || (snapshotDue && target === applied) ? this.machine.snapshot() : undefined;
    if (checkpointDue) this.appliedBytes = 0;
    this.work = (async () => {
      try {
        if (snapshotDue) {
          if (target === applied) await this.snapshotFromLive(applied, conf, liveState!);
          else await this.advanceTrailer(target);
        }
        if (checkpointDue && !this.stopped) {
          await this.log.saveCheckpoint({ index: applied, data: liveState! });
          this.checkpointIndex = applied;
        }
      } catch (e) {
        this.opts.logger.warn({ err: (e as Error).message, applied }, 'snapshot or checkpoint failed; will retry');
      } finally {
        this.busy = false;
      }
    })();
  }

  /** Nothing below `applied` is live: the live machine's state is the snapshot, and the trailer restarts from it. */
  private async snapshotFromLive(applied: number, conf: ConfState, data: Uint8Array): Promise<void> {
    const gen = this.generation;
    const meta = { index: applied, term: this.log.term(applied), conf };
    const trailer = this.opts.createMachine();
    trailer.restore(data, meta);
    await this.saveAndCompact({ meta, data });
    if (gen !== this.generation) return;
    this.trailer = trailer;
    this.trailerIndex = applied;
    this.trailerConf = conf;
  }

  /** Read entries back from the log and apply them to the trailing copy up to `target`. */
  private async advanceTrailer(target: number): Promise<void> {
    const batchBytes = this.opts.readBatchBytes ?? 4 << 20;
    const gen = this.generation;
    const trailer = this.trailer;
    let next = this.trailerIndex + 1;
    while (next <= target && !this.stopped) {
      const ents: Entry[] = await this.log.readEntries(next, target + 1, batchBytes);
      if (gen !== this.generation) return;
      if (ents.length === 0) throw new Error(`the log returned no entries at ${next} while advancing the snapshot to ${target}`);
      for (const e of ents) {
        if (e.index !== next) throw new Error(`expected entry ${next}, the log returned ${e.index}`);
        if (e.type === EntryType.ConfChange) this.trailerConf = decodeConfChange(e.data).conf;
        else if (e.data.byteLength > 0) trailer.apply(e);
        next++;
      }
      this.trailerIndex = next - 1;
    }
    if (this.stopped || gen !== this.generation) return;
    const meta = { index: target, term: this.log.term(target), conf: this.trailerConf };
    await this.saveAndCompact({ meta, data: trailer.snapshot() });
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

  /** The lowest index to keep below a snapshot at `index`: at most compactKeep entries and about compactKeepBytes. */
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

  private async saveAndCompact(snapshot: Snapshot): Promise<void> {
    const { index } = snapshot.meta;
    await this.log.saveSnapshot(snapshot);
    const upTo = this.keepFrom(index);
    if (upTo > this.log.firstIndex()) await this.log.compact(upTo);
    this.opts.logger.info(
      { index, bytes: snapshot.data.byteLength, compactedBelow: Math.max(0, upTo), firstIndex: this.log.firstIndex() },
      'snapshot taken',
    );
  }

  /** Let the job in progress finish (it stops early) before the log closes. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.work;
  }
}
