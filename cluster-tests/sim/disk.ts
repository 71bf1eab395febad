// The simulated disk under the production log (log/memory-wal.ts): one
// device per node, with a written and a durable layer, on virtual time.
//
// The log changes its memory at once and hands each write here; the write
// takes simulated time on a sequential device (sometimes stalling), and its
// promise resolves when it completes. An unsynced write (the host makes none
// today: a commit index that moved alone is not written) is then merely
// written: it becomes durable when a later synced write completes, as an
// fsync of a sequential log makes everything before it durable.
//
// A crash keeps the durable layer plus a random prefix of what was written or
// in flight (the OS may have flushed some of it). The record just after that
// prefix may be torn: it is kept damaged, and recovery drops it because its
// checksum no longer matches (and everything after it, which never reached
// the disk). Recovery rebuilds each group's log by replaying the surviving
// records (MemoryGroupLog.replay) onto a copy of the durable image.

import type { GroupId, HardState } from '../../raft/core/types.js';
import type { MemoryDisk, MemoryWrite } from '../../log/memory-wal.js';
import { MemoryGroupLog } from '../../log/memory-wal.js';
import type { Rng } from './prng.js';

export interface DiskTiming {
  /** Bounds of a synced write's duration. */
  readonly syncDelay: readonly [number, number];
  /** Probability that a write stalls (a slow disk) for up to `stallMax`. */
  readonly stallRate: number;
  readonly stallMax: number;
  /** Probability that a crash tears the first record it does not keep. */
  readonly tornWriteRate: number;
}

/** Runs `fn` after `delay` units of the device's clock (the simulation's scheduler; setImmediate in tests). */
export type DeviceClock = (delay: number, fn: () => void) => void;

interface Record {
  readonly group: GroupId;
  readonly w: MemoryWrite;
  readonly sync: boolean;
  readonly crc: number;
  written: boolean;
  readonly resolve: () => void;
}

export interface CrashReport {
  readonly kept: number;
  readonly lost: number;
  readonly torn: boolean;
}

export class SimDisk implements MemoryDisk {
  /** Per group: the log as stable storage holds it. */
  private readonly durable = new Map<GroupId, MemoryGroupLog>();
  /** Issued and not yet durable, in issue order. */
  private pending: Record[] = [];
  /** Bumped by a crash: completions of writes issued before it are void. */
  private epoch = 0;
  /** Writes complete one after another: the time the device is next free (virtual time of the driver). */
  private busyUntil = 0;
  /** Whether writes may stall (off once the faults stop). */
  stalls = true;
  writes = 0;
  syncs = 0;
  snapshotsWritten = 0;
  checkpointsWritten = 0;
  /** Told when a synced write completed, with the group's durable hard state before it. */
  observer: ((group: GroupId, before: HardState) => void) | undefined;

  constructor(
    private readonly timing: DiskTiming,
    private readonly rng: Rng,
    private readonly clock: DeviceClock,
    /** The virtual time now, so a write queues behind the one in progress. */
    private readonly time: () => number = () => 0,
  ) {}

  write(group: GroupId, w: MemoryWrite): Promise<void> {
    const sync = w.op !== 'persist' || w.sync;
    this.writes++;
    if (sync) this.syncs++;
    if (w.op === 'snapshot') this.snapshotsWritten++;
    else if (w.op === 'checkpoint') this.checkpointsWritten++;
    return new Promise<void>((resolve) => {
      const rec: Record = { group, w, sync, crc: checksum(group, w), written: false, resolve };
      this.pending.push(rec);
      const [lo, hi] = this.timing.syncDelay;
      let took = sync ? this.rng.range(lo, hi) : 1;
      if (this.stalls && this.rng.chance(this.timing.stallRate)) took = this.rng.range(hi, this.timing.stallMax);
      const now = this.time();
      const start = Math.max(now, this.busyUntil);
      this.busyUntil = start + took;
      const epoch = this.epoch;
      this.clock(this.busyUntil - now, () => {
        if (epoch === this.epoch) this.completed(rec);
      });
    });
  }

  private completed(rec: Record): void {
    rec.written = true;
    if (rec.sync) {
      // Everything issued up to this synced write is now on stable storage.
      const before = this.image(rec.group).initialState().hardState;
      const k = this.pending.indexOf(rec);
      for (const r of this.pending.slice(0, k + 1)) this.replayOnto(this.image(r.group), r);
      this.pending = this.pending.slice(k + 1);
      this.observer?.(rec.group, before);
    }
    rec.resolve();
  }

  private image(group: GroupId): MemoryGroupLog {
    let g = this.durable.get(group);
    if (!g) {
      g = new MemoryGroupLog(group);
      this.durable.set(group, g);
    }
    return g;
  }

  private replayOnto(log: MemoryGroupLog, r: Record): boolean {
    if (checksum(r.group, r.w) !== r.crc) return false;
    log.replay(r.w);
    return true;
  }

