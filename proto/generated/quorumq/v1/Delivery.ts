// Original file: proto/quorumq.proto

import type { Header as _quorumq_v1_Header, Header__Output as _quorumq_v1_Header__Output } from '../../quorumq/v1/Header.js';
import type { Long } from '@grpc/proto-loader';

export interface Delivery {
  /**
   * Settle by this tag, on this call.
   */
  'tag'?: (number | string | Long);
  'headers'?: (_quorumq_v1_Header)[];
  'body'?: (Buffer | Uint8Array | string);
  'priority'?: (number);
  /**
   * Delivered before (to this or another consumer).
   */
  'redelivered'?: (boolean);
  /**
   * Times delivered, including this one and returns after a consumer went away.
   */
  'acquired'?: (number);
  /**
   * Deliveries that failed before this one (requeue, reject, ack timeout).
   */
  'failed'?: (number);
  /**
   * When the queue handed this message out: the leader time (ms since the
   * Unix epoch) of the log entry whose apply made the delivery. The queue's
   * own clock, which TTLs and delays are judged by: a message whose TTL had
   * passed by this time is never delivered.
   */
  'deliveredAtMs'?: (number | string | Long);
}

export interface Delivery__Output {
  /**
   * Settle by this tag, on this call.
   */
  'tag': (number);
  'headers': (_quorumq_v1_Header__Output)[];
  'body': (Buffer);
  'priority': (number);
  /**
   * Delivered before (to this or another consumer).
   */
  'redelivered': (boolean);
  /**
   * Times delivered, including this one and returns after a consumer went away.
   */
  'acquired': (number);
  /**
   * Deliveries that failed before this one (requeue, reject, ack timeout).
   */
  'failed': (number);
  /**
   * When the queue handed this message out: the leader time (ms since the
   * Unix epoch) of the log entry whose apply made the delivery. The queue's
   * own clock, which TTLs and delays are judged by: a message whose TTL had
   * passed by this time is never delivered.
   */
  'deliveredAtMs': (number);
}
