// One write queue per database, shared by every group on the node: group commit.
//
// A request is a list of batch operations that must land atomically. When no
// write is in flight the queue writes at once (after the current synchronous
// turn, so requests made in the same tick share the write); requests that
// arrive while a write is in flight all go into the NEXT single LevelDB
// batch. One fsync thus serves every publish, every group, that arrived
// during the previous one, and the batch grows exactly when the disk is the
// bottleneck. Requests keep their order: a batch holds a contiguous run of
// requests, and batches are written one after another.
//
// Operations go into the next batch as they are enqueued (a LevelDB chained
// batch, which copies them natively at once): measured on classic-level 3,
// that costs half the CPU per operation of handing LevelDB an array of
// operation objects at write time, and it leaves nothing to merge when the
// write starts. Because the batch copies at once, a caller may encode every
// record into one scratch buffer and hand it over again and again: the hot
// path allocates nothing per entry.
//
// A failed write leaves the callers' in-memory views ahead of the disk, so the
// queue fails every later request instead of writing around a hole.

import { WalWriteError } from './errors.js';

export type BatchOp = { readonly type: 'put'; readonly key: Buffer; readonly value: Buffer } | { readonly type: 'del'; readonly key: Buffer };

/** An atomic batch being filled (a classic-level chained batch in production). */
export interface BatchSink {
  /** Must copy key and value before returning: callers reuse their buffers. */
  put(key: Buffer, value: Buffer): void;
  del(key: Buffer): void;
  /** Writes everything put so far as one atomic batch; `sync` asks for an fsync first. */
  write(sync: boolean): Promise<void>;
  /** Drops a batch that will not be written. */
  discard(): void;
}

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (e: unknown) => void;
}

/** The batch requests are added to while the previous one is being written. */
interface Pending {
  sink: BatchSink | undefined;
  sync: boolean;
  bytes: number;
  ops: number;
  requests: number;
  readonly waiters: Waiter[];
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
  private readonly pending: Pending[] = [];
  private running = false;
  private failure: WalWriteError | undefined;
  readonly stats: WriteQueueStats = { batches: 0, syncedBatches: 0, requests: 0, ops: 0 };

  /**
   * @param newBatch opens an empty batch
   * @param maxBatchBytes a soft cap on one coalesced batch, so a backlog is not
   *   written as one enormous batch that holds the memtable and delays every
   *   caller in it; a single request is never split.
   * @param afterSync runs after every synced batch is written and before its
   *   callers hear of it: whatever else must be durable for the batch to be
   *   found again (the directory entry of a file LevelDB just created; see
   *   dir-sync.ts). Returns undefined when there is nothing to wait for.
   */
  constructor(
    private readonly newBatch: () => BatchSink,
    private readonly maxBatchBytes = 32 * 1024 * 1024,
    private readonly afterSync?: () => Promise<void> | undefined,
    /** Told once when the queue fails (the log then refuses every write). */
    private readonly onFail?: (failure: WalWriteError) => void,
  ) {}

  get failed(): WalWriteError | undefined {
    return this.failure;
  }

  get idle(): boolean {
    return !this.running && this.pending.length === 0;
  }

  /**
   * Adds one request to the next batch: `fill` puts its operations, at once
   * and synchronously, and returns how many. `bytes` (about what it will put)
   * decides whether it still fits the batch. Resolves once the batch is
   * written (and fsynced, if `sync`). A `fill` that throws half-way has left
   * part of a request in a shared batch, so that fails the queue.
   */
  enqueue(fill: ((sink: BatchSink) => number) | undefined, sync: boolean, bytes: number): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    let p = this.pending[this.pending.length - 1];
    if (!p || (p.ops > 0 && p.bytes + bytes > this.maxBatchBytes)) {
      p = { sink: undefined, sync: false, bytes: 0, ops: 0, requests: 0, waiters: [] };
      this.pending.push(p);
    }
    let ops = 0;
    if (fill) {
      try {
        ops = fill((p.sink ??= this.newBatch()));
      } catch (e) {
        this.fail(new WalWriteError(`a request failed while being added to a batch: ${(e as Error)?.message ?? e}`, { cause: e }));
        return Promise.reject(e);
      }
      p.ops += ops;
    }
    if (ops > 0 || sync) p.requests++;
    if (sync) p.sync = true;
    p.bytes += bytes;
    const waiter = new Promise<void>((resolve, reject) => p.waiters.push({ resolve, reject }));
    this.kick();
    return waiter;
  }

  /** enqueue() for a prepared list of operations. */
  enqueueOps(ops: readonly BatchOp[], sync: boolean, bytes: number): Promise<void> {
    return this.enqueue(
      ops.length === 0
        ? undefined
        : (sink) => {
            for (const op of ops) {
              if (op.type === 'put') sink.put(op.key, op.value);
              else sink.del(op.key);
            }
            return ops.length;
          },
      sync,
      bytes,
    );
  }

  /** Resolves once everything enqueued so far is written: a reader that goes to disk waits for it. */
  whenWritten(): Promise<void> {
    if (this.idle) return this.failure ? Promise.reject(this.failure) : Promise.resolve();
    return this.enqueue(undefined, false, 0);
  }

  private fail(failure: WalWriteError): void {
    this.failure = failure;
    this.onFail?.(failure);
    for (const q of this.pending.splice(0)) {
      q.sink?.discard();
      for (const w of q.waiters) w.reject(failure);
    }
  }

  private kick(): void {
    if (this.running) return;
    this.running = true;
    queueMicrotask(() => void this.run());
  }

  private async run(): Promise<void> {
    while (this.pending.length > 0) {
      const p = this.pending.shift()!;
      try {
        // A batch of barriers only has nothing to write: the order is already given.
        if (p.sink) {
          await p.sink.write(p.sync);
          if (p.sync && this.afterSync) {
            const more = this.afterSync();
            if (more) await more;
          }
          this.stats.batches++;
          if (p.sync) this.stats.syncedBatches++;
          this.stats.requests += p.requests;
          this.stats.ops += p.ops;
        }
      } catch (e) {
        const failure = new WalWriteError(`a log write failed; the log refuses further writes: ${(e as Error)?.message ?? e}`, { cause: e });
        for (const w of p.waiters) w.reject(failure);
        this.fail(failure);
        break;
      }
      for (const w of p.waiters) w.resolve();
    }
    this.running = false;
  }
}
