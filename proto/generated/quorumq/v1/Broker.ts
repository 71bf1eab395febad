// Original file: proto/quorumq.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AddNodeRequest as _quorumq_v1_AddNodeRequest, AddNodeRequest__Output as _quorumq_v1_AddNodeRequest__Output } from '../../quorumq/v1/AddNodeRequest.js';
import type { AddNodeResponse as _quorumq_v1_AddNodeResponse, AddNodeResponse__Output as _quorumq_v1_AddNodeResponse__Output } from '../../quorumq/v1/AddNodeResponse.js';
import type { ClusterStatusRequest as _quorumq_v1_ClusterStatusRequest, ClusterStatusRequest__Output as _quorumq_v1_ClusterStatusRequest__Output } from '../../quorumq/v1/ClusterStatusRequest.js';
import type { ClusterStatusResponse as _quorumq_v1_ClusterStatusResponse, ClusterStatusResponse__Output as _quorumq_v1_ClusterStatusResponse__Output } from '../../quorumq/v1/ClusterStatusResponse.js';
import type { GetRequest as _quorumq_v1_GetRequest, GetRequest__Output as _quorumq_v1_GetRequest__Output } from '../../quorumq/v1/GetRequest.js';
import type { GetResponse as _quorumq_v1_GetResponse, GetResponse__Output as _quorumq_v1_GetResponse__Output } from '../../quorumq/v1/GetResponse.js';
import type { PutRequest as _quorumq_v1_PutRequest, PutRequest__Output as _quorumq_v1_PutRequest__Output } from '../../quorumq/v1/PutRequest.js';
import type { PutResponse as _quorumq_v1_PutResponse, PutResponse__Output as _quorumq_v1_PutResponse__Output } from '../../quorumq/v1/PutResponse.js';
import type { RemoveNodeRequest as _quorumq_v1_RemoveNodeRequest, RemoveNodeRequest__Output as _quorumq_v1_RemoveNodeRequest__Output } from '../../quorumq/v1/RemoveNodeRequest.js';
import type { RemoveNodeResponse as _quorumq_v1_RemoveNodeResponse, RemoveNodeResponse__Output as _quorumq_v1_RemoveNodeResponse__Output } from '../../quorumq/v1/RemoveNodeResponse.js';
import type { TransferLeaderRequest as _quorumq_v1_TransferLeaderRequest, TransferLeaderRequest__Output as _quorumq_v1_TransferLeaderRequest__Output } from '../../quorumq/v1/TransferLeaderRequest.js';
import type { TransferLeaderResponse as _quorumq_v1_TransferLeaderResponse, TransferLeaderResponse__Output as _quorumq_v1_TransferLeaderResponse__Output } from '../../quorumq/v1/TransferLeaderResponse.js';

