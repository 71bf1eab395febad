// Original file: proto/quorumq.proto

import type { Long } from '@grpc/proto-loader';

export interface GroupPlan {
  'group'?: (number);
  'queue'?: (string);
  'partition'?: (number);
  /**
   * The node leading it when the plan was made (0: none), and the one planned.
   */
  'leaderBefore'?: (number | string | Long);
  'planned'?: (number | string | Long);
}

export interface GroupPlan__Output {
  'group': (number);
  'queue': (string);
  'partition': (number);
  /**
   * The node leading it when the plan was made (0: none), and the one planned.
   */
  'leaderBefore': (number);
  'planned': (number);
}
