// One write queue per database, shared by every group on the node: group commit.
//
// A request is a list of batch operations that must land atomically. When no
// write is in flight the queue writes at once (after the current synchronous
// turn, so requests made in the same tick share the write); requests that
// arrive while a write is in flight wait and all go into the NEXT single
// LevelDB batch. One fsync thus serves every publish, every group, that
// arrived during the previous one, and the batch grows exactly when the disk
// is the bottleneck. Requests keep their order: a batch holds a contiguous run
// of requests, and batches are written one after another.
//
// A failed write leaves the callers' in-memory views ahead of the disk, so the
// queue fails every later request instead of writing around a hole.

import { WalWriteError } from './errors.js';

export type BatchOp = { readonly type: 'put'; readonly key: Buffer; readonly value: Buffer } | { readonly type: 'del'; readonly key: Buffer };

/** Writes one atomic batch; `sync` asks for an fsync before it resolves. */
export type BatchWriter = (ops: BatchOp[], sync: boolean) => Promise<void>;

interface Request {
  readonly ops: BatchOp[];
  readonly sync: boolean;
  readonly bytes: number;
  readonly resolve: () => void;
  readonly reject: (e: unknown) => void;
}

export interface WriteQueueStats {
  /** LevelDB writes issued. */
  batches: number;
  /** Of which synced. */
  syncedBatches: number;
  /** Requests served (barriers excluded). */
  requests: number;
  ops: number;
}

export class WriteQueue {
  private pending: Request[] = [];
  private running = false;
  private failure: WalWriteError | undefined;
  readonly stats: WriteQueueStats = { batches: 0, syncedBatches: 0, requests: 0, ops: 0 };

  /**
   * @param maxBatchBytes a soft cap on one coalesced batch, so a backlog is not
   *   written as one enormous batch that holds the memtable and delays every
   *   caller in it; a single request is never split.
   */
  constructor(
    private readonly write: BatchWriter,
    private readonly maxBatchBytes = 32 * 1024 * 1024,
  ) {}

  get failed(): WalWriteError | undefined {
    return this.failure;
  }

  get idle(): boolean {
    return !this.running && this.pending.length === 0;
  }

  /** Resolves once `ops` are written (and fsynced, if `sync`) in one atomic batch. */
  enqueue(ops: BatchOp[], sync: boolean, bytes: number): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ ops, sync, bytes, resolve, reject });
      this.kick();
    });
  }

  /** Resolves once everything enqueued so far is written: a reader that goes to disk waits for it. */
  whenWritten(): Promise<void> {
    if (this.idle) return this.failure ? Promise.reject(this.failure) : Promise.resolve();
    return this.enqueue([], false, 0);
  }

  private kick(): void {
    if (this.running) return;
    this.running = true;
    queueMicrotask(() => void this.run());
  }

  private async run(): Promise<void> {
    while (this.pending.length > 0) {
      let take = 1;
      let bytes = this.pending[0]!.bytes;
      while (take < this.pending.length && bytes + this.pending[take]!.bytes <= this.maxBatchBytes) bytes += this.pending[take++]!.bytes;
      const reqs = this.pending.splice(0, take);
      let ops: BatchOp[];
      let sync = false;
      let real = 0;
      if (reqs.length === 1) {
        ops = reqs[0]!.ops;
        sync = reqs[0]!.sync;
        real = ops.length > 0 || sync ? 1 : 0;
      } else {
        ops = [];
        for (const r of reqs) {
          if (r.sync) sync = true;
          if (r.ops.length > 0 || r.sync) real++;
          for (const op of r.ops) ops.push(op);
        }
      }
      try {
        // A batch of barriers only: nothing to write, ordering is already given.
        if (ops.length > 0 || sync) {
          await this.write(ops, sync);
          this.stats.batches++;
          if (sync) this.stats.syncedBatches++;
          this.stats.requests += real;
          this.stats.ops += ops.length;
        }
      } catch (e) {
        this.failure = new WalWriteError(`a log write failed; the log refuses further writes: ${(e as Error)?.message ?? e}`, { cause: e });
        const all = reqs.concat(this.pending);
        this.pending = [];
        for (const r of all) r.reject(this.failure);
        break;
      }
      for (const r of reqs) r.resolve();
    }
    this.running = false;
  }
}
