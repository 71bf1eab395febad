// Original file: proto/quorumq.proto

import type { Long } from '@grpc/proto-loader';

export interface PriorityCount {
  'priority'?: (number);
  'ready'?: (number | string | Long);
}

export interface PriorityCount__Output {
  'priority': (number);
  'ready': (number);
}
