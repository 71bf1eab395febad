// Original file: proto/quorumq.proto

import type { Long } from '@grpc/proto-loader';

export interface PutResponse {
  /**
   * The Raft index at which the write was applied.
   */
  'index'?: (number | string | Long);
  /**
   * The node that led when the write was committed.
   */
  'leader'?: (number | string | Long);
}

export interface PutResponse__Output {
  /**
   * The Raft index at which the write was applied.
   */
  'index': (number);
  /**
   * The node that led when the write was committed.
   */
  'leader': (number);
}
