// Original file: proto/quorumq.proto

export const TransactOpKind = {
  /**
   * Publish `messages` through `exchange` by `routing_key` (`mandatory` as PublishToExchange).
   */
  TX_PUBLISH_EXCHANGE: 'TX_PUBLISH_EXCHANGE',
  /**
   * Publish `messages` to `queue`.
   */
  TX_PUBLISH_QUEUE: 'TX_PUBLISH_QUEUE',
  /**
   * Append `messages` to `stream` (priority, TTL, delay, id and group do not apply).
   */
  TX_APPEND_STREAM: 'TX_APPEND_STREAM',
  /**
   * Settle deliveries of `consumer` of `queue`: `ack`, `requeue`, `reject` tags.
   */
  TX_SETTLE: 'TX_SETTLE',
} as const;

export type TransactOpKind =
  /**
   * Publish `messages` through `exchange` by `routing_key` (`mandatory` as PublishToExchange).
   */
  | 'TX_PUBLISH_EXCHANGE'
  | 0
  /**
   * Publish `messages` to `queue`.
   */
  | 'TX_PUBLISH_QUEUE'
  | 1
  /**
   * Append `messages` to `stream` (priority, TTL, delay, id and group do not apply).
   */
  | 'TX_APPEND_STREAM'
  | 2
  /**
   * Settle deliveries of `consumer` of `queue`: `ack`, `requeue`, `reject` tags.
   */
  | 'TX_SETTLE'
  | 3

export type TransactOpKind__Output = typeof TransactOpKind[keyof typeof TransactOpKind]
