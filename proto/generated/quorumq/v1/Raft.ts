// Original file: proto/quorumq.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ForwardRequest as _quorumq_v1_ForwardRequest, ForwardRequest__Output as _quorumq_v1_ForwardRequest__Output } from '../../quorumq/v1/ForwardRequest.js';
import type { ForwardResponse as _quorumq_v1_ForwardResponse, ForwardResponse__Output as _quorumq_v1_ForwardResponse__Output } from '../../quorumq/v1/ForwardResponse.js';
import type { MessageBatch as _quorumq_v1_MessageBatch, MessageBatch__Output as _quorumq_v1_MessageBatch__Output } from '../../quorumq/v1/MessageBatch.js';
import type { NodeStatusRequest as _quorumq_v1_NodeStatusRequest, NodeStatusRequest__Output as _quorumq_v1_NodeStatusRequest__Output } from '../../quorumq/v1/NodeStatusRequest.js';
import type { NodeStatusResponse as _quorumq_v1_NodeStatusResponse, NodeStatusResponse__Output as _quorumq_v1_NodeStatusResponse__Output } from '../../quorumq/v1/NodeStatusResponse.js';
import type { SendSummary as _quorumq_v1_SendSummary, SendSummary__Output as _quorumq_v1_SendSummary__Output } from '../../quorumq/v1/SendSummary.js';
import type { SnapshotAck as _quorumq_v1_SnapshotAck, SnapshotAck__Output as _quorumq_v1_SnapshotAck__Output } from '../../quorumq/v1/SnapshotAck.js';
import type { SnapshotChunk as _quorumq_v1_SnapshotChunk, SnapshotChunk__Output as _quorumq_v1_SnapshotChunk__Output } from '../../quorumq/v1/SnapshotChunk.js';