  /** What stable storage holds for `group` now (for the checkers: what a promise may rest on). */
  durableLog(group: GroupId): MemoryGroupLog {
    return this.image(group);
  }

  /** Writes issued and not yet completed, or completed unsynced. */
  get inFlight(): number {
    return this.pending.length;
  }

  /**
   * The process died: what was not durable survives only as a random prefix,
   * the record after it possibly torn. Writes still in progress never complete.
   */
  crash(): CrashReport {
    this.epoch++;
    const n = this.pending.length;
    const keep = n === 0 ? 0 : this.rng.range(0, n);
    let torn = false;
    const candidates = this.pending.slice(0, keep);
    if (keep < n && this.rng.chance(this.timing.tornWriteRate)) {
      candidates.push(tear(this.pending[keep]!));
      torn = true;
    }
    let kept = 0;
    for (const r of candidates) {
      // Recovery reads records in order and stops at the first whose checksum fails.
      if (!this.replayOnto(this.image(r.group), r)) break;
      kept++;
    }
    this.pending = [];
    this.busyUntil = this.time();
    return { kept, lost: n - kept, torn };
  }

  /** A clean shutdown: every write issued has completed, so everything written is on stable storage. */
  flush(): void {
    if (this.pending.some((r) => !r.written)) throw new Error('flush with writes still in progress');
    for (const r of this.pending) this.replayOnto(this.image(r.group), r);
    this.pending = [];
  }

  /** The logs a restart finds: copies of stable storage, writing to this disk again. */
  recover(): Map<GroupId, MemoryGroupLog> {
    return new Map([...this.durable].map(([g, log]) => [g, log.copy(this)]));
  }
}

/** A torn copy of a record: part of it reached the disk, so it no longer matches its checksum. */
function tear(r: Record): Record {
  const w = r.w;
  let damaged: MemoryWrite;
  if (w.op === 'persist' && w.req.entries.length > 0) damaged = { ...w, req: { ...w.req, entries: w.req.entries.slice(0, w.req.entries.length - 1) } };
  else if (w.op === 'persist') damaged = { ...w, req: { entries: [] } };
  else if (w.op === 'compact') damaged = { op: 'compact', index: w.index - 1, ...(w.keep ? { keep: w.keep.slice(1) } : {}) };
  else if (w.op === 'sparse') damaged = { op: 'sparse', entries: w.entries.slice(0, w.entries.length - 1) };
  else if (w.op === 'conf') damaged = { op: 'conf', conf: { voters: w.conf.voters.slice(1), learners: w.conf.learners } };
  else if (w.op === 'snapshot') damaged = { op: 'snapshot', snapshot: { ...w.snapshot, data: w.snapshot.data.subarray(0, w.snapshot.data.byteLength >> 1) } };
  else damaged = { op: 'checkpoint', checkpoint: { ...w.checkpoint, data: w.checkpoint.data.subarray(0, w.checkpoint.data.byteLength >> 1) } };
  return { ...r, w: damaged };
}

/** FNV-1a over what a record says: enough to notice any tear above. */
export function checksum(group: GroupId, w: MemoryWrite): number {
  let h = 0x811c9dc5;
  const mix = (x: number): void => {
    h = Math.imul(h ^ (x | 0), 0x01000193);
    h = Math.imul(h ^ Math.floor(x / 4294967296), 0x01000193);
  };
  const bytes = (b: Uint8Array): void => {
    mix(b.byteLength);
    for (let i = 0; i < b.byteLength; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  };
  mix(group);
  switch (w.op) {
    case 'persist': {
      mix(1);
      mix(w.sync ? 1 : 0);
      const { hardState: hs, snapshot: s, entries } = w.req;
      if (hs) (mix(hs.term), mix(hs.vote), mix(hs.commit));
      else mix(-1);
      if (s) (mix(s.meta.index), mix(s.meta.term), bytes(s.data));
      else mix(-1);
      mix(entries.length);
      for (const e of entries) {
        mix(e.index);
        mix(e.term);
        mix(e.type);
        bytes(e.data);
      }
      break;
    }
    case 'snapshot':
      mix(2);
      mix(w.snapshot.meta.index);
      mix(w.snapshot.meta.term);
      bytes(w.snapshot.data);
      break;
    case 'compact':
      mix(3);
      mix(w.index);
      mix(w.keep?.length ?? -1);
      for (const i of w.keep ?? []) mix(i);
      break;
    case 'sparse':
      mix(6);
      mix(w.entries.length);
      for (const e of w.entries) {
        mix(e.index);
        mix(e.term);
        mix(e.type);
        bytes(e.data);
      }
      break;
    case 'checkpoint':
      mix(4);
      mix(w.checkpoint.index);
      bytes(w.checkpoint.data);
      break;
    case 'conf':
      mix(5);
      for (const v of w.conf.voters) mix(v);
      mix(-1);
      for (const l of w.conf.learners) mix(l);
      break;
  }
  return h >>> 0;
}
