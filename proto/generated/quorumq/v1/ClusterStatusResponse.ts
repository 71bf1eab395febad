// Original file: proto/quorumq.proto

import type { MemberStatus as _quorumq_v1_MemberStatus, MemberStatus__Output as _quorumq_v1_MemberStatus__Output } from '../../quorumq/v1/MemberStatus.js';
import type { GroupSummary as _quorumq_v1_GroupSummary, GroupSummary__Output as _quorumq_v1_GroupSummary__Output } from '../../quorumq/v1/GroupSummary.js';
import type { Long } from '@grpc/proto-loader';

export interface ClusterStatusResponse {
  /**
   * 0 when no leader is known to the node that answered.
   */
  'leader'?: (number | string | Long);
  'term'?: (number | string | Long);
  /**
   * The leader's commit index (the answering node's when there is no leader).
   */
  'commit'?: (number | string | Long);
  'members'?: (_quorumq_v1_MemberStatus)[];
  /**
   * The node that answered the call.
   */
  'servedBy'?: (number | string | Long);
  'clusterId'?: (string);
  /**
   * Every data group, by group id (group 0 is the fields above).
   */
  'groups'?: (_quorumq_v1_GroupSummary)[];
}

export interface ClusterStatusResponse__Output {
  /**
   * 0 when no leader is known to the node that answered.
   */
  'leader': (number);
  'term': (number);
  /**
   * The leader's commit index (the answering node's when there is no leader).
   */
  'commit': (number);
  'members': (_quorumq_v1_MemberStatus__Output)[];
  /**
   * The node that answered the call.
   */
  'servedBy': (number);
  'clusterId': (string);
  /**
   * Every data group, by group id (group 0 is the fields above).
   */
  'groups': (_quorumq_v1_GroupSummary__Output)[];
}
