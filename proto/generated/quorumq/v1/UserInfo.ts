// Original file: proto/quorumq.proto

import type { Permissions as _quorumq_v1_Permissions, Permissions__Output as _quorumq_v1_Permissions__Output } from '../../quorumq/v1/Permissions.js';

export interface UserInfo {
  'name'?: (string);
  'permissions'?: (_quorumq_v1_Permissions | null);
}

export interface UserInfo__Output {
  'name': (string);
  'permissions': (_quorumq_v1_Permissions__Output | null);
}
