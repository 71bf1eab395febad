// Original file: proto/quorumq.proto

import type { RaftMessage as _quorumq_v1_RaftMessage, RaftMessage__Output as _quorumq_v1_RaftMessage__Output } from '../../quorumq/v1/RaftMessage.js';

export interface MessageBatch {
  'messages'?: (_quorumq_v1_RaftMessage)[];
}

export interface MessageBatch__Output {
  'messages': (_quorumq_v1_RaftMessage__Output)[];
}
