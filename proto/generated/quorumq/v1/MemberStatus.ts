// Original file: proto/quorumq.proto

import type { Role as _quorumq_v1_Role, Role__Output as _quorumq_v1_Role__Output } from '../../quorumq/v1/Role.js';
import type { Long } from '@grpc/proto-loader';

export interface MemberStatus {
  'id'?: (number | string | Long);
  /**
   * host:port of its Raft (peer) service.
   */
  'peerAddress'?: (string);
  /**
   * host:port of its Broker (client) service; empty if unknown.
   */
  'clientAddress'?: (string);
  'voter'?: (boolean);
  'role'?: (_quorumq_v1_Role);
  /**
   * Whether the member answered the status probe; when false the fields below
   * that only the member knows (term, commit, applied, last_index) are 0.
   */
  'reachable'?: (boolean);
  'term'?: (number | string | Long);
  'commit'?: (number | string | Long);
  'applied'?: (number | string | Long);
  'lastIndex'?: (number | string | Long);
  /**
   * As the leader sees it: the highest index known to be durable on the
   * member, and how far it trails the leader's last index.
   */
  'match'?: (number | string | Long);
  'lag'?: (number | string | Long);
  /**
   * Leader's view: the member answered within the last election timeout.
   */
  'active'?: (boolean);
  /**
   * An error reaching the member, when not reachable.
   */
  'error'?: (string);
  /**
   * Raft groups the member hosts (group 0 included), and those it leads.
   */
  'groups'?: (number);
  'leading'?: (number);
}

export interface MemberStatus__Output {
  'id': (number);
  /**
   * host:port of its Raft (peer) service.
   */
  'peerAddress': (string);
  /**
   * host:port of its Broker (client) service; empty if unknown.
   */
  'clientAddress': (string);
  'voter': (boolean);
  'role': (_quorumq_v1_Role__Output);
  /**
   * Whether the member answered the status probe; when false the fields below
   * that only the member knows (term, commit, applied, last_index) are 0.
   */
  'reachable': (boolean);
  'term': (number);
  'commit': (number);
  'applied': (number);
  'lastIndex': (number);
  /**
   * As the leader sees it: the highest index known to be durable on the
   * member, and how far it trails the leader's last index.
   */
  'match': (number);
  'lag': (number);
  /**
   * Leader's view: the member answered within the last election timeout.
   */
  'active': (boolean);
  /**
   * An error reaching the member, when not reachable.
   */
  'error': (string);
  /**
   * Raft groups the member hosts (group 0 included), and those it leads.
   */
  'groups': (number);
  'leading': (number);
}
