// The SDK's one batching mechanism, used by producers (stream appends, queue
// publishes) and by consumers (acks, nacks, rejects).
//
// Items added in one event-loop turn are coalesced into batches of at most
// `maxItems` items and `maxBytes` bytes (a single item larger than that goes
// alone). At most `maxInFlight` batches are being flushed at once; each batch
// runs on a slot 0..maxInFlight-1 that no other batch uses meanwhile, so a
// flush may keep per-slot state (an idempotent producer keeps one producer id
// and sequence per slot). Every item gets its own outcome: the flush returns
// one result per item, so one bad item never fails the others.
//
// Back-pressure: at most `window` items may be accepted and not yet settled;
// `add` waits (in order) for room instead of buffering without limit.

import { ClosedError, DeadlineExceededError, type QuorumqError } from './errors.js';
import { abortError } from './signal.js';

/** One item's outcome in a batch. */
export type ItemResult<R> = { readonly ok: true; readonly value: R } | { readonly ok: false; readonly error: unknown };

/** A batch handed to `flush`. */
export interface Batch<T> {
  readonly items: readonly T[];
  /** Which slot the batch runs on (0..maxInFlight-1); no other batch uses it until this one is done. */
  readonly slot: number;
  /** The latest deadline among the items (ms since the epoch; Infinity for none): no item waits longer. */
  readonly deadline: number;
  /** Whether some item still waits for its outcome (the others gave up: aborted). */
  live(): boolean;
}

/** A Batcher's bounds and its flush. */
export interface BatcherOptions<T, R> {
  readonly maxItems: number;
  readonly maxBytes: number;
  readonly maxInFlight: number;
  /** Items accepted and not settled beyond which `add` waits. */
  readonly window: number;
  /** An item's size in bytes, counted against maxBytes. */
  size(item: T): number;
  /** Send one batch; resolve with one result per item, in order. A rejection fails every item of the batch. */
  flush(batch: Batch<T>): Promise<ItemResult<R>[]>;
}

/** Options of `Batcher.add`. */
export interface AddOptions {
  readonly signal?: AbortSignal;
  /** ms since the epoch; Infinity for none. */
  readonly deadline?: number;
}

interface Entry<T, R> {
  readonly item: T;
  readonly bytes: number;
  readonly deadline: number;
  readonly signal: AbortSignal | undefined;
  settled: boolean;
  resolve(v: R): void;
  reject(e: unknown): void;
  onAbort?: () => void;
}

/** The SDK's one batching mechanism (see the top of this file). */
export class Batcher<T, R> {
  private readonly pending: Entry<T, R>[] = [];
  private readonly waiters: Array<() => void> = [];
  private readonly freeSlots: number[];
  private accepted = 0;
  private idleWaiters: Array<() => void> = [];
  private scheduled = false;
  private closedWith: QuorumqError | undefined;

  constructor(private readonly opts: BatcherOptions<T, R>) {
    for (const [k, v] of Object.entries({ maxItems: opts.maxItems, maxBytes: opts.maxBytes, maxInFlight: opts.maxInFlight, window: opts.window })) {
      if (!Number.isInteger(v) || v < 1) throw new RangeError(`batcher ${k} must be an integer >= 1 (got ${v})`);
    }
    this.freeSlots = Array.from({ length: opts.maxInFlight }, (_, i) => opts.maxInFlight - 1 - i);
  }

  /** Items accepted and not settled. */
  get outstanding(): number {
    return this.accepted;
  }

  /** Batches being flushed. */
  get inFlight(): number {
    return this.opts.maxInFlight - this.freeSlots.length;
  }

  /** Queue an item; resolves or rejects with its own outcome. */
  add(item: T, o: AddOptions = {}): Promise<R> {
    // Not an async function: one promise per item, not two (the send path at
    // 256 in flight makes thousands a second).
    if (this.closedWith) return Promise.reject(this.closedWith);
    if (o.signal?.aborted) return Promise.reject(abortError(o.signal));
    if (this.accepted >= this.opts.window || this.waiters.length > 0) {
      return this.room(o.signal).then(() => (this.closedWith ? Promise.reject(this.closedWith) : this.enqueue(item, o)));
    }
    return this.enqueue(item, o);
  }

