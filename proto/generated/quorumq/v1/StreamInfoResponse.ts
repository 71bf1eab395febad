// Original file: proto/quorumq.proto

import type { StreamSettings as _quorumq_v1_StreamSettings, StreamSettings__Output as _quorumq_v1_StreamSettings__Output } from '../../quorumq/v1/StreamSettings.js';
import type { NodeStreamOffset as _quorumq_v1_NodeStreamOffset, NodeStreamOffset__Output as _quorumq_v1_NodeStreamOffset__Output } from '../../quorumq/v1/NodeStreamOffset.js';
import type { StreamPartitionInfo as _quorumq_v1_StreamPartitionInfo, StreamPartitionInfo__Output as _quorumq_v1_StreamPartitionInfo__Output } from '../../quorumq/v1/StreamPartitionInfo.js';
import type { Long } from '@grpc/proto-loader';

export interface StreamInfoResponse {
  'name'?: (string);
  'settings'?: (_quorumq_v1_StreamSettings | null);
  /**
   * The first retained offset (== next_offset when the stream is empty).
   */
  'firstOffset'?: (number | string | Long);
  /**
   * The last stored offset; meaningless when message_count is 0.
   */
  'lastOffset'?: (number | string | Long);
  /**
   * The offset the next message gets.
   */
  'nextOffset'?: (number | string | Long);
  'messageCount'?: (number | string | Long);
  'bytes'?: (number | string | Long);
  'consumers'?: (number | string | Long);
  'producers'?: (number | string | Long);
  /**
   * The Raft index at which the stream was declared.
   */
  'createdIndex'?: (number | string | Long);
  /**
   * StreamInfo only: every member's progress on this stream.
   */
  'nodes'?: (_quorumq_v1_NodeStreamOffset)[];
  'servedBy'?: (number | string | Long);
  /**
   * 0 for an ordinary stream; else its partitions. On a partitioned stream
   * message_count, bytes, consumers and producers are the partitions' sums,
   * first/last/next_offset are 0 (offsets are per partition: see
   * partition_info) and nodes is empty.
   */
  'partitions'?: (number);
  'partitionInfo'?: (_quorumq_v1_StreamPartitionInfo)[];
}

export interface StreamInfoResponse__Output {
  'name': (string);
  'settings': (_quorumq_v1_StreamSettings__Output | null);
  /**
   * The first retained offset (== next_offset when the stream is empty).
   */
  'firstOffset': (number);
  /**
   * The last stored offset; meaningless when message_count is 0.
   */
  'lastOffset': (number);
  /**
   * The offset the next message gets.
   */
  'nextOffset': (number);
  'messageCount': (number);
  'bytes': (number);
  'consumers': (number);
  'producers': (number);
  /**
   * The Raft index at which the stream was declared.
   */
  'createdIndex': (number);
  /**
   * StreamInfo only: every member's progress on this stream.
   */
  'nodes': (_quorumq_v1_NodeStreamOffset__Output)[];
  'servedBy': (number);
  /**
   * 0 for an ordinary stream; else its partitions. On a partitioned stream
   * message_count, bytes, consumers and producers are the partitions' sums,
   * first/last/next_offset are 0 (offsets are per partition: see
   * partition_info) and nodes is empty.
   */
  'partitions': (number);
  'partitionInfo': (_quorumq_v1_StreamPartitionInfo__Output)[];
}
