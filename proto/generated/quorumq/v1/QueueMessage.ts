// Original file: proto/quorumq.proto

import type { Header as _quorumq_v1_Header, Header__Output as _quorumq_v1_Header__Output } from '../../quorumq/v1/Header.js';
import type { Long } from '@grpc/proto-loader';

export interface QueueMessage {
  'headers'?: (_quorumq_v1_Header)[];
  'body'?: (Buffer | Uint8Array | string);
  /**
   * 0 (lowest) to 31: higher priorities are delivered first, FIFO within one.
   */
  'priority'?: (number);
  /**
   * Dead-lettered if not delivered within this many ms (0: the queue's TTL).
   */
  'ttlMs'?: (number | string | Long);
  /**
   * Not delivered sooner than this many ms after the publish.
   */
  'delayMs'?: (number | string | Long);
  /**
   * When set (up to 256 characters): a message with the same id published to
   * this queue within its dedup window is not stored again.
   */
  'messageId'?: (string);
  /**
   * When set (up to 256 characters): messages of one group are delivered one
   * at a time in publish order — the next only once the previous is settled;
   * a requeued or returned message goes back to the front of its group.
   * Groups take turns, so one busy group cannot starve the others. Priority
   * does not reorder messages within a group.
   */
  'group'?: (string);
  /**
   * Not delivered before this time (ms since the Unix epoch), as delay_ms
   * computed on the node that receives the publish; with delay_ms, the later.
   */
  'deliverAtMs'?: (number | string | Long);
}

export interface QueueMessage__Output {
  'headers': (_quorumq_v1_Header__Output)[];
  'body': (Buffer);
  /**
   * 0 (lowest) to 31: higher priorities are delivered first, FIFO within one.
   */
  'priority': (number);
  /**
   * Dead-lettered if not delivered within this many ms (0: the queue's TTL).
   */
  'ttlMs': (number);
  /**
   * Not delivered sooner than this many ms after the publish.
   */
  'delayMs': (number);
  /**
   * When set (up to 256 characters): a message with the same id published to
   * this queue within its dedup window is not stored again.
   */
  'messageId': (string);
  /**
   * When set (up to 256 characters): messages of one group are delivered one
   * at a time in publish order — the next only once the previous is settled;
   * a requeued or returned message goes back to the front of its group.
   * Groups take turns, so one busy group cannot starve the others. Priority
   * does not reorder messages within a group.
   */
  'group': (string);
  /**
   * Not delivered before this time (ms since the Unix epoch), as delay_ms
   * computed on the node that receives the publish; with delay_ms, the later.
   */
  'deliverAtMs': (number);
}
