// Original file: proto/quorumq.proto

import type { Long } from '@grpc/proto-loader';

export interface TransactResult {
  'queues'?: (string)[];
  'streams'?: (string)[];
  'unroutable'?: (number | string | Long);
  'settled'?: (number | string | Long);
}

export interface TransactResult__Output {
  'queues': (string)[];
  'streams': (string)[];
  'unroutable': (number);
  'settled': (number);
}