export interface RaftClient extends grpc.Client {
  /**
   * A client write (or membership call) that reached a follower, relayed to
   * the leader. The call's deadline is the client's remaining deadline. The
   * answer — or the gRPC status — is the leader's, passed back unchanged.
   */
  Forward(argument: _quorumq_v1_ForwardRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_ForwardResponse__Output>): grpc.ClientUnaryCall;
  Forward(argument: _quorumq_v1_ForwardRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_ForwardResponse__Output>): grpc.ClientUnaryCall;
  Forward(argument: _quorumq_v1_ForwardRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_ForwardResponse__Output>): grpc.ClientUnaryCall;
  Forward(argument: _quorumq_v1_ForwardRequest, callback: grpc.requestCallback<_quorumq_v1_ForwardResponse__Output>): grpc.ClientUnaryCall;
  /**
   * A client write (or membership call) that reached a follower, relayed to
   * the leader. The call's deadline is the client's remaining deadline. The
   * answer — or the gRPC status — is the leader's, passed back unchanged.
   */
  forward(argument: _quorumq_v1_ForwardRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_ForwardResponse__Output>): grpc.ClientUnaryCall;
  forward(argument: _quorumq_v1_ForwardRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_ForwardResponse__Output>): grpc.ClientUnaryCall;
  forward(argument: _quorumq_v1_ForwardRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_ForwardResponse__Output>): grpc.ClientUnaryCall;
  forward(argument: _quorumq_v1_ForwardRequest, callback: grpc.requestCallback<_quorumq_v1_ForwardResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * A snapshot, in chunks: the first carries the message header and the
   * snapshot's metadata, every chunk a piece of the data, the last has `last`
   * set. The receiver reassembles it, steps it into the group, and answers.
   */
  InstallSnapshot(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_SnapshotAck__Output>): grpc.ClientWritableStream<_quorumq_v1_SnapshotChunk>;
  InstallSnapshot(metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_SnapshotAck__Output>): grpc.ClientWritableStream<_quorumq_v1_SnapshotChunk>;
  InstallSnapshot(options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_SnapshotAck__Output>): grpc.ClientWritableStream<_quorumq_v1_SnapshotChunk>;
  InstallSnapshot(callback: grpc.requestCallback<_quorumq_v1_SnapshotAck__Output>): grpc.ClientWritableStream<_quorumq_v1_SnapshotChunk>;
  /**
   * A snapshot, in chunks: the first carries the message header and the
   * snapshot's metadata, every chunk a piece of the data, the last has `last`
   * set. The receiver reassembles it, steps it into the group, and answers.
   */
  installSnapshot(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_SnapshotAck__Output>): grpc.ClientWritableStream<_quorumq_v1_SnapshotChunk>;
  installSnapshot(metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_SnapshotAck__Output>): grpc.ClientWritableStream<_quorumq_v1_SnapshotChunk>;
  installSnapshot(options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_SnapshotAck__Output>): grpc.ClientWritableStream<_quorumq_v1_SnapshotChunk>;
  installSnapshot(callback: grpc.requestCallback<_quorumq_v1_SnapshotAck__Output>): grpc.ClientWritableStream<_quorumq_v1_SnapshotChunk>;
  
  /**
   * One node's own view, for ClusterStatus fan-out.
   */
  NodeStatus(argument: _quorumq_v1_NodeStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_NodeStatusResponse__Output>): grpc.ClientUnaryCall;
  NodeStatus(argument: _quorumq_v1_NodeStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_NodeStatusResponse__Output>): grpc.ClientUnaryCall;
  NodeStatus(argument: _quorumq_v1_NodeStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_NodeStatusResponse__Output>): grpc.ClientUnaryCall;
  NodeStatus(argument: _quorumq_v1_NodeStatusRequest, callback: grpc.requestCallback<_quorumq_v1_NodeStatusResponse__Output>): grpc.ClientUnaryCall;
  /**
   * One node's own view, for ClusterStatus fan-out.
   */
  nodeStatus(argument: _quorumq_v1_NodeStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_NodeStatusResponse__Output>): grpc.ClientUnaryCall;
  nodeStatus(argument: _quorumq_v1_NodeStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_NodeStatusResponse__Output>): grpc.ClientUnaryCall;
  nodeStatus(argument: _quorumq_v1_NodeStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_NodeStatusResponse__Output>): grpc.ClientUnaryCall;
  nodeStatus(argument: _quorumq_v1_NodeStatusRequest, callback: grpc.requestCallback<_quorumq_v1_NodeStatusResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * One long-lived stream per sender, receiver and lane. A sender opens two:
   * a control lane (votes, heartbeats and their answers, small messages) and a
   * data lane (appends), so heartbeats never wait behind a large append. Each
   * write carries every message queued in one event-loop turn. The receiver
   * answers on its own streams, never on this one; the response is sent when
   * the stream ends.
   */
  Send(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_SendSummary__Output>): grpc.ClientWritableStream<_quorumq_v1_MessageBatch>;
  Send(metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_SendSummary__Output>): grpc.ClientWritableStream<_quorumq_v1_MessageBatch>;
  Send(options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_SendSummary__Output>): grpc.ClientWritableStream<_quorumq_v1_MessageBatch>;
  Send(callback: grpc.requestCallback<_quorumq_v1_SendSummary__Output>): grpc.ClientWritableStream<_quorumq_v1_MessageBatch>;
  /**
   * One long-lived stream per sender, receiver and lane. A sender opens two:
   * a control lane (votes, heartbeats and their answers, small messages) and a
   * data lane (appends), so heartbeats never wait behind a large append. Each
   * write carries every message queued in one event-loop turn. The receiver
   * answers on its own streams, never on this one; the response is sent when
   * the stream ends.
   */
  send(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_SendSummary__Output>): grpc.ClientWritableStream<_quorumq_v1_MessageBatch>;
  send(metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_SendSummary__Output>): grpc.ClientWritableStream<_quorumq_v1_MessageBatch>;
  send(options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_SendSummary__Output>): grpc.ClientWritableStream<_quorumq_v1_MessageBatch>;
  send(callback: grpc.requestCallback<_quorumq_v1_SendSummary__Output>): grpc.ClientWritableStream<_quorumq_v1_MessageBatch>;
  
}

export interface RaftHandlers extends grpc.UntypedServiceImplementation {
  /**
   * A client write (or membership call) that reached a follower, relayed to
   * the leader. The call's deadline is the client's remaining deadline. The
   * answer — or the gRPC status — is the leader's, passed back unchanged.
   */
  Forward: grpc.handleUnaryCall<_quorumq_v1_ForwardRequest__Output, _quorumq_v1_ForwardResponse>;
  
  /**
   * A snapshot, in chunks: the first carries the message header and the
   * snapshot's metadata, every chunk a piece of the data, the last has `last`
   * set. The receiver reassembles it, steps it into the group, and answers.
   */
  InstallSnapshot: grpc.handleClientStreamingCall<_quorumq_v1_SnapshotChunk__Output, _quorumq_v1_SnapshotAck>;
  
  /**
   * One node's own view, for ClusterStatus fan-out.
   */
  NodeStatus: grpc.handleUnaryCall<_quorumq_v1_NodeStatusRequest__Output, _quorumq_v1_NodeStatusResponse>;
  
  /**
   * One long-lived stream per sender, receiver and lane. A sender opens two:
   * a control lane (votes, heartbeats and their answers, small messages) and a
   * data lane (appends), so heartbeats never wait behind a large append. Each
   * write carries every message queued in one event-loop turn. The receiver
   * answers on its own streams, never on this one; the response is sent when
   * the stream ends.
   */
  Send: grpc.handleClientStreamingCall<_quorumq_v1_MessageBatch__Output, _quorumq_v1_SendSummary>;
  
}

export interface RaftDefinition extends grpc.ServiceDefinition {
  Forward: MethodDefinition<_quorumq_v1_ForwardRequest, _quorumq_v1_ForwardResponse, _quorumq_v1_ForwardRequest__Output, _quorumq_v1_ForwardResponse__Output>
  InstallSnapshot: MethodDefinition<_quorumq_v1_SnapshotChunk, _quorumq_v1_SnapshotAck, _quorumq_v1_SnapshotChunk__Output, _quorumq_v1_SnapshotAck__Output>
  NodeStatus: MethodDefinition<_quorumq_v1_NodeStatusRequest, _quorumq_v1_NodeStatusResponse, _quorumq_v1_NodeStatusRequest__Output, _quorumq_v1_NodeStatusResponse__Output>
  Send: MethodDefinition<_quorumq_v1_MessageBatch, _quorumq_v1_SendSummary, _quorumq_v1_MessageBatch__Output, _quorumq_v1_SendSummary__Output>
}
