// Original file: proto/quorumq.proto

import type { UserInfo as _quorumq_v1_UserInfo, UserInfo__Output as _quorumq_v1_UserInfo__Output } from '../../quorumq/v1/UserInfo.js';

export interface SetPermissionsResponse {
  'user'?: (_quorumq_v1_UserInfo | null);
}

export interface SetPermissionsResponse__Output {
  'user': (_quorumq_v1_UserInfo__Output | null);
}
