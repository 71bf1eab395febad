// Original file: proto/quorumq.proto

import type { Long } from '@grpc/proto-loader';

export interface PurgeDeadLettersResponse {
  'purged'?: (number | string | Long);
}

export interface PurgeDeadLettersResponse__Output {
  'purged': (number);
}
