// Original file: proto/quorumq.proto

import type { Long } from '@grpc/proto-loader';

export interface DeclareExchangeResponse {
  'created'?: (boolean);
  'index'?: (number | string | Long);
}

export interface DeclareExchangeResponse__Output {
  'created': (boolean);
  'index': (number);
}
