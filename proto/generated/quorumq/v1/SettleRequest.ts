// Original file: proto/quorumq.proto

import type { Long } from '@grpc/proto-loader';

export interface SettleRequest {
  'queue'?: (string);
  'consumer'?: (string);
  'ack'?: (number | string | Long)[];
  'requeue'?: (number | string | Long)[];
  'reject'?: (number | string | Long)[];
  /**
   * Requeued deliveries are not delivered again sooner than this.
   */
  'requeueDelayMs'?: (number | string | Long);
}

export interface SettleRequest__Output {
  'queue': (string);
  'consumer': (string);
  'ack': (number)[];
  'requeue': (number)[];
  'reject': (number)[];
  /**
   * Requeued deliveries are not delivered again sooner than this.
   */
  'requeueDelayMs': (number);
}
