// Wake-ups on apply: long-poll reads and subscriptions wait for the next
// applied entry (or a restored snapshot) rather than polling on a timer.

export class ApplySignal {
  private readonly wakers = new Set<() => void>();

  /** Entries were applied (or a snapshot installed): wake everyone waiting. */
  fire(): void {
    if (this.wakers.size === 0) return;
    const ws = [...this.wakers];
    this.wakers.clear();
    for (const w of ws) w();
  }

  /** Call `fn` once on the next apply. Returns a cancel function. */
  onNext(fn: () => void): () => void {
    this.wakers.add(fn);
    return () => this.wakers.delete(fn);
  }

  /** Resolves on the next apply or after `ms`, whichever comes first. */
  next(ms: number): Promise<void> {
    return nextOrTimeout(this, ms);
  }
}

/** What waits for an apply: one group's signal, or any of several (AnyApplied). */
export interface ApplyWaiter {
  onNext(fn: () => void): () => void;
  next(ms: number): Promise<void>;
}

function nextOrTimeout(s: Pick<ApplyWaiter, 'onNext'>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      cancel();
      resolve();
    }, Math.max(0, ms));
    const cancel = s.onNext(() => {
      clearTimeout(t);
      resolve();
    });
  });
}

/**
 * The next apply in any of several groups: a reader of a partitioned stream
 * waits for whichever partition gets something first. `fn` runs once, and
 * the other groups' wake-ups are cancelled then.
 */
export class AnyApplied implements ApplyWaiter {
  constructor(private readonly signals: readonly Pick<ApplyWaiter, 'onNext'>[]) {}

  onNext(fn: () => void): () => void {
    let done = false;
    const cancels: Array<() => void> = [];
    const cancel = (): void => {
      done = true;
      for (const c of cancels) c();
    };
    for (const s of this.signals) {
      cancels.push(
        s.onNext(() => {
          if (done) return;
          cancel();
          fn();
        }),
      );
    }
    return cancel;
  }

  next(ms: number): Promise<void> {
    return nextOrTimeout(this, ms);
  }
}
