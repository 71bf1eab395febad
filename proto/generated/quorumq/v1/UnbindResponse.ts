// Original file: proto/quorumq.proto

import type { Long } from '@grpc/proto-loader';

export interface UnbindResponse {
  'index'?: (number | string | Long);
}

export interface UnbindResponse__Output {
  'index': (number);
}
