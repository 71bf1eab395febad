// Original file: proto/quorumq.proto

import type { StreamMessage as _quorumq_v1_StreamMessage, StreamMessage__Output as _quorumq_v1_StreamMessage__Output } from '../../quorumq/v1/StreamMessage.js';
import type { Long } from '@grpc/proto-loader';

export interface ReadResponse {
  'messages'?: (_quorumq_v1_StreamMessage)[];
  /**
   * Where the next read should start.
   */
  'nextOffset'?: (number | string | Long);
  /**
   * The stream's first retained offset and next offset on the serving node.
   */
  'firstOffset'?: (number | string | Long);
  'endOffset'?: (number | string | Long);
  'servedBy'?: (number | string | Long);
  /**
   * Partitioned streams: per partition read (in the order of the request's
   * `partitions`, or 0..N-1), where the next read of it should start. The
   * single-value fields above are 0.
   */
  'nextOffsets'?: (number | string | Long)[];
  'partitions'?: (number)[];
}

export interface ReadResponse__Output {
  'messages': (_quorumq_v1_StreamMessage__Output)[];
  /**
   * Where the next read should start.
   */
  'nextOffset': (number);
  /**
   * The stream's first retained offset and next offset on the serving node.
   */
  'firstOffset': (number);
  'endOffset': (number);
  'servedBy': (number);
  /**
   * Partitioned streams: per partition read (in the order of the request's
   * `partitions`, or 0..N-1), where the next read of it should start. The
   * single-value fields above are 0.
   */
  'nextOffsets': (number)[];
  'partitions': (number)[];
}
