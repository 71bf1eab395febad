// Original file: proto/quorumq.proto

import type { Long } from '@grpc/proto-loader';

export interface PurgeQueueResponse {
  'purged'?: (number | string | Long);
}

export interface PurgeQueueResponse__Output {
  'purged': (number);
}
