// Original file: proto/quorumq.proto

import type { Consistency as _quorumq_v1_Consistency, Consistency__Output as _quorumq_v1_Consistency__Output } from '../../quorumq/v1/Consistency.js';
import type { Long } from '@grpc/proto-loader';

export interface ReadRequest {
  'stream'?: (string);
  'fromOffset'?: (number | string | Long);
  /**
   * 0 means 100; at most 10,000.
   */
  'maxMessages'?: (number);
  /**
   * Each message counts its headers and body plus 64 bytes of framing. 0 means
   * 1 MiB; at most 4 MiB - 64 KiB, so a response fits a client's default 4 MiB
   * receive limit. At least one message is returned when one is available,
   * whatever its size.
   */
  'maxBytes'?: (number | string | Long);
  /**
   * When nothing is available at from_offset, wait up to this long (at most
   * 60 s, and never past the call's deadline) for new messages.
   */
  'waitMs'?: (number);
  'consistency'?: (_quorumq_v1_Consistency);
}

export interface ReadRequest__Output {
  'stream': (string);
  'fromOffset': (number);
  /**
   * 0 means 100; at most 10,000.
   */
  'maxMessages': (number);
  /**
   * Each message counts its headers and body plus 64 bytes of framing. 0 means
   * 1 MiB; at most 4 MiB - 64 KiB, so a response fits a client's default 4 MiB
   * receive limit. At least one message is returned when one is available,
   * whatever its size.
   */
  'maxBytes': (number);
  /**
   * When nothing is available at from_offset, wait up to this long (at most
   * 60 s, and never past the call's deadline) for new messages.
   */
  'waitMs': (number);
  'consistency': (_quorumq_v1_Consistency__Output);
}
