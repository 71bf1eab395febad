// The Wal contract held entirely in memory: for tests of the driver, the
// deterministic simulation and the in-process benchmark. Same semantics as
// the LevelDB log (the conformance suite runs against both), except that
// every range is always available and nothing survives the process.
// Writes change memory at once and resolve on a later microtask, like the
// LevelDB log, whose memory also runs ahead of the disk by the queued writes.

import { CompactedError } from '../raft/core/errors.js';
import type { InitialState, Unavailable } from '../raft/core/storage.js';
import type { ConfState, Entry, GroupId, HardState, NodeId, Snapshot } from '../raft/core/types.js';
import { entryBytes } from '../raft/core/types.js';
import { WalClosedError } from './errors.js';
import type { Checkpoint, GroupLog, PersistRequest, Wal, WalIdentity } from './wal.js';

export interface MemoryWalOptions {
  readonly clusterId: string;
  readonly nodeId: NodeId;
}

export class MemoryWal implements Wal {
  readonly identity: WalIdentity;
  private readonly groups = new Map<GroupId, MemoryGroupLog>();
  private closed = false;

  constructor(options: MemoryWalOptions) {
    this.identity = { clusterId: options.clusterId, nodeId: options.nodeId };
  }

  async group(group: GroupId): Promise<MemoryGroupLog> {
    if (this.closed) throw new WalClosedError();
    let g = this.groups.get(group);
    if (!g) {
      g = new MemoryGroupLog(group);
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
  private hard: HardState = { term: 0, vote: 0, commit: 0 };
  private conf: ConfState | undefined;
  private snap: Snapshot = EMPTY_SNAPSHOT;
  private ckpt: Checkpoint | undefined;
  private closed = false;

  constructor(readonly group: GroupId) {}

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
    return this.entries(lo, hi, maxBytes) as Entry[];
  }

  onEntriesLoaded(_listener: () => void): () => void {
    // Nothing is ever unavailable here, so there is nothing to announce.
    return () => undefined;
  }

  async persist(req: PersistRequest, _sync: boolean): Promise<void> {
    this.assertOpen();
    const snap = req.snapshot && req.snapshot.meta.index > this.snap.meta.index ? req.snapshot : undefined;
    checkContiguous(req.entries, snap ? snap.meta.index : this.lastIndex());
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
    await Promise.resolve();
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
    this.snap = snapshot;
  }

  async compact(index: number): Promise<void> {
    this.assertOpen();
    if (index > this.snap.meta.index + 1) throw new RangeError(`compact ${index} beyond the snapshot at ${this.snap.meta.index}`);
    if (index > this.lastIndex() + 1) throw new RangeError(`compact ${index} beyond last index ${this.lastIndex()}`);
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
    this.ckpt = checkpoint;
  }

  async setConfState(conf: ConfState): Promise<void> {
    this.assertOpen();
    this.conf = conf;
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
