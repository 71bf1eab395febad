// The durable Raft log of every group on a node, in one LevelDB (classic-level).
//
// Memory holds what the core reads synchronously: first and last index, every
// term (as runs), hard state, membership, the latest snapshot, and the newest
// entries. LevelDB holds everything, written through one write queue per node
// (group commit; see write-queue.ts) with the layout of keys.ts and the
// checksummed records of codec.ts.
//
// When memory changes: at ENQUEUE time, in persist(), before the write lands.
// The in-memory view is then always "the disk once every queued write is
// written", which is what a later request needs to build its batch (a
// truncation deletes up to the last index including still-queued appends),
// and what makes concurrent persists from one group compose. The core cannot
// observe the difference: it keeps the entries of a Ready in its unstable log,
// and reads them from there, until the driver reports them durable. Readers
// that go to disk (loads of old ranges, readEntries) first wait until the
// writes queued so far are written, so they never see the disk behind memory.
// The price: a failed write leaves memory ahead of disk, so it fails the Wal.

import { mkdir } from 'node:fs/promises';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { ClassicLevel } from 'classic-level';
import type { Logger } from 'pino';
import { CompactedError } from '../raft/core/errors.js';
import type { InitialState, Unavailable } from '../raft/core/storage.js';
import { UNAVAILABLE } from '../raft/core/storage.js';
import type { ConfState, Entry, GroupId, HardState, NodeId, Snapshot } from '../raft/core/types.js';
import { entryBytes } from '../raft/core/types.js';
import {
  dataChecksum,
  decodeCheckpoint,
  decodeConfState,
  decodeEntry,
  decodeFirstIndex,
  decodeHardState,
  decodeIdentity,
  decodeSnapshotChunk,
  decodeSnapshotMeta,
  decodeTermRun,
  encodeCheckpoint,
  encodeConfState,
  encodeEntry,
  encodeEntryScratch,
  encodeFirstIndex,
  encodeHardState,
  encodeIdentity,
  encodeSnapshotChunk,
  encodeSnapshotMeta,
  encodeTermRun,
} from './codec.js';
import { DirSync, syncDirectoryTree } from './dir-sync.js';
import type { DirSyncStats } from './dir-sync.js';
import { EntryCache, LoadedRanges } from './entry-cache.js';
import { WalClosedError, WalCorruptionError, WalError, WalIdentityError, WalLockedError } from './errors.js';
import { GroupKeys, IDENTITY_KEY, indexOfKey, KeyType } from './keys.js';
import { ascendingUnique, compactionPoint, readAcross, lowerBound } from '../raft/host/sparse-entries.js';
import { EntrySizes } from './entry-sizes.js';
import { TermRuns } from './term-runs.js';
import type { RunChanges } from './term-runs.js';
import type { Checkpoint, GroupLog, PersistRequest, Wal, WalIdentity } from './wal.js';
import type { BatchOp, BatchSink } from './write-queue.js';
import { WriteQueue } from './write-queue.js';
import { FullCheckMarks } from './full-check-marks.js';

export interface OpenWalOptions {
  /** The data directory; created if missing. */
  readonly dir: string;
  readonly clusterId: string;
  readonly nodeId: NodeId;
  readonly logger?: Logger | undefined;
  /** Budget of the newest-entries cache, per group. Default 64 MiB. */
  readonly cacheBytes?: number | undefined;
  /** Budget for old ranges read back from disk, per group. Default 16 MiB. */
  readonly loadedBytes?: number | undefined;
  /** How much one load of an old range reads (at least the entry asked for). Default 4 MiB. */
  readonly loadChunkBytes?: number | undefined;
  /**
   * What opening a group checks. 'tail' (default): metadata, term runs and the
   * newest entries (which also warm the cache), so open time does not grow
   * with the log. 'full': every entry, its checksum, contiguity and term.
   * 'replay': every entry a restart replays (above the checkpoint or snapshot)
   * and every entry above the commit index, fully, so damage there is repaired
   * or refused before the node says ready, as with 'full'; older entries are
   * checked when read, and damage met then marks the group for a 'full' check
   * at its next open (full-check-marks.ts). Open time then follows the
   * replayed tail (bounded by the checkpoint interval), not the log's length.
   * Entries not checked on open are checked whenever they are read.
   */
  readonly verifyOnOpen?: 'tail' | 'full' | 'replay' | undefined;
  /**
   * Repair, on open, damage that can be repaired safely (default true): with
   * 'full' verification, entries found damaged at or below the commit index
   * this node recorded — so a majority holds them — are discarded from the
   * damaged one on (term and vote stay; the commit index drops below them)
   * and fetched again from the leader. A LevelDB table LevelDB itself cannot
   * read is first salvaged with LevelDB's repair. Damage above the commit
   * index, or to the hard state, membership, snapshot or identity, still
   * refuses to open.
   */
  readonly repair?: boolean | undefined;
  /** How many bytes of the newest entries opening a group reads into the cache. Default min(cacheBytes, 4 MiB). */
  readonly warmBytes?: number | undefined;
  /** Keys deleted per batch when compacting. Default 4096. */
  readonly compactionBatch?: number | undefined;
  /** Snapshot data is stored in chunks of this size. Default 1 MiB. */
  readonly snapshotChunkBytes?: number | undefined;
  /**
   * Make the names of the log's files durable, not only their bytes: fsync the
   * data directory (and the ones mkdir created) after opening, and again after
   * a synced write whenever LevelDB changed the directory (a log switch), before
   * the write counts as durable. Default true; false only to show, in tests,
   * what a power cut does without it (QUORUMQ_UNSAFE_NO_DIR_SYNC=1 does the same
   * for a whole node).
   */
  readonly syncDirectory?: boolean | undefined;
  /** Passed to LevelDB. The defaults suit a log: a 16 MiB write buffer absorbs bursts of appends. */
  readonly level?:
    | {
        readonly writeBufferSize?: number | undefined;
        readonly cacheSize?: number | undefined;
        readonly compression?: boolean | undefined;
        readonly maxFileSize?: number | undefined;
      }
    | undefined;
}

interface Settings {
  readonly repair: boolean;
  readonly cacheBytes: number;
  readonly loadedBytes: number;
  readonly loadChunkBytes: number;
  readonly verifyOnOpen: 'tail' | 'full' | 'replay';
  readonly warmBytes: number;
  readonly compactionBatch: number;
  readonly snapshotChunkBytes: number;
}

type Db = ClassicLevel<Buffer, Buffer>;

const MiB = 1024 * 1024;

/** A classic-level chained batch: it copies each operation natively as it is added (see write-queue.ts). */
function chainedBatch(db: Db): BatchSink {
  const b = db.batch();
  return {
    put: (key, value) => void b.put(key, value),
    del: (key) => void b.del(key),
    write: (sync) => b.write({ sync }),
    discard: () => void b.close().catch(() => undefined),
  };
}

function writeBatch(db: Db, ops: readonly BatchOp[], sync: boolean): Promise<void> {
  const b = chainedBatch(db);
  for (const op of ops) {
    if (op.type === 'put') b.put(op.key, op.value);
    else b.del(op.key);
  }
  return b.write(sync);
}

function isLocked(e: unknown): boolean {
  for (let c: unknown = e; c; c = (c as { cause?: unknown }).cause) {
    if ((c as { code?: unknown }).code === 'LEVEL_LOCKED') return true;
  }
  return false;
}

function errorMessage(e: unknown): string {
  const parts: string[] = [];
  for (let c: unknown = e; c; c = (c as { cause?: unknown }).cause) parts.push(String((c as Error).message ?? c));
  return parts.join(': ');
}

