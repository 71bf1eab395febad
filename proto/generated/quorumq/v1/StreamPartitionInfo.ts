// Original file: proto/quorumq.proto

import type { Long } from '@grpc/proto-loader';

/**
 * One partition of a partitioned stream, as the serving node has it.
 */
export interface StreamPartitionInfo {
  'partition'?: (number);
  /**
   * The Raft group holding it, and that group's leader as this node knows it
   * (0: none known).
   */
  'group'?: (number);
  'leader'?: (number | string | Long);
  'firstOffset'?: (number | string | Long);
  'nextOffset'?: (number | string | Long);
  'messageCount'?: (number | string | Long);
  'bytes'?: (number | string | Long);
}

/**
 * One partition of a partitioned stream, as the serving node has it.
 */
export interface StreamPartitionInfo__Output {
  'partition': (number);
  /**
   * The Raft group holding it, and that group's leader as this node knows it
   * (0: none known).
   */
  'group': (number);
  'leader': (number);
  'firstOffset': (number);
  'nextOffset': (number);
  'messageCount': (number);
  'bytes': (number);
}
