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
  /**
   * Partitioned streams: the batch's key. The same key always lands in the
   * same partition (a consistent hash of the key, the one partitioned queues
   * use for group keys), so one key's messages keep their order. Without a
   * key, the producer_id is the key (an idempotent producer's batches stay in
   * one partition, where its sequences are checked); without either, batches
   * go round robin. A batch is atomic and gets contiguous offsets, which only
   * one partition can give: so the key is the request's, not a message's.
   * Idempotent producers are per partition: a partition checks the sequences
   * of the batches it receives, so a producer that appends with keys landing
   * in several partitions keeps one sequence per partition (a retry lands in
   * the same partition as the first try, since its key is the same).
   * Not stored; ignored on other streams.
   */
  'key'?: (string);
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
  /**
   * Partitioned streams: the batch's key. The same key always lands in the
   * same partition (a consistent hash of the key, the one partitioned queues
   * use for group keys), so one key's messages keep their order. Without a
   * key, the producer_id is the key (an idempotent producer's batches stay in
   * one partition, where its sequences are checked); without either, batches
   * go round robin. A batch is atomic and gets contiguous offsets, which only
   * one partition can give: so the key is the request's, not a message's.
   * Idempotent producers are per partition: a partition checks the sequences
   * of the batches it receives, so a producer that appends with keys landing
   * in several partitions keeps one sequence per partition (a retry lands in
   * the same partition as the first try, since its key is the same).
   * Not stored; ignored on other streams.
   */
  'key': (string);
}
