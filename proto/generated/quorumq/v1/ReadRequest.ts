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
  /**
   * Partitioned streams. `partitions`: the partitions to read (empty: all of
   * them, 0..N-1). `from_offsets`: one start offset per partition read, in
   * the order of `partitions` (empty: from_offset for each). Each
   * partition's messages come in offset order, grouped by partition in the
   * order of `partitions`; max_messages and max_bytes are shared by the
   * partitions read (each gets an equal part of max_messages, at least one);
   * wait_ms waits for any partition to have something. Offsets are per
   * partition, so a reader keeps one per partition: next_offsets says where
   * each goes on.
   */
  'partitions'?: (number)[];
  'fromOffsets'?: (number | string | Long)[];
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
  /**
   * Partitioned streams. `partitions`: the partitions to read (empty: all of
   * them, 0..N-1). `from_offsets`: one start offset per partition read, in
   * the order of `partitions` (empty: from_offset for each). Each
   * partition's messages come in offset order, grouped by partition in the
   * order of `partitions`; max_messages and max_bytes are shared by the
   * partitions read (each gets an equal part of max_messages, at least one);
   * wait_ms waits for any partition to have something. Offsets are per
   * partition, so a reader keeps one per partition: next_offsets says where
   * each goes on.
   */
  'partitions': (number)[];
  'fromOffsets': (number)[];
}
