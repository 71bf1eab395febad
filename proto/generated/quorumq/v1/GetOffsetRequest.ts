// Original file: proto/quorumq.proto

import type { Consistency as _quorumq_v1_Consistency, Consistency__Output as _quorumq_v1_Consistency__Output } from '../../quorumq/v1/Consistency.js';

export interface GetOffsetRequest {
  'stream'?: (string);
  'consumer'?: (string);
  'consistency'?: (_quorumq_v1_Consistency);
  /**
   * Partitioned streams: the partition whose offset is asked.
   */
  'partition'?: (number);
}

export interface GetOffsetRequest__Output {
  'stream': (string);
  'consumer': (string);
  'consistency': (_quorumq_v1_Consistency__Output);
  /**
   * Partitioned streams: the partition whose offset is asked.
   */
  'partition': (number);
}
