// Original file: proto/quorumq.proto

import type { ExchangeType as _quorumq_v1_ExchangeType, ExchangeType__Output as _quorumq_v1_ExchangeType__Output } from '../../quorumq/v1/ExchangeType.js';
import type { BindingInfo as _quorumq_v1_BindingInfo, BindingInfo__Output as _quorumq_v1_BindingInfo__Output } from '../../quorumq/v1/BindingInfo.js';
import type { Long } from '@grpc/proto-loader';

export interface ExchangeInfoResponse {
  'name'?: (string);
  'type'?: (_quorumq_v1_ExchangeType);
  'alternateExchange'?: (string);
  /**
   * Messages published to this exchange by name; of those, routed to at
   * least one queue or stream, and routed nowhere.
   */
  'published'?: (number | string | Long);
  'routed'?: (number | string | Long);
  'unroutable'?: (number | string | Long);
  'bindings'?: (_quorumq_v1_BindingInfo)[];
  'servedBy'?: (number);
}

export interface ExchangeInfoResponse__Output {
  'name': (string);
  'type': (_quorumq_v1_ExchangeType__Output);
  'alternateExchange': (string);
  /**
   * Messages published to this exchange by name; of those, routed to at
   * least one queue or stream, and routed nowhere.
   */
  'published': (number);
  'routed': (number);
  'unroutable': (number);
  'bindings': (_quorumq_v1_BindingInfo__Output)[];
  'servedBy': (number);
}
