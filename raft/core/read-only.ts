// ReadIndex on the leader. Requests that arrive between two Readys share one
// heartbeat round: the round records the commit index when it starts, and once
// a quorum has answered its heartbeat every request in it (and in any earlier
// round) may be served at that index. Using the commit index at round start,
// not at request arrival, only ever makes the index larger — still linearizable.

import { hasQuorum } from './quorum.js';
import type { NodeId } from './types.js';

export interface ReadRequest {
  readonly context: Uint8Array;
  /** The node whose client asked: the leader itself or a follower that forwarded it. */
  readonly from: NodeId;
}

interface Round {
  readonly id: number;
  readonly index: number;
  readonly requests: ReadRequest[];
  readonly acks: Set<NodeId>;
}

export class ReadOnlyQueue {
  private waiting: ReadRequest[] = [];
  private rounds: Round[] = [];
  private nextId = 1;

  add(req: ReadRequest): void {
    this.waiting.push(req);
  }

  hasWaiting(): boolean {
    return this.waiting.length > 0;
  }

  /** Start a round for every waiting request; returns its context for the heartbeat, or undefined. */
  startRound(commit: number, self: NodeId): Uint8Array | undefined {
    if (this.waiting.length === 0) return undefined;
    const id = this.nextId++;
    this.rounds.push({ id, index: commit, requests: this.waiting, acks: new Set([self]) });
    this.waiting = [];
    return encodeRoundId(id);
  }

  /**
   * A heartbeat answer carrying `context`. Returns the requests now confirmed,
   * each with its read index, oldest first.
   */
  ack(context: Uint8Array, from: NodeId, voters: readonly NodeId[]): { index: number; requests: ReadRequest[] }[] {
    const id = decodeRoundId(context);
    if (id === undefined) return [];
    const round = this.rounds.find((r) => r.id === id);
    if (!round) return [];
    round.acks.add(from);
    if (!hasQuorum(voters, (v) => round.acks.has(v))) return [];
    // A quorum confirmed leadership at this round: earlier rounds are confirmed too.
    const done: { index: number; requests: ReadRequest[] }[] = [];
    while (this.rounds.length && this.rounds[0]!.id <= id) {
      const r = this.rounds.shift()!;
      done.push({ index: r.index, requests: r.requests });
    }
    return done;
  }

  /** Everything pending, dropped on loss of leadership (the clients retry). */
  clear(): ReadRequest[] {
    const all = [...this.waiting, ...this.rounds.flatMap((r) => r.requests)];
    this.waiting = [];
    this.rounds = [];
    return all;
  }

  /** Oldest round's context, to re-send when heartbeats were lost. */
  pendingContext(): Uint8Array | undefined {
    const r = this.rounds[this.rounds.length - 1];
    return r ? encodeRoundId(r.id) : undefined;
  }
}

function encodeRoundId(id: number): Uint8Array {
  const b = new Uint8Array(8);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, Math.floor(id / 2 ** 32));
  dv.setUint32(4, id >>> 0);
  return b;
}

function decodeRoundId(b: Uint8Array): number | undefined {
  if (b.byteLength !== 8) return undefined;
  const dv = new DataView(b.buffer, b.byteOffset, 8);
  return dv.getUint32(0) * 2 ** 32 + dv.getUint32(4);
}
