// Original file: proto/quorumq.proto

import type { Overflow as _quorumq_v1_Overflow, Overflow__Output as _quorumq_v1_Overflow__Output } from '../../quorumq/v1/Overflow.js';
import type { DeadLetterMode as _quorumq_v1_DeadLetterMode, DeadLetterMode__Output as _quorumq_v1_DeadLetterMode__Output } from '../../quorumq/v1/DeadLetterMode.js';
import type { Long } from '@grpc/proto-loader';

/**
 * A queue's settings. 0 means "no limit" unless said otherwise.
 */
export interface QueueSettings {
  /**
   * Ready, delayed and unacknowledged messages held.
   */
  'maxMessages'?: (number | string | Long);
  /**
   * Bytes of those messages (header keys and values plus bodies).
   */
  'maxBytes'?: (number | string | Long);
  /**
   * The largest message accepted; 0 means the default, 1 MiB; at most 8 MiB.
   */
  'maxMessageBytes'?: (number | string | Long);
  'overflow'?: (_quorumq_v1_Overflow);
  /**
   * A message not delivered within this many ms of its publish is
   * dead-lettered (reason "expired"), never delivered.
   */
  'messageTtlMs'?: (number | string | Long);
  /**
   * Failed deliveries (requeue, reject, ack timeout) after which a message is
   * dead-lettered (reason "delivery-limit"). 0 means the default, 20; -1 means
   * no limit; at most 65535.
   */
  'deliveryLimit'?: (number);
  /**
   * A delivery not settled within this many ms returns to the queue as failed.
   */
  'ackTimeoutMs'?: (number | string | Long);
  'deadLetter'?: (_quorumq_v1_DeadLetterMode);
  /**
   * The dead-letter store keeps at most this many (the oldest are dropped,
   * and counted); 0 means the default, 100000.
   */
  'maxDeadLetters'?: (number | string | Long);
  /**
   * How long producers' sequences and message ids are remembered for
   * deduplication, in ms; 0 means the default, 2 minutes.
   */
  'dedupWindowMs'?: (number | string | Long);
  /**
   * Only one consumer receives at a time: the one of the highest priority
   * (the earliest attached among equals). When it goes away (its call ends,
   * its node dies, its lease lapses) the next takes over, and its unsettled
   * messages come first, in order. A consumer of higher priority takes over
   * once the active one holds nothing unsettled.
   */
  'singleActiveConsumer'?: (boolean);
  /**
   * When set: dead letters move to this queue (in the same Raft entry that
   * takes them out of this one), with headers x-dead-letter-reason,
   * x-dead-letter-queue, x-dead-letter-time, x-dead-letter-failed and
   * x-dead-letter-acquired. When that queue does not exist or is at a limit,
   * they stay in this queue's own store. Not this queue itself.
   */
  'deadLetterQueue'?: (string);
  /**
   * Retry backoff: a requeue without its own delay is delivered again after
   * base * factor^(failed - 1) ms, at most max, less a jitter of up to
   * retry_jitter_percent of it, derived from the message and the attempt (the
   * same on every node, across leader changes). 0 means no backoff.
   */
  'retryBaseMs'?: (number | string | Long);
  'retryMaxMs'?: (number | string | Long);
  /**
   * 0 means the default, 2; at most 16.
   */
  'retryFactor'?: (number);
  /**
   * 0 means the default, 50; -1 means no jitter; at most 100.
   */
  'retryJitterPercent'?: (number);
  /**
   * When set (RabbitMQ's dead-letter exchange): dead letters are routed
   * through this exchange by dead_letter_routing_key (empty: this queue's
   * name) into every queue it reaches — all of them, in the same Raft entry
   * that takes them out of this one, or, when it reaches none or one is at a
   * limit, none (they stay in this queue's own store). Headers as for
   * dead_letter_queue, plus x-routing-key when the message was published
   * through an exchange (its original key). Excludes dead_letter_queue. Only
   * queues take dead letters: streams bound to the exchange are skipped, and
   * a headers exchange sees no message headers here.
   */
  'deadLetterExchange'?: (string);
  'deadLetterRoutingKey'?: (string);
}

/**
 * A queue's settings. 0 means "no limit" unless said otherwise.
 */
export interface QueueSettings__Output {
  /**
   * Ready, delayed and unacknowledged messages held.
   */
  'maxMessages': (number);
  /**
   * Bytes of those messages (header keys and values plus bodies).
   */
  'maxBytes': (number);
  /**
   * The largest message accepted; 0 means the default, 1 MiB; at most 8 MiB.
   */
  'maxMessageBytes': (number);
  'overflow': (_quorumq_v1_Overflow__Output);
  /**
   * A message not delivered within this many ms of its publish is
   * dead-lettered (reason "expired"), never delivered.
   */
  'messageTtlMs': (number);
  /**
   * Failed deliveries (requeue, reject, ack timeout) after which a message is
   * dead-lettered (reason "delivery-limit"). 0 means the default, 20; -1 means
   * no limit; at most 65535.
   */
  'deliveryLimit': (number);
  /**
   * A delivery not settled within this many ms returns to the queue as failed.
   */
  'ackTimeoutMs': (number);
  'deadLetter': (_quorumq_v1_DeadLetterMode__Output);
  /**
   * The dead-letter store keeps at most this many (the oldest are dropped,
   * and counted); 0 means the default, 100000.
   */
  'maxDeadLetters': (number);
  /**
   * How long producers' sequences and message ids are remembered for
   * deduplication, in ms; 0 means the default, 2 minutes.
   */
  'dedupWindowMs': (number);
  /**
   * Only one consumer receives at a time: the one of the highest priority
   * (the earliest attached among equals). When it goes away (its call ends,
   * its node dies, its lease lapses) the next takes over, and its unsettled
   * messages come first, in order. A consumer of higher priority takes over
   * once the active one holds nothing unsettled.
   */
  'singleActiveConsumer': (boolean);
  /**
   * When set: dead letters move to this queue (in the same Raft entry that
   * takes them out of this one), with headers x-dead-letter-reason,
   * x-dead-letter-queue, x-dead-letter-time, x-dead-letter-failed and
   * x-dead-letter-acquired. When that queue does not exist or is at a limit,
   * they stay in this queue's own store. Not this queue itself.
   */
  'deadLetterQueue': (string);
  /**
   * Retry backoff: a requeue without its own delay is delivered again after
   * base * factor^(failed - 1) ms, at most max, less a jitter of up to
   * retry_jitter_percent of it, derived from the message and the attempt (the
   * same on every node, across leader changes). 0 means no backoff.
   */
  'retryBaseMs': (number);
  'retryMaxMs': (number);
  /**
   * 0 means the default, 2; at most 16.
   */
  'retryFactor': (number);
  /**
   * 0 means the default, 50; -1 means no jitter; at most 100.
   */
  'retryJitterPercent': (number);
  /**
   * When set (RabbitMQ's dead-letter exchange): dead letters are routed
   * through this exchange by dead_letter_routing_key (empty: this queue's
   * name) into every queue it reaches — all of them, in the same Raft entry
   * that takes them out of this one, or, when it reaches none or one is at a
   * limit, none (they stay in this queue's own store). Headers as for
   * dead_letter_queue, plus x-routing-key when the message was published
   * through an exchange (its original key). Excludes dead_letter_queue. Only
   * queues take dead letters: streams bound to the exchange are skipped, and
   * a headers exchange sees no message headers here.
   */
  'deadLetterExchange': (string);
  'deadLetterRoutingKey': (string);
}
