// Original file: proto/quorumq.proto

import type { Long } from '@grpc/proto-loader';

export interface DeclareQueueResponse {
  'created'?: (boolean);
  'index'?: (number | string | Long);
}

export interface DeclareQueueResponse__Output {
  'created': (boolean);
  'index': (number);
}
