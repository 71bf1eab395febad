// Original file: proto/quorumq.proto

import type { Long } from '@grpc/proto-loader';

export interface GroupCount {
  'group'?: (string);
  'ready'?: (number | string | Long);
  /**
   * A message of the group is delivered and not settled: the next waits.
   */
  'inFlight'?: (boolean);
}

export interface GroupCount__Output {
  'group': (string);
  'ready': (number);
  /**
   * A message of the group is delivered and not settled: the next waits.
   */
  'inFlight': (boolean);
}
