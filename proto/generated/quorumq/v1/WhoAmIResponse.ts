// Original file: proto/quorumq.proto

import type { Permissions as _quorumq_v1_Permissions, Permissions__Output as _quorumq_v1_Permissions__Output } from '../../quorumq/v1/Permissions.js';

export interface WhoAmIResponse {
  /**
   * empty when auth is off
   */
  'user'?: (string);
  /**
   * this node checks credentials
   */
  'auth'?: (boolean);
  'permissions'?: (_quorumq_v1_Permissions | null);
  /**
   * token, certificate, or none
   */
  'method'?: (string);
}

export interface WhoAmIResponse__Output {
  /**
   * empty when auth is off
   */
  'user': (string);
  /**
   * this node checks credentials
   */
  'auth': (boolean);
  'permissions': (_quorumq_v1_Permissions__Output | null);
  /**
   * token, certificate, or none
   */
  'method': (string);
}