/** Opens (creating if needed) the node's log in `dir`, checking that it belongs to this cluster and node. */
export async function openWal(options: OpenWalOptions): Promise<LevelWal> {
  const { dir, clusterId, nodeId } = options;
  if (!clusterId) throw new RangeError('clusterId must be a non-empty string');
  if (!Number.isInteger(nodeId) || nodeId <= 0 || nodeId > 0xffff_ffff) throw new RangeError(`nodeId ${nodeId} must be a positive u32`);
  const created = await mkdir(dir, { recursive: true });
  const syncDirectory = options.syncDirectory ?? process.env.QUORUMQ_UNSAFE_NO_DIR_SYNC !== '1';
  const openDb = async (): Promise<Db> => {
    const db: Db = new ClassicLevel<Buffer, Buffer>(dir, {
      keyEncoding: 'buffer',
      valueEncoding: 'buffer',
      writeBufferSize: options.level?.writeBufferSize ?? 16 * MiB,
      cacheSize: options.level?.cacheSize ?? 8 * MiB,
      compression: options.level?.compression ?? true,
      maxFileSize: options.level?.maxFileSize ?? 4 * MiB,
    });
    try {
      await db.open();
    } catch (e) {
      if (isLocked(e)) throw new WalLockedError(dir, { cause: e });
      throw new WalError(`cannot open data directory ${dir}: ${errorMessage(e)}`, { cause: e });
    }
    return db;
  };
  const db = await openDb();
  try {
    const stored = await db.get(IDENTITY_KEY);
    if (stored === undefined) {
      if ((await db.keys({ limit: 1 }).all()).length > 0) {
        throw new WalError(`data directory ${dir} holds LevelDB data but no quorumq identity record; refusing to adopt it`);
      }
      await db.put(IDENTITY_KEY, encodeIdentity(IDENTITY_KEY, { clusterId, nodeId }), { sync: true });
    } else {
      const found = decodeIdentity(IDENTITY_KEY, stored);
      if (found.clusterId !== clusterId || found.nodeId !== nodeId) throw new WalIdentityError(dir, found, { clusterId, nodeId });
    }
    // LevelDB does not fsync a new database's first MANIFEST, nor the
    // directory after it renames CURRENT: make what opening wrote durable,
    // names included, before anything written after counts.
    if (syncDirectory) await syncDirectoryTree(dir, created ?? dir);
  } catch (e) {
    await db.close().catch(() => undefined);
    throw e;
  }
  let dirSync: DirSync | undefined;
  if (syncDirectory) {
    try {
      dirSync = new DirSync(dir);
    } catch (e) {
      await db.close().catch(() => undefined);
      throw new WalError(`cannot open data directory ${dir} to sync it: ${errorMessage(e)}`, { cause: e });
    }
  } else {
    options.logger?.warn({ dir }, 'directory fsyncs are off: a power cut may lose confirmed writes (testing only)');
  }
  const cacheBytes = options.cacheBytes ?? 64 * MiB;
  const settings: Settings = {
    repair: options.repair ?? true,
    cacheBytes,
    loadedBytes: options.loadedBytes ?? 16 * MiB,
    loadChunkBytes: options.loadChunkBytes ?? 4 * MiB,
    verifyOnOpen: options.verifyOnOpen ?? 'tail',
    warmBytes: Math.min(options.warmBytes ?? 4 * MiB, cacheBytes),
    compactionBatch: options.compactionBatch ?? 4096,
    snapshotChunkBytes: options.snapshotChunkBytes ?? MiB,
  };
  options.logger?.info({ dir, clusterId, nodeId }, 'log opened');
  return new LevelWal(db, dir, { clusterId, nodeId }, settings, options.logger, dirSync, openDb, new FullCheckMarks(dir, options.logger));
}

/** Opening a group found damage LevelDB's repair should salvage before the group is opened again. */
class NeedsSalvage extends WalError {
  override readonly name = 'NeedsSalvage';
  constructor(readonly damage: WalCorruptionError) {
    super(damage.message, { cause: damage });
  }
}

export class LevelWal implements Wal {
  private readonly groups = new Map<GroupId, Promise<LevelGroupLog>>();
  private closing: Promise<void> | undefined;
  readonly queue: WriteQueue;
  /** Times LevelDB's own repair salvaged the database (a table it could not read). */
  storageRepairs = 0;

  constructor(
    private db: Db,
    readonly dir: string,
    readonly identity: WalIdentity,
    private readonly settings: Settings,
    private readonly logger: Logger | undefined,
    private readonly dirSync?: DirSync | undefined,
    private readonly reopenDb?: () => Promise<Db>,
    private readonly marks?: FullCheckMarks,
  ) {
    // A failed write may be LevelDB meeting a damaged table no open checked: check everything next time.
    const onFail = marks ? (e: Error): void => { for (const g of this.groups.keys()) marks.mark(g, e.message); } : undefined;
    this.queue = new WriteQueue(() => chainedBatch(this.db), undefined, dirSync ? () => dirSync.afterSyncedWrite() : undefined, onFail);
  }

  /** Directory fsyncs after synced writes (undefined when they are off). */
  get dirSyncStats(): DirSyncStats | undefined {
    return this.dirSync?.stats;
  }

  group(group: GroupId): Promise<LevelGroupLog> {
    if (this.closing) return Promise.reject(new WalClosedError());
    let g = this.groups.get(group);
    if (!g) {
      g = this.openGroup(group);
      this.groups.set(group, g);
      // A group that failed to open (corruption) may be retried after repair; do not cache the failure.
      g.catch(() => this.groups.delete(group));
    }
    return g;
  }

  private async openGroup(group: GroupId): Promise<LevelGroupLog> {
    const logger = this.logger?.child({ group });
    try {
      return await LevelGroupLog.open(this.db, this.queue, group, this.settings, logger, false, this.marks);
    } catch (e) {
      // LevelDB cannot read a table (a damaged block): let LevelDB salvage what it can
      // read, once, then open again; our own checks then find what is missing.
      const alone = this.groups.size === 1 && this.queue.idle;
      // A read LevelDB itself fails (a table's index or footer unreadable) surfaces as its own error.
      const storage = e instanceof NeedsSalvage || (!(e instanceof WalError) && /Corruption|IO error/.test(errorMessage(e)));
      if (!(storage && this.settings.repair && this.reopenDb && alone && this.storageRepairs === 0)) throw e instanceof NeedsSalvage ? e.damage : e;
      logger?.warn({ err: e, dir: this.dir }, 'damaged log: running LevelDB repair to salvage every table it can read, then checking the log again');
      await this.db.close();
      await ClassicLevel.repair(this.dir);
      this.db = await this.reopenDb();
      this.storageRepairs++;
      return LevelGroupLog.open(this.db, this.queue, group, this.settings, logger, true, this.marks);
    }
  }

  /** Approximate bytes LevelDB uses for one group's keys, for tests and metrics. */
  approximateSize(group: GroupId): Promise<number> {
    const r = new GroupKeys(group).range();
    return this.db.approximateSize(r.start, r.end);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      const logs = await Promise.allSettled(this.groups.values());
      for (const l of logs) if (l.status === 'fulfilled') await l.value.close();
      await this.queue.whenWritten().catch(() => undefined);
      await this.db.close();
      this.dirSync?.close();
      this.logger?.info({ dir: this.dir }, 'log closed');
    })();
    return this.closing;
  }
}

interface Load {
  readonly lo: number;
  readonly upper: number;
}

function isIndex(x: number): boolean {
  return Number.isSafeInteger(x) && x >= 0;
}

function isNode(x: number): boolean {
  return Number.isInteger(x) && x >= 0 && x <= 0xffff_ffff;
}

function validateConf(c: ConfState): void {
  for (const n of [...c.voters, ...c.learners]) if (!isNode(n)) throw new RangeError(`node id ${n} is not a u32`);
}

