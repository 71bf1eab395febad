// Original file: proto/quorumq.proto

import type { Long } from '@grpc/proto-loader';

export interface DeleteQueueResponse {
  'index'?: (number | string | Long);
}

export interface DeleteQueueResponse__Output {
  'index': (number);
}
