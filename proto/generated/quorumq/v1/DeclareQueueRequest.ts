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
   * queue, one Raft group per partition, leaders spread over the nodes. A
   * message with a group key always goes to the same partition; messages
   * without one go round robin. Settings apply to each partition. Any node
   * serves every call on the queue, members of a partition's group or not.
   */
  'partitions'?: (number);
  /**
   * With partitions only: members of each partition's group. 0, the default:
   * every voter, at most 5 (more make every write wait for a larger majority;
   * 5 already serve through two lost nodes). Otherwise an odd number (an even
   * one survives no more lost nodes than the odd one below it) from 1 to the
   * number of voters. Members spread over the nodes (those in the fewest
   * groups first), and so do preferred leaders. Declaring a placed queue
   * again with another count of replicas is refused; with 0 it is not.
   */
  'replicas'?: (number);
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
   * queue, one Raft group per partition, leaders spread over the nodes. A
   * message with a group key always goes to the same partition; messages
   * without one go round robin. Settings apply to each partition. Any node
   * serves every call on the queue, members of a partition's group or not.
   */
  'partitions': (number);
  /**
   * With partitions only: members of each partition's group. 0, the default:
   * every voter, at most 5 (more make every write wait for a larger majority;
   * 5 already serve through two lost nodes). Otherwise an odd number (an even
   * one survives no more lost nodes than the odd one below it) from 1 to the
   * number of voters. Members spread over the nodes (those in the fewest
   * groups first), and so do preferred leaders. Declaring a placed queue
   * again with another count of replicas is refused; with 0 it is not.
   */
  'replicas': (number);
}