/** Checks the shape of a request: contiguous entries, and numbers the encodings can hold. */
function validateRequest(req: PersistRequest): void {
  const es = req.entries;
  for (let k = 0; k < es.length; k++) {
    const e = es[k]!;
    if (!isIndex(e.index) || (k > 0 && e.index !== es[0]!.index + k)) throw new RangeError(`entries not contiguous at ${e.index}`);
    if (!isIndex(e.term) || (e.type !== 0 && e.type !== 1)) throw new RangeError(`entry ${e.index}: bad term ${e.term} or type ${e.type}`);
  }
  const hs = req.hardState;
  if (hs && (!isIndex(hs.term) || !isIndex(hs.commit) || !isNode(hs.vote))) throw new RangeError(`bad hard state ${JSON.stringify(hs)}`);
  const m = req.snapshot?.meta;
  if (m) {
    if (!isIndex(m.index) || !isIndex(m.term)) throw new RangeError(`bad snapshot meta ${m.index}/${m.term}`);
    validateConf(m.conf);
  }
}

const EMPTY_CONF: ConfState = { voters: [], learners: [] };
/** The value of a sparse mark (keys.ts): the key says everything. */
const MARK = Buffer.alloc(0);
const EMPTY_SNAPSHOT: Snapshot = { meta: { index: 0, term: 0, conf: EMPTY_CONF }, data: new Uint8Array(0) };

export class LevelGroupLog implements GroupLog {
  private readonly keys: GroupKeys;
  private first = 1;
  private last = 0;
  private runs = new TermRuns(0, 0);
  private hard: HardState = { term: 0, vote: 0, commit: 0 };
  /** Membership set since the snapshot; undefined means the snapshot's. */
  private conf: ConfState | undefined;
  private snap: Snapshot = EMPTY_SNAPSHOT;
  private snapGeneration = 0;
  private snapChunks = 0;
  private ckpt: Checkpoint | undefined;
  private ckptGeneration = 0;
  private ckptChunks = 0;
  /** Opening found a checkpoint no newer than the snapshot: deleted with the orphan chunks. */
  private staleCheckpoint = false;
  /** Snapshots and checkpoints share the chunk key space; each saved blob takes the next generation. */
  private nextGeneration = 1;
  private readonly cache: EntryCache;
  private readonly loaded: LoadedRanges;
  /**
   * Lowest entry index that may still be on disk: below `first` until
   * compaction deletes it. (The highest is always `last`: a truncation deletes
   * the keys above the new last index in the same batch.)
   */
  private diskFirst = 1;
  /**
   * Indexes stored under sparse keys, ascending: those below `first` are the
   * sparse part of the log (entries machines still read); any at or above it
   * were sent with a snapshot not yet installed and stay hidden until then.
   */
  private sparse: number[] = [];
  /** Sizes of the entries written since opening, for compaction to weigh live against dead. */
  private readonly sizes = new EntrySizes();
  /** Bumped whenever entries are replaced (truncation, snapshot): loads started before are stale. */
  private epoch = 0;
  private readonly loads = new Set<Load>();
  private loadFailure: WalCorruptionError | undefined;
  private readonly listeners = new Set<() => void>();
  /** Compactions and background deletions run one at a time, in order. */
  private maintenance: Promise<void> = Promise.resolve();
  private closed = false;
  private afterStorageRepair = false;

  private constructor(
    private readonly db: Db,
    private readonly queue: WriteQueue,
    readonly group: GroupId,
    private readonly settings: Settings,
    private readonly logger: Logger | undefined,
  ) {
    this.keys = new GroupKeys(group);
    this.cache = new EntryCache(settings.cacheBytes);
    this.loaded = new LoadedRanges(settings.loadedBytes);
  }

  private marks: FullCheckMarks | undefined;
  /** What opening checked: 'tail', 'full' or 'replay' (see OpenWalOptions.verifyOnOpen). */
  checkedOnOpen: 'tail' | 'full' | 'replay' = 'tail';

  /** What opening repaired (undefined: nothing was damaged). */
  repaired: { readonly from: number; readonly discarded: number; readonly reason: string; readonly storage: boolean } | undefined;

  static async open(
    db: Db,
    queue: WriteQueue,
    group: GroupId,
    settings: Settings,
    logger: Logger | undefined,
    afterStorageRepair = false,
    marks?: FullCheckMarks,
  ): Promise<LevelGroupLog> {
    const log = new LevelGroupLog(db, queue, group, settings, logger);
    log.afterStorageRepair = afterStorageRepair;
    log.marks = marks;
    const t0 = performance.now();
    try {
      await log.load();
    } catch (e) {
      if (e instanceof WalCorruptionError) logger?.error({ err: e }, 'refusing to open a damaged log');
      throw e;
    }
    logger?.info(
      { first: log.first, last: log.last, termRuns: log.runs.count, cached: log.cache.size, ms: Math.round(performance.now() - t0) },
      'group log opened',
    );
    return log;
  }

  // --- opening ---------------------------------------------------------------------

