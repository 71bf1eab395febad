// Original file: proto/quorumq.proto

import type { TransactOp as _quorumq_v1_TransactOp, TransactOp__Output as _quorumq_v1_TransactOp__Output } from '../../quorumq/v1/TransactOp.js';
import type { Long } from '@grpc/proto-loader';

export interface TransactRequest {
  /**
   * 1 to 1000 operations; a delivery may be settled once per transaction.
   */
  'ops'?: (_quorumq_v1_TransactOp)[];
  'producerId'?: (string);
  'sequence'?: (number | string | Long);
}

export interface TransactRequest__Output {
  /**
   * 1 to 1000 operations; a delivery may be settled once per transaction.
   */
  'ops': (_quorumq_v1_TransactOp__Output)[];
  'producerId': (string);
  'sequence': (number);
}