  private enqueue(item: T, o: AddOptions): Promise<R> {
    this.accepted++;
    return new Promise<R>((resolve, reject) => {
      const e: Entry<T, R> = { item, bytes: this.opts.size(item), deadline: o.deadline ?? Infinity, signal: o.signal, settled: false, resolve, reject };
      if (o.signal) {
        // Aborted while queued: it leaves the queue; while in flight: the
        // caller stops waiting, the batch goes on for the others.
        e.onAbort = () => this.settle(e, { ok: false, error: abortError(o.signal!) });
        o.signal.addEventListener('abort', e.onAbort, { once: true });
      }
      this.pending.push(e);
      this.schedule();
    });
  }

  /** Resolves once every accepted item has its outcome. */
  idle(): Promise<void> {
    if (this.accepted === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Refuse new items and fail the ones not yet sent (in-flight batches finish). */
  close(error = new ClosedError('closed')): void {
    this.closedWith = error;
    for (const e of this.pending.splice(0)) this.settle(e, { ok: false, error }, false);
    for (const w of this.waiters.splice(0)) w();
  }

  /** Wait until an item may be accepted (FIFO among waiters). */
  private room(signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const wake = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = (): void => {
        const i = this.waiters.indexOf(wake);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(abortError(signal!));
        this.wakeWaiters();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(wake);
    });
  }

  private wakeWaiters(): void {
    // Each waiter takes one place; wake as many as there is room for.
    let room = this.opts.window - this.accepted;
    while (room-- > 0 && this.waiters.length > 0) this.waiters.shift()!();
  }

  private settle(e: Entry<T, R>, r: ItemResult<R>, unqueue = true): void {
    if (e.settled) return;
    e.settled = true;
    if (e.onAbort) e.signal!.removeEventListener('abort', e.onAbort);
    if (unqueue) {
      const i = this.pending.indexOf(e);
      if (i >= 0) this.pending.splice(i, 1);
    }
    this.accepted--;
    if (r.ok) e.resolve(r.value);
    else e.reject(r.error);
    this.wakeWaiters();
    if (this.accepted === 0 && this.waiters.length === 0) for (const w of this.idleWaiters.splice(0)) w();
  }

  /** Flush at the end of this event-loop turn, so that every send made in it joins the batch. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.drain();
    });
  }

  private drain(): void {
    while (this.pending.length > 0 && this.freeSlots.length > 0) {
      const items = this.take();
      if (items.length > 0) this.run(items, this.freeSlots.pop()!);
    }
  }

  /**
   * The next batch from the front of the queue, leaving out items whose
   * deadline passed. The queue is cut once per batch, not once per item (a
   * shift per item made taking a batch quadratic in the queue's length).
   */
  private take(): Entry<T, R>[] {
    const out: Entry<T, R>[] = [];
    let bytes = 0;
    const now = Date.now();
    const pending = this.pending;
    let i = 0;
    for (; i < pending.length && out.length < this.opts.maxItems; i++) {
      const e = pending[i]!;
      if (out.length > 0 && bytes + e.bytes > this.opts.maxBytes) break;
      if (e.deadline <= now) {
        this.settle(e, { ok: false, error: expired() }, false);
        continue;
      }
      out.push(e);
      bytes += e.bytes;
    }
    pending.splice(0, i);
    return out;
  }

  private run(entries: Entry<T, R>[], slot: number): void {
    const items = new Array<T>(entries.length);
    let deadline = 0;
    for (let i = 0; i < entries.length; i++) {
      items[i] = entries[i]!.item;
      if (entries[i]!.deadline > deadline) deadline = entries[i]!.deadline;
    }
    const batch: Batch<T> = {
      items,
      slot,
      deadline,
      live: () => entries.some((e) => !e.settled),
    };
    let results: Promise<ItemResult<R>[]>;
    try {
      results = this.opts.flush(batch);
    } catch (err) {
      results = Promise.reject(err);
    }
    results
      .then(
        (rs) => entries.forEach((e, i) => this.settle(e, rs[i] ?? { ok: false, error: new Error(`batch flush returned ${rs.length} results for ${entries.length} items`) }, false)),
        (error: unknown) => entries.forEach((e) => this.settle(e, { ok: false, error }, false)),
      )
      .finally(() => {
        this.freeSlots.push(slot);
        this.drain();
      });
  }
}

function expired(): QuorumqError {
  return new DeadlineExceededError('the deadline passed before the item was sent (not applied)', { outcome: 'not-applied' });
}
