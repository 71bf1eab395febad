// Original file: proto/quorumq.proto

import type { StreamMessage as _quorumq_v1_StreamMessage, StreamMessage__Output as _quorumq_v1_StreamMessage__Output } from '../../quorumq/v1/StreamMessage.js';

export interface SubscribeResponse {
  'messages'?: (_quorumq_v1_StreamMessage)[];
  /**
   * Set on the last response when the server ends the subscription (the
   * stream was deleted); the call then ends with OK.
   */
  'ended'?: (string);
}

export interface SubscribeResponse__Output {
  'messages': (_quorumq_v1_StreamMessage__Output)[];
  /**
   * Set on the last response when the server ends the subscription (the
   * stream was deleted); the call then ends with OK.
   */
  'ended': (string);
}
