// Original file: proto/quorumq.proto

export const DeadLetterMode = {
  /**
   * Into the queue's own dead-letter store (listed, counted, replayable).
   */
  DEAD_LETTER_STORE: 'DEAD_LETTER_STORE',
  /**
   * Dropped, and counted as dropped.
   */
  DEAD_LETTER_DROP: 'DEAD_LETTER_DROP',
} as const;

export type DeadLetterMode =
  /**
   * Into the queue's own dead-letter store (listed, counted, replayable).
   */
  | 'DEAD_LETTER_STORE'
  | 0
  /**
   * Dropped, and counted as dropped.
   */
  | 'DEAD_LETTER_DROP'
  | 1

export type DeadLetterMode__Output = typeof DeadLetterMode[keyof typeof DeadLetterMode]
