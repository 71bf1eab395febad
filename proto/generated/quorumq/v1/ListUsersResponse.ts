// Original file: proto/quorumq.proto

import type { UserInfo as _quorumq_v1_UserInfo, UserInfo__Output as _quorumq_v1_UserInfo__Output } from '../../quorumq/v1/UserInfo.js';

export interface ListUsersResponse {
  'users'?: (_quorumq_v1_UserInfo)[];
}

export interface ListUsersResponse__Output {
  'users': (_quorumq_v1_UserInfo__Output)[];
}
