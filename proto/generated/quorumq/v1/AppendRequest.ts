// Original file: proto/quorumq.proto

import type { StreamMessage as _quorumq_v1_StreamMessage, StreamMessage__Output as _quorumq_v1_StreamMessage__Output } from '../../quorumq/v1/StreamMessage.js';
import type { Long } from '@grpc/proto-loader';

export interface AppendRequest {
  'stream'?: (string);
  /**
   * One or more messages (at most 10,000 and 8 MiB per request): stored
   * atomically at contiguous offsets.
   */
  'messages'?: (_quorumq_v1_StreamMessage)[];
  /**
   * Optional: an idempotent producer's id. A name as stream names are:
   * 1-200 characters, letters, digits, '.', '_' and '-', starting with a
   * letter or digit.
   */
  'producerId'?: (string);
  /**
   * With producer_id: this request's sequence number. A producer's first
   * sequence may be any number; each next one must be the previous + 1 (a
   * retry repeats its sequence and messages: see Append).
   * Without producer_id it must be 0.
   */
  'sequence'?: (number | string | Long);
  /**
   * AppendStream only: echoed in the response, for the client's bookkeeping.
   */
  'requestId'?: (number | string | Long);
}

export interface AppendRequest__Output {
  'stream': (string);
  /**
   * One or more messages (at most 10,000 and 8 MiB per request): stored
   * atomically at contiguous offsets.
   */
  'messages': (_quorumq_v1_StreamMessage__Output)[];
  /**
   * Optional: an idempotent producer's id. A name as stream names are:
   * 1-200 characters, letters, digits, '.', '_' and '-', starting with a
   * letter or digit.
   */
  'producerId': (string);
  /**
   * With producer_id: this request's sequence number. A producer's first
   * sequence may be any number; each next one must be the previous + 1 (a
   * retry repeats its sequence and messages: see Append).
   * Without producer_id it must be 0.
   */
  'sequence': (number);
  /**
   * AppendStream only: echoed in the response, for the client's bookkeeping.
   */
  'requestId': (number);
}
