// Original file: proto/quorumq.proto

import type { DeadLetter as _quorumq_v1_DeadLetter, DeadLetter__Output as _quorumq_v1_DeadLetter__Output } from '../../quorumq/v1/DeadLetter.js';
import type { Long } from '@grpc/proto-loader';

export interface ListDeadLettersResponse {
  'deadLetters'?: (_quorumq_v1_DeadLetter)[];
  /**
   * How many the store holds in all.
   */
  'total'?: (number | string | Long);
}

export interface ListDeadLettersResponse__Output {
  'deadLetters': (_quorumq_v1_DeadLetter__Output)[];
  /**
   * How many the store holds in all.
   */
  'total': (number);
}
