// The Wal contract held entirely in memory: for tests of the driver, the
// deterministic simulation and the in-process benchmark. Same semantics as
// the LevelDB log (the conformance suite runs against both), except that
// every range is always available.
// Writes change memory at once and resolve when the disk says so, like the
// LevelDB log, whose memory also runs ahead of the disk by the queued writes.
// The disk is pluggable: by default a write resolves on a later microtask and
// nothing survives the process; the deterministic simulation plugs in a disk
// with written and durable layers on virtual time (cluster-tests/sim/disk.ts)
// that rebuilds a log from what survived a crash by replaying the writes
// (MemoryGroupLog.replay) onto a copy of the durable state.

import { CompactedError } from '../raft/core/errors.js';
import type { InitialState, Unavailable } from '../raft/core/storage.js';
import type { ConfState, Entry, GroupId, HardState, NodeId, Snapshot } from '../raft/core/types.js';
import { entryBytes } from '../raft/core/types.js';
import { ascendingUnique, compactionPoint, SparseEntries } from '../raft/host/sparse-entries.js';
import { WalClosedError } from './errors.js';
import type { Checkpoint, GroupLog, PersistRequest, Wal, WalIdentity } from './wal.js';

/** One write, as the log hands it to its disk: the GroupLog operations in the order they were asked for. */
export type MemoryWrite =
  | { readonly op: 'persist'; readonly req: PersistRequest; readonly sync: boolean }
  | { readonly op: 'snapshot'; readonly snapshot: Snapshot }
  | { readonly op: 'compact'; readonly index: number; readonly keep?: readonly number[] }
  | { readonly op: 'sparse'; readonly entries: readonly Entry[] }
  | { readonly op: 'checkpoint'; readonly checkpoint: Checkpoint }
  | { readonly op: 'conf'; readonly conf: ConfState };

/**
 * Where a MemoryGroupLog's writes go once memory has changed. The promise is
 * what the log's caller awaits: resolved when the write is as durable as it
 * asked (a synced persist, snapshot, checkpoint, membership or compaction
 * record: on stable storage; an unsynced persist: written).
 */
export interface MemoryDisk {
  write(group: GroupId, w: MemoryWrite): Promise<void>;
}

/** Resolves every write on the next microtask; nothing outlives the process. */
export const NO_DISK: MemoryDisk = { write: () => Promise.resolve() };

export interface MemoryWalOptions {
  readonly clusterId: string;
  readonly nodeId: NodeId;
  /** Where writes go (default NO_DISK). */
  readonly disk?: MemoryDisk;
  /** Start from these logs (what a disk recovered), instead of empty ones. */
  readonly groups?: ReadonlyMap<GroupId, MemoryGroupLog>;
}

export class MemoryWal implements Wal {
  readonly identity: WalIdentity;
  private readonly groups = new Map<GroupId, MemoryGroupLog>();
  private closed = false;

  private readonly disk: MemoryDisk;

  constructor(options: MemoryWalOptions) {
    this.identity = { clusterId: options.clusterId, nodeId: options.nodeId };
    this.disk = options.disk ?? NO_DISK;
    for (const [id, g] of options.groups ?? []) this.groups.set(id, g.copy(this.disk));
  }

  async group(group: GroupId): Promise<MemoryGroupLog> {
    if (this.closed) throw new WalClosedError();
    let g = this.groups.get(group);
    if (!g) {
      g = new MemoryGroupLog(group, this.disk);
      this.groups.set(group, g);
    }
    return g;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const g of this.groups.values()) g.close();
  }
}

const EMPTY_SNAPSHOT: Snapshot = { meta: { index: 0, term: 0, conf: { voters: [], learners: [] } }, data: new Uint8Array(0) };

export class MemoryGroupLog implements GroupLog {
  private first = 1;
  /** Term of entry first - 1. */
  private prevTerm = 0;
  /** ents[k] has index first + k. */
  private ents: Entry[] = [];
  /** Entries kept below `first` (and those stored ahead of a snapshot). */
  private sparse = new SparseEntries();
  private hard: HardState = { term: 0, vote: 0, commit: 0 };
  private conf: ConfState | undefined;
  private snap: Snapshot = EMPTY_SNAPSHOT;
  private ckpt: Checkpoint | undefined;
  private closed = false;

  constructor(
    readonly group: GroupId,
    private readonly disk: MemoryDisk = NO_DISK,
  ) {}

