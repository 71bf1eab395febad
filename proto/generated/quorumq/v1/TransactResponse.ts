// Original file: proto/quorumq.proto

import type { TransactResult as _quorumq_v1_TransactResult, TransactResult__Output as _quorumq_v1_TransactResult__Output } from '../../quorumq/v1/TransactResult.js';
import type { Long } from '@grpc/proto-loader';

export interface TransactResponse {
  /**
   * One per operation, in order (empty when duplicate).
   */
  'results'?: (_quorumq_v1_TransactResult)[];
  'index'?: (number | string | Long);
  'leader'?: (number);
  'duplicate'?: (boolean);
}

export interface TransactResponse__Output {
  /**
   * One per operation, in order (empty when duplicate).
   */
  'results': (_quorumq_v1_TransactResult__Output)[];
  'index': (number);
  'leader': (number);
  'duplicate': (boolean);
}