  private async load(): Promise<void> {
    const k = this.keys;
    const g = this.group;
    const [hs, conf, first, meta, ckpt, marksComplete] = await this.db.getMany([k.hardState(), k.confState(), k.firstIndex(), k.snapshotMeta(), k.checkpoint(), k.sparseMarksComplete()]);
    if (hs) this.hard = decodeHardState(k.hardState(), hs, g);
    else if (this.afterStorageRepair) {
      // LevelDB's repair may have dropped the block that held it: a node must never forget its term and vote.
      const any = await this.db.keys({ gte: k.termRun(0), lt: k.typeEnd(KeyType.Entry), limit: 1 }).all();
      if (any.length > 0) throw new WalCorruptionError(g, 'hard-state', undefined, 'missing after LevelDB salvaged a damaged table; the term and vote are lost');
    }
    if (conf) this.conf = decodeConfState(k.confState(), conf, g);
    const fi = first ? decodeFirstIndex(k.firstIndex(), first, g) : { first: 1, prevTerm: 0 };
    this.first = fi.first;
    if (meta) await this.loadSnapshot(decodeSnapshotMeta(k.snapshotMeta(), meta, g));
    if (ckpt) {
      const c = decodeCheckpoint(k.checkpoint(), ckpt, g);
      if (c.index > this.snap.meta.index) {
        this.ckpt = { index: c.index, data: await this.readChunks(c.generation, c.chunkCount, c.dataLength, c.dataCrc, 'checkpoint') };
        this.ckptGeneration = c.generation;
        this.ckptChunks = c.chunkCount;
      } else {
        // A snapshot taken since supersedes it (a restart restores the newer of
        // the two): not read (it is as large as the machine's state: 68 MB with
        // a million messages queued), and deleted with its chunks below.
        this.staleCheckpoint = true;
      }
    }
    if (this.first - 1 > this.snap.meta.index) {
      throw new WalCorruptionError(g, 'first-index', this.first, `log starts after the snapshot at ${this.snap.meta.index}: entries are missing`);
    }

    const runs: Array<readonly [number, number]> = [];
    for (const [key, value] of await this.db.iterator({ gte: k.termRun(0), lt: k.typeEnd(KeyType.TermRun) }).all()) {
      const start = indexOfKey(key);
      runs.push([start, decodeTermRun(key, value, g, start)]);
    }
    this.runs = new TermRuns(this.first - 1, fi.prevTerm);
    this.runs.load(runs);

    const lastKey = await this.db.keys({ gte: k.entry(this.first), lt: k.typeEnd(KeyType.Entry), reverse: true, limit: 1 }).all();
    this.last = lastKey.length ? indexOfKey(lastKey[0]!) : this.first - 1;
    // The sparse part's indexes come from its marks (keys.ts says why), one tiny key per kept entry.
    // Without a complete set of marks (a log written before them), or when the log may be damaged,
    // the sparse keys themselves are the truth: scanned (reading every kept body) and marked again.
    const marked = this.marks?.has(g) === true;
    const trustMarks = marksComplete !== undefined && !marked && !this.afterStorageRepair;
    const indexRange = trustMarks ? { gte: k.sparseMark(0), lt: k.typeEnd(KeyType.SparseMark) } : { gte: k.sparse(0), lt: k.typeEnd(KeyType.Sparse) };
    this.sparse = (await this.db.keys(indexRange).all()).map(indexOfKey);
    const lowKey = await this.db.keys({ gte: k.entry(0), lt: k.typeEnd(KeyType.Entry), limit: 1 }).all();
    this.diskFirst = lowKey.length ? Math.min(indexOfKey(lowKey[0]!), this.first) : this.first;

    if (this.last >= this.first) {
      // The tail is checked below; the head costs one more seek.
      const head = await this.db.keys({ gte: k.entry(this.first), lt: k.typeEnd(KeyType.Entry), limit: 1 }).all();
      if (indexOfKey(head[0]!) !== this.first) {
        throw new WalCorruptionError(g, 'entry', this.first, `the first entry ${this.first} is missing (the log resumes at ${indexOfKey(head[0]!)})`);
      }
      if (runs.length === 0 || runs[0]![0] > this.first) {
        throw new WalCorruptionError(g, 'term-run', this.first, 'no term run covers the first entry');
      }
    }
    const stray = runs.find((r) => r[0] > this.last);
    if (stray) throw new WalCorruptionError(g, 'term-run', stray[0], `term run starts after the last entry ${this.last}`);

    // 'replay' turns into 'full' when the running node met damage (a mark), or
    // after LevelDB's repair salvaged tables: what it dropped may lie anywhere.
    const mode = this.settings.verifyOnOpen === 'replay' && (marked || this.afterStorageRepair) ? 'full' : this.settings.verifyOnOpen;
    this.checkedOnOpen = mode;
    try {
      await this.verifyEntries(mode);
      if (mode === 'full') await this.verifySparse();
    } catch (e) {
      if (!(e instanceof WalCorruptionError && e.kind === 'entry' && e.index !== undefined && this.settings.repair)) throw e;
      // Repairable damage: LevelDB first salvages its tables (a table it cannot read would
      // otherwise fail a later compaction, and with it every write), then the Wal opens
      // the group again and the damage found then is discarded.
      if (!this.afterStorageRepair && (e.storage || e.index <= this.hard.commit)) throw new NeedsSalvage(e);
      await this.repairFrom(e.index, e);
    }
    if (marked && mode === 'full') this.marks!.clear(g);
    await this.removeOrphanChunks();
    if (!trustMarks) await this.rewriteSparseMarks();
    this.nextGeneration = Math.max(this.snapGeneration, this.ckptGeneration) + 1;
    // Entries below the first index left by a compaction cut short (a crash): delete them now, in the background.
    if (this.diskFirst < this.first) void this.schedule(() => this.deleteBelowFirst()).catch(() => undefined);
  }

  private async loadSnapshot(m: ReturnType<typeof decodeSnapshotMeta>): Promise<void> {
    const data = await this.readChunks(m.generation, m.chunkCount, m.dataLength, m.dataCrc, 'snapshot-meta');
    // The latest snapshot lives in memory because snapshot() is synchronous.
    // Next step when snapshots grow large: keep only the meta here and stream
    // the chunks from disk to a follower that needs them.
    this.snap = { meta: { index: m.index, term: m.term, conf: m.conf }, data };
    this.snapGeneration = m.generation;
    this.snapChunks = m.chunkCount;
  }

  /** Reads and checks the chunks of one generation; `kind` names the meta record that points at them. */
  private async readChunks(generation: number, count: number, length: number, crc: number, kind: 'snapshot-meta' | 'checkpoint'): Promise<Buffer> {
    const k = this.keys;
    const keys: Buffer[] = [];
    for (let c = 0; c < count; c++) keys.push(k.snapshotChunk(generation, c));
    const values = keys.length ? await this.db.getMany(keys) : [];
    const data = Buffer.allocUnsafe(length);
    let off = 0;
    for (let c = 0; c < count; c++) {
      const v = values[c];
      if (!v) throw new WalCorruptionError(this.group, 'snapshot-chunk', c, `chunk ${c} of ${count} (generation ${generation}) is missing`);
      const part = decodeSnapshotChunk(keys[c]!, v, this.group, c);
      if (off + part.length > data.length) throw new WalCorruptionError(this.group, 'snapshot-chunk', c, `data longer than its ${kind} record says`);
      part.copy(data, off);
      off += part.length;
    }
    if (off !== length) throw new WalCorruptionError(this.group, kind, undefined, `data is ${off} bytes, the record says ${length}`);
    if (dataChecksum(data) !== crc) throw new WalCorruptionError(this.group, kind, undefined, 'data checksum mismatch');
    return data;
  }

  /**
   * Checks the newest entries ('tail'), every entry ('full'), or every entry
   * from the one after the restore point ('replay': what the host replays
   * after restoring the checkpoint or snapshot, and everything above the
   * commit index), and warms the cache with the newest.
   */
  private async verifyEntries(mode: 'tail' | 'full' | 'replay' = this.settings.verifyOnOpen): Promise<void> {
    if (this.last < this.first) return;
    const k = this.keys;
    const restored = Math.max(this.snap.meta.index, this.ckpt?.index ?? 0);
    const from = mode === 'full' ? this.first : Math.max(this.first, Math.min(restored, this.hard.commit) + 1);
    // 'replay' with nothing to replay warms the cache as 'tail' does.
    const full = mode === 'full' || (mode === 'replay' && from <= this.last);
    const keep = mode === 'replay' ? this.settings.cacheBytes : this.settings.warmBytes;
    const it = this.db.iterator({
      gte: k.entry(full ? from : this.first),
      lte: k.entry(this.last),
      reverse: !full,
    });
    try {
      let expect = full ? from : this.last;
      let bytes = 0;
      const tail: Entry[] = [];
      for (;;) {
        let batch: Array<[Buffer, Buffer]>;
        try {
          batch = await it.nextv(256);
        } catch (e) {
          throw new WalCorruptionError(this.group, 'entry', expect, `LevelDB cannot read it: ${errorMessage(e)}`, { cause: e, storage: true });
        }
        if (batch.length === 0) break;
        for (const [key, value] of batch) {
          const i = indexOfKey(key);
          if (i !== expect) throw new WalCorruptionError(this.group, 'entry', expect, `entry ${expect} is missing (next stored entry is ${i})`);
          const e = decodeEntry(key, value, this.group, i);
          const t = this.runs.term(i);
          if (e.term !== t) throw new WalCorruptionError(this.group, 'entry', i, `entry has term ${e.term} but the term runs say ${t}`);
          tail.push(e);
          bytes += entryBytes(e);
          if (full) {
            expect++;
            // Only the newest are kept to warm the cache: a full check of a long log must not hold it all.
            // 'replay' keeps as much as the cache holds: the host is about to apply those entries again.
            if (bytes > 2 * keep) {
              let drop = 0;
              while (bytes > keep && drop < tail.length - 1) bytes -= entryBytes(tail[drop++]!);
              tail.splice(0, drop);
            }
          } else expect--;
        }
        if (!full && bytes >= this.settings.warmBytes) break;
      }
      if (full && expect !== this.last + 1) throw new WalCorruptionError(this.group, 'entry', expect, `entry ${expect} is missing`);
      this.cache.prepend(full ? tail : tail.reverse());
    } finally {
      await it.close();
    }
  }

