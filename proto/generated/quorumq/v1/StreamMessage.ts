// Original file: proto/quorumq.proto

import type { Header as _quorumq_v1_Header, Header__Output as _quorumq_v1_Header__Output } from '../../quorumq/v1/Header.js';
import type { Long } from '@grpc/proto-loader';

/**
 * A message. On append only headers and body are read; the leader assigns
 * offset and timestamp.
 */
export interface StreamMessage {
  'offset'?: (number | string | Long);
  /**
   * Milliseconds since the Unix epoch, assigned by the leader when it
   * proposed the batch; never goes backwards within a stream.
   */
  'timestamp'?: (number | string | Long);
  'headers'?: (_quorumq_v1_Header)[];
  'body'?: (Buffer | Uint8Array | string);
  /**
   * Reads and subscriptions of a partitioned stream: the partition the
   * message is in (its offset is that partition's). 0 on other streams; not
   * read on append.
   */
  'partition'?: (number);
}

/**
 * A message. On append only headers and body are read; the leader assigns
 * offset and timestamp.
 */
export interface StreamMessage__Output {
  'offset': (number);
  /**
   * Milliseconds since the Unix epoch, assigned by the leader when it
   * proposed the batch; never goes backwards within a stream.
   */
  'timestamp': (number);
  'headers': (_quorumq_v1_Header__Output)[];
  'body': (Buffer);
  /**
   * Reads and subscriptions of a partitioned stream: the partition the
   * message is in (its offset is that partition's). 0 on other streams; not
   * read on append.
   */
  'partition': (number);
}
