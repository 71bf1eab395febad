// Original file: proto/quorumq.proto

export const Overflow = {
  /**
   * Refuse the publish with RESOURCE_EXHAUSTED.
   */
  OVERFLOW_REJECT_PUBLISH: 'OVERFLOW_REJECT_PUBLISH',
  /**
   * Dead-letter the oldest ready messages (lowest priority first) to make room.
   */
  OVERFLOW_DROP_HEAD: 'OVERFLOW_DROP_HEAD',
} as const;

export type Overflow =
  /**
   * Refuse the publish with RESOURCE_EXHAUSTED.
   */
  | 'OVERFLOW_REJECT_PUBLISH'
  | 0
  /**
   * Dead-letter the oldest ready messages (lowest priority first) to make room.
   */
  | 'OVERFLOW_DROP_HEAD'
  | 1

export type Overflow__Output = typeof Overflow[keyof typeof Overflow]
