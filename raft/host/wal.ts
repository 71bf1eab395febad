// The durable Raft log as the driver sees it (the driver owns this seam; log/
// implements it in LevelDB and in memory): the core's synchronous read
// interface (Storage) plus asynchronous, batched writes. One GroupLog per Raft
// group; all groups of a node share one LevelDB and one write queue, so one
// fsync serves every group's appends that arrived while the previous write was
// in flight (group commit).

import type { Storage } from '../core/storage.js';
import type { ConfState, Entry, GroupId, HardState, NodeId, Snapshot } from '../core/types.js';

/** What one Ready asks to persist. Written as ONE atomic LevelDB batch. */
export interface PersistRequest {
  readonly hardState?: HardState | undefined;
  /** Appended; the first may overwrite existing entries at its index and after (truncation in the same batch). */
  readonly entries: readonly Entry[];
  /** A snapshot received from the leader: replaces the log up to its index. */
  readonly snapshot?: Snapshot | undefined;
}

/**
 * The live state machine's state at an applied index, kept only to restart
 * fast (replaying the log from here rather than from the snapshot). Unlike the
 * snapshot it is never sent to a peer and never allows compaction.
 */
export interface Checkpoint {
  readonly index: number;
  readonly data: Uint8Array;
}

export interface GroupLog extends Storage {
  readonly group: GroupId;
  /** Resolves once the request is durable (fsynced when `sync`), coalesced with concurrent requests. */
  persist(req: PersistRequest, sync: boolean): Promise<void>;
  /** Store a snapshot the application took at `snapshot.meta.index`; entries up to it may then be compacted. */
  saveSnapshot(snapshot: Snapshot): Promise<void>;
  /**
   * Delete entries below `index` (index <= the latest snapshot's index + 1), in
   * batches, never stalling appends — except those listed in `keep`: the
   * entries the machines still read (message bodies). They stay readable by
   * index through readEntries as the sparse part of the log below firstIndex().
   * `keep` replaces the sparse set: entries kept before and not listed again
   * are deleted. Listed indexes the log no longer holds are ignored. Where
   * more than half of the range's bytes are listed, a log may move its first
   * index only to the lowest listed entry instead (compactionPoint in
   * sparse-entries.ts): copying nearly everything to free little never pays.
   */
  compact(index: number, keep?: Iterable<number>): Promise<void>;
  /** The indexes of the sparse part: entries kept below firstIndex(), ascending. */
  sparseIndexes(): readonly number[];
  /**
   * Keep these committed entries in the sparse part (a leader sends them with
   * a snapshot: the live entries below it). Entries at or above firstIndex()
   * stay hidden behind the log until a snapshot or compaction moves past them;
   * the next compaction deletes any that are not listed as kept.
   */
  storeSparse(entries: readonly Entry[]): Promise<void>;
  /**
   * Called whenever a load started by an UNAVAILABLE answer of `entries()`
   * has finished (loaded, or failed: the next `entries()` call then throws the
   * damage it found, or starts the load again). Returns an unsubscribe.
   */
  onEntriesLoaded(listener: () => void): () => void;
  /**
   * Entries [lo, hi) within maxBytes (at least one), from memory or else read
   * from disk: for readers that can wait (delivery of old messages, tools),
   * never the core. Below firstIndex() the log is sparse: the kept entries
   * in the range are returned in order, holes skipped; CompactedError when
   * lo < firstIndex() and no entry is kept in [lo, min(hi, firstIndex())).
   */
  readEntries(lo: number, hi: number, maxBytes: number): Promise<Entry[]>;
  /** The newest checkpoint saved, if any (a received snapshot discards it). */
  checkpoint(): Checkpoint | undefined;
  /** Durably replaces the checkpoint (synced); one not newer than the current is ignored. `index` <= lastIndex(). */
  saveCheckpoint(checkpoint: Checkpoint): Promise<void>;
  /** The membership as of the last persisted snapshot or conf-change-bearing hard state. */
  setConfState(conf: ConfState): Promise<void>;
}

export interface WalIdentity {
  readonly clusterId: string;
  readonly nodeId: NodeId;
}

export interface Wal {
  readonly identity: WalIdentity;
  /** The log of one group, created empty on first use. */
  group(group: GroupId): Promise<GroupLog>;
  close(): Promise<void>;
}
