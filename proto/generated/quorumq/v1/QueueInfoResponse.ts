// Original file: proto/quorumq.proto

import type { QueueSettings as _quorumq_v1_QueueSettings, QueueSettings__Output as _quorumq_v1_QueueSettings__Output } from '../../quorumq/v1/QueueSettings.js';
import type { PriorityCount as _quorumq_v1_PriorityCount, PriorityCount__Output as _quorumq_v1_PriorityCount__Output } from '../../quorumq/v1/PriorityCount.js';
import type { GroupCount as _quorumq_v1_GroupCount, GroupCount__Output as _quorumq_v1_GroupCount__Output } from '../../quorumq/v1/GroupCount.js';
import type { Long } from '@grpc/proto-loader';

export interface QueueInfoResponse {
  'name'?: (string);
  'settings'?: (_quorumq_v1_QueueSettings | null);
  /**
   * Waiting for a consumer (may include expired messages not yet at the head).
   */
  'ready'?: (number | string | Long);
  /**
   * Published with a delay, or requeued with one, not yet due.
   */
  'delayed'?: (number | string | Long);
  /**
   * Delivered and not settled yet.
   */
  'unacked'?: (number | string | Long);
  'deadLettered'?: (number | string | Long);
  /**
   * Bytes of ready, delayed and unacked messages.
   */
  'bytes'?: (number | string | Long);
  'consumers'?: (number);
  'published'?: (number | string | Long);
  'delivered'?: (number | string | Long);
  'redelivered'?: (number | string | Long);
  'acked'?: (number | string | Long);
  /**
   * Deliveries that failed: requeued, rejected, or timed out.
   */
  'failed'?: (number | string | Long);
  'expired'?: (number | string | Long);
  /**
   * Dead letters dropped (dead_letter = DROP, or past max_dead_letters).
   */
  'deadLetterDropped'?: (number | string | Long);
  'servedBy'?: (number);
  /**
   * With single_active_consumer: the consumer receiving (empty when none).
   */
  'activeConsumer'?: (string);
  /**
   * Dead letters moved to dead_letter_queue, and dead letters of other
   * queues taken in.
   */
  'deadLetterMoved'?: (number | string | Long);
  'deadLetterReceived'?: (number | string | Long);
  /**
   * Schedules of the queue, and their due times not published (the queue
   * was full, or more were due after an outage than are caught up on: 100).
   */
  'schedules'?: (number);
  'scheduleSkipped'?: (number | string | Long);
  /**
   * Ready messages per priority level, for the levels that have any, highest
   * first (grouped and ungrouped messages alike; at most 32 entries).
   */
  'readyByPriority'?: (_quorumq_v1_PriorityCount)[];
  /**
   * Message groups the queue holds a message of (any state, dead letters
   * included), and those with a message ready.
   */
  'groups'?: (number | string | Long);
  'groupsReady'?: (number | string | Long);
  /**
   * The groups with the most ready messages (most first, then by name), at
   * most 10 of them, whatever the number of groups: a queue of 100 000 groups
   * answers with 10 rows.
   */
  'topGroups'?: (_quorumq_v1_GroupCount)[];
  /**
   * 0 for an ordinary queue; else its partitions (the figures above are their sums).
   */
  'partitions'?: (number);
}

export interface QueueInfoResponse__Output {
  'name': (string);
  'settings': (_quorumq_v1_QueueSettings__Output | null);
  /**
   * Waiting for a consumer (may include expired messages not yet at the head).
   */
  'ready': (number);
  /**
   * Published with a delay, or requeued with one, not yet due.
   */
  'delayed': (number);
  /**
   * Delivered and not settled yet.
   */
  'unacked': (number);
  'deadLettered': (number);
  /**
   * Bytes of ready, delayed and unacked messages.
   */
  'bytes': (number);
  'consumers': (number);
  'published': (number);
  'delivered': (number);
  'redelivered': (number);
  'acked': (number);
  /**
   * Deliveries that failed: requeued, rejected, or timed out.
   */
  'failed': (number);
  'expired': (number);
  /**
   * Dead letters dropped (dead_letter = DROP, or past max_dead_letters).
   */
  'deadLetterDropped': (number);
  'servedBy': (number);
  /**
   * With single_active_consumer: the consumer receiving (empty when none).
   */
  'activeConsumer': (string);
  /**
   * Dead letters moved to dead_letter_queue, and dead letters of other
   * queues taken in.
   */
  'deadLetterMoved': (number);
  'deadLetterReceived': (number);
  /**
   * Schedules of the queue, and their due times not published (the queue
   * was full, or more were due after an outage than are caught up on: 100).
   */
  'schedules': (number);
  'scheduleSkipped': (number);
  /**
   * Ready messages per priority level, for the levels that have any, highest
   * first (grouped and ungrouped messages alike; at most 32 entries).
   */
  'readyByPriority': (_quorumq_v1_PriorityCount__Output)[];
  /**
   * Message groups the queue holds a message of (any state, dead letters
   * included), and those with a message ready.
   */
  'groups': (number);
  'groupsReady': (number);
  /**
   * The groups with the most ready messages (most first, then by name), at
   * most 10 of them, whatever the number of groups: a queue of 100 000 groups
   * answers with 10 rows.
   */
  'topGroups': (_quorumq_v1_GroupCount__Output)[];
  /**
   * 0 for an ordinary queue; else its partitions (the figures above are their sums).
   */
  'partitions': (number);
}