  /** Replaces every sparse mark with one per index of `this.sparse`, and records them complete, in one batch. */
  private async rewriteSparseMarks(): Promise<void> {
    const k = this.keys;
    const old = await this.db.keys({ gte: k.sparseMark(0), lt: k.typeEnd(KeyType.SparseMark) }).all();
    const marks = this.sparse;
    await this.queue.enqueue(
      (sink) => {
        for (const key of old) sink.del(key);
        for (const i of marks) sink.put(k.sparseMark(i), MARK);
        sink.put(k.sparseMarksComplete(), MARK);
        return old.length + marks.length + 1;
      },
      false,
      64,
    );
  }

  /**
   * Checks every entry of the sparse part. Damage there refuses to open (the
   * repair below discards only the contiguous log above the snapshot, which
   * the leader can send again; it sends the sparse part only with a snapshot).
   */
  private async verifySparse(): Promise<void> {
    const below = this.sparse.slice(0, lowerBound(this.sparse, this.first));
    if (below.length === 0) return;
    const values = await this.db.getMany(below.map((i) => this.keys.sparse(i)));
    below.forEach((i, n) => {
      const v = values[n];
      if (!v) throw new WalCorruptionError(this.group, 'entry', i, `kept entry ${i} below the first index is missing`);
      decodeEntry(this.keys.sparse(i), v, this.group, i);
    });
  }

  /**
   * Entries from `from` on are damaged or missing. At or below the commit
   * index this node recorded, a majority holds them: discard them (and every
   * entry after them, so the log stays contiguous) in one synced batch, with
   * the term runs that covered them, a checkpoint taken at or after them, and
   * the hard state's commit lowered below them (term and vote stay), so the
   * leader sends them again. Above the commit index they may exist nowhere
   * else: refuse, as before.
   */
  private async repairFrom(from: number, damage: WalCorruptionError): Promise<void> {
    const g = this.group;
    if (from <= this.snap.meta.index || from < this.first) throw damage;
    if (from > this.hard.commit) {
      throw new WalCorruptionError(g, 'entry', from, `${damage.reason}; not repairable: entry ${from} is above this node's commit index ${this.hard.commit}, so it may exist nowhere else`, { cause: damage });
    }
    const k = this.keys;
    const oldLast = this.last;
    const oldCommit = this.hard.commit;
    const sink = chainedBatch(this.db);
    const changes = this.runChanges(sink);
    for (let i = from; i <= oldLast; i++) sink.del(k.entry(i));
    this.runs.truncateFrom(from, changes);
    const hard = { ...this.hard, commit: Math.min(this.hard.commit, from - 1) };
    sink.put(k.hardState(), encodeHardState(k.hardState(), hard));
    const dropCheckpoint = this.ckpt !== undefined && this.ckpt.index >= from;
    if (dropCheckpoint) {
      sink.del(k.checkpoint());
      for (let c = 0; c < this.ckptChunks; c++) sink.del(k.snapshotChunk(this.ckptGeneration, c));
    }
    await sink.write(true);
    this.hard = hard;
    this.last = from - 1;
    if (dropCheckpoint) {
      this.ckpt = undefined;
      this.ckptGeneration = 0;
      this.ckptChunks = 0;
    }
    this.cache.clear();
    this.loaded.clear();
    this.repaired = { from, discarded: oldLast - from + 1, reason: damage.message, storage: this.afterStorageRepair };
    this.logger?.warn(
      { from, discarded: oldLast - from + 1, lastBefore: oldLast, commitBefore: oldCommit, term: hard.term, vote: hard.vote, commit: hard.commit, droppedCheckpoint: dropCheckpoint, damage: damage.message },
      `repaired a damaged log: discarded entries ${from}-${oldLast} (at or below the commit index, so the leader has them); they will be fetched again`,
    );
    // What is left was checked up to the damage; warm the cache with its newest entries.
    await this.verifyEntries('tail');
  }

  private async removeOrphanChunks(): Promise<void> {
    const k = this.keys;
    const stale: BatchOp[] = [];
    for (const key of await this.db.keys({ gte: k.snapshotChunk(0, 0), lt: k.typeEnd(KeyType.SnapshotChunk) }).all()) {
      // Chunk keys: prefix (5), type (1), generation (4), chunk (4). Generations start at 1, so with no meta all are stale.
      const gen = key.readUInt32BE(6);
      if (gen !== this.snapGeneration && gen !== this.ckptGeneration) stale.push({ type: 'del', key });
    }
    if (this.staleCheckpoint) stale.push({ type: 'del', key: k.checkpoint() });
    this.staleCheckpoint = false;
    if (stale.length) await writeBatch(this.db, stale, false);
  }

  // --- the core's synchronous reads ----------------------------------------------

  initialState(): InitialState {
    return { hardState: this.hard, confState: this.conf ?? this.snap.meta.conf };
  }

  firstIndex(): number {
    return this.first;
  }

  lastIndex(): number {
    return this.last;
  }

  term(i: number): number {
    if (i < this.first - 1) throw new CompactedError(i, this.first);
    if (i > this.last) return 0;
    return this.runs.term(i);
  }

  snapshot(): Snapshot {
    return this.snap;
  }

  entries(lo: number, hi: number, maxBytes: number): Entry[] | Unavailable {
    this.assertOpen();
    this.checkRange(lo, hi);
    if (lo >= hi) return [];
    const got = this.fromMemory(lo, hi, maxBytes);
    if (got) return got;
    if (this.loadFailure) throw this.loadFailure;
    this.startLoad(lo);
    return UNAVAILABLE;
  }

  /** Entries [lo, hi) within maxBytes (at least one), from memory or else from disk. For readers that can wait. */
  async readEntries(lo: number, hi: number, maxBytes: number): Promise<Entry[]> {
    this.assertOpen();
    return readAcross(lo, hi, maxBytes, this.first, (l, h, m) => this.damaged(this.readSparse(l, h, m)), (l, h, m) => this.readContiguous(l, h, m));
  }

  private async readContiguous(lo: number, hi: number, maxBytes: number): Promise<Entry[]> {
    this.checkRange(lo, hi);
    if (lo >= hi) return [];
    const got = this.fromMemory(lo, hi, maxBytes);
    if (got) return got;
    return this.damaged(this.readFromDisk(lo, hi, maxBytes, this.epoch));
  }

  sparseIndexes(): readonly number[] {
    return this.sparse.slice(0, lowerBound(this.sparse, this.first));
  }

  /**
   * A read from disk met damage: it fails (the damaged range is never served)
   * and the next open checks the whole group, repairing what it can.
   */
  private damaged<T>(read: Promise<T>): Promise<T> {
    return read.catch((e: unknown) => {
      const storage = !(e instanceof WalError) && /Corruption|IO error/.test(errorMessage(e));
      if ((e instanceof WalCorruptionError || storage) && !this.closed) this.marks?.mark(this.group, errorMessage(e));
      throw e;
    });
  }

  /** Kept entries in [lo, min(hi, first)) from disk (they are read rarely: an old message's body). */
  private async readSparse(lo: number, hi: number, maxBytes: number): Promise<{ entries: Entry[]; bytes: number; full: boolean }> {
    await this.queue.whenWritten();
    this.assertOpen();
    const top = Math.min(hi, this.first);
    const out: Entry[] = [];
    let bytes = 0;
    let full = false;
    const it = this.db.iterator({ gte: this.keys.sparse(lo), lt: this.keys.sparse(top) });
    try {
      for (;;) {
        const batch = await it.nextv(64);
        if (batch.length === 0) break;
        for (const [key, value] of batch) {
          const i = indexOfKey(key);
          const e = decodeEntry(key, value, this.group, i);
          const b = entryBytes(e);
          if (out.length > 0 && bytes + b > maxBytes) {
            full = true;
            break;
          }
          bytes += b;
          out.push(e);
        }
        if (full) break;
      }
    } finally {
      await it.close();
    }
    if (out.length === 0) throw new CompactedError(lo, this.first);
    return { entries: out, bytes, full };
  }

