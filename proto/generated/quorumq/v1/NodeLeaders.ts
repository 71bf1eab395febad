// Original file: proto/quorumq.proto

import type { Long } from '@grpc/proto-loader';

export interface NodeLeaders {
  'id'?: (number | string | Long);
  'leaders'?: (number);
}

export interface NodeLeaders__Output {
  'id': (number);
  'leaders': (number);
}
