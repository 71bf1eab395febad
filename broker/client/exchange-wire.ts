// The generated wire types of the exchange calls (kept apart from wire.ts so
// the exchange SDK is a small addition).

export type { BindRequest } from '../../proto/generated/quorumq/v1/BindRequest.js';
export type { BindResponse__Output } from '../../proto/generated/quorumq/v1/BindResponse.js';
export type { DeclareExchangeRequest } from '../../proto/generated/quorumq/v1/DeclareExchangeRequest.js';
export type { DeclareExchangeResponse__Output } from '../../proto/generated/quorumq/v1/DeclareExchangeResponse.js';
export type { DeleteExchangeRequest } from '../../proto/generated/quorumq/v1/DeleteExchangeRequest.js';
export type { DeleteExchangeResponse__Output } from '../../proto/generated/quorumq/v1/DeleteExchangeResponse.js';
export type { ExchangeInfoRequest } from '../../proto/generated/quorumq/v1/ExchangeInfoRequest.js';
export type { ExchangeInfoResponse__Output } from '../../proto/generated/quorumq/v1/ExchangeInfoResponse.js';
export type { ExchangePublishRequest } from '../../proto/generated/quorumq/v1/ExchangePublishRequest.js';
export type { ExchangePublishResponse__Output } from '../../proto/generated/quorumq/v1/ExchangePublishResponse.js';
export type { ListExchangesRequest } from '../../proto/generated/quorumq/v1/ListExchangesRequest.js';
export type { ListExchangesResponse__Output } from '../../proto/generated/quorumq/v1/ListExchangesResponse.js';
export type { TransactOp } from '../../proto/generated/quorumq/v1/TransactOp.js';
export type { TransactRequest } from '../../proto/generated/quorumq/v1/TransactRequest.js';
export type { TransactResponse__Output } from '../../proto/generated/quorumq/v1/TransactResponse.js';
export type { UnbindResponse__Output } from '../../proto/generated/quorumq/v1/UnbindResponse.js';
