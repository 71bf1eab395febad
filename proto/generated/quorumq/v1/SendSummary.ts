// Original file: proto/quorumq.proto

import type { Long } from '@grpc/proto-loader';

export interface SendSummary {
  /**
   * Batches received on the stream.
   */
  'batches'?: (number | string | Long);
}

export interface SendSummary__Output {
  /**
   * Batches received on the stream.
   */
  'batches': (number);
}
