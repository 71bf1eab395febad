// Original file: proto/quorumq.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ConsumeResponse as _quorumq_v1_ConsumeResponse, ConsumeResponse__Output as _quorumq_v1_ConsumeResponse__Output } from '../../quorumq/v1/ConsumeResponse.js';
import type { ForwardRequest as _quorumq_v1_ForwardRequest, ForwardRequest__Output as _quorumq_v1_ForwardRequest__Output } from '../../quorumq/v1/ForwardRequest.js';
import type { ForwardResponse as _quorumq_v1_ForwardResponse, ForwardResponse__Output as _quorumq_v1_ForwardResponse__Output } from '../../quorumq/v1/ForwardResponse.js';
import type { MessageBatch as _quorumq_v1_MessageBatch, MessageBatch__Output as _quorumq_v1_MessageBatch__Output } from '../../quorumq/v1/MessageBatch.js';
import type { NodeStatusRequest as _quorumq_v1_NodeStatusRequest, NodeStatusRequest__Output as _quorumq_v1_NodeStatusRequest__Output } from '../../quorumq/v1/NodeStatusRequest.js';
import type { NodeStatusResponse as _quorumq_v1_NodeStatusResponse, NodeStatusResponse__Output as _quorumq_v1_NodeStatusResponse__Output } from '../../quorumq/v1/NodeStatusResponse.js';
import type { PartitionConsumeRequest as _quorumq_v1_PartitionConsumeRequest, PartitionConsumeRequest__Output as _quorumq_v1_PartitionConsumeRequest__Output } from '../../quorumq/v1/PartitionConsumeRequest.js';
import type { PartitionReadRequest as _quorumq_v1_PartitionReadRequest, PartitionReadRequest__Output as _quorumq_v1_PartitionReadRequest__Output } from '../../quorumq/v1/PartitionReadRequest.js';
import type { PartitionReadResponse as _quorumq_v1_PartitionReadResponse, PartitionReadResponse__Output as _quorumq_v1_PartitionReadResponse__Output } from '../../quorumq/v1/PartitionReadResponse.js';
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
   * One node's own view, for ClusterStatus fan-out; with a data group's id,
   * only that group's status in `groups` (a node that does not host a group
   * asks its members which of them leads it).
   */
  NodeStatus(argument: _quorumq_v1_NodeStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_NodeStatusResponse__Output>): grpc.ClientUnaryCall;
  NodeStatus(argument: _quorumq_v1_NodeStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_NodeStatusResponse__Output>): grpc.ClientUnaryCall;
  NodeStatus(argument: _quorumq_v1_NodeStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_NodeStatusResponse__Output>): grpc.ClientUnaryCall;
  NodeStatus(argument: _quorumq_v1_NodeStatusRequest, callback: grpc.requestCallback<_quorumq_v1_NodeStatusResponse__Output>): grpc.ClientUnaryCall;
  /**
   * One node's own view, for ClusterStatus fan-out; with a data group's id,
   * only that group's status in `groups` (a node that does not host a group
   * asks its members which of them leads it).
   */
  nodeStatus(argument: _quorumq_v1_NodeStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_NodeStatusResponse__Output>): grpc.ClientUnaryCall;
  nodeStatus(argument: _quorumq_v1_NodeStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_NodeStatusResponse__Output>): grpc.ClientUnaryCall;
  nodeStatus(argument: _quorumq_v1_NodeStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_NodeStatusResponse__Output>): grpc.ClientUnaryCall;
  nodeStatus(argument: _quorumq_v1_NodeStatusRequest, callback: grpc.requestCallback<_quorumq_v1_NodeStatusResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * One partition's share of a Consume call served by a node that does not
   * host that partition's group, relayed (as above) to a member. Requests and
   * responses are the client call's own for that partition (prefetch share,
   * settles by partition tag, deliveries): credit flow and per-key order are
   * the member's, unchanged. The member's consumer is cancelled when this
   * call ends, like a client's.
   */
  PartitionConsume(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_quorumq_v1_PartitionConsumeRequest, _quorumq_v1_ConsumeResponse__Output>;
  PartitionConsume(options?: grpc.CallOptions): grpc.ClientDuplexStream<_quorumq_v1_PartitionConsumeRequest, _quorumq_v1_ConsumeResponse__Output>;
  /**
   * One partition's share of a Consume call served by a node that does not
   * host that partition's group, relayed (as above) to a member. Requests and
   * responses are the client call's own for that partition (prefetch share,
   * settles by partition tag, deliveries): credit flow and per-key order are
   * the member's, unchanged. The member's consumer is cancelled when this
   * call ends, like a client's.
   */
  partitionConsume(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_quorumq_v1_PartitionConsumeRequest, _quorumq_v1_ConsumeResponse__Output>;
  partitionConsume(options?: grpc.CallOptions): grpc.ClientDuplexStream<_quorumq_v1_PartitionConsumeRequest, _quorumq_v1_ConsumeResponse__Output>;
  
  /**
   * A read of one partition of a partitioned queue, relayed by a node that
   * does not host the partition's group to a member that does (its leader
   * when known). The relaying node checked the client's call (credentials,
   * arguments); the member answers from its own replica, as for a client.
   */
  PartitionRead(argument: _quorumq_v1_PartitionReadRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_PartitionReadResponse__Output>): grpc.ClientUnaryCall;
  PartitionRead(argument: _quorumq_v1_PartitionReadRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_PartitionReadResponse__Output>): grpc.ClientUnaryCall;
  PartitionRead(argument: _quorumq_v1_PartitionReadRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_PartitionReadResponse__Output>): grpc.ClientUnaryCall;
  PartitionRead(argument: _quorumq_v1_PartitionReadRequest, callback: grpc.requestCallback<_quorumq_v1_PartitionReadResponse__Output>): grpc.ClientUnaryCall;
  /**
   * A read of one partition of a partitioned queue, relayed by a node that
   * does not host the partition's group to a member that does (its leader
   * when known). The relaying node checked the client's call (credentials,
   * arguments); the member answers from its own replica, as for a client.
   */
  partitionRead(argument: _quorumq_v1_PartitionReadRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_PartitionReadResponse__Output>): grpc.ClientUnaryCall;
  partitionRead(argument: _quorumq_v1_PartitionReadRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_PartitionReadResponse__Output>): grpc.ClientUnaryCall;
  partitionRead(argument: _quorumq_v1_PartitionReadRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_PartitionReadResponse__Output>): grpc.ClientUnaryCall;
  partitionRead(argument: _quorumq_v1_PartitionReadRequest, callback: grpc.requestCallback<_quorumq_v1_PartitionReadResponse__Output>): grpc.ClientUnaryCall;
  
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
   * One node's own view, for ClusterStatus fan-out; with a data group's id,
   * only that group's status in `groups` (a node that does not host a group
   * asks its members which of them leads it).
   */
  NodeStatus: grpc.handleUnaryCall<_quorumq_v1_NodeStatusRequest__Output, _quorumq_v1_NodeStatusResponse>;
  
  /**
   * One partition's share of a Consume call served by a node that does not
   * host that partition's group, relayed (as above) to a member. Requests and
   * responses are the client call's own for that partition (prefetch share,
   * settles by partition tag, deliveries): credit flow and per-key order are
   * the member's, unchanged. The member's consumer is cancelled when this
   * call ends, like a client's.
   */
  PartitionConsume: grpc.handleBidiStreamingCall<_quorumq_v1_PartitionConsumeRequest__Output, _quorumq_v1_ConsumeResponse>;
  
  /**
   * A read of one partition of a partitioned queue, relayed by a node that
   * does not host the partition's group to a member that does (its leader
   * when known). The relaying node checked the client's call (credentials,
   * arguments); the member answers from its own replica, as for a client.
   */
  PartitionRead: grpc.handleUnaryCall<_quorumq_v1_PartitionReadRequest__Output, _quorumq_v1_PartitionReadResponse>;
  
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
  PartitionConsume: MethodDefinition<_quorumq_v1_PartitionConsumeRequest, _quorumq_v1_ConsumeResponse, _quorumq_v1_PartitionConsumeRequest__Output, _quorumq_v1_ConsumeResponse__Output>
  PartitionRead: MethodDefinition<_quorumq_v1_PartitionReadRequest, _quorumq_v1_PartitionReadResponse, _quorumq_v1_PartitionReadRequest__Output, _quorumq_v1_PartitionReadResponse__Output>
  Send: MethodDefinition<_quorumq_v1_MessageBatch, _quorumq_v1_SendSummary, _quorumq_v1_MessageBatch__Output, _quorumq_v1_SendSummary__Output>
}
