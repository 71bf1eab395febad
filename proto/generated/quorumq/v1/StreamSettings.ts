// Original file: proto/quorumq.proto

import type { DiscardPolicy as _quorumq_v1_DiscardPolicy, DiscardPolicy__Output as _quorumq_v1_DiscardPolicy__Output } from '../../quorumq/v1/DiscardPolicy.js';
import type { Long } from '@grpc/proto-loader';

/**
 * A stream's limits. 0 means "no limit" unless said otherwise.
 */
export interface StreamSettings {
  /**
   * Batches whose timestamp is older than this many ms are removed.
   */
  'maxAgeMs'?: (number | string | Long);
  /**
   * Total bytes of headers and bodies kept.
   */
  'maxBytes'?: (number | string | Long);
  /**
   * Messages kept.
   */
  'maxMessages'?: (number | string | Long);
  /**
   * The largest message (header keys and values plus body) accepted;
   * 0 means the default, 1 MiB; at most 8 MiB.
   */
  'maxMessageBytes'?: (number | string | Long);
  /**
   * How long a producer's sequences are remembered for deduplication after
   * its last append, in ms; 0 means the default, 2 minutes.
   */
  'dedupWindowMs'?: (number | string | Long);
  'discard'?: (_quorumq_v1_DiscardPolicy);
}

/**
 * A stream's limits. 0 means "no limit" unless said otherwise.
 */
export interface StreamSettings__Output {
  /**
   * Batches whose timestamp is older than this many ms are removed.
   */
  'maxAgeMs': (number);
  /**
   * Total bytes of headers and bodies kept.
   */
  'maxBytes': (number);
  /**
   * Messages kept.
   */
  'maxMessages': (number);
  /**
   * The largest message (header keys and values plus body) accepted;
   * 0 means the default, 1 MiB; at most 8 MiB.
   */
  'maxMessageBytes': (number);
  /**
   * How long a producer's sequences are remembered for deduplication after
   * its last append, in ms; 0 means the default, 2 minutes.
   */
  'dedupWindowMs': (number);
  'discard': (_quorumq_v1_DiscardPolicy__Output);
}
