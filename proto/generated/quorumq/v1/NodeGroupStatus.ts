// Original file: proto/quorumq.proto

import type { Role as _quorumq_v1_Role, Role__Output as _quorumq_v1_Role__Output } from '../../quorumq/v1/Role.js';
import type { Long } from '@grpc/proto-loader';

export interface NodeGroupStatus {
  'group'?: (number);
  'role'?: (_quorumq_v1_Role);
  'term'?: (number | string | Long);
  'leader'?: (number | string | Long);
  'commit'?: (number | string | Long);
  'applied'?: (number | string | Long);
  'lastIndex'?: (number | string | Long);
  'voters'?: (number | string | Long)[];
}

export interface NodeGroupStatus__Output {
  'group': (number);
  'role': (_quorumq_v1_Role__Output);
  'term': (number);
  'leader': (number);
  'commit': (number);
  'applied': (number);
  'lastIndex': (number);
  'voters': (number)[];
}
