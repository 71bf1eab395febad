// What a subscription or consumer has received and the user has not taken
// yet, readable as an async iterator (`for await (const m of sub)`) or through
// a callback with a concurrency limit (`sub.each(fn, { concurrency })`).
// Taking an item tells the owner (`onTake`), which is how credit is topped up.

/** Options of `each(fn, o)` on a subscription or consumer. */
export interface EachOptions {
  /** Handlers running at once. Default 1. */
  readonly concurrency?: number;
}

/** Received and not yet taken: an async iterator, or callbacks with a concurrency limit. */
export class Inbox<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private readonly takers: Array<{ resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void }> = [];
  private done = false;
  private failure: unknown;

  constructor(private readonly onTake: (item: T) => void = () => {}) {}

  /** Items received and not taken. */
  get size(): number {
    return this.items.length;
  }

  get ended(): boolean {
    return this.done;
  }

  push(item: T): void {
    if (this.done) return;
    const t = this.takers.shift();
    if (t) {
      this.onTake(item);
      t.resolve({ value: item, done: false });
    } else this.items.push(item);
  }

  /** Drop received items the predicate matches (deliveries of a call that ended, say). */
  drop(pred: (item: T) => boolean): void {
    for (let i = this.items.length - 1; i >= 0; i--) if (pred(this.items[i]!)) this.items.splice(i, 1);
  }

  /** No more items: iteration ends after what is buffered, or throws `error` then. */
  end(error?: unknown): void {
    if (this.done) return;
    this.done = true;
    this.failure = error;
    if (this.items.length === 0) this.flushTakers();
  }

  private flushTakers(): void {
    for (const t of this.takers.splice(0)) {
      if (this.failure !== undefined) t.reject(this.failure);
      else t.resolve({ value: undefined, done: true });
    }
  }

  /** The next item, or done. */
  next(): Promise<IteratorResult<T>> {
    const item = this.items.shift();
    if (item !== undefined) {
      this.onTake(item);
      return Promise.resolve({ value: item, done: false });
    }
    if (this.done) return this.failure !== undefined ? Promise.reject(this.failure) : Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => this.takers.push({ resolve, reject }));
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return { next: () => this.next() };
  }

  /** Run `fn` on every item, at most `concurrency` at once; resolves when the inbox ends and every handler finished. */
  async each(fn: (item: T) => Promise<void> | void, o: EachOptions = {}): Promise<void> {
    const n = o.concurrency ?? 1;
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`concurrency must be an integer >= 1 (got ${n})`);
    const runner = async (): Promise<void> => {
      for (;;) {
        const r = await this.next();
        if (r.done) return;
        await fn(r.value);
      }
    };
    await Promise.all(Array.from({ length: n }, runner));
  }
}
