// Original file: proto/quorumq.proto

import type { Long } from '@grpc/proto-loader';

export interface ConsumeRequest {
  /**
   * First request only: the queue.
   */
  'queue'?: (string);
  /**
   * First request: the prefetch (1-65535); later requests: a new prefetch,
   * or 0 to keep it.
   */
  'prefetch'?: (number);
  /**
   * Deliveries to settle, by tag.
   */
  'ack'?: (number | string | Long)[];
  'requeue'?: (number | string | Long)[];
  'reject'?: (number | string | Long)[];
  /**
   * Requeued deliveries are not delivered again sooner than this.
   */
  'requeueDelayMs'?: (number | string | Long);
  /**
   * When set, a response carrying it confirms this request's settles.
   */
  'requestId'?: (number | string | Long);
  /**
   * First request only: the consumer's priority, 0 (the default) to 255.
   * Consumers with room and the highest priority receive (round-robin among
   * them); lower ones only while those are at their prefetch.
   */
  'priority'?: (number);
}

export interface ConsumeRequest__Output {
  /**
   * First request only: the queue.
   */
  'queue': (string);
  /**
   * First request: the prefetch (1-65535); later requests: a new prefetch,
   * or 0 to keep it.
   */
  'prefetch': (number);
  /**
   * Deliveries to settle, by tag.
   */
  'ack': (number)[];
  'requeue': (number)[];
  'reject': (number)[];
  /**
   * Requeued deliveries are not delivered again sooner than this.
   */
  'requeueDelayMs': (number);
  /**
   * When set, a response carrying it confirms this request's settles.
   */
  'requestId': (number);
  /**
   * First request only: the consumer's priority, 0 (the default) to 255.
   * Consumers with room and the highest priority receive (round-robin among
   * them); lower ones only while those are at their prefetch.
   */
  'priority': (number);
}
