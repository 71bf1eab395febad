// Original file: proto/quorumq.proto

import type { Role as _quorumq_v1_Role, Role__Output as _quorumq_v1_Role__Output } from '../../quorumq/v1/Role.js';
import type { ConfState as _quorumq_v1_ConfState, ConfState__Output as _quorumq_v1_ConfState__Output } from '../../quorumq/v1/ConfState.js';
import type { PeerProgress as _quorumq_v1_PeerProgress, PeerProgress__Output as _quorumq_v1_PeerProgress__Output } from '../../quorumq/v1/PeerProgress.js';
import type { NodeGroupStatus as _quorumq_v1_NodeGroupStatus, NodeGroupStatus__Output as _quorumq_v1_NodeGroupStatus__Output } from '../../quorumq/v1/NodeGroupStatus.js';
import type { Long } from '@grpc/proto-loader';

export interface NodeStatusResponse {
  'id'?: (number | string | Long);
  'role'?: (_quorumq_v1_Role);
  'term'?: (number | string | Long);
  'leader'?: (number | string | Long);
  'commit'?: (number | string | Long);
  'applied'?: (number | string | Long);
  'lastIndex'?: (number | string | Long);
  'conf'?: (_quorumq_v1_ConfState | null);
  /**
   * Only on the leader: every member's progress.
   */
  'progress'?: (_quorumq_v1_PeerProgress)[];
  'clientAddress'?: (string);
  'peerAddress'?: (string);
  /**
   * Every data group the node hosts.
   */
  'groups'?: (_quorumq_v1_NodeGroupStatus)[];
}

export interface NodeStatusResponse__Output {
  'id': (number);
  'role': (_quorumq_v1_Role__Output);
  'term': (number);
  'leader': (number);
  'commit': (number);
  'applied': (number);
  'lastIndex': (number);
  'conf': (_quorumq_v1_ConfState__Output | null);
  /**
   * Only on the leader: every member's progress.
   */
  'progress': (_quorumq_v1_PeerProgress__Output)[];
  'clientAddress': (string);
  'peerAddress': (string);
  /**
   * Every data group the node hosts.
   */
  'groups': (_quorumq_v1_NodeGroupStatus__Output)[];
}
