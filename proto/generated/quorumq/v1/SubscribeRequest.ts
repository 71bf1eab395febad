// Original file: proto/quorumq.proto

import type { StartPosition as _quorumq_v1_StartPosition, StartPosition__Output as _quorumq_v1_StartPosition__Output } from '../../quorumq/v1/StartPosition.js';
import type { Consistency as _quorumq_v1_Consistency, Consistency__Output as _quorumq_v1_Consistency__Output } from '../../quorumq/v1/Consistency.js';
import type { Long } from '@grpc/proto-loader';

export interface SubscribeRequest {
  /**
   * First request only.
   */
  'stream'?: (string);
  'start'?: (_quorumq_v1_StartPosition);
  'offset'?: (number | string | Long);
  'timestamp'?: (number | string | Long);
  'consumer'?: (string);
  /**
   * LINEARIZABLE (default): the start position is resolved after a ReadIndex
   * round, so the subscription sees everything confirmed before it began.
   * Then messages are delivered as this node applies them.
   */
  'consistency'?: (_quorumq_v1_Consistency);
  /**
   * Any request: how many more messages the server may send.
   */
  'credit'?: (number);
  /**
   * Partitioned streams (first request only). `partitions`: the partitions
   * to follow (empty: all). The start position applies to each partition on
   * its own (START_NEW: each partition's end; START_AT_TIMESTAMP: each
   * partition's first message at or after it; START_AT_CONSUMER: the
   * consumer's offset committed in each partition). With START_AT_OFFSET,
   * `offsets` gives one start offset per partition followed, in the order of
   * `partitions` (empty: `offset` for each). Messages carry their partition;
   * each partition's come in offset order (no order between partitions).
   * Credit is shared by the partitions.
   */
  'partitions'?: (number)[];
  'offsets'?: (number | string | Long)[];
}

export interface SubscribeRequest__Output {
  /**
   * First request only.
   */
  'stream': (string);
  'start': (_quorumq_v1_StartPosition__Output);
  'offset': (number);
  'timestamp': (number);
  'consumer': (string);
  /**
   * LINEARIZABLE (default): the start position is resolved after a ReadIndex
   * round, so the subscription sees everything confirmed before it began.
   * Then messages are delivered as this node applies them.
   */
  'consistency': (_quorumq_v1_Consistency__Output);
  /**
   * Any request: how many more messages the server may send.
   */
  'credit': (number);
  /**
   * Partitioned streams (first request only). `partitions`: the partitions
   * to follow (empty: all). The start position applies to each partition on
   * its own (START_NEW: each partition's end; START_AT_TIMESTAMP: each
   * partition's first message at or after it; START_AT_CONSUMER: the
   * consumer's offset committed in each partition). With START_AT_OFFSET,
   * `offsets` gives one start offset per partition followed, in the order of
   * `partitions` (empty: `offset` for each). Messages carry their partition;
   * each partition's come in offset order (no order between partitions).
   * Credit is shared by the partitions.
   */
  'partitions': (number)[];
  'offsets': (number)[];
}
