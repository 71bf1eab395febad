// Original file: proto/quorumq.proto

import type { BindingTarget as _quorumq_v1_BindingTarget, BindingTarget__Output as _quorumq_v1_BindingTarget__Output } from '../../quorumq/v1/BindingTarget.js';
import type { Header as _quorumq_v1_Header, Header__Output as _quorumq_v1_Header__Output } from '../../quorumq/v1/Header.js';
import type { Long } from '@grpc/proto-loader';

export interface BindingInfo {
  'targetKind'?: (_quorumq_v1_BindingTarget);
  'target'?: (string);
  'routingKey'?: (string);
  'arguments'?: (_quorumq_v1_Header)[];
  /**
   * Messages this binding matched.
   */
  'matched'?: (number | string | Long);
}

export interface BindingInfo__Output {
  'targetKind': (_quorumq_v1_BindingTarget__Output);
  'target': (string);
  'routingKey': (string);
  'arguments': (_quorumq_v1_Header__Output)[];
  /**
   * Messages this binding matched.
   */
  'matched': (number);
}
