// Original file: proto/quorumq.proto

import type { Long } from '@grpc/proto-loader';

export interface RemoveNodeResponse {
  'voters'?: (number | string | Long)[];
  'learners'?: (number | string | Long)[];
}

export interface RemoveNodeResponse__Output {
  'voters': (number)[];
  'learners': (number)[];
}
