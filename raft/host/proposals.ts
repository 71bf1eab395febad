// Proposals waiting for their entry to be applied. The rule that decides the
// answer comes from the core's contract: a proposal succeeded iff the entry
// applied at its index has its term. Anything else we cannot see — the entry
// went under a snapshot, the node stopped — is an unknown outcome, never a
// failure: a client must not be told "failed" for a write that committed.

import type { ProposalPosition } from '../core/api.js';
import type { Entry } from '../core/types.js';

/** Another leader's entry took the proposal's place: it was certainly not applied. */
export class ProposalSupersededError extends Error {
  override readonly name = 'ProposalSupersededError';
  constructor(
    readonly index: number,
    readonly term: number,
    readonly appliedTerm: number,
  ) {
    super(`the write at index ${index} (term ${term}) was not committed: leadership changed and index ${index} holds a term-${appliedTerm} entry; it was not applied, retry it`);
  }
}

/** We cannot tell whether the proposal was applied. */
export class OutcomeUnknownError extends Error {
  override readonly name: string = 'OutcomeUnknownError';
}

interface Waiter<R> {
  readonly term: number;
  readonly resolve: (r: Applied<R>) => void;
  readonly reject: (e: Error) => void;
}

export interface Applied<R> {
  readonly index: number;
  readonly term: number;
  /** The state machine's result (undefined for entries without one, such as membership changes). */
  readonly result: R | undefined;
}

export class Proposals<R> {
  private readonly pending = new Map<number, Waiter<R>>();

  get size(): number {
    return this.pending.size;
  }

  /** Wait for the entry proposed at `pos` (and, for a batch, `count` consecutive ones: one promise each). */
  add(pos: ProposalPosition, count = 1): Promise<Applied<R>>[] {
    const out: Promise<Applied<R>>[] = [];
    for (let i = 0; i < count; i++) {
      const index = pos.index + i;
      out.push(
        new Promise<Applied<R>>((resolve, reject) => {
          // A stale waiter at this index belongs to a proposal whose entry was
          // overwritten before we saw it applied; the new one proves it lost.
          const old = this.pending.get(index);
          if (old) old.reject(new ProposalSupersededError(index, old.term, pos.term));
          this.pending.set(index, { term: pos.term, resolve, reject });
        }),
      );
    }
    return out;
  }

  /** An entry was applied: settle the proposal waiting at its index, if any. */
  applied(e: Entry, result: R | undefined): void {
    const w = this.pending.get(e.index);
    if (!w) return;
    this.pending.delete(e.index);
    if (w.term === e.term) w.resolve({ index: e.index, term: e.term, result });
    else w.reject(new ProposalSupersededError(e.index, w.term, e.term));
  }

  /**
   * `entries` were written to this node's log from their first index on,
   * replacing what it held there and after, while this node is in `term`.
   * A waiter of an earlier term whose entry is no longer there (another
   * term's entry took its index, or the log now ends before it) was proposed
   * while this node led and lost with that leadership. Its outcome is
   * unknown, not failed: another member may still hold the entry and win a
   * later election with it. But it cannot be left waiting: when the new
   * leader's log is shorter, nothing may be applied at its index for as long
   * as the cluster stays quiet, and the caller would hear nothing until its
   * own deadline, if it has one.
   */
  replaced(entries: readonly Entry[], term: number): void {
    if (entries.length === 0) return;
    const first = entries[0]!.index;
    const last = entries[entries.length - 1]!.index;
    for (const [i, w] of this.pending) {
      if (i < first || w.term >= term) continue;
      if (i <= last && entries[i - first]!.term === w.term) continue;
      this.pending.delete(i);
      w.reject(new OutcomeUnknownError(`the write at index ${i} (term ${w.term}) left this node's log when leadership moved (term ${term}): it may or may not be applied`));
    }
  }

  /** A snapshot replaced the log up to `index`: what waited there may or may not be in it. */
  snapshotInstalled(index: number): void {
    for (const [i, w] of this.pending) {
      if (i > index) continue;
      this.pending.delete(i);
      w.reject(new OutcomeUnknownError(`the write at index ${i} may or may not have been applied: this node installed a snapshot covering it`));
    }
  }

  /** Settle everything with an unknown outcome (shutdown). */
  failAll(why: string): void {
    for (const [i, w] of this.pending) w.reject(new OutcomeUnknownError(`the write at index ${i} may or may not have been applied: ${why}`));
    this.pending.clear();
  }
}
