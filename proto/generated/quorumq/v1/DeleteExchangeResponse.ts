// Original file: proto/quorumq.proto

import type { Long } from '@grpc/proto-loader';

export interface DeleteExchangeResponse {
  'index'?: (number | string | Long);
  /**
   * Bindings removed with it (from it and to it).
   */
  'bindingsRemoved'?: (number | string | Long);
}

export interface DeleteExchangeResponse__Output {
  'index': (number);
  /**
   * Bindings removed with it (from it and to it).
   */
  'bindingsRemoved': (number);
}
