// Original file: proto/quorumq.proto

import type { GetMessagesResponse as _quorumq_v1_GetMessagesResponse, GetMessagesResponse__Output as _quorumq_v1_GetMessagesResponse__Output } from '../../quorumq/v1/GetMessagesResponse.js';
import type { QueueInfoResponse as _quorumq_v1_QueueInfoResponse, QueueInfoResponse__Output as _quorumq_v1_QueueInfoResponse__Output } from '../../quorumq/v1/QueueInfoResponse.js';

export interface PartitionReadResponse {
  'get'?: (_quorumq_v1_GetMessagesResponse | null);
  'info'?: (_quorumq_v1_QueueInfoResponse | null);
  'read'?: "get"|"info";
}

export interface PartitionReadResponse__Output {
  'get'?: (_quorumq_v1_GetMessagesResponse__Output | null);
  'info'?: (_quorumq_v1_QueueInfoResponse__Output | null);
  'read'?: "get"|"info";
}
