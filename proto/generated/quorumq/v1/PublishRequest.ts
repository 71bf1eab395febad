// Original file: proto/quorumq.proto

import type { QueueMessage as _quorumq_v1_QueueMessage, QueueMessage__Output as _quorumq_v1_QueueMessage__Output } from '../../quorumq/v1/QueueMessage.js';

export interface PublishRequest {
  'queue'?: (string);
  /**
   * 1 to 10000 messages, at most 8 MiB in all.
   */
  'messages'?: (_quorumq_v1_QueueMessage)[];
}

export interface PublishRequest__Output {
  'queue': (string);
  /**
   * 1 to 10000 messages, at most 8 MiB in all.
   */
  'messages': (_quorumq_v1_QueueMessage__Output)[];
}
