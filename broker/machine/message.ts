// A message as queues hold it and as exchange writes and transactions carry
// it (streams take its headers and body). One declaration for both machines:
// the queues' body reader decodes exchange writes too, and a copy of the
// shape in each was a second place to change.

export interface QueueMessage {
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: Uint8Array;
  /** 0 (lowest) to 31; higher first, FIFO within a level. */
  readonly priority: number;
  /** Dead-lettered if not delivered within this long (0: the queue's TTL, if any). */
  readonly ttlMs: number;
  /** Not delivered before this long after the publish (0: at once). */
  readonly delayMs: number;
  /** When not empty: a message with the same id published within the dedup window is not stored again. */
  readonly id: string;
  /** When not empty: messages of one group are delivered one at a time, in order (see queues/queue.ts). */
  readonly group: string;
}

/** What a consumer does with a delivery: ack, requeue (nack) or reject (dead-letter). */
export type SettleOutcome = 'ack' | 'requeue' | 'reject';
