// Original file: proto/quorumq.proto

/**
 * Where a subscription starts.
 */
export const StartPosition = {
  /**
   * at `offset`
   */
  START_AT_OFFSET: 'START_AT_OFFSET',
  /**
   * at the first retained message
   */
  START_FIRST: 'START_FIRST',
  /**
   * only messages appended after the subscription started
   */
  START_NEW: 'START_NEW',
  /**
   * at the first message with timestamp >= `timestamp`
   */
  START_AT_TIMESTAMP: 'START_AT_TIMESTAMP',
  /**
   * at `consumer`'s committed offset (the first message if none)
   */
  START_AT_CONSUMER: 'START_AT_CONSUMER',
} as const;

/**
 * Where a subscription starts.
 */
export type StartPosition =
  /**
   * at `offset`
   */
  | 'START_AT_OFFSET'
  | 0
  /**
   * at the first retained message
   */
  | 'START_FIRST'
  | 1
  /**
   * only messages appended after the subscription started
   */
  | 'START_NEW'
  | 2
  /**
   * at the first message with timestamp >= `timestamp`
   */
  | 'START_AT_TIMESTAMP'
  | 3
  /**
   * at `consumer`'s committed offset (the first message if none)
   */
  | 'START_AT_CONSUMER'
  | 4

/**
 * Where a subscription starts.
 */
export type StartPosition__Output = typeof StartPosition[keyof typeof StartPosition]
