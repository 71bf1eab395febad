// Original file: proto/quorumq.proto

import type { Long } from '@grpc/proto-loader';

export interface AppendResponse {
  /**
   * The offset of the first message of the batch; the rest follow.
   */
  'firstOffset'?: (number | string | Long);
  'count'?: (number | string | Long);
  /**
   * The timestamp every message of the batch got.
   */
  'timestamp'?: (number | string | Long);
  /**
   * A retry of a (producer, sequence) already stored: nothing was stored
   * again and these are the original offsets.
   */
  'duplicate'?: (boolean);
  'requestId'?: (number | string | Long);
  /**
   * The Raft index of the entry, and the leader that committed it.
   */
  'index'?: (number | string | Long);
  'leader'?: (number | string | Long);
  /**
   * AppendStream only: the request's gRPC status code (0 = OK) and message.
   * Append reports failures as the call's status instead.
   */
  'errorCode'?: (number);
  'errorMessage'?: (string);
  /**
   * AppendStream only, with an error_code: "not-applied" or "unknown", as the
   * x-quorumq-outcome trailer (see the top of this file).
   */
  'errorOutcome'?: (string);
  /**
   * Partitioned streams: the partition the batch went to (first_offset is
   * that partition's offset). 0 on other streams.
   */
  'partition'?: (number);
}

export interface AppendResponse__Output {
  /**
   * The offset of the first message of the batch; the rest follow.
   */
  'firstOffset': (number);
  'count': (number);
  /**
   * The timestamp every message of the batch got.
   */
  'timestamp': (number);
  /**
   * A retry of a (producer, sequence) already stored: nothing was stored
   * again and these are the original offsets.
   */
  'duplicate': (boolean);
  'requestId': (number);
  /**
   * The Raft index of the entry, and the leader that committed it.
   */
  'index': (number);
  'leader': (number);
  /**
   * AppendStream only: the request's gRPC status code (0 = OK) and message.
   * Append reports failures as the call's status instead.
   */
  'errorCode': (number);
  'errorMessage': (string);
  /**
   * AppendStream only, with an error_code: "not-applied" or "unknown", as the
   * x-quorumq-outcome trailer (see the top of this file).
   */
  'errorOutcome': (string);
  /**
   * Partitioned streams: the partition the batch went to (first_offset is
   * that partition's offset). 0 on other streams.
   */
  'partition': (number);
}
