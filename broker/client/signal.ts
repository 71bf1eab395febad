// A caller's limits on one operation — an AbortSignal and/or a timeout — as a
// single AbortSignal whose `reason` is already the SDK error to throw
// (AbortedError or DeadlineExceededError), so every wait in the SDK only has
// to watch one signal.

import { AbortedError, DeadlineExceededError, QuorumqError } from './errors.js';

/** What every SDK call accepts. */
export interface CallOptions {
  /** Give up when this fires (the promise rejects with AbortedError). */
  readonly signal?: AbortSignal;
  /** Give up after this many ms (DeadlineExceededError); defaults to the connection's `timeoutMs`. */
  readonly timeoutMs?: number;
}

/** An operation's signal, and `done()` to release its timer once the operation is over. */
export interface Operation {
  readonly signal: AbortSignal;
  done(): void;
}

/** The caller's deadline as an absolute time (ms since the epoch; Infinity for none). */
export function deadlineOf(opts: CallOptions, defaultTimeoutMs: number): number {
  const timeout = opts.timeoutMs ?? defaultTimeoutMs;
  return timeout > 0 && Number.isFinite(timeout) ? Date.now() + timeout : Infinity;
}

/** The operation's signal, firing at the caller's signal or at `deadline` (ms since the epoch). */
export function operation(userSignal: AbortSignal | undefined, deadline: number, what: string): Operation {
  const c = new AbortController();
  const fire = (): void =>
    c.abort(userSignal?.reason instanceof QuorumqError ? userSignal.reason : new AbortedError(`${what}: aborted by the caller`, { cause: userSignal?.reason, outcome: 'unknown' }));
  let timer: NodeJS.Timeout | undefined;
  if (userSignal?.aborted) fire();
  else userSignal?.addEventListener('abort', fire, { once: true });
  if (Number.isFinite(deadline) && !c.signal.aborted) {
    const ms = Math.max(0, deadline - Date.now());
    timer = setTimeout(() => c.abort(new DeadlineExceededError(`${what}: no definite answer within the deadline`, { outcome: 'unknown' })), ms);
  }
  return {
    signal: c.signal,
    done: () => {
      clearTimeout(timer);
      userSignal?.removeEventListener('abort', fire);
    },
  };
}

/** The error a fired signal stands for. */
export function abortError(signal: AbortSignal): QuorumqError {
  const r: unknown = signal.reason;
  return r instanceof QuorumqError ? r : new AbortedError('aborted', { cause: r, outcome: 'unknown' });
}

/** Resolve after `ms`, or reject with the signal's error when it fires first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const onAbort = (): void => {
      clearTimeout(t);
      reject(abortError(signal!));
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
