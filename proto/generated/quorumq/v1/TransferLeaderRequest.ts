// Original file: proto/quorumq.proto

import type { Long } from '@grpc/proto-loader';

export interface TransferLeaderRequest {
  /**
   * The voter that should lead.
   */
  'id'?: (number | string | Long);
}

export interface TransferLeaderRequest__Output {
  /**
   * The voter that should lead.
   */
  'id': (number);
}
