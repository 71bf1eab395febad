// Original file: proto/quorumq.proto

import type { Long } from '@grpc/proto-loader';

export interface SettleResponse {
  /**
   * Tags this consumer did not hold (settled otherwise, or returned to the
   * queue when it went away). A tag it settled the same way lately (the last
   * 4096) is not among them: a retried settle answers as the first.
   */
  'unknownTags'?: (number | string | Long)[];
}

export interface SettleResponse__Output {
  /**
   * Tags this consumer did not hold (settled otherwise, or returned to the
   * queue when it went away). A tag it settled the same way lately (the last
   * 4096) is not among them: a retried settle answers as the first.
   */
  'unknownTags': (number)[];
}
