// Original file: proto/quorumq.proto

import type { Consistency as _quorumq_v1_Consistency, Consistency__Output as _quorumq_v1_Consistency__Output } from '../../quorumq/v1/Consistency.js';
import type { Long } from '@grpc/proto-loader';

export interface ReadRequest {
  'stream'?: (string);
  'fromOffset'?: (number | string | Long);
  /**
   * 0 means 100; above 10,000 served as 10,000 (a ceiling, see the top).
   */
  'maxMessages'?: (number);
  /**
   * Each message counts its headers and body plus 64 bytes of framing. 0 means
   * 1 MiB; above 4 MiB - 64 KiB served as that, so a response fits a client's
   * default 4 MiB receive limit. At least one message is returned when one is available,
   * whatever its size.
   */
  'maxBytes'?: (number | string | Long);
  /**
   * When nothing is available at from_offset, wait up to this long (above
   * 60 s served as 60 s, and never past the call's deadline) for new messages.
   */
  'waitMs'?: (number);
  'consistency'?: (_quorumq_v1_Consistency);
}

export interface ReadRequest__Output {
  'stream': (string);
  'fromOffset': (number);
  /**
   * 0 means 100; above 10,000 served as 10,000 (a ceiling, see the top).
   */
  'maxMessages': (number);
  /**
   * Each message counts its headers and body plus 64 bytes of framing. 0 means
   * 1 MiB; above 4 MiB - 64 KiB served as that, so a response fits a client's
   * default 4 MiB receive limit. At least one message is returned when one is available,
   * whatever its size.
   */
  'maxBytes': (number);
  /**
   * When nothing is available at from_offset, wait up to this long (above
   * 60 s served as 60 s, and never past the call's deadline) for new messages.
   */
  'waitMs': (number);
  'consistency': (_quorumq_v1_Consistency__Output);
}
