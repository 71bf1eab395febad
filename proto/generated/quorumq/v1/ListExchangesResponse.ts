// Original file: proto/quorumq.proto

import type { ExchangeInfoResponse as _quorumq_v1_ExchangeInfoResponse, ExchangeInfoResponse__Output as _quorumq_v1_ExchangeInfoResponse__Output } from '../../quorumq/v1/ExchangeInfoResponse.js';

export interface ListExchangesResponse {
  'exchanges'?: (_quorumq_v1_ExchangeInfoResponse)[];
  'servedBy'?: (number);
}

export interface ListExchangesResponse__Output {
  'exchanges': (_quorumq_v1_ExchangeInfoResponse__Output)[];
  'servedBy': (number);
}
