// Original file: proto/quorumq.proto

import type { Long } from '@grpc/proto-loader';

export interface DeleteStreamResponse {
  'index'?: (number | string | Long);
}

export interface DeleteStreamResponse__Output {
  'index': (number);
}
