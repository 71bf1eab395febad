// Original file: proto/quorumq.proto

import type { Consistency as _quorumq_v1_Consistency, Consistency__Output as _quorumq_v1_Consistency__Output } from '../../quorumq/v1/Consistency.js';

export interface ListUsersRequest {
  'consistency'?: (_quorumq_v1_Consistency);
}

export interface ListUsersRequest__Output {
  'consistency': (_quorumq_v1_Consistency__Output);
}