  /** The same state, writing to `disk` (a disk's durable image, or the log rebuilt from it). */
  copy(disk: MemoryDisk = NO_DISK): MemoryGroupLog {
    const c = new MemoryGroupLog(this.group, disk);
    c.first = this.first;
    c.prevTerm = this.prevTerm;
    c.ents = this.ents.slice();
    c.sparse = this.sparse.copy();
    c.hard = this.hard;
    c.conf = this.conf;
    c.snap = this.snap;
    c.ckpt = this.ckpt;
    return c;
  }

  /**
   * Apply a write that was accepted before (by this log or another with the
   * same history) to memory, without sending it to the disk: how a disk
   * rebuilds a log from the writes that survived a crash.
   */
  replay(w: MemoryWrite): void {
    switch (w.op) {
      case 'persist':
        return this.applyPersist(w.req);
      case 'snapshot':
        return this.applySnapshot(w.snapshot);
      case 'compact':
        return this.applyCompact(w.index, w.keep);
      case 'sparse':
        return this.sparse.store(w.entries);
      case 'checkpoint':
        return this.applyCheckpoint(w.checkpoint);
      case 'conf':
        this.conf = w.conf;
        return;
    }
  }

  initialState(): InitialState {
    return { hardState: this.hard, confState: this.conf ?? this.snap.meta.conf };
  }

  firstIndex(): number {
    return this.first;
  }

  lastIndex(): number {
    return this.first + this.ents.length - 1;
  }

  term(i: number): number {
    if (i < this.first - 1) throw new CompactedError(i, this.first);
    if (i > this.lastIndex()) return 0;
    if (i === this.first - 1) return this.prevTerm;
    return this.ents[i - this.first]!.term;
  }

  snapshot(): Snapshot {
    return this.snap;
  }

  entries(lo: number, hi: number, maxBytes: number): Entry[] | Unavailable {
    this.assertOpen();
    if (lo < this.first) throw new CompactedError(lo, this.first);
    if (hi > this.lastIndex() + 1) throw new RangeError(`entries [${lo}, ${hi}) beyond last index ${this.lastIndex()}`);
    const out: Entry[] = [];
    let bytes = 0;
    for (let i = lo; i < hi; i++) {
      const e = this.ents[i - this.first]!;
      bytes += entryBytes(e);
      if (out.length > 0 && bytes > maxBytes) break;
      out.push(e);
    }
    return out;
  }

  async readEntries(lo: number, hi: number, maxBytes: number): Promise<Entry[]> {
    this.assertOpen();
    return this.sparse.readAcross(lo, hi, maxBytes, this.first, async (l, h, m) => this.entries(l, h, m) as Entry[]);
  }

  sparseIndexes(): readonly number[] {
    return this.sparse.indexesBelow(this.first);
  }

  /**
   * What a leader sends with its snapshot at `index`, at once (the simulated
   * transport ships it in one piece; the real one reads it in chunks, see
   * raft/host/snapshotter.ts snapshotEntries): the sparse part up to `index`
   * and the log from the first index up to `index`.
   */
  entriesWithSnapshot(index: number): Entry[] {
    const out: Entry[] = [];
    const below = this.sparse.indexesBelow(Math.min(this.first, index + 1));
    if (below.length > 0) out.push(...this.sparse.read(below[0]!, index + 1, Number.MAX_SAFE_INTEGER, this.first).entries);
    for (let i = this.first; i <= Math.min(index, this.lastIndex()); i++) out.push(this.ents[i - this.first]!);
    return out;
  }

  async storeSparse(entries: readonly Entry[]): Promise<void> {
    this.assertOpen();
    if (entries.length === 0) return;
    this.sparse.store(entries);
    await this.disk.write(this.group, { op: 'sparse', entries });
  }

  onEntriesLoaded(_listener: () => void): () => void {
    // Nothing is ever unavailable here, so there is nothing to announce.
    return () => undefined;
  }

  async persist(req: PersistRequest, sync: boolean): Promise<void> {
    this.assertOpen();
    const snap = req.snapshot && req.snapshot.meta.index > this.snap.meta.index ? req.snapshot : undefined;
    checkContiguous(req.entries, snap ? snap.meta.index : this.lastIndex());
    this.applyPersist(req);
    await this.disk.write(this.group, { op: 'persist', req, sync });
  }

