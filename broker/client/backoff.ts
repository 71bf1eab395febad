// Exponential backoff with full jitter: attempt n waits a uniformly random
// time in [0, min(max, base * factor^n)]. Full jitter (rather than a fixed
// delay plus a little noise) spreads the reconnects of many clients that all
// lost the same leader at the same moment, so the new leader is not hit by a
// synchronised wave.

export interface BackoffOptions {
  /** First ceiling, ms (default 50). */
  readonly baseMs?: number;
  /** Growth per attempt (default 2). */
  readonly factor?: number;
  /** Largest ceiling, ms (default 2000). */
  readonly maxMs?: number;
}

/** Successive jittered delays (exponential, full jitter), reset after a success. */
export class Backoff {
  private attempt = 0;
  private readonly baseMs: number;
  private readonly factor: number;
  private readonly maxMs: number;

  constructor(
    opts: BackoffOptions = {},
    /** A source of numbers in [0, 1): Math.random unless a test fixes it. */
    private readonly random: () => number = Math.random,
  ) {
    this.baseMs = opts.baseMs ?? 50;
    this.factor = opts.factor ?? 2;
    this.maxMs = opts.maxMs ?? 2000;
    if (!(this.baseMs > 0) || !(this.factor >= 1) || !(this.maxMs >= this.baseMs)) {
      throw new RangeError(`backoff needs baseMs > 0, factor >= 1 and maxMs >= baseMs (got ${this.baseMs}, ${this.factor}, ${this.maxMs})`);
    }
  }

  /** The ceiling of the next delay (before jitter). */
  ceiling(): number {
    return ceilingFor(this.attempt, { baseMs: this.baseMs, factor: this.factor, maxMs: this.maxMs });
  }

  /** The next delay, ms, and count the attempt. */
  next(): number {
    const d = this.random() * this.ceiling();
    this.attempt++;
    return d;
  }

  /** After a success: the next failure starts from the base again. */
  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}

/** The delay ceiling of attempt `n` (0-based): base * factor^n, at most max. */
export function ceilingFor(n: number, o: BackoffOptions = {}): number {
  return Math.min(o.maxMs ?? 2000, (o.baseMs ?? 50) * (o.factor ?? 2) ** n);
}
