// Original file: proto/quorumq.proto

import type { Long } from '@grpc/proto-loader';

/**
 * How far one node has a stream.
 */
export interface NodeStreamOffset {
  'id'?: (number | string | Long);
  /**
   * Offsets below this are applied on the node (readable there).
   */
  'appliedOffset'?: (number | string | Long);
  /**
   * Offsets below this are durable in the node's log, as the leader sees it
   * (0 when the answering node does not know the leader's view).
   */
  'replicatedOffset'?: (number | string | Long);
  'reachable'?: (boolean);
}

/**
 * How far one node has a stream.
 */
export interface NodeStreamOffset__Output {
  'id': (number);
  /**
   * Offsets below this are applied on the node (readable there).
   */
  'appliedOffset': (number);
  /**
   * Offsets below this are durable in the node's log, as the leader sees it
   * (0 when the answering node does not know the leader's view).
   */
  'replicatedOffset': (number);
  'reachable': (boolean);
}
