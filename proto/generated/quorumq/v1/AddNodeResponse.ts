// Original file: proto/quorumq.proto

import type { Long } from '@grpc/proto-loader';

export interface AddNodeResponse {
  /**
   * Membership after the change.
   */
  'voters'?: (number | string | Long)[];
  'learners'?: (number | string | Long)[];
}

export interface AddNodeResponse__Output {
  /**
   * Membership after the change.
   */
  'voters': (number)[];
  'learners': (number)[];
}
