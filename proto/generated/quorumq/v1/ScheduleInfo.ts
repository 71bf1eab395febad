// Original file: proto/quorumq.proto

import type { Long } from '@grpc/proto-loader';

export interface ScheduleInfo {
  'name'?: (string);
  'everyMs'?: (number | string | Long);
  /**
   * Leader time of the next due publish, ms since the Unix epoch.
   */
  'nextAtMs'?: (number | string | Long);
  /**
   * Messages it published.
   */
  'published'?: (number | string | Long);
  /**
   * Its cron expression (UTC), when it has one instead of every_ms.
   */
  'cron'?: (string);
}

export interface ScheduleInfo__Output {
  'name': (string);
  'everyMs': (number);
  /**
   * Leader time of the next due publish, ms since the Unix epoch.
   */
  'nextAtMs': (number);
  /**
   * Messages it published.
   */
  'published': (number);
  /**
   * Its cron expression (UTC), when it has one instead of every_ms.
   */
  'cron': (string);
}
