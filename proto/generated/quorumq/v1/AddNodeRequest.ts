// Original file: proto/quorumq.proto

import type { Long } from '@grpc/proto-loader';

export interface AddNodeRequest {
  /**
   * A positive id not used by any member.
   */
  'id'?: (number | string | Long);
  /**
   * host:port where the new node serves Raft (peers connect here).
   */
  'peerAddress'?: (string);
  /**
   * host:port where the new node serves Broker (shown in status).
   */
  'clientAddress'?: (string);
}

export interface AddNodeRequest__Output {
  /**
   * A positive id not used by any member.
   */
  'id': (number);
  /**
   * host:port where the new node serves Raft (peers connect here).
   */
  'peerAddress': (string);
  /**
   * host:port where the new node serves Broker (shown in status).
   */
  'clientAddress': (string);
}
