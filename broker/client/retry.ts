// The SDK's one retry loop: unary calls, producer batches and consumer
// reconnects all go through it. It tries until an attempt succeeds, an error
// is final, or the operation's signal fires (the caller's deadline or abort),
// waiting a jittered backoff between attempts.

import { Backoff, type BackoffOptions } from './backoff.js';
import { QuorumqError } from './errors.js';
import { abortError, sleep } from './signal.js';

/** Options of `retrying`. */
export interface RetryOptions {
  /** Fires when the caller gives up; its reason is the error thrown. */
  readonly signal: AbortSignal;
  readonly backoff?: BackoffOptions;
  /** Whether to try again after this error. */
  retryable(e: unknown): boolean;
  /** Told of every failed attempt (to update the view of the cluster). */
  onError?(e: unknown, attempt: number): void;
}

/** Run `attempt` until it succeeds, an error is final, or the signal fires (then its reason is thrown). */
export async function retrying<T>(attempt: (n: number, signal: AbortSignal) => Promise<T>, o: RetryOptions): Promise<T> {
  const backoff = new Backoff(o.backoff);
  let last: unknown;
  // Once an attempt's outcome was unknown, the operation's is unknown too.
  let maybeApplied = false;
  for (let n = 0; ; n++) {
    if (o.signal.aborted) throw giveUp(o.signal, last, maybeApplied);
    try {
      return await attempt(n, o.signal);
    } catch (e) {
      last = e;
      if (e instanceof QuorumqError && e.outcome === 'unknown') maybeApplied = true;
      o.onError?.(e, n);
      if (!o.retryable(e)) throw e;
      if (o.signal.aborted) throw giveUp(o.signal, last, maybeApplied);
      try {
        await sleep(backoff.next(), o.signal);
      } catch {
        throw giveUp(o.signal, last, maybeApplied);
      }
    }
  }
}

/** The caller's error (deadline or abort) with the last attempt's error as its cause and the right outcome. */
function giveUp(signal: AbortSignal, last: unknown, maybeApplied: boolean): QuorumqError {
  const base = abortError(signal);
  const Cls = base.constructor as new (m: string, o: object) => QuorumqError;
  const why = last instanceof Error ? `; last error: ${last.message}` : '';
  return new Cls(`${base.message}${why}`, { outcome: maybeApplied ? 'unknown' : 'not-applied', cause: last ?? base.cause, status: base.status });
}
