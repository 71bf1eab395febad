// Original file: proto/quorumq.proto

import type { Long } from '@grpc/proto-loader';

export interface GetResponse {
  /**
   * False when the key has never been written (the call does not fail).
   */
  'found'?: (boolean);
  'value'?: (Buffer | Uint8Array | string);
  /**
   * The Raft index of the write that set the value (0 when not found).
   */
  'index'?: (number | string | Long);
  /**
   * The applied index of the node that served the read.
   */
  'applied'?: (number | string | Long);
  /**
   * The node that served the read.
   */
  'servedBy'?: (number | string | Long);
}

export interface GetResponse__Output {
  /**
   * False when the key has never been written (the call does not fail).
   */
  'found': (boolean);
  'value': (Buffer);
  /**
   * The Raft index of the write that set the value (0 when not found).
   */
  'index': (number);
  /**
   * The applied index of the node that served the read.
   */
  'applied': (number);
  /**
   * The node that served the read.
   */
  'servedBy': (number);
}
