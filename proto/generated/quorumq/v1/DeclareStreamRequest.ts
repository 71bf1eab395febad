// Original file: proto/quorumq.proto

import type { StreamSettings as _quorumq_v1_StreamSettings, StreamSettings__Output as _quorumq_v1_StreamSettings__Output } from '../../quorumq/v1/StreamSettings.js';

export interface DeclareStreamRequest {
  /**
   * 1-200 characters: letters, digits, '.', '_' and '-', starting with a
   * letter or digit.
   */
  'name'?: (string);
  'settings'?: (_quorumq_v1_StreamSettings | null);
  /**
   * 0: an ordinary stream, in the metadata group. 1 to 64: a partitioned
   * stream, one Raft group per partition (every node a member of each,
   * leaders spread over the nodes), one name. Settings (retention, limits,
   * dedup window) apply to each partition on its own. Offsets are per
   * partition. Declaring it again needs the same count.
   */
  'partitions'?: (number);
}

export interface DeclareStreamRequest__Output {
  /**
   * 1-200 characters: letters, digits, '.', '_' and '-', starting with a
   * letter or digit.
   */
  'name': (string);
  'settings': (_quorumq_v1_StreamSettings__Output | null);
  /**
   * 0: an ordinary stream, in the metadata group. 1 to 64: a partitioned
   * stream, one Raft group per partition (every node a member of each,
   * leaders spread over the nodes), one name. Settings (retention, limits,
   * dedup window) apply to each partition on its own. Offsets are per
   * partition. Declaring it again needs the same count.
   */
  'partitions': (number);
}
