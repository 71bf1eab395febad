// Original file: proto/quorumq.proto

import type { Long } from '@grpc/proto-loader';

export interface GetMessagesRequest {
  'queue'?: (string);
  /**
   * 1 to 10000; 0 means 1.
   */
  'max'?: (number);
  /**
   * Wait up to this many ms (at most 300000) for `max` messages; 0 answers
   * at once with what is ready.
   */
  'waitMs'?: (number | string | Long);
  /**
   * A pull consumer this node attached before (from an earlier response);
   * empty for a new one.
   */
  'consumer'?: (string);
  /**
   * How long the consumer keeps its unsettled deliveries after this Get or a
   * later Settle; 0 means 30000, at most 3600000.
   */
  'leaseMs'?: (number | string | Long);
  /**
   * The consumer's priority (0-255) while this Get waits, as Consume's.
   */
  'priority'?: (number);
}

export interface GetMessagesRequest__Output {
  'queue': (string);
  /**
   * 1 to 10000; 0 means 1.
   */
  'max': (number);
  /**
   * Wait up to this many ms (at most 300000) for `max` messages; 0 answers
   * at once with what is ready.
   */
  'waitMs': (number);
  /**
   * A pull consumer this node attached before (from an earlier response);
   * empty for a new one.
   */
  'consumer': (string);
  /**
   * How long the consumer keeps its unsettled deliveries after this Get or a
   * later Settle; 0 means 30000, at most 3600000.
   */
  'leaseMs': (number);
  /**
   * The consumer's priority (0-255) while this Get waits, as Consume's.
   */
  'priority': (number);
}
