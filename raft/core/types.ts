// The vocabulary of the consensus core. Plain numbers everywhere: terms and
// indexes stay far below 2^53, and numbers keep the hot path free of bigint
// arithmetic and allocation. The transport maps these shapes to and from proto.

/** A node's identity inside a cluster; 0 means "nobody". */
export type NodeId = number;
/** A Raft group's identity; every message and every stored key carries one. */
export type GroupId = number;

export const NONE: NodeId = 0;

export const EntryType = {
  /** Application data (or an empty entry a new leader appends to commit its term). */
  Normal: 0,
  /** A membership change; `data` is an encoded ConfChange (see confchange.ts). */
  ConfChange: 1,
} as const;
export type EntryType = (typeof EntryType)[keyof typeof EntryType];

export interface Entry {
  readonly term: number;
  readonly index: number;
  readonly type: EntryType;
  readonly data: Uint8Array;
}

/** What must be durable before a node votes or acknowledges anything. */
export interface HardState {
  readonly term: number;
  readonly vote: NodeId;
  readonly commit: number;
}

/** The membership in force. Learners receive the log but do not vote. */
export interface ConfState {
  readonly voters: readonly NodeId[];
  readonly learners: readonly NodeId[];
}

export interface SnapshotMeta {
  readonly index: number;
  readonly term: number;
  readonly conf: ConfState;
}

export interface Snapshot {
  readonly meta: SnapshotMeta;
  /** The application's state at `meta.index`, opaque to the core. */
  readonly data: Uint8Array;
}

export const ConfChangeType = {
  AddVoter: 0,
  AddLearner: 1,
  RemoveNode: 2,
} as const;
export type ConfChangeType = (typeof ConfChangeType)[keyof typeof ConfChangeType];

/**
 * One membership step. quorumq changes one member at a time: a leader has at
 * most one unapplied change in its log, and a new leader must apply an entry of
 * its own term before it accepts a change (Ongaro's single-server rule, with the
 * fix for the bug he found in it).
 */
export interface ConfChange {
  readonly type: ConfChangeType;
  readonly node: NodeId;
}

export type Role = 'follower' | 'pre-candidate' | 'candidate' | 'leader';

/** Volatile state the application may want to observe (leader hint, role). */
export interface SoftState {
  readonly leader: NodeId;
  readonly role: Role;
}

/** A confirmed linearizable read: the caller may serve it once applied >= index. */
export interface ReadState {
  readonly index: number;
  readonly context: Uint8Array;
}

// ---------------------------------------------------------------------------
// Messages: a closed union. Every message carries its group, sender, receiver
// and sender's term.

interface MessageBase {
  readonly group: GroupId;
  readonly from: NodeId;
  readonly to: NodeId;
  readonly term: number;
}

/** A vote request. `preVote` asks without bumping anyone's term. */
export interface MsgVote extends MessageBase {
  readonly type: 'vote';
  readonly preVote: boolean;
  readonly lastIndex: number;
  readonly lastTerm: number;
  /** Set when the election follows a leadership transfer: voters ignore their leader lease. */
  readonly transfer: boolean;
}

export interface MsgVoteResp extends MessageBase {
  readonly type: 'vote-resp';
  readonly preVote: boolean;
  readonly reject: boolean;
}

export interface MsgApp extends MessageBase {
  readonly type: 'app';
  readonly prevIndex: number;
  readonly prevTerm: number;
  readonly entries: readonly Entry[];
  readonly commit: number;
  /**
   * An empty append that only tells the commit index, to a follower the leader
   * knows holds every entry it was sent (raft.ts, bcastCommit): accepted, it
   * is not answered — the answer would tell the leader nothing it does not know.
   */
  readonly noReply?: boolean;
}

export interface MsgAppResp extends MessageBase {
  readonly type: 'app-resp';
  /** On success: the follower's match index. On reject: the prevIndex that was rejected. */
  readonly index: number;
  readonly reject: boolean;
  /** On reject: the follower's hint for fast backtracking (an index and the term it holds there). */
  readonly hintIndex: number;
  readonly hintTerm: number;
}

export interface MsgHeartbeat extends MessageBase {
  readonly type: 'heartbeat';
  readonly commit: number;
  /** Non-empty when the heartbeat round confirms pending ReadIndex requests. */
  readonly context: Uint8Array;
  /**
   * The leader's last heartbeat before it goes quiet (raft.ts, quiescence):
   * the group is idle and every member has everything, so the receiver stops
   * its election timer too. Absent on an ordinary heartbeat.
   */
  readonly quiesce?: boolean;
}

export interface MsgHeartbeatResp extends MessageBase {
  readonly type: 'heartbeat-resp';
  readonly context: Uint8Array;
}

export interface MsgSnap extends MessageBase {
  readonly type: 'snap';
  readonly snapshot: Snapshot;
}

/** Sent by a leader transferring leadership: campaign now, ignoring the election timer. */
export interface MsgTimeoutNow extends MessageBase {
  readonly type: 'timeout-now';
}

/** A follower asks the leader for a read index on behalf of its client. */
export interface MsgReadIndex extends MessageBase {
  readonly type: 'read-index';
  readonly context: Uint8Array;
}

export interface MsgReadIndexResp extends MessageBase {
  readonly type: 'read-index-resp';
  readonly context: Uint8Array;
  /** The confirmed read index; 0 when the leader could not serve it (it will be retried by the client). */
  readonly index: number;
}

/** A follower forwards a leadership-transfer request to its leader. */
export interface MsgTransferLeader extends MessageBase {
  readonly type: 'transfer-leader';
  readonly target: NodeId;
}

export type Message =
  | MsgVote
  | MsgVoteResp
  | MsgApp
  | MsgAppResp
  | MsgHeartbeat
  | MsgHeartbeatResp
  | MsgSnap
  | MsgTimeoutNow
  | MsgReadIndex
  | MsgReadIndexResp
  | MsgTransferLeader;

export type MessageType = Message['type'];

/** Messages that answer a remote request and must wait until our own state is durable. */
export function isResponse(m: Message): boolean {
  return m.type === 'vote-resp' || m.type === 'app-resp' || m.type === 'heartbeat-resp' || m.type === 'read-index-resp';
}

export function entryBytes(e: Entry): number {
  // A fixed overhead stands in for term, index and type so that tiny entries
  // are still counted against byte budgets.
  return e.data.byteLength + 24;
}
