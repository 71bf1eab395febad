// Original file: proto/quorumq.proto

import type { Long } from '@grpc/proto-loader';

export interface PublishResponse {
  'count'?: (number | string | Long);
  /**
   * The Raft index the publish was applied at, and the leader then.
   */
  'index'?: (number | string | Long);
  'leader'?: (number);
}

export interface PublishResponse__Output {
  'count': (number);
  /**
   * The Raft index the publish was applied at, and the leader then.
   */
  'index': (number);
  'leader': (number);
}
