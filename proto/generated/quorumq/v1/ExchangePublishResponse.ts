// Original file: proto/quorumq.proto

import type { Long } from '@grpc/proto-loader';

export interface ExchangePublishResponse {
  /**
   * Where the messages landed (sorted), and how many reached nothing.
   */
  'queues'?: (string)[];
  'streams'?: (string)[];
  'unroutable'?: (number | string | Long);
  'index'?: (number | string | Long);
  'leader'?: (number);
  /**
   * A retry of a (producer, sequence) already applied: nothing applied again
   * (queues and streams are then empty).
   */
  'duplicate'?: (boolean);
}

export interface ExchangePublishResponse__Output {
  /**
   * Where the messages landed (sorted), and how many reached nothing.
   */
  'queues': (string)[];
  'streams': (string)[];
  'unroutable': (number);
  'index': (number);
  'leader': (number);
  /**
   * A retry of a (producer, sequence) already applied: nothing applied again
   * (queues and streams are then empty).
   */
  'duplicate': (boolean);
}
