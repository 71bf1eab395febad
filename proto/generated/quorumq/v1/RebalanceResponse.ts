// Original file: proto/quorumq.proto

import type { GroupPlan as _quorumq_v1_GroupPlan, GroupPlan__Output as _quorumq_v1_GroupPlan__Output } from '../../quorumq/v1/GroupPlan.js';
import type { NodeLeaders as _quorumq_v1_NodeLeaders, NodeLeaders__Output as _quorumq_v1_NodeLeaders__Output } from '../../quorumq/v1/NodeLeaders.js';
import type { Long } from '@grpc/proto-loader';

export interface RebalanceResponse {
  /**
   * Every data group with a node that can lead it now.
   */
  'groups'?: (_quorumq_v1_GroupPlan)[];
  /**
   * Data groups per node, led before and planned (every live voter listed).
   */
  'before'?: (_quorumq_v1_NodeLeaders)[];
  'planned'?: (_quorumq_v1_NodeLeaders)[];
  /**
   * Groups whose preferred leader the plan changed.
   */
  'preferredChanged'?: (number);
  'servedBy'?: (number | string | Long);
}

export interface RebalanceResponse__Output {
  /**
   * Every data group with a node that can lead it now.
   */
  'groups': (_quorumq_v1_GroupPlan__Output)[];
  /**
   * Data groups per node, led before and planned (every live voter listed).
   */
  'before': (_quorumq_v1_NodeLeaders__Output)[];
  'planned': (_quorumq_v1_NodeLeaders__Output)[];
  /**
   * Groups whose preferred leader the plan changed.
   */
  'preferredChanged': (number);
  'servedBy': (number);
}
