// Original file: proto/quorumq.proto

import type { Long } from '@grpc/proto-loader';

export interface BindResponse {
  'created'?: (boolean);
  'index'?: (number | string | Long);
}

export interface BindResponse__Output {
  'created': (boolean);
  'index': (number);
}
