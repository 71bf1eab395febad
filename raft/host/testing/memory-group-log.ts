// A GroupLog over the core's MemoryStorage, for the host's own tests: writes
// complete on the next macrotask, like a real disk, so the host's group commit
// and ordering are exercised; nothing survives the process.

import { MemoryStorage } from '../../core/memory-storage.js';
import type { InitialState, Unavailable } from '../../core/storage.js';
import type { ConfState, Entry, GroupId, Snapshot } from '../../core/types.js';
import { SparseEntries } from '../sparse-entries.js';
import type { Checkpoint, GroupLog, PersistRequest } from '../wal.js';

export class MemoryGroupLog implements GroupLog {
  readonly storage: MemoryStorage;
  persists = 0;
  syncs = 0;

  constructor(
    readonly group: GroupId,
    conf: ConfState,
  ) {
    this.storage = new MemoryStorage(conf);
  }

  initialState(): InitialState {
    return this.storage.initialState();
  }
  entries(lo: number, hi: number, maxBytes: number): Entry[] | Unavailable {
    return this.storage.entries(lo, hi, maxBytes);
  }
  term(i: number): number {
    return this.storage.term(i);
  }
  firstIndex(): number {
    return this.storage.firstIndex();
  }
  lastIndex(): number {
    return this.storage.lastIndex();
  }
  snapshot(): Snapshot {
    return this.storage.snapshot();
  }

  private cp: Checkpoint | undefined;
  checkpoint(): Checkpoint | undefined {
    return this.cp;
  }
  async saveCheckpoint(cp: Checkpoint): Promise<void> {
    await new Promise((r) => setImmediate(r));
    if (!this.cp || cp.index > this.cp.index) this.cp = cp;
  }

  /** Make the next write take this long (a stalled disk). */
  stallNextMs = 0;

  async persist(req: PersistRequest, sync: boolean): Promise<void> {
    const stall = this.stallNextMs;
    this.stallNextMs = 0;
    if (stall > 0) await new Promise((r) => setTimeout(r, stall));
    else await new Promise((r) => setImmediate(r));
    this.persists++;
    if (sync) this.syncs++;
    if (req.snapshot) {
      this.storage.applySnapshot(req.snapshot);
      // The checkpoint belonged to the log the snapshot replaced.
      if (this.cp && this.cp.index <= req.snapshot.meta.index) this.cp = undefined;
    }
    this.storage.append(req.entries);
    if (req.hardState) this.storage.setHardState(req.hardState);
  }

  async saveSnapshot(s: Snapshot): Promise<void> {
    this.storage.createSnapshot(s.meta.index, s.meta.conf, s.data);
  }

  private readonly sparse = new SparseEntries();

  async compact(index: number, keep: Iterable<number> = []): Promise<void> {
    const first = this.storage.firstIndex();
    const last = this.storage.lastIndex();
    this.sparse.compact(index, keep, (i) => {
      if (i < first || i > last) return undefined;
      const es = this.storage.entries(i, i + 1, Number.MAX_SAFE_INTEGER);
      return Array.isArray(es) ? es[0] : undefined;
    });
    if (index > first) this.storage.compact(index);
  }

  sparseIndexes(): readonly number[] {
    return this.sparse.indexesBelow(this.storage.firstIndex());
  }

  async storeSparse(entries: readonly Entry[]): Promise<void> {
    await new Promise((r) => setImmediate(r));
    this.sparse.store(entries);
  }

  /** Everything is in memory: no load ever happens, so listeners are never called. */
  onEntriesLoaded(): () => void {
    return () => {};
  }

  async readEntries(lo: number, hi: number, maxBytes: number): Promise<Entry[]> {
    return this.sparse.readAcross(lo, hi, maxBytes, this.storage.firstIndex(), async (l, h, m) => {
      const es = this.storage.entries(l, h, m);
      if (!Array.isArray(es)) throw new Error('memory storage never answers UNAVAILABLE');
      return es;
    });
  }

  async setConfState(conf: ConfState): Promise<void> {
    this.storage.setConfState(conf);
  }
}
