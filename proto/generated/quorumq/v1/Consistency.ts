// Original file: proto/quorumq.proto

/**
 * How fresh a read must be.
 */
export const Consistency = {
  /**
   * Reflects every write acknowledged before the read started (a ReadIndex
   * round confirmed by a quorum, then served once applied).
   */
  LINEARIZABLE: 'LINEARIZABLE',
  /**
   * The serving node's applied state, without asking anyone; may be stale.
   */
  LOCAL: 'LOCAL',
} as const;

/**
 * How fresh a read must be.
 */
export type Consistency =
  /**
   * Reflects every write acknowledged before the read started (a ReadIndex
   * round confirmed by a quorum, then served once applied).
   */
  | 'LINEARIZABLE'
  | 0
  /**
   * The serving node's applied state, without asking anyone; may be stale.
   */
  | 'LOCAL'
  | 1

/**
 * How fresh a read must be.
 */
export type Consistency__Output = typeof Consistency[keyof typeof Consistency]
