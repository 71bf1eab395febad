// Sending an idempotent write again while its group has no leader or hands
// leadership over: those refusals say nothing was applied (UNAVAILABLE), and
// an election or a transfer takes well under a second, so the node retries
// for the caller, with a backoff, until `until` or `gaveUp()`.

import * as grpc from '@grpc/grpc-js';
import { toStatus } from './status.js';

//
// `notAppliedOnly`: retry only refusals that say nothing was applied (for a
// write that applied twice stores twice, such as a plain publish).
export async function retryUnavailable<T>(fn: () => Promise<T>, until: number, gaveUp: () => boolean = () => false, opts: { notAppliedOnly?: boolean } = {}): Promise<T> {
  for (let wait = 50; ; wait = Math.min(1000, wait * 2)) {
    try {
      return await fn();
    } catch (e) {
      const s = toStatus(e);
      if (s.code !== grpc.status.UNAVAILABLE || (opts.notAppliedOnly && s.outcome !== 'not-applied') || Date.now() + wait > until || gaveUp()) throw e;
    }
    await new Promise((r) => setTimeout(r, wait));
  }
}
