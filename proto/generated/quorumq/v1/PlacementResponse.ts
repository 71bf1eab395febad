// Original file: proto/quorumq.proto

import type { PartitionPlacement as _quorumq_v1_PartitionPlacement, PartitionPlacement__Output as _quorumq_v1_PartitionPlacement__Output } from '../../quorumq/v1/PartitionPlacement.js';
import type { Long } from '@grpc/proto-loader';

export interface PlacementResponse {
  'queue'?: (string);
  /**
   * By partition. Empty when the queue is not partitioned (or not known to
   * the answering node): it lives in the metadata group (ClusterStatus's leader).
   */
  'partitions'?: (_quorumq_v1_PartitionPlacement)[];
  /**
   * The node that answered.
   */
  'servedBy'?: (number | string | Long);
}

export interface PlacementResponse__Output {
  'queue': (string);
  /**
   * By partition. Empty when the queue is not partitioned (or not known to
   * the answering node): it lives in the metadata group (ClusterStatus's leader).
   */
  'partitions': (_quorumq_v1_PartitionPlacement__Output)[];
  /**
   * The node that answered.
   */
  'servedBy': (number);
}
