// Original file: proto/quorumq.proto

import type { Long } from '@grpc/proto-loader';

export interface CommitOffsetResponse {
  'index'?: (number | string | Long);
}

export interface CommitOffsetResponse__Output {
  'index': (number);
}
