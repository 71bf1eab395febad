// Original file: proto/quorumq.proto

import type { BindingTarget as _quorumq_v1_BindingTarget, BindingTarget__Output as _quorumq_v1_BindingTarget__Output } from '../../quorumq/v1/BindingTarget.js';
import type { Header as _quorumq_v1_Header, Header__Output as _quorumq_v1_Header__Output } from '../../quorumq/v1/Header.js';

export interface BindRequest {
  /**
   * The source exchange (not the default exchange).
   */
  'exchange'?: (string);
  'targetKind'?: (_quorumq_v1_BindingTarget);
  /**
   * The queue, stream or exchange bound.
   */
  'target'?: (string);
  /**
   * Up to 255 characters; a pattern for topic exchanges; ignored by fanout
   * and headers exchanges (but part of the binding's identity).
   */
  'routingKey'?: (string);
  /**
   * Headers exchanges: x-match (all, any, all-with-x, any-with-x; default
   * all) and the headers to compare; at most 32.
   */
  'arguments'?: (_quorumq_v1_Header)[];
}

export interface BindRequest__Output {
  /**
   * The source exchange (not the default exchange).
   */
  'exchange': (string);
  'targetKind': (_quorumq_v1_BindingTarget__Output);
  /**
   * The queue, stream or exchange bound.
   */
  'target': (string);
  /**
   * Up to 255 characters; a pattern for topic exchanges; ignored by fanout
   * and headers exchanges (but part of the binding's identity).
   */
  'routingKey': (string);
  /**
   * Headers exchanges: x-match (all, any, all-with-x, any-with-x; default
   * all) and the headers to compare; at most 32.
   */
  'arguments': (_quorumq_v1_Header__Output)[];
}
