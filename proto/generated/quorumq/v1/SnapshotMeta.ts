// Original file: proto/quorumq.proto

import type { ConfState as _quorumq_v1_ConfState, ConfState__Output as _quorumq_v1_ConfState__Output } from '../../quorumq/v1/ConfState.js';
import type { Long } from '@grpc/proto-loader';

export interface SnapshotMeta {
  'index'?: (number | string | Long);
  'term'?: (number | string | Long);
  'conf'?: (_quorumq_v1_ConfState | null);
}

export interface SnapshotMeta__Output {
  'index': (number);
  'term': (number);
  'conf': (_quorumq_v1_ConfState__Output | null);
}
