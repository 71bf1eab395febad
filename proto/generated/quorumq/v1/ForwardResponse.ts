// Original file: proto/quorumq.proto

import type { AddNodeResponse as _quorumq_v1_AddNodeResponse, AddNodeResponse__Output as _quorumq_v1_AddNodeResponse__Output } from '../../quorumq/v1/AddNodeResponse.js';
import type { RemoveNodeResponse as _quorumq_v1_RemoveNodeResponse, RemoveNodeResponse__Output as _quorumq_v1_RemoveNodeResponse__Output } from '../../quorumq/v1/RemoveNodeResponse.js';
import type { Long } from '@grpc/proto-loader';

export interface ForwardResponse {
  /**
   * The state machine's encoded result for `command`.
   */
  'result'?: (Buffer | Uint8Array | string);
  'index'?: (number | string | Long);
  'leader'?: (number | string | Long);
  'addNode'?: (_quorumq_v1_AddNodeResponse | null);
  'removeNode'?: (_quorumq_v1_RemoveNodeResponse | null);
  /**
   * For `commands`: one encoded result per command, in order (a command that
   * failed before it was applied gets an error result).
   */
  'results'?: (Buffer | Uint8Array | string)[];
}

export interface ForwardResponse__Output {
  /**
   * The state machine's encoded result for `command`.
   */
  'result': (Buffer);
  'index': (number);
  'leader': (number);
  'addNode': (_quorumq_v1_AddNodeResponse__Output | null);
  'removeNode': (_quorumq_v1_RemoveNodeResponse__Output | null);
  /**
   * For `commands`: one encoded result per command, in order (a command that
   * failed before it was applied gets an error result).
   */
  'results': (Buffer)[];
}
