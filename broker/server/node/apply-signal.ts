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
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        cancel();
        resolve();
      }, Math.max(0, ms));
      const cancel = this.onNext(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }
}
