// Original file: proto/quorumq.proto

/**
 * The kind of a Raft message; it decides which RaftMessage fields are set.
 */
export const MessageType = {
  /**
   * pre_vote, index (last index), log_term (last term), transfer
   */
  VOTE: 'VOTE',
  /**
   * pre_vote, reject
   */
  VOTE_RESP: 'VOTE_RESP',
  /**
   * index (prev index), log_term (prev term), entries, commit
   */
  APP: 'APP',
  /**
   * index, reject, hint_index, hint_term
   */
  APP_RESP: 'APP_RESP',
  /**
   * commit, context
   */
  HEARTBEAT: 'HEARTBEAT',
  /**
   * context
   */
  HEARTBEAT_RESP: 'HEARTBEAT_RESP',
  /**
   * snapshot (only inside InstallSnapshot)
   */
  SNAP: 'SNAP',
  /**
   * nothing else
   */
  TIMEOUT_NOW: 'TIMEOUT_NOW',
  /**
   * context
   */
  READ_INDEX: 'READ_INDEX',
  /**
   * context, index
   */
  READ_INDEX_RESP: 'READ_INDEX_RESP',
  /**
   * target
   */
  TRANSFER_LEADER: 'TRANSFER_LEADER',
} as const;

/**
 * The kind of a Raft message; it decides which RaftMessage fields are set.
 */
export type MessageType =
  /**
   * pre_vote, index (last index), log_term (last term), transfer
   */
  | 'VOTE'
  | 0
  /**
   * pre_vote, reject
   */
  | 'VOTE_RESP'
  | 1
  /**
   * index (prev index), log_term (prev term), entries, commit
   */
  | 'APP'
  | 2
  /**
   * index, reject, hint_index, hint_term
   */
  | 'APP_RESP'
  | 3
  /**
   * commit, context
   */
  | 'HEARTBEAT'
  | 4
  /**
   * context
   */
  | 'HEARTBEAT_RESP'
  | 5
  /**
   * snapshot (only inside InstallSnapshot)
   */
  | 'SNAP'
  | 6
  /**
   * nothing else
   */
  | 'TIMEOUT_NOW'
  | 7
  /**
   * context
   */
  | 'READ_INDEX'
  | 8
  /**
   * context, index
   */
  | 'READ_INDEX_RESP'
  | 9
  /**
   * target
   */
  | 'TRANSFER_LEADER'
  | 10

/**
 * The kind of a Raft message; it decides which RaftMessage fields are set.
 */
export type MessageType__Output = typeof MessageType[keyof typeof MessageType]
