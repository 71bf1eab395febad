// A sliding-window rate limit: at most `max` starts in any `durationMs`. A
// start is reserved at the earliest time the window allows — now, or
// `durationMs` after the start `max` places before it — so callers that all
// ask at once (a worker's concurrent runners) are spread out exactly, and
// none waits longer than its place in line needs. Pure: the caller passes the
// time and does the waiting.

/** At most `max` jobs started per `durationMs`, across a worker's concurrency. */
export interface RateLimit {
  readonly max: number;
  readonly durationMs: number;
}

/** Reserves starts within a RateLimit (see the top of this file). */
export class RateLimiter {
  /** The last `max` reserved start times, oldest first (some may lie ahead). */
  private readonly starts: number[] = [];

  constructor(readonly limit: RateLimit) {
    if (!Number.isInteger(limit.max) || limit.max < 1) throw new RangeError(`rateLimit.max must be an integer >= 1 (got ${limit.max})`);
    if (!(limit.durationMs > 0) || !Number.isFinite(limit.durationMs)) throw new RangeError(`rateLimit.durationMs must be a positive number of ms (got ${limit.durationMs})`);
  }

  /** Reserve the next start; returns when it may happen (>= now). */
  reserve(now: number): number {
    const at = this.starts.length < this.limit.max ? now : Math.max(now, this.starts[0]! + this.limit.durationMs);
    this.starts.push(at);
    if (this.starts.length > this.limit.max) this.starts.shift();
    return at;
  }
}
