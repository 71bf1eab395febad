// Original file: proto/quorumq.proto

import type { QueueSettings as _quorumq_v1_QueueSettings, QueueSettings__Output as _quorumq_v1_QueueSettings__Output } from '../../quorumq/v1/QueueSettings.js';

export interface DeclareQueueRequest {
  /**
   * 1-200 characters: letters, digits, '.', '_' and '-', starting with a
   * letter or digit.
   */
  'name'?: (string);
  'settings'?: (_quorumq_v1_QueueSettings | null);
  /**
   * 0: an ordinary queue, in the metadata group. 1 to 64: a partitioned
   * queue, one Raft group per partition, every node a member of each, leaders
   * spread over the nodes. A message with a group key always goes to the same
   * partition; messages without one go round robin. Settings apply to each
   * partition.
   */
  'partitions'?: (number);
}

export interface DeclareQueueRequest__Output {
  /**
   * 1-200 characters: letters, digits, '.', '_' and '-', starting with a
   * letter or digit.
   */
  'name': (string);
  'settings': (_quorumq_v1_QueueSettings__Output | null);
  /**
   * 0: an ordinary queue, in the metadata group. 1 to 64: a partitioned
   * queue, one Raft group per partition, every node a member of each, leaders
   * spread over the nodes. A message with a group key always goes to the same
   * partition; messages without one go round robin. Settings apply to each
   * partition.
   */
  'partitions': (number);
}
