// Original file: proto/quorumq.proto

import type { Long } from '@grpc/proto-loader';

export interface ReplayDeadLettersResponse {
  'replayed'?: (number | string | Long);
}

export interface ReplayDeadLettersResponse__Output {
  'replayed': (number);
}
