// Original file: proto/quorumq.proto

/**
 * What a stream does when an append would exceed max_bytes or max_messages.
 */
export const DiscardPolicy = {
  /**
   * Drop the oldest batches to make room.
   */
  DISCARD_OLD: 'DISCARD_OLD',
  /**
   * Refuse the append with RESOURCE_EXHAUSTED.
   */
  DISCARD_REJECT: 'DISCARD_REJECT',
} as const;

/**
 * What a stream does when an append would exceed max_bytes or max_messages.
 */
export type DiscardPolicy =
  /**
   * Drop the oldest batches to make room.
   */
  | 'DISCARD_OLD'
  | 0
  /**
   * Refuse the append with RESOURCE_EXHAUSTED.
   */
  | 'DISCARD_REJECT'
  | 1

/**
 * What a stream does when an append would exceed max_bytes or max_messages.
 */
export type DiscardPolicy__Output = typeof DiscardPolicy[keyof typeof DiscardPolicy]
