// Original file: proto/quorumq.proto

import type { QueueInfoResponse as _quorumq_v1_QueueInfoResponse, QueueInfoResponse__Output as _quorumq_v1_QueueInfoResponse__Output } from '../../quorumq/v1/QueueInfoResponse.js';

export interface ListQueuesResponse {
  'queues'?: (_quorumq_v1_QueueInfoResponse)[];
  'servedBy'?: (number);
}

export interface ListQueuesResponse__Output {
  'queues': (_quorumq_v1_QueueInfoResponse__Output)[];
  'servedBy': (number);
}
