// Original file: proto/quorumq.proto

import type { Long } from '@grpc/proto-loader';

/**
 * One partition of a placed queue.
 */
export interface PartitionPlacement {
  'partition'?: (number);
  /**
   * Its Raft group.
   */
  'group'?: (number);
  'members'?: (number | string | Long)[];
  /**
   * The group's leader as the answering node knows it; 0 when unknown (the
   * node does not host the group, or the group has no leader now): ask
   * another node, or publish without `group` and let the node forward.
   */
  'leader'?: (number | string | Long);
  /**
   * The leader's Broker (client) address; empty when unknown.
   */
  'leaderAddress'?: (string);
  /**
   * The group's term as the answering node knows it (0 when it does not host it).
   */
  'term'?: (number | string | Long);
}

/**
 * One partition of a placed queue.
 */
export interface PartitionPlacement__Output {
  'partition': (number);
  /**
   * Its Raft group.
   */
  'group': (number);
  'members': (number)[];
  /**
   * The group's leader as the answering node knows it; 0 when unknown (the
   * node does not host the group, or the group has no leader now): ask
   * another node, or publish without `group` and let the node forward.
   */
  'leader': (number);
  /**
   * The leader's Broker (client) address; empty when unknown.
   */
  'leaderAddress': (string);
  /**
   * The group's term as the answering node knows it (0 when it does not host it).
   */
  'term': (number);
}
