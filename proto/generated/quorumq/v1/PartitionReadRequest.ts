// Original file: proto/quorumq.proto

import type { GetMessagesRequest as _quorumq_v1_GetMessagesRequest, GetMessagesRequest__Output as _quorumq_v1_GetMessagesRequest__Output } from '../../quorumq/v1/GetMessagesRequest.js';
import type { QueueInfoRequest as _quorumq_v1_QueueInfoRequest, QueueInfoRequest__Output as _quorumq_v1_QueueInfoRequest__Output } from '../../quorumq/v1/QueueInfoRequest.js';

export interface PartitionReadRequest {
  'group'?: (number);
  'get'?: (_quorumq_v1_GetMessagesRequest | null);
  'info'?: (_quorumq_v1_QueueInfoRequest | null);
  'read'?: "get"|"info";
}

export interface PartitionReadRequest__Output {
  'group': (number);
  'get'?: (_quorumq_v1_GetMessagesRequest__Output | null);
  'info'?: (_quorumq_v1_QueueInfoRequest__Output | null);
  'read'?: "get"|"info";
}
