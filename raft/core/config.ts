// How one Raft group member is set up. Time is counted in ticks: the driver
// decides how long a tick is (quorumq's server defaults to 50 ms).

import { ConfigError } from './errors.js';
import type { Storage } from './storage.js';
import type { GroupId, NodeId } from './types.js';

/** The core's only source of randomness: a seeded generator owned by the caller. */
export interface RandomSource {
  /** A uniformly distributed integer in [0, n). */
  nextInt(n: number): number;
}

export type ReadOnlyMode =
  /** ReadIndex confirmed by a heartbeat round: safe whatever the clocks do. */
  | 'safe'
  /**
   * Lease reads: the leader answers from its own commit index while it has
   * heard from a quorum within the election timeout. Correct only if no
   * node's clock runs faster than another's by more than the gap between the
   * election timeout and the time it takes to notice a lost lease; a paused
   * VM or a stepped clock breaks that assumption. Requires checkQuorum.
   */
  | 'lease';

export interface Config {
  readonly id: NodeId;
  readonly group: GroupId;
  readonly storage: Storage;
  readonly random: RandomSource;
  /** Ticks without a leader's word before a follower campaigns; randomized in [n, 2n). */
  readonly electionTicks?: number;
  /** Ticks between a leader's heartbeats. */
  readonly heartbeatTicks?: number;
  /** The index applied before a restart; committed entries above it are handed out again. */
  readonly applied?: number;
  /** Ask for votes without bumping terms first, so a returning partitioned node cannot depose a healthy leader. */
  readonly preVote?: boolean;
  /** A leader that has not heard from a quorum within an election timeout steps down. */
  readonly checkQuorum?: boolean;
  /** The byte budget of one append message to one follower. */
  readonly maxSizePerMsg?: number;
  /** How many append messages may be in flight to one follower. */
  readonly maxInflightMsgs?: number;
  /** The byte budget of committed entries handed out in one Ready. */
  readonly maxCommittedSizePerReady?: number;
  /** Proposed-but-uncommitted bytes above which proposals are refused (back pressure). */
  readonly maxUncommittedSize?: number;
  readonly readOnly?: ReadOnlyMode;
  /**
   * An idle leader stops heartbeating and an idle follower stops counting
   * towards an election (see Raft.quiesced). Off by default: a driver that
   * turns it on must wake a quiet follower whose leader's node went silent
   * (raft/host/ticker.ts does, from node-level liveness).
   */
  readonly quiesce?: boolean;
  /**
   * Switches that break safety on purpose, so tests can show the simulation
   * checker catches the violation. Never set outside tests.
   */
  readonly unsafe?: {
    /** Commit entries of earlier terms by counting replicas (Raft paper, figure 8). */
    readonly commitOldTermsByCounting?: boolean;
    /** Send votes and acknowledgements before the state they promise is durable. */
    readonly ackBeforePersist?: boolean;
  };
}

export interface ResolvedConfig extends Required<Omit<Config, 'unsafe'>> {
  readonly unsafe: NonNullable<Config['unsafe']>;
}

export function resolveConfig(c: Config): ResolvedConfig {
  const r: ResolvedConfig = {
    id: c.id,
    group: c.group,
    storage: c.storage,
    random: c.random,
    electionTicks: c.electionTicks ?? 10,
    heartbeatTicks: c.heartbeatTicks ?? 1,
    applied: c.applied ?? 0,
    preVote: c.preVote ?? true,
    checkQuorum: c.checkQuorum ?? true,
    maxSizePerMsg: c.maxSizePerMsg ?? 1 << 20,
    maxInflightMsgs: c.maxInflightMsgs ?? 256,
    maxCommittedSizePerReady: c.maxCommittedSizePerReady ?? 8 << 20,
    maxUncommittedSize: c.maxUncommittedSize ?? 256 << 20,
    readOnly: c.readOnly ?? 'safe',
    quiesce: c.quiesce ?? false,
    unsafe: c.unsafe ?? {},
  };
  validateConfig(r);
  return r;
}

export function validateConfig(c: ResolvedConfig): void {
  const fail = (msg: string): never => {
    throw new ConfigError(msg);
  };
  if (!Number.isSafeInteger(c.id) || c.id <= 0) fail(`node id must be a positive integer, got ${c.id}`);
  if (!Number.isSafeInteger(c.group) || c.group < 0) fail(`group id must be a non-negative integer, got ${c.group}`);
  if (c.heartbeatTicks <= 0) fail(`heartbeatTicks must be positive, got ${c.heartbeatTicks}`);
  if (c.electionTicks <= c.heartbeatTicks) fail(`electionTicks (${c.electionTicks}) must exceed heartbeatTicks (${c.heartbeatTicks})`);
  if (c.maxInflightMsgs <= 0) fail(`maxInflightMsgs must be positive, got ${c.maxInflightMsgs}`);
  if (c.maxSizePerMsg <= 0) fail(`maxSizePerMsg must be positive, got ${c.maxSizePerMsg}`);
  if (c.readOnly === 'lease' && !c.checkQuorum) fail('lease reads need checkQuorum: without it a deposed leader could serve stale reads');
}
