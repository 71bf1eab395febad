// What a leader knows of one follower's log, and how it sends to it:
//   probe     — one append at a time until the follower's match point is found;
//   replicate — optimistic pipelining, bounded by the in-flight window;
//   snapshot  — a snapshot is on its way; nothing else is sent.

import type { ProgressMode } from '../api.js';
import { Inflights } from './inflights.js';

export class Progress {
  match = 0;
  next: number;
  mode: ProgressMode = 'probe';
  /** In probe mode: an append is out and unanswered. */
  probeSent = false;
  /** In snapshot mode: the index of the snapshot being sent. */
  pendingSnapshot = 0;
  /** Ticks spent in snapshot mode, so a lost snapshot does not stall the follower forever. */
  snapshotTicks = 0;
  /** Heard from within the current election timeout (CheckQuorum). */
  recentActive = false;
  readonly inflights: Inflights;

  constructor(next: number, maxInflight: number, public learner: boolean) {
    this.next = next;
    this.inflights = new Inflights(maxInflight);
  }

  private resetMode(mode: ProgressMode): void {
    this.mode = mode;
    this.probeSent = false;
    this.pendingSnapshot = 0;
    this.snapshotTicks = 0;
    this.inflights.reset();
  }

  becomeProbe(): void {
    // After a snapshot, probe just past it: the follower has at least that.
    const next = this.mode === 'snapshot' ? Math.max(this.match + 1, this.pendingSnapshot + 1) : this.match + 1;
    this.resetMode('probe');
    this.next = next;
  }

  becomeReplicate(): void {
    this.resetMode('replicate');
    this.next = this.match + 1;
  }

  becomeSnapshot(index: number): void {
    this.resetMode('snapshot');
    this.pendingSnapshot = index;
  }

  /** An acknowledgement up to n. Returns whether it taught us anything new. */
  maybeUpdate(n: number): boolean {
    let updated = false;
    if (this.match < n) {
      this.match = n;
      updated = true;
      this.probeSent = false;
    }
    if (this.next < n + 1) this.next = n + 1;
    return updated;
  }

  /**
   * The follower rejected an append at `rejected`; `hint` is the highest index
   * that may match. Returns false when the rejection is stale (out of order).
   */
  maybeDecrTo(rejected: number, hint: number): boolean {
    if (this.mode === 'replicate') {
      if (rejected <= this.match) return false;
      this.next = this.match + 1;
      return true;
    }
    if (this.next - 1 !== rejected) return false;
    if (hint < this.match) {
      // The probe at `match` itself was rejected: the follower's log ends below
      // what it acknowledged. It discarded damaged entries when it started
      // (log/level-wal.ts repairs committed entries that way) and needs them
      // again; without this the leader would probe at `match` forever.
      this.match = hint;
      this.next = hint + 1;
      this.probeSent = false;
      return true;
    }
    this.next = Math.max(Math.min(rejected, hint + 1), this.match + 1, 1);
    this.probeSent = false;
    return true;
  }

  /** Record an append of entries up to `lastIndex` (lastIndex < next when it carried none). */
  sentEntries(lastIndex: number, count: number): void {
    if (this.mode === 'replicate') {
      if (count > 0) {
        this.next = lastIndex + 1;
        this.inflights.add(lastIndex);
      }
    } else if (this.mode === 'probe') {
      this.probeSent = true;
    }
  }

  isPaused(): boolean {
    switch (this.mode) {
      case 'probe':
        return this.probeSent;
      case 'replicate':
        return this.inflights.full();
      case 'snapshot':
        return true;
    }
  }
}