  storeSparse(entries: readonly Entry[]): Promise<void> {
    try {
      this.assertOpen();
      for (const e of entries) if (!isIndex(e.index) || !isIndex(e.term)) throw new RangeError(`bad sparse entry at ${e.index}`);
    } catch (e) {
      return Promise.reject(e);
    }
    if (entries.length === 0) return Promise.resolve();
    let bytes = 0;
    for (const e of entries) bytes += e.data.byteLength + 32;
    // Unsynced: the snapshot these come with is installed by a synced write behind them in the same queue.
    return this.queue.enqueue(
      (sink) => {
        for (const e of entries) {
          const key = this.keys.sparse(e.index);
          sink.put(key, encodeEntry(key, e));
          sink.put(this.keys.sparseMark(e.index), MARK);
        }
        this.addSparse(entries.map((e) => e.index));
        return entries.length;
      },
      false,
      bytes,
    );
  }

  private addSparse(indexes: readonly number[]): void {
    const set = new Set(this.sparse);
    for (const i of indexes) set.add(i);
    this.sparse = [...set].sort((a, b) => a - b);
  }

  onEntriesLoaded(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private checkRange(lo: number, hi: number): void {
    if (lo < this.first) throw new CompactedError(lo, this.first);
    if (hi > this.last + 1) throw new RangeError(`entries [${lo}, ${hi}) beyond last index ${this.last}`);
  }

  /** Serves a prefix of [lo, hi) from the caches; undefined when not even entry lo is in memory. */
  private fromMemory(lo: number, hi: number, maxBytes: number): Entry[] | undefined {
    const out: Entry[] = [];
    let bytes = 0;
    let i = lo;
    while (i < hi) {
      const cached = this.cache.get(i);
      if (cached) {
        for (; i < hi; i++) {
          const e = this.cache.get(i);
          if (!e) break;
          bytes += entryBytes(e);
          if (out.length > 0 && bytes > maxBytes) return out;
          out.push(e);
        }
        return out;
      }
      const chunk = this.loaded.find(i);
      if (!chunk) break;
      const end = Math.min(hi, chunk.lo + chunk.entries.length);
      for (; i < end; i++) {
        const e = chunk.entries[i - chunk.lo]!;
        bytes += entryBytes(e);
        if (out.length > 0 && bytes > maxBytes) return out;
        out.push(e);
      }
    }
    // A shorter answer is fine for the core (it sends what it got); an empty one is a miss.
    return out.length > 0 ? out : undefined;
  }

  private startLoad(lo: number): void {
    for (const l of this.loads) if (l.lo <= lo && lo < l.upper) return;
    const upper = Math.min(this.cache.first ?? this.last + 1, this.last + 1);
    const load: Load = { lo, upper };
    this.loads.add(load);
    const epoch = this.epoch;
    this.damaged(this.readFromDisk(lo, upper, this.settings.loadChunkBytes, epoch)).then(
      (ents) => {
        if (epoch !== this.epoch || this.closed) return;
        const from = ents.findIndex((e) => e.index >= this.first);
        if (from >= 0) this.loaded.add(from === 0 ? ents : ents.slice(from));
      },
      (e: unknown) => {
        if (e instanceof WalCorruptionError) {
          this.loadFailure = e;
          this.logger?.error({ err: e }, 'damaged entry read from disk; the log will not serve it');
        } else if (!(e instanceof WalClosedError) && !this.closed) {
          this.logger?.warn({ err: e, lo, upper }, 'loading old entries failed; will retry on the next read');
        }
      },
    ).finally(() => {
      this.loads.delete(load);
      if (this.closed) return;
      for (const l of this.listeners) {
        try {
          l();
        } catch (e) {
          this.logger?.error({ err: e }, 'onEntriesLoaded listener threw');
        }
      }
    });
  }

  /**
   * Reads entries [lo, upper) from disk within maxBytes (at least one entry),
   * verifying checksums, contiguity and (unless the log changed meanwhile) terms.
   */
  private async readFromDisk(lo: number, upper: number, maxBytes: number, epoch: number): Promise<Entry[]> {
    await this.queue.whenWritten();
    this.assertOpen();
    const it = this.db.iterator({ gte: this.keys.entry(lo), lt: this.keys.entry(upper) });
    const out: Entry[] = [];
    try {
      let expect = lo;
      let bytes = 0;
      let full = false;
      while (!full) {
        const batch = await it.nextv(256);
        if (batch.length === 0) break;
        for (const [key, value] of batch) {
          const i = indexOfKey(key);
          // The log was replaced meanwhile: the caller drops this read anyway.
          if (epoch !== this.epoch) return out;
          // A gap is damage, unless all of it lies below the first index (a concurrent compaction deleted it).
          if (i !== expect && i > this.first) {
            throw new WalCorruptionError(this.group, 'entry', expect, `entry ${expect} is missing (next stored entry is ${i})`);
          }
          expect = i + 1;
          const e = decodeEntry(key, value, this.group, i);
          if (i >= this.first && e.term !== this.runs.term(i)) {
            throw new WalCorruptionError(this.group, 'entry', i, `entry has term ${e.term} but the term runs say ${this.runs.term(i)}`);
          }
          bytes += entryBytes(e);
          if (out.length > 0 && bytes > maxBytes) {
            full = true;
            break;
          }
          out.push(e);
        }
      }
      if (!full && expect < upper && epoch === this.epoch && expect >= this.first && expect <= this.last) {
        throw new WalCorruptionError(this.group, 'entry', expect, `entry ${expect} is missing`);
      }
    } finally {
      await it.close();
    }
    return out;
  }

  // --- writes -------------------------------------------------------------------------

  persist(req: PersistRequest, sync: boolean): Promise<void> {
    try {
      this.assertOpen();
      // Everything that could throw is checked before memory changes, so a
      // rejected request leaves the log exactly as it was.
      validateRequest(req);
      const snap = req.snapshot && req.snapshot.meta.index > this.snap.meta.index ? req.snapshot : undefined;
      this.validateEntries(req.entries, snap ? snap.meta.index : this.last);
      if (!snap && req.entries.length === 0 && !req.hardState) return this.queue.whenWritten();
      let bytes = 64 + (snap ? snap.data.byteLength : 0);
      for (const e of req.entries) bytes += e.data.byteLength + 32;
      // Entries at and below a received snapshot stay on disk, ignored, until deleted in the background.
      const garbage = snap ? ([this.diskFirst, Math.min(snap.meta.index + 1, this.last + 1)] as const) : undefined;
      const written = this.queue.enqueue(
        (sink) => {
          const changes = this.runChanges(sink);
          let ops = 0;
          if (snap) {
            ops += this.installSnapshot(snap, sink, changes);
            this.diskFirst = this.first;
          }
          if (req.entries.length > 0) ops += this.appendEntries(req.entries, sink, changes);
          if (req.hardState) {
            const key = this.keys.hardState();
            sink.put(key, encodeHardState(key, req.hardState));
            this.hard = req.hardState;
            ops++;
          }
          return ops + changes.count;
        },
        sync,
        bytes,
      );
      if (garbage) {
        const [from, to] = garbage;
        void written.then(() => this.schedule(() => this.deleteEntries(from, to))).catch(() => undefined);
      }
      return written;
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Rejects, before anything changes, entries that would leave a gap (the shape was checked by validateRequest). */
  private validateEntries(entries: readonly Entry[], last: number): void {
    if (entries.length === 0) return;
    const at = entries[0]!.index;
    if (at > last + 1) throw new RangeError(`gap: appending index ${at} after last index ${last}`);
  }

  /** Term-run keys follow the runs into the batch being filled. */
  private runChanges(sink: BatchSink): RunChanges & { count: number } {
    const k = this.keys;
    const changes = {
      count: 0,
      added: (start: number, term: number) => {
        const key = k.termRun(start);
        sink.put(key, encodeTermRun(key, term));
        changes.count++;
      },
      removed: (start: number) => {
        sink.del(k.termRun(start));
        changes.count++;
      },
    };
    return changes;
  }

  private appendEntries(entries: readonly Entry[], sink: BatchSink, changes: RunChanges): number {
    let es = entries;
    // Entries the snapshot already covers are not stored again.
    if (es[0]!.index < this.first) {
      const skip = this.first - es[0]!.index;
      if (skip >= es.length) return 0;
      es = es.slice(skip);
    }
    const at = es[0]!.index;
    const newLast = es[es.length - 1]!.index;
    let ops = 0;
    if (at <= this.last) {
      // A conflicting suffix: its keys are known from memory, so they are
      // deleted in this same batch (those the new entries overwrite need no delete).
      for (let i = Math.max(at, newLast + 1); i <= this.last; i++, ops++) sink.del(this.keys.entry(i));
      this.runs.truncateFrom(at, changes);
      this.cache.truncateFrom(at);
      this.loaded.truncateFrom(at);
      this.epoch++;
    }
    // The batch copies at once, so every key and value is encoded into the same scratch buffers.
    for (const e of es) {
      const key = this.keys.entryScratch(e.index);
      sink.put(key, encodeEntryScratch(key, e));
      this.runs.push(e.index, e.term, changes);
      this.sizes.record(e.index, e.data.byteLength);
    }
    this.last = newLast;
    this.cache.append(es);
    return ops + es.length;
  }

  /** A snapshot from the leader replaces the log: entries above it go in this batch, those below in the background. */
  private installSnapshot(snap: Snapshot, sink: BatchSink, changes: RunChanges): number {
    const s = snap.meta.index;
    let ops = 0;
    for (let i = Math.max(this.first, s + 1); i <= this.last; i++, ops++) sink.del(this.keys.entry(i));
    this.runs.reset(s, snap.meta.term, changes);
    this.sizes.clear();
    this.first = s + 1;
    this.last = s;
    const fk = this.keys.firstIndex();
    sink.put(fk, encodeFirstIndex(fk, { first: s + 1, prevTerm: snap.meta.term }));
    sink.del(this.keys.confState());
    this.conf = undefined;
    // A checkpoint belongs to the log the snapshot replaced: restarting from it could run ahead of the new log.
    if (this.ckpt) {
      sink.del(this.keys.checkpoint());
      for (let c = 0; c < this.ckptChunks; c++, ops++) sink.del(this.keys.snapshotChunk(this.ckptGeneration, c));
      this.ckpt = undefined;
      this.ckptGeneration = 0;
      this.ckptChunks = 0;
    }
    this.cache.clear();
    this.loaded.clear();
    this.epoch++;
    return ops + 2 + this.snapshotOps(snap, this.nextGeneration++, sink, true);
  }

  /**
   * Puts the snapshot's meta (and, with `withChunks`, its chunks) under a new
   * generation and deletes the previous generation's chunks, so the switch is
   * one atomic batch; switches memory to it. Returns the operations added.
   */
  private snapshotOps(snap: Snapshot, generation: number, sink: BatchSink, withChunks: boolean): number {
    const k = this.keys;
    const size = this.settings.snapshotChunkBytes;
    const chunkCount = Math.ceil(snap.data.byteLength / size);
    let ops = 0;
    if (withChunks) {
      for (let c = 0; c < chunkCount; c++, ops++) {
        const key = k.snapshotChunk(generation, c);
        sink.put(key, encodeSnapshotChunk(key, snap.data.subarray(c * size, (c + 1) * size)));
      }
    }
    for (let c = 0; c < this.snapChunks; c++, ops++) sink.del(k.snapshotChunk(this.snapGeneration, c));
    const mk = k.snapshotMeta();
    sink.put(
      mk,
      encodeSnapshotMeta(mk, {
        generation,
        index: snap.meta.index,
        term: snap.meta.term,
        conf: snap.meta.conf,
        dataLength: snap.data.byteLength,
        chunkCount,
        dataCrc: dataChecksum(snap.data),
      }),
    );
    this.snap = snap;
    this.snapGeneration = generation;
    this.snapChunks = chunkCount;
    return ops + 1;
  }

  async saveSnapshot(snapshot: Snapshot): Promise<void> {
    this.assertOpen();
    const { index, term } = snapshot.meta;
    validateConf(snapshot.meta.conf);
    if (index <= this.snap.meta.index) return;
    if (index > this.last) throw new RangeError(`snapshot at ${index} is beyond the last index ${this.last}`);
    if (this.term(index) !== term) throw new RangeError(`snapshot at ${index} has term ${term}, the log has ${this.term(index)}`);
    const generation = this.nextGeneration++;
    const chunkCount = await this.writeChunks(generation, snapshot.data);
    if (index <= this.snap.meta.index) return this.dropChunks(generation, chunkCount);
    await this.queue.enqueue((sink) => this.snapshotOps(snapshot, generation, sink, false), true, 256);
  }

  checkpoint(): Checkpoint | undefined {
    return this.ckpt;
  }

  async saveCheckpoint(checkpoint: Checkpoint): Promise<void> {
    this.assertOpen();
    const { index, data } = checkpoint;
    if (!isIndex(index)) throw new RangeError(`bad checkpoint index ${index}`);
    if (this.ckpt && index <= this.ckpt.index) return;
    if (index > this.last) throw new RangeError(`checkpoint at ${index} is beyond the last index ${this.last}`);
    const generation = this.nextGeneration++;
    const chunkCount = await this.writeChunks(generation, data);
    this.assertOpen();
    if (this.ckpt && index <= this.ckpt.index) return this.dropChunks(generation, chunkCount);
    await this.queue.enqueue(
      (sink) => {
        const k = this.keys;
        for (let c = 0; c < this.ckptChunks; c++) sink.del(k.snapshotChunk(this.ckptGeneration, c));
        const key = k.checkpoint();
        sink.put(key, encodeCheckpoint(key, { generation, index, dataLength: data.byteLength, chunkCount, dataCrc: dataChecksum(data) }));
        this.ckpt = checkpoint;
        this.ckptGeneration = generation;
        this.ckptChunks = chunkCount;
        return this.ckptChunks + 1;
      },
      true,
      256,
    );
  }

  /**
   * Writes a blob's chunks beside the queue, so a large snapshot or checkpoint
   * does not hold up appends; the meta that points at them goes through the
   * queue, synced, after them, so it never points at chunks that are not there.
   */
  private async writeChunks(generation: number, data: Uint8Array): Promise<number> {
    const k = this.keys;
    const size = this.settings.snapshotChunkBytes;
    const chunkCount = Math.ceil(data.byteLength / size);
    const perBatch = Math.max(1, Math.floor((8 * MiB) / size));
    for (let c = 0; c < chunkCount; c += perBatch) {
      const ops: BatchOp[] = [];
      for (let j = c; j < Math.min(chunkCount, c + perBatch); j++) {
        const key = k.snapshotChunk(generation, j);
        ops.push({ type: 'put', key, value: encodeSnapshotChunk(key, data.subarray(j * size, (j + 1) * size)) });
      }
      await writeBatch(this.db, ops, false);
    }
    this.assertOpen();
    return chunkCount;
  }

  /** A newer blob was saved (or a snapshot installed) meanwhile: these chunks are garbage. */
  private async dropChunks(generation: number, chunkCount: number): Promise<void> {
    const ops: BatchOp[] = [];
    for (let j = 0; j < chunkCount; j++) ops.push({ type: 'del', key: this.keys.snapshotChunk(generation, j) });
    if (ops.length) await writeBatch(this.db, ops, false);
  }

  setConfState(conf: ConfState): Promise<void> {
    try {
      this.assertOpen();
      validateConf(conf);
      const key = this.keys.confState();
      const value = encodeConfState(key, conf);
      this.conf = conf;
      return this.queue.enqueueOps([{ type: 'put', key, value }], true, value.length);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  // --- compaction ----------------------------------------------------------------------

  compact(index: number, keep?: Iterable<number>): Promise<void> {
    try {
      this.assertOpen();
      if (index > this.snap.meta.index + 1) throw new RangeError(`compact ${index} beyond the snapshot at ${this.snap.meta.index}`);
      if (index > this.last + 1) throw new RangeError(`compact ${index} beyond last index ${this.last}`);
    } catch (e) {
      return Promise.reject(e);
    }
    const wanted = keep ? ascendingUnique(keep) : [];
    return this.schedule(async () => {
      // Only the sparse part below `to` is replaced: a compaction that started before a
      // received snapshot must not drop the entries that came with it. Where most of the
      // range is live, the first index stops at its lowest live entry (compactionPoint).
      const to = compactionPoint(this.first, index, wanted, (i) => this.sizes.get(i));
      const kept = await this.copyToSparse(wanted.slice(0, lowerBound(wanted, to)));
      await this.moveFirst(to, kept, to);
      await this.deleteBelowFirst();
    });
  }

  /**
   * Copies the entries to keep that are still in the contiguous log into the
   * sparse part (unsynced batches of about 8 MiB; the synced batch that moves
   * the first index makes them durable). Returns the indexes the sparse part
   * will hold: those already there and those copied.
   */
  private async copyToSparse(wanted: readonly number[]): Promise<number[]> {
    const have = new Set(this.sparse);
    const kept: number[] = [];
    let ops: BatchOp[] = [];
    let bytes = 0;
    const flush = async (): Promise<void> => {
      if (ops.length) await writeBatch(this.db, ops, false);
      ops = [];
      bytes = 0;
    };
    let k = 0;
    while (k < wanted.length) {
      const i = wanted[k]!;
      if (have.has(i)) {
        kept.push(i);
        k++;
        continue;
      }
      if (i < this.first || i > this.last) {
        k++; // gone already: nothing to keep
        continue;
      }
      // A run of consecutive indexes to copy: one read.
      let j = k;
      while (j + 1 < wanted.length && wanted[j + 1] === wanted[j]! + 1 && !have.has(wanted[j + 1]!) && wanted[j + 1]! <= this.last) j++;
      let at = i;
      while (at <= wanted[j]!) {
        const ents = await this.readContiguous(at, wanted[j]! + 1, 4 * MiB);
        for (const e of ents) {
          const key = this.keys.sparse(e.index);
          ops.push({ type: 'put', key, value: encodeEntry(key, e) });
          ops.push({ type: 'put', key: this.keys.sparseMark(e.index), value: MARK });
          bytes += e.data.byteLength;
          kept.push(e.index);
        }
        at = ents[ents.length - 1]!.index + 1;
        if (bytes >= 8 * MiB) await flush();
      }
      k = j + 1;
    }
    await flush();
    return kept;
  }

  /** Runs maintenance work one job at a time; a job's failure is logged, not thrown at the next one. */
  private schedule(job: () => Promise<void>): Promise<void> {
    const run = this.maintenance.then(() => (this.closed ? undefined : job()));
    this.maintenance = run.catch((e: unknown) => {
      if (!this.closed) this.logger?.error({ err: e }, 'log maintenance failed');
    });
    return run;
  }

  /**
   * The logical part of compaction: the new first index (and the term before
   * it) is recorded durably BEFORE any entry is deleted, so a crash in between
   * never leaves a log whose recorded start is missing.
   */
  private async moveFirst(index: number, kept: readonly number[] = [], sparseBelow = index): Promise<void> {
    // Sparse entries below the new first index not kept again are deleted in the same batch.
    const keptSet = new Set(kept);
    const dead = this.sparse.filter((i) => i < sparseBelow && !keptSet.has(i));
    const addSparse = (sink: BatchSink): number => {
      for (const i of dead) {
        sink.del(this.keys.sparse(i));
        sink.del(this.keys.sparseMark(i));
      }
      this.sparse = [...new Set([...kept, ...this.sparse.filter((i) => i >= sparseBelow)])].sort((a, b) => a - b);
      return dead.length;
    };
    if (index <= this.first) {
      if (dead.length > 0 || kept.length > 0) await this.queue.enqueue((sink) => addSparse(sink), false, 64);
      return;
    }
    if (index > this.last + 1) index = this.last + 1;
    const prevTerm = this.runs.term(index - 1);
    await this.queue.enqueue(
      (sink) => {
        const changes = this.runChanges(sink);
        this.runs.compact(index - 1, prevTerm, changes);
        this.first = index;
        this.sizes.dropBelow(index);
        this.cache.dropBelow(index);
        this.loaded.dropBelow(index);
        const fk = this.keys.firstIndex();
        sink.put(fk, encodeFirstIndex(fk, { first: index, prevTerm }));
        return changes.count + 1 + addSparse(sink);
      },
      true,
      64,
    );
  }

  private deleteBelowFirst(): Promise<void> {
    const from = this.diskFirst;
    this.diskFirst = this.first;
    return this.deleteEntries(from, this.first);
  }

  /**
   * The physical part: deletes entry keys [from, to) in small unsynced
   * batches, yielding between them so appends interleave, then asks LevelDB to
   * compact the range so the disk space is actually returned. Losing some of
   * these deletions in a crash is harmless: entries below the recorded first
   * index are ignored on open and deleted again.
   */
  private async deleteEntries(from: number, to: number): Promise<void> {
    if (from >= to) return;
    const k = this.keys;
    const t0 = performance.now();
    for (let i = from; i < to; ) {
      if (this.closed) return;
      const n = Math.min(this.settings.compactionBatch, to - i);
      const ops: BatchOp[] = new Array(n);
      for (let j = 0; j < n; j++) ops[j] = { type: 'del', key: k.entry(i + j) };
      await writeBatch(this.db, ops, false);
      i += n;
      await yieldToLoop();
    }
    if (this.closed) return;
    await this.db.compactRange(k.entry(from), k.entry(to));
    this.logger?.debug({ from, to, ms: Math.round(performance.now() - t0) }, 'deleted compacted entries');
  }

  // --- lifecycle ---------------------------------------------------------------------------

  private assertOpen(): void {
    if (this.closed) throw new WalClosedError();
    const failed = this.queue.failed;
    if (failed) throw failed;
  }

  /** Stops maintenance between batches; queued writes are left to the Wal to drain. */
  async close(): Promise<void> {
    this.closed = true;
    await this.maintenance;
  }

  /** Observability for tests, metrics and the benchmark. */
  stats(): { first: number; last: number; termRuns: number; cachedEntries: number; cachedBytes: number; loadedBytes: number; diskFirst: number } {
    return {
      first: this.first,
      last: this.last,
      termRuns: this.runs.count,
      cachedEntries: this.cache.size,
      cachedBytes: this.cache.bytes,
      loadedBytes: this.loaded.bytes,
      diskFirst: this.diskFirst,
    };
  }
}
