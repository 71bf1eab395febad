// Original file: proto/quorumq.proto

import type { QueueMessage as _quorumq_v1_QueueMessage, QueueMessage__Output as _quorumq_v1_QueueMessage__Output } from '../../quorumq/v1/QueueMessage.js';
import type { Long } from '@grpc/proto-loader';

export interface AddScheduleRequest {
  'queue'?: (string);
  /**
   * As queue names.
   */
  'name'?: (string);
  /**
   * 100 ms to 366 days.
   */
  'everyMs'?: (number | string | Long);
  'firstAtMs'?: (number | string | Long);
  /**
   * Without delay_ms, deliver_at_ms or message_id.
   */
  'message'?: (_quorumq_v1_QueueMessage | null);
}

export interface AddScheduleRequest__Output {
  'queue': (string);
  /**
   * As queue names.
   */
  'name': (string);
  /**
   * 100 ms to 366 days.
   */
  'everyMs': (number);
  'firstAtMs': (number);
  /**
   * Without delay_ms, deliver_at_ms or message_id.
   */
  'message': (_quorumq_v1_QueueMessage__Output | null);
}
