// Original file: proto/quorumq.proto

import type { Header as _quorumq_v1_Header, Header__Output as _quorumq_v1_Header__Output } from '../../quorumq/v1/Header.js';
import type { Long } from '@grpc/proto-loader';

export interface DeadLetter {
  'headers'?: (_quorumq_v1_Header)[];
  'body'?: (Buffer | Uint8Array | string);
  'priority'?: (number);
  /**
   * "rejected", "delivery-limit", "expired" or "maxlen".
   */
  'reason'?: (string);
  /**
   * Milliseconds since the Unix epoch, leader time.
   */
  'deadLetteredAt'?: (number | string | Long);
  'failed'?: (number);
  'acquired'?: (number);
}

export interface DeadLetter__Output {
  'headers': (_quorumq_v1_Header__Output)[];
  'body': (Buffer);
  'priority': (number);
  /**
   * "rejected", "delivery-limit", "expired" or "maxlen".
   */
  'reason': (string);
  /**
   * Milliseconds since the Unix epoch, leader time.
   */
  'deadLetteredAt': (number);
  'failed': (number);
  'acquired': (number);
}
