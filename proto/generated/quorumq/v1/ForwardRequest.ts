// Original file: proto/quorumq.proto

import type { AddNodeRequest as _quorumq_v1_AddNodeRequest, AddNodeRequest__Output as _quorumq_v1_AddNodeRequest__Output } from '../../quorumq/v1/AddNodeRequest.js';
import type { RemoveNodeRequest as _quorumq_v1_RemoveNodeRequest, RemoveNodeRequest__Output as _quorumq_v1_RemoveNodeRequest__Output } from '../../quorumq/v1/RemoveNodeRequest.js';
import type { Long } from '@grpc/proto-loader';

/**
 * A client request relayed to the leader. Exactly one of the fields is set.
 */
export interface ForwardRequest {
  'group'?: (number);
  /**
   * An encoded state-machine command (see broker/machine/commands.ts).
   */
  'command'?: (Buffer | Uint8Array | string);
  'addNode'?: (_quorumq_v1_AddNodeRequest | null);
  'removeNode'?: (_quorumq_v1_RemoveNodeRequest | null);
  /**
   * Several encoded commands, proposed together as consecutive entries
   * (appends that arrived at a follower in one event-loop turn).
   */
  'commands'?: (Buffer | Uint8Array | string)[];
  /**
   * For `commands`: each command's deadline (its client's), in ms since the
   * Unix epoch on the sender's clock; 0 for none. The leader never proposes a
   * command after its deadline, nor after the call's own deadline (relative,
   * so a clock skew between nodes can only make it earlier), nor once the
   * sender cancelled the call.
   */
  'deadlines'?: (number | string | Long)[];
}

/**
 * A client request relayed to the leader. Exactly one of the fields is set.
 */
export interface ForwardRequest__Output {
  'group': (number);
  /**
   * An encoded state-machine command (see broker/machine/commands.ts).
   */
  'command': (Buffer);
  'addNode': (_quorumq_v1_AddNodeRequest__Output | null);
  'removeNode': (_quorumq_v1_RemoveNodeRequest__Output | null);
  /**
   * Several encoded commands, proposed together as consecutive entries
   * (appends that arrived at a follower in one event-loop turn).
   */
  'commands': (Buffer)[];
  /**
   * For `commands`: each command's deadline (its client's), in ms since the
   * Unix epoch on the sender's clock; 0 for none. The leader never proposes a
   * command after its deadline, nor after the call's own deadline (relative,
   * so a clock skew between nodes can only make it earlier), nor once the
   * sender cancelled the call.
   */
  'deadlines': (number)[];
}
