// Original file: proto/quorumq.proto

import type { Long } from '@grpc/proto-loader';

export interface TransferLeaderResponse {
  'leader'?: (number | string | Long);
  'term'?: (number | string | Long);
}

export interface TransferLeaderResponse__Output {
  'leader': (number);
  'term': (number);
}
