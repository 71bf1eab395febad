// Original file: proto/quorumq.proto

import type { Long } from '@grpc/proto-loader';

export interface SettleResponse {
  /**
   * Tags this consumer did not hold (already settled, or returned to the
   * queue when it went away).
   */
  'unknownTags'?: (number | string | Long)[];
}

export interface SettleResponse__Output {
  /**
   * Tags this consumer did not hold (already settled, or returned to the
   * queue when it went away).
   */
  'unknownTags': (number)[];
}
