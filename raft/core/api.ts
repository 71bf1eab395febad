// The public surface of one Raft group member, as the driver and the simulation
// use it. RawNode (raw-node.ts) implements it. Everything is synchronous: inputs
// go in through the methods, outputs come out through ready().

import type { Ready } from './ready.js';
import type { ConfChange, ConfState, Message, NodeId, Role } from './types.js';

export type ProgressMode = 'probe' | 'replicate' | 'snapshot';

export interface PeerStatus {
  readonly id: NodeId;
  readonly match: number;
  readonly next: number;
  readonly mode: ProgressMode;
  readonly learner: boolean;
  /** Whether the peer was heard from within the current election timeout. */
  readonly active: boolean;
}

export interface Status {
  readonly id: NodeId;
  readonly term: number;
  readonly vote: NodeId;
  readonly commit: number;
  readonly applied: number;
  readonly lastIndex: number;
  readonly leader: NodeId;
  readonly role: Role;
  readonly conf: ConfState;
  /** Only on the leader: each member's replication progress (including itself). */
  readonly peers: readonly PeerStatus[];
  /** A leadership transfer in progress, or 0. */
  readonly transferee: NodeId;
  /** The group is quiet (raft.ts, quiescence): idle, no heartbeats, no election timer. */
  readonly quiesced: boolean;
  /** Why this node started elections, and stepped down, since it started. */
  readonly elections: ElectionCounts;
}

/** Elections this node started, by cause, and times it stepped down as leader for want of a quorum. */
export interface ElectionCounts {
  /** It heard from no leader for an election timeout. */
  readonly timeout: number;
  /** The leader handed leadership to it (TimeoutNow). */
  readonly transfer: number;
  /** Asked to by its host (campaign()). */
  readonly manual: number;
  /** As leader, it had not heard from a quorum for an election timeout (CheckQuorum). */
  readonly checkQuorum: number;
}

/** Where a proposal landed; it succeeded iff the entry applied at `index` has this `term`. */
export interface ProposalPosition {
  readonly index: number;
  readonly term: number;
}

export interface RaftNode {
  /** Advance logical time by one tick. */
  tick(): void;
  /** Feed a message from a peer. Messages for another group or from a stale term are handled or dropped as Raft says. */
  step(m: Message): void;
  /** Append application data. Throws NotLeaderError, TransferInProgressError or ProposalDroppedError. */
  propose(data: Uint8Array): ProposalPosition;
  /** Append several entries at once; they get consecutive indexes starting at the returned one. */
  proposeBatch(data: readonly Uint8Array[]): ProposalPosition;
  /** Propose one membership step. Throws ConfChangeInProgressError or InvalidConfChangeError as well. */
  proposeConfChange(cc: ConfChange): ProposalPosition;
  /**
   * Ask for a linearizable read. The answer comes in a later Ready's readStates
   * with the same context (on a follower, after a round trip to the leader).
   * Throws NotLeaderError when no leader is known.
   */
  readIndex(context: Uint8Array): void;
  /** Hand leadership to `target` (on a follower, forwarded to the leader). */
  transferLeader(target: NodeId): void;
  /** Start an election now (tests, or an operator forcing one). */
  campaign(): void;
  hasReady(): boolean;
  /**
   * Messages that may leave now — a leader's appends, heartbeats, snapshots
   * and TimeoutNow, which never promise durable state — even while a Ready is
   * outstanding. A driver whose write is slow calls this (on each tick and
   * after stepping) so heartbeats keep flowing and new proposals reach
   * followers in parallel with the leader's own write.
   */
  takeMessages(): Message[];
  ready(): Ready;
  /** The driver has acted on `rd` (persisted, sent, applied). */
  advance(rd: Ready): void;
  /** The transport could not reach `id`: slow down replication to it until it answers. */
  reportUnreachable(id: NodeId): void;
  /** Sending a snapshot to `id` finished; on failure the leader probes again later. */
  reportSnapshot(id: NodeId, ok: boolean): void;
  status(): Status;
}
