// Original file: proto/quorumq.proto

import type { ExchangeType as _quorumq_v1_ExchangeType, ExchangeType__Output as _quorumq_v1_ExchangeType__Output } from '../../quorumq/v1/ExchangeType.js';

export interface DeclareExchangeRequest {
  /**
   * As queue names; not empty (the default exchange "" always exists).
   */
  'name'?: (string);
  'type'?: (_quorumq_v1_ExchangeType);
  /**
   * Where messages this exchange routes nowhere go (empty: none). It need not
   * exist yet; while it does not, such messages are unroutable.
   */
  'alternateExchange'?: (string);
}

export interface DeclareExchangeRequest__Output {
  /**
   * As queue names; not empty (the default exchange "" always exists).
   */
  'name': (string);
  'type': (_quorumq_v1_ExchangeType__Output);
  /**
   * Where messages this exchange routes nowhere go (empty: none). It need not
   * exist yet; while it does not, such messages are unroutable.
   */
  'alternateExchange': (string);
}