export interface BrokerClient extends grpc.Client {
  /**
   * Add a node: first as a learner (receives the log, does not vote), promoted
   * to voter once it has caught up. Returns once the node is a voter, or with
   * DEADLINE_EXCEEDED while it is still catching up (it stays a learner and is
   * promoted later).
   */
  AddNode(argument: _quorumq_v1_AddNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_AddNodeResponse__Output>): grpc.ClientUnaryCall;
  AddNode(argument: _quorumq_v1_AddNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_AddNodeResponse__Output>): grpc.ClientUnaryCall;
  AddNode(argument: _quorumq_v1_AddNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_AddNodeResponse__Output>): grpc.ClientUnaryCall;
  AddNode(argument: _quorumq_v1_AddNodeRequest, callback: grpc.requestCallback<_quorumq_v1_AddNodeResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Add a node: first as a learner (receives the log, does not vote), promoted
   * to voter once it has caught up. Returns once the node is a voter, or with
   * DEADLINE_EXCEEDED while it is still catching up (it stays a learner and is
   * promoted later).
   */
  addNode(argument: _quorumq_v1_AddNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_AddNodeResponse__Output>): grpc.ClientUnaryCall;
  addNode(argument: _quorumq_v1_AddNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_AddNodeResponse__Output>): grpc.ClientUnaryCall;
  addNode(argument: _quorumq_v1_AddNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_AddNodeResponse__Output>): grpc.ClientUnaryCall;
  addNode(argument: _quorumq_v1_AddNodeRequest, callback: grpc.requestCallback<_quorumq_v1_AddNodeResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Members, their roles, term, commit and applied indexes, each follower's
   * match index and lag as the leader sees them, and the leader.
   */
  ClusterStatus(argument: _quorumq_v1_ClusterStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_ClusterStatusResponse__Output>): grpc.ClientUnaryCall;
  ClusterStatus(argument: _quorumq_v1_ClusterStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_ClusterStatusResponse__Output>): grpc.ClientUnaryCall;
  ClusterStatus(argument: _quorumq_v1_ClusterStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_ClusterStatusResponse__Output>): grpc.ClientUnaryCall;
  ClusterStatus(argument: _quorumq_v1_ClusterStatusRequest, callback: grpc.requestCallback<_quorumq_v1_ClusterStatusResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Members, their roles, term, commit and applied indexes, each follower's
   * match index and lag as the leader sees them, and the leader.
   */
  clusterStatus(argument: _quorumq_v1_ClusterStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_ClusterStatusResponse__Output>): grpc.ClientUnaryCall;
  clusterStatus(argument: _quorumq_v1_ClusterStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_ClusterStatusResponse__Output>): grpc.ClientUnaryCall;
  clusterStatus(argument: _quorumq_v1_ClusterStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_ClusterStatusResponse__Output>): grpc.ClientUnaryCall;
  clusterStatus(argument: _quorumq_v1_ClusterStatusRequest, callback: grpc.requestCallback<_quorumq_v1_ClusterStatusResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Read the value under `key`. LINEARIZABLE (the default) reflects every write
   * acknowledged before the call started, on whichever node serves it; LOCAL
   * answers from the serving node's applied state, which may lag.
   */
  Get(argument: _quorumq_v1_GetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_GetResponse__Output>): grpc.ClientUnaryCall;
  Get(argument: _quorumq_v1_GetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_GetResponse__Output>): grpc.ClientUnaryCall;
  Get(argument: _quorumq_v1_GetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_GetResponse__Output>): grpc.ClientUnaryCall;
  Get(argument: _quorumq_v1_GetRequest, callback: grpc.requestCallback<_quorumq_v1_GetResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Read the value under `key`. LINEARIZABLE (the default) reflects every write
   * acknowledged before the call started, on whichever node serves it; LOCAL
   * answers from the serving node's applied state, which may lag.
   */
  get(argument: _quorumq_v1_GetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_GetResponse__Output>): grpc.ClientUnaryCall;
  get(argument: _quorumq_v1_GetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_GetResponse__Output>): grpc.ClientUnaryCall;
  get(argument: _quorumq_v1_GetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_GetResponse__Output>): grpc.ClientUnaryCall;
  get(argument: _quorumq_v1_GetRequest, callback: grpc.requestCallback<_quorumq_v1_GetResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Store `value` under `key`. Succeeds once a majority has the write durably
   * and the leader has applied it; the answer carries the Raft index at which
   * it was applied.
   */
  Put(argument: _quorumq_v1_PutRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_PutResponse__Output>): grpc.ClientUnaryCall;
  Put(argument: _quorumq_v1_PutRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_PutResponse__Output>): grpc.ClientUnaryCall;
  Put(argument: _quorumq_v1_PutRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_PutResponse__Output>): grpc.ClientUnaryCall;
  Put(argument: _quorumq_v1_PutRequest, callback: grpc.requestCallback<_quorumq_v1_PutResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Store `value` under `key`. Succeeds once a majority has the write durably
   * and the leader has applied it; the answer carries the Raft index at which
   * it was applied.
   */
  put(argument: _quorumq_v1_PutRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_PutResponse__Output>): grpc.ClientUnaryCall;
  put(argument: _quorumq_v1_PutRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_PutResponse__Output>): grpc.ClientUnaryCall;
  put(argument: _quorumq_v1_PutRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_PutResponse__Output>): grpc.ClientUnaryCall;
  put(argument: _quorumq_v1_PutRequest, callback: grpc.requestCallback<_quorumq_v1_PutResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Remove a node from the cluster (voter or learner).
   */
  RemoveNode(argument: _quorumq_v1_RemoveNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  RemoveNode(argument: _quorumq_v1_RemoveNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  RemoveNode(argument: _quorumq_v1_RemoveNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  RemoveNode(argument: _quorumq_v1_RemoveNodeRequest, callback: grpc.requestCallback<_quorumq_v1_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Remove a node from the cluster (voter or learner).
   */
  removeNode(argument: _quorumq_v1_RemoveNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  removeNode(argument: _quorumq_v1_RemoveNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  removeNode(argument: _quorumq_v1_RemoveNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  removeNode(argument: _quorumq_v1_RemoveNodeRequest, callback: grpc.requestCallback<_quorumq_v1_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Hand leadership to another voter. Returns once the target leads.
   */
  TransferLeader(argument: _quorumq_v1_TransferLeaderRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_TransferLeaderResponse__Output>): grpc.ClientUnaryCall;
  TransferLeader(argument: _quorumq_v1_TransferLeaderRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_TransferLeaderResponse__Output>): grpc.ClientUnaryCall;
  TransferLeader(argument: _quorumq_v1_TransferLeaderRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_TransferLeaderResponse__Output>): grpc.ClientUnaryCall;
  TransferLeader(argument: _quorumq_v1_TransferLeaderRequest, callback: grpc.requestCallback<_quorumq_v1_TransferLeaderResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Hand leadership to another voter. Returns once the target leads.
   */
  transferLeader(argument: _quorumq_v1_TransferLeaderRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_TransferLeaderResponse__Output>): grpc.ClientUnaryCall;
  transferLeader(argument: _quorumq_v1_TransferLeaderRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_TransferLeaderResponse__Output>): grpc.ClientUnaryCall;
  transferLeader(argument: _quorumq_v1_TransferLeaderRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_TransferLeaderResponse__Output>): grpc.ClientUnaryCall;
  transferLeader(argument: _quorumq_v1_TransferLeaderRequest, callback: grpc.requestCallback<_quorumq_v1_TransferLeaderResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface BrokerHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Add a node: first as a learner (receives the log, does not vote), promoted
   * to voter once it has caught up. Returns once the node is a voter, or with
   * DEADLINE_EXCEEDED while it is still catching up (it stays a learner and is
   * promoted later).
   */
  AddNode: grpc.handleUnaryCall<_quorumq_v1_AddNodeRequest__Output, _quorumq_v1_AddNodeResponse>;
  
  /**
   * Members, their roles, term, commit and applied indexes, each follower's
   * match index and lag as the leader sees them, and the leader.
   */
  ClusterStatus: grpc.handleUnaryCall<_quorumq_v1_ClusterStatusRequest__Output, _quorumq_v1_ClusterStatusResponse>;
  
  /**
   * Read the value under `key`. LINEARIZABLE (the default) reflects every write
   * acknowledged before the call started, on whichever node serves it; LOCAL
   * answers from the serving node's applied state, which may lag.
   */
  Get: grpc.handleUnaryCall<_quorumq_v1_GetRequest__Output, _quorumq_v1_GetResponse>;
  
  /**
   * Store `value` under `key`. Succeeds once a majority has the write durably
   * and the leader has applied it; the answer carries the Raft index at which
   * it was applied.
   */
  Put: grpc.handleUnaryCall<_quorumq_v1_PutRequest__Output, _quorumq_v1_PutResponse>;
  
  /**
   * Remove a node from the cluster (voter or learner).
   */
  RemoveNode: grpc.handleUnaryCall<_quorumq_v1_RemoveNodeRequest__Output, _quorumq_v1_RemoveNodeResponse>;
  
  /**
   * Hand leadership to another voter. Returns once the target leads.
   */
  TransferLeader: grpc.handleUnaryCall<_quorumq_v1_TransferLeaderRequest__Output, _quorumq_v1_TransferLeaderResponse>;
  
}

export interface BrokerDefinition extends grpc.ServiceDefinition {
  AddNode: MethodDefinition<_quorumq_v1_AddNodeRequest, _quorumq_v1_AddNodeResponse, _quorumq_v1_AddNodeRequest__Output, _quorumq_v1_AddNodeResponse__Output>
  ClusterStatus: MethodDefinition<_quorumq_v1_ClusterStatusRequest, _quorumq_v1_ClusterStatusResponse, _quorumq_v1_ClusterStatusRequest__Output, _quorumq_v1_ClusterStatusResponse__Output>
  Get: MethodDefinition<_quorumq_v1_GetRequest, _quorumq_v1_GetResponse, _quorumq_v1_GetRequest__Output, _quorumq_v1_GetResponse__Output>
  Put: MethodDefinition<_quorumq_v1_PutRequest, _quorumq_v1_PutResponse, _quorumq_v1_PutRequest__Output, _quorumq_v1_PutResponse__Output>
  RemoveNode: MethodDefinition<_quorumq_v1_RemoveNodeRequest, _quorumq_v1_RemoveNodeResponse, _quorumq_v1_RemoveNodeRequest__Output, _quorumq_v1_RemoveNodeResponse__Output>
  TransferLeader: MethodDefinition<_quorumq_v1_TransferLeaderRequest, _quorumq_v1_TransferLeaderResponse, _quorumq_v1_TransferLeaderRequest__Output, _quorumq_v1_TransferLeaderResponse__Output>
}
