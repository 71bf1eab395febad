// Original file: proto/quorumq.proto

import type { Long } from '@grpc/proto-loader';

export interface DeclareStreamResponse {
  /**
   * False when the stream already existed with the same settings.
   */
  'created'?: (boolean);
  'index'?: (number | string | Long);
}

export interface DeclareStreamResponse__Output {
  /**
   * False when the stream already existed with the same settings.
   */
  'created': (boolean);
  'index': (number);
}
