// Original file: proto/quorumq.proto

import type { MessageType as _quorumq_v1_MessageType, MessageType__Output as _quorumq_v1_MessageType__Output } from '../../quorumq/v1/MessageType.js';
import type { Entry as _quorumq_v1_Entry, Entry__Output as _quorumq_v1_Entry__Output } from '../../quorumq/v1/Entry.js';
import type { Long } from '@grpc/proto-loader';

/**
 * One Raft message. Flat rather than a oneof: the fields a type uses are
 * listed with MessageType, unused ones stay at their defaults and cost nothing
 * on the wire.
 */
export interface RaftMessage {
  'type'?: (_quorumq_v1_MessageType);
  /**
   * The Raft group; one connection carries the messages of every group.
   */
  'group'?: (number);
  'from'?: (number | string | Long);
  'to'?: (number | string | Long);
  /**
   * The sender's term (for a granted pre-vote, the asker's future term).
   */
  'term'?: (number | string | Long);
  'logTerm'?: (number | string | Long);
  'index'?: (number | string | Long);
  'commit'?: (number | string | Long);
  'entries'?: (_quorumq_v1_Entry)[];
  'reject'?: (boolean);
  'hintIndex'?: (number | string | Long);
  'hintTerm'?: (number | string | Long);
  'preVote'?: (boolean);
  'transfer'?: (boolean);
  'context'?: (Buffer | Uint8Array | string);
  'target'?: (number | string | Long);
  /**
   * On a heartbeat: the leader's last before its idle group goes quiet (quiescence).
   */
  'quiesce'?: (boolean);
  /**
   * On an empty append: it only tells the commit index, to a follower the
   * leader knows holds everything sent; accepted, it is not answered.
   */
  'noReply'?: (boolean);
}

/**
 * One Raft message. Flat rather than a oneof: the fields a type uses are
 * listed with MessageType, unused ones stay at their defaults and cost nothing
 * on the wire.
 */
export interface RaftMessage__Output {
  'type': (_quorumq_v1_MessageType__Output);
  /**
   * The Raft group; one connection carries the messages of every group.
   */
  'group': (number);
  'from': (number);
  'to': (number);
  /**
   * The sender's term (for a granted pre-vote, the asker's future term).
   */
  'term': (number);
  'logTerm': (number);
  'index': (number);
  'commit': (number);
  'entries': (_quorumq_v1_Entry__Output)[];
  'reject': (boolean);
  'hintIndex': (number);
  'hintTerm': (number);
  'preVote': (boolean);
  'transfer': (boolean);
  'context': (Buffer);
  'target': (number);
  /**
   * On a heartbeat: the leader's last before its idle group goes quiet (quiescence).
   */
  'quiesce': (boolean);
  /**
   * On an empty append: it only tells the commit index, to a follower the
   * leader knows holds everything sent; accepted, it is not answered.
   */
  'noReply': (boolean);
}
