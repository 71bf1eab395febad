// Original file: proto/quorumq.proto

import type { QueueSettings as _quorumq_v1_QueueSettings, QueueSettings__Output as _quorumq_v1_QueueSettings__Output } from '../../quorumq/v1/QueueSettings.js';

export interface DeclareQueueRequest {
  /**
   * 1-200 characters: letters, digits, '.', '_' and '-', starting with a
   * letter or digit.
   */
  'name'?: (string);
  'settings'?: (_quorumq_v1_QueueSettings | null);
}

export interface DeclareQueueRequest__Output {
  /**
   * 1-200 characters: letters, digits, '.', '_' and '-', starting with a
   * letter or digit.
   */
  'name': (string);
  'settings': (_quorumq_v1_QueueSettings__Output | null);
}
