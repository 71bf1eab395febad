// Original file: proto/quorumq.proto

import type { ConsumeRequest as _quorumq_v1_ConsumeRequest, ConsumeRequest__Output as _quorumq_v1_ConsumeRequest__Output } from '../../quorumq/v1/ConsumeRequest.js';

export interface PartitionConsumeRequest {
  /**
   * In the first request: the group, and the consumer's name (one name on
   * every partition of the client's call).
   */
  'group'?: (number);
  'consumer'?: (string);
  'request'?: (_quorumq_v1_ConsumeRequest | null);
}

export interface PartitionConsumeRequest__Output {
  /**
   * In the first request: the group, and the consumer's name (one name on
   * every partition of the client's call).
   */
  'group': (number);
  'consumer': (string);
  'request': (_quorumq_v1_ConsumeRequest__Output | null);
}
