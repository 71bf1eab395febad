// Original file: proto/quorumq.proto

export const ExchangeType = {
  EXCHANGE_DIRECT: 'EXCHANGE_DIRECT',
  EXCHANGE_TOPIC: 'EXCHANGE_TOPIC',
  EXCHANGE_FANOUT: 'EXCHANGE_FANOUT',
  EXCHANGE_HEADERS: 'EXCHANGE_HEADERS',
} as const;

export type ExchangeType =
  | 'EXCHANGE_DIRECT'
  | 0
  | 'EXCHANGE_TOPIC'
  | 1
  | 'EXCHANGE_FANOUT'
  | 2
  | 'EXCHANGE_HEADERS'
  | 3

export type ExchangeType__Output = typeof ExchangeType[keyof typeof ExchangeType]
