// Original file: proto/quorumq.proto

import type { Long } from '@grpc/proto-loader';

export interface GetOffsetResponse {
  /**
   * False when the consumer never committed (offset is then 0).
   */
  'found'?: (boolean);
  'offset'?: (number | string | Long);
}

export interface GetOffsetResponse__Output {
  /**
   * False when the consumer never committed (offset is then 0).
   */
  'found': (boolean);
  'offset': (number);
}
