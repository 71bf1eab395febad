// Original file: proto/quorumq.proto

import type { Long } from '@grpc/proto-loader';

export interface CommitOffsetRequest {
  'stream'?: (string);
  /**
   * A name: 1-200 characters, as stream names.
   */
  'consumer'?: (string);
  /**
   * The next offset the consumer wants (at most the stream's next offset).
   */
  'offset'?: (number | string | Long);
  /**
   * Partitioned streams: the partition whose offset this is (a consumer keeps
   * one offset per partition).
   */
  'partition'?: (number);
}

export interface CommitOffsetRequest__Output {
  'stream': (string);
  /**
   * A name: 1-200 characters, as stream names.
   */
  'consumer': (string);
  /**
   * The next offset the consumer wants (at most the stream's next offset).
   */
  'offset': (number);
  /**
   * Partitioned streams: the partition whose offset this is (a consumer keeps
   * one offset per partition).
   */
  'partition': (number);
}