  private applyPersist(req: PersistRequest): void {
    const snap = req.snapshot && req.snapshot.meta.index > this.snap.meta.index ? req.snapshot : undefined;
    if (snap) {
      this.snap = snap;
      this.first = snap.meta.index + 1;
      this.prevTerm = snap.meta.term;
      this.ents = [];
      this.conf = undefined;
      this.ckpt = undefined;
    }
    if (req.entries.length > 0) this.append(req.entries);
    if (req.hardState) this.hard = req.hardState;
  }

  private append(entries: readonly Entry[]): void {
    let es = entries;
    if (es[0]!.index < this.first) {
      const skip = this.first - es[0]!.index;
      if (skip >= es.length) return;
      es = es.slice(skip);
    }
    this.ents.length = es[0]!.index - this.first;
    for (const e of es) this.ents.push(e);
  }

  async saveSnapshot(snapshot: Snapshot): Promise<void> {
    this.assertOpen();
    const { index, term } = snapshot.meta;
    if (index <= this.snap.meta.index) return;
    if (index > this.lastIndex()) throw new RangeError(`snapshot at ${index} is beyond the last index ${this.lastIndex()}`);
    if (this.term(index) !== term) throw new RangeError(`snapshot at ${index} has term ${term}, the log has ${this.term(index)}`);
    this.applySnapshot(snapshot);
    await this.disk.write(this.group, { op: 'snapshot', snapshot });
  }

  private applySnapshot(snapshot: Snapshot): void {
    if (snapshot.meta.index > this.snap.meta.index) this.snap = snapshot;
  }

  async compact(index: number, keep?: Iterable<number>): Promise<void> {
    this.assertOpen();
    if (index > this.snap.meta.index + 1) throw new RangeError(`compact ${index} beyond the snapshot at ${this.snap.meta.index}`);
    if (index > this.lastIndex() + 1) throw new RangeError(`compact ${index} beyond last index ${this.lastIndex()}`);
    const kept = keep ? ascendingUnique(keep) : [];
    // The same choice as the LevelDB log's: stop at the lowest live entry where most of the range is live.
    const to = compactionPoint(this.first, index, kept, (i) => (i >= this.first && i <= this.lastIndex() ? this.ents[i - this.first]!.data.byteLength : undefined));
    if (to <= this.first && kept.length === 0 && this.sparse.size === 0) return;
    this.applyCompact(to, kept);
    await this.disk.write(this.group, { op: 'compact', index: to, keep: kept });
  }

  private applyCompact(index: number, keep: readonly number[] = []): void {
    // Only the sparse part below `index` is replaced: a compaction that started before a
    // received snapshot must not drop the entries that came with it.
    this.sparse.compact(index, keep, (i) => (i >= this.first && i <= this.lastIndex() ? this.ents[i - this.first] : undefined));
    if (index <= this.first) return;
    this.prevTerm = this.term(index - 1);
    this.ents = this.ents.slice(index - this.first);
    this.first = index;
  }

  checkpoint(): Checkpoint | undefined {
    return this.ckpt;
  }

  async saveCheckpoint(checkpoint: Checkpoint): Promise<void> {
    this.assertOpen();
    if (this.ckpt && checkpoint.index <= this.ckpt.index) return;
    if (checkpoint.index > this.lastIndex()) throw new RangeError(`checkpoint at ${checkpoint.index} is beyond the last index ${this.lastIndex()}`);
    this.applyCheckpoint(checkpoint);
    await this.disk.write(this.group, { op: 'checkpoint', checkpoint });
  }

  private applyCheckpoint(checkpoint: Checkpoint): void {
    if (!this.ckpt || checkpoint.index > this.ckpt.index) this.ckpt = checkpoint;
  }

  async setConfState(conf: ConfState): Promise<void> {
    this.assertOpen();
    this.conf = conf;
    await this.disk.write(this.group, { op: 'conf', conf });
  }

  close(): void {
    this.closed = true;
  }

  private assertOpen(): void {
    if (this.closed) throw new WalClosedError();
  }
}

function checkContiguous(entries: readonly Entry[], last: number): void {
  if (entries.length === 0) return;
  const at = entries[0]!.index;
  if (at > last + 1) throw new RangeError(`gap: appending index ${at} after last index ${last}`);
  for (let k = 1; k < entries.length; k++) {
    if (entries[k]!.index !== at + k) throw new RangeError(`entries not contiguous at ${entries[k]!.index}`);
  }
}
