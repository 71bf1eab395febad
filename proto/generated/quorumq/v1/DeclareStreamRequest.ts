// Original file: proto/quorumq.proto

import type { StreamSettings as _quorumq_v1_StreamSettings, StreamSettings__Output as _quorumq_v1_StreamSettings__Output } from '../../quorumq/v1/StreamSettings.js';

export interface DeclareStreamRequest {
  /**
   * 1-200 characters: letters, digits, '.', '_' and '-', starting with a
   * letter or digit.
   */
  'name'?: (string);
  'settings'?: (_quorumq_v1_StreamSettings | null);
}

export interface DeclareStreamRequest__Output {
  /**
   * 1-200 characters: letters, digits, '.', '_' and '-', starting with a
   * letter or digit.
   */
  'name': (string);
  'settings': (_quorumq_v1_StreamSettings__Output | null);
}
