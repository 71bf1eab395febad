// Original file: proto/quorumq.proto

import type { QueueMessage as _quorumq_v1_QueueMessage, QueueMessage__Output as _quorumq_v1_QueueMessage__Output } from '../../quorumq/v1/QueueMessage.js';
import type { Long } from '@grpc/proto-loader';

export interface PublishRequest {
  'queue'?: (string);
  /**
   * 1 to 10000 messages, at most 8 MiB in all.
   */
  'messages'?: (_quorumq_v1_QueueMessage)[];
  /**
   * Exactly-once publishing: a producer (a name, as queue names) numbers its
   * publishes 1, 2, 3... Each (producer, sequence) is stored once, also across
   * leader changes: a retry answers what the first try got, with duplicate
   * set. After an UNAVAILABLE or DEADLINE_EXCEEDED, retry the same sequence
   * until a definite answer; a sequence that skips one is FAILED_PRECONDITION.
   */
  'producerId'?: (string);
  'sequence'?: (number | string | Long);
  /**
   * PublishStream: echoed in the response.
   */
  'requestId'?: (number | string | Long);
  /**
   * 0: the server picks each message's partition (partitioned queues) or the
   * queue's own group. Otherwise the request is aimed at one partition of a
   * partitioned queue: the data group `group` (as Placement answers). The
   * server checks that the group is a partition of the queue and that every
   * message's group key hashes to that partition (FAILED_PRECONDITION, naming
   * the rule, otherwise: nothing stored; ask Placement again); messages
   * without a group key are stored there. Such a request may carry a
   * producer_id: its sequences are that partition's.
   */
  'group'?: (number);
}

export interface PublishRequest__Output {
  'queue': (string);
  /**
   * 1 to 10000 messages, at most 8 MiB in all.
   */
  'messages': (_quorumq_v1_QueueMessage__Output)[];
  /**
   * Exactly-once publishing: a producer (a name, as queue names) numbers its
   * publishes 1, 2, 3... Each (producer, sequence) is stored once, also across
   * leader changes: a retry answers what the first try got, with duplicate
   * set. After an UNAVAILABLE or DEADLINE_EXCEEDED, retry the same sequence
   * until a definite answer; a sequence that skips one is FAILED_PRECONDITION.
   */
  'producerId': (string);
  'sequence': (number);
  /**
   * PublishStream: echoed in the response.
   */
  'requestId': (number);
  /**
   * 0: the server picks each message's partition (partitioned queues) or the
   * queue's own group. Otherwise the request is aimed at one partition of a
   * partitioned queue: the data group `group` (as Placement answers). The
   * server checks that the group is a partition of the queue and that every
   * message's group key hashes to that partition (FAILED_PRECONDITION, naming
   * the rule, otherwise: nothing stored; ask Placement again); messages
   * without a group key are stored there. Such a request may carry a
   * producer_id: its sequences are that partition's.
   */
  'group': (number);
}
