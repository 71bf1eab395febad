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
  /**
   * Refuse the publish with RESOURCE_EXHAUSTED (as REJECT_PUBLISH: never
   * overshooting, the message names the limit) and dead-letter its messages
   * (reason "maxlen") to the queue's dead-letter target: its dead-letter
   * queue or exchange, else its own dead-letter store (or dropped and
   * counted with DEAD_LETTER_DROP). All or none: a publish (a batch) that
   * does not fit as a whole is refused as a whole and EVERY message of it is
   * dead-lettered, none stored as ready (a message whose id was seen within
   * the dedup window is a copy, and is not). A retry of the refused publish
   * is a new publish: if it is refused again, its messages are dead-lettered
   * again. A routed publish (exchange, transaction) into such a queue is
   * refused as REJECT_PUBLISH would, without dead-lettering: it stores
   * nothing anywhere. Schedules skip a due time that does not fit (counted).
   */
  OVERFLOW_REJECT_PUBLISH_DLX: 'OVERFLOW_REJECT_PUBLISH_DLX',
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
  /**
   * Refuse the publish with RESOURCE_EXHAUSTED (as REJECT_PUBLISH: never
   * overshooting, the message names the limit) and dead-letter its messages
   * (reason "maxlen") to the queue's dead-letter target: its dead-letter
   * queue or exchange, else its own dead-letter store (or dropped and
   * counted with DEAD_LETTER_DROP). All or none: a publish (a batch) that
   * does not fit as a whole is refused as a whole and EVERY message of it is
   * dead-lettered, none stored as ready (a message whose id was seen within
   * the dedup window is a copy, and is not). A retry of the refused publish
   * is a new publish: if it is refused again, its messages are dead-lettered
   * again. A routed publish (exchange, transaction) into such a queue is
   * refused as REJECT_PUBLISH would, without dead-lettering: it stores
   * nothing anywhere. Schedules skip a due time that does not fit (counted).
   */
  | 'OVERFLOW_REJECT_PUBLISH_DLX'
  | 2

export type Overflow__Output = typeof Overflow[keyof typeof Overflow]
