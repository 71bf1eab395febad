// Original file: proto/quorumq.proto

import type { Consistency as _quorumq_v1_Consistency, Consistency__Output as _quorumq_v1_Consistency__Output } from '../../quorumq/v1/Consistency.js';

export interface ListDeadLettersRequest {
  'queue'?: (string);
  /**
   * At most this many (0: 100), from the oldest.
   */
  'max'?: (number);
  'consistency'?: (_quorumq_v1_Consistency);
}

export interface ListDeadLettersRequest__Output {
  'queue': (string);
  /**
   * At most this many (0: 100), from the oldest.
   */
  'max': (number);
  'consistency': (_quorumq_v1_Consistency__Output);
}
