// Original file: proto/quorumq.proto

import type { ScheduleInfo as _quorumq_v1_ScheduleInfo, ScheduleInfo__Output as _quorumq_v1_ScheduleInfo__Output } from '../../quorumq/v1/ScheduleInfo.js';

export interface ListSchedulesResponse {
  'schedules'?: (_quorumq_v1_ScheduleInfo)[];
}

export interface ListSchedulesResponse__Output {
  'schedules': (_quorumq_v1_ScheduleInfo__Output)[];
}
