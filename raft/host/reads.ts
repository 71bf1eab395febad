// Linearizable reads waiting on the core (ReadIndex) and then on apply. Each
// read gets a unique context; the core answers with the index that was
// committed when a quorum confirmed our leader was still the leader, and the
// read may be served once this node has applied up to it.

import { OutcomeUnknownError } from './proposals.js';

interface Waiting {
  index: number;
  resolve: (index: number) => void;
  reject: (e: Error) => void;
}

export class ReadAbortedError extends OutcomeUnknownError {
  override readonly name = 'ReadAbortedError';
}

export class ReadTimeoutError extends Error {
  override readonly name = 'ReadTimeoutError';
}

/** Leadership changed before the read was confirmed: the core dropped it; it may be asked again at once. */
export class ReadInterruptedError extends Error {
  override readonly name = 'ReadInterruptedError';
}

export class PendingReads {
  private seq = 0;
  /** By context key, until the core confirms an index (index -1 until then). */
  private readonly byContext = new Map<string, Waiting>();
  private appliedIndex = 0;

  add(): { context: Uint8Array; promise: Promise<number> } {
    const n = ++this.seq;
    const context = new Uint8Array(8);
    new DataView(context.buffer).setFloat64(0, n);
    const key = keyOf(context);
    const promise = new Promise<number>((resolve, reject) => {
      this.byContext.set(key, { index: -1, resolve, reject });
    });
    return { context, promise };
  }

  /** The core confirmed a read at `index`. */
  confirmed(context: Uint8Array, index: number): void {
    const w = this.byContext.get(keyOf(context));
    if (!w || w.index >= 0) return;
    if (index <= this.appliedIndex) {
      this.byContext.delete(keyOf(context));
      w.resolve(index);
    } else w.index = index;
  }

  appliedTo(applied: number): void {
    this.appliedIndex = applied;
    for (const [k, w] of this.byContext) {
      if (w.index >= 0 && w.index <= applied) {
        this.byContext.delete(k);
        w.resolve(w.index);
      }
    }
  }

  /** Give up on a read that was not served in time (its confirmation may have been lost with a leader). */
  expire(context: Uint8Array, why: string): void {
    const k = keyOf(context);
    const w = this.byContext.get(k);
    if (!w) return;
    this.byContext.delete(k);
    w.reject(new ReadTimeoutError(why));
  }

  /**
   * The leader changed: reads not yet confirmed were dropped with the old
   * leader's queue (or sent to a leader that is gone) and would wait out their
   * timeout. Fail them now; confirmed ones stay valid and wait for apply.
   */
  interruptUnconfirmed(why: string): void {
    for (const [k, w] of this.byContext) {
      if (w.index >= 0) continue;
      this.byContext.delete(k);
      w.reject(new ReadInterruptedError(why));
    }
  }

  failAll(why: string): void {
    for (const w of this.byContext.values()) w.reject(new ReadAbortedError(`read not served: ${why}`));
    this.byContext.clear();
  }

  get size(): number {
    return this.byContext.size;
  }
}

function keyOf(c: Uint8Array): string {
  return Buffer.from(c.buffer, c.byteOffset, c.byteLength).toString('hex');
}
