// Original file: proto/quorumq.proto

/**
 * A member's role as the cluster sees it.
 */
export const Role = {
  /**
   * the member did not answer
   */
  ROLE_UNKNOWN: 'ROLE_UNKNOWN',
  FOLLOWER: 'FOLLOWER',
  PRE_CANDIDATE: 'PRE_CANDIDATE',
  CANDIDATE: 'CANDIDATE',
  LEADER: 'LEADER',
  /**
   * receives the log, does not vote
   */
  LEARNER: 'LEARNER',
} as const;

/**
 * A member's role as the cluster sees it.
 */
export type Role =
  /**
   * the member did not answer
   */
  | 'ROLE_UNKNOWN'
  | 0
  | 'FOLLOWER'
  | 1
  | 'PRE_CANDIDATE'
  | 2
  | 'CANDIDATE'
  | 3
  | 'LEADER'
  | 4
  /**
   * receives the log, does not vote
   */
  | 'LEARNER'
  | 5

/**
 * A member's role as the cluster sees it.
 */
export type Role__Output = typeof Role[keyof typeof Role]
