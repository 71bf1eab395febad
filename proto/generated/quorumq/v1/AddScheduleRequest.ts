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
   * 100 ms to 366 days; 0 when cron is set (exactly one of the two).
   */
  'everyMs'?: (number | string | Long);
  /**
   * The first due time (with cron: the first due time at or after it).
   */
  'firstAtMs'?: (number | string | Long);
  /**
   * Without delay_ms, deliver_at_ms or message_id.
   */
  'message'?: (_quorumq_v1_QueueMessage | null);
  /**
   * A cron expression instead of every_ms: five fields (minute hour
   * day-of-month month day-of-week), evaluated in UTC against leader time;
   * *, values, ranges a-b, steps /s, lists, JAN-DEC and SUN-SAT names.
   */
  'cron'?: (string);
}

export interface AddScheduleRequest__Output {
  'queue': (string);
  /**
   * As queue names.
   */
  'name': (string);
  /**
   * 100 ms to 366 days; 0 when cron is set (exactly one of the two).
   */
  'everyMs': (number);
  /**
   * The first due time (with cron: the first due time at or after it).
   */
  'firstAtMs': (number);
  /**
   * Without delay_ms, deliver_at_ms or message_id.
   */
  'message': (_quorumq_v1_QueueMessage__Output | null);
  /**
   * A cron expression instead of every_ms: five fields (minute hour
   * day-of-month month day-of-week), evaluated in UTC against leader time;
   * *, values, ranges a-b, steps /s, lists, JAN-DEC and SUN-SAT names.
   */
  'cron': (string);
}
