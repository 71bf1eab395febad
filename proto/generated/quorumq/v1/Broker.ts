// Original file: proto/quorumq.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AddNodeRequest as _quorumq_v1_AddNodeRequest, AddNodeRequest__Output as _quorumq_v1_AddNodeRequest__Output } from '../../quorumq/v1/AddNodeRequest.js';
import type { AddNodeResponse as _quorumq_v1_AddNodeResponse, AddNodeResponse__Output as _quorumq_v1_AddNodeResponse__Output } from '../../quorumq/v1/AddNodeResponse.js';
import type { AddScheduleRequest as _quorumq_v1_AddScheduleRequest, AddScheduleRequest__Output as _quorumq_v1_AddScheduleRequest__Output } from '../../quorumq/v1/AddScheduleRequest.js';
import type { AddScheduleResponse as _quorumq_v1_AddScheduleResponse, AddScheduleResponse__Output as _quorumq_v1_AddScheduleResponse__Output } from '../../quorumq/v1/AddScheduleResponse.js';
import type { AddUserRequest as _quorumq_v1_AddUserRequest, AddUserRequest__Output as _quorumq_v1_AddUserRequest__Output } from '../../quorumq/v1/AddUserRequest.js';
import type { AddUserResponse as _quorumq_v1_AddUserResponse, AddUserResponse__Output as _quorumq_v1_AddUserResponse__Output } from '../../quorumq/v1/AddUserResponse.js';
import type { AppendRequest as _quorumq_v1_AppendRequest, AppendRequest__Output as _quorumq_v1_AppendRequest__Output } from '../../quorumq/v1/AppendRequest.js';
import type { AppendResponse as _quorumq_v1_AppendResponse, AppendResponse__Output as _quorumq_v1_AppendResponse__Output } from '../../quorumq/v1/AppendResponse.js';
import type { BindRequest as _quorumq_v1_BindRequest, BindRequest__Output as _quorumq_v1_BindRequest__Output } from '../../quorumq/v1/BindRequest.js';
import type { BindResponse as _quorumq_v1_BindResponse, BindResponse__Output as _quorumq_v1_BindResponse__Output } from '../../quorumq/v1/BindResponse.js';
import type { ClusterStatusRequest as _quorumq_v1_ClusterStatusRequest, ClusterStatusRequest__Output as _quorumq_v1_ClusterStatusRequest__Output } from '../../quorumq/v1/ClusterStatusRequest.js';
import type { ClusterStatusResponse as _quorumq_v1_ClusterStatusResponse, ClusterStatusResponse__Output as _quorumq_v1_ClusterStatusResponse__Output } from '../../quorumq/v1/ClusterStatusResponse.js';
import type { CommitOffsetRequest as _quorumq_v1_CommitOffsetRequest, CommitOffsetRequest__Output as _quorumq_v1_CommitOffsetRequest__Output } from '../../quorumq/v1/CommitOffsetRequest.js';
import type { CommitOffsetResponse as _quorumq_v1_CommitOffsetResponse, CommitOffsetResponse__Output as _quorumq_v1_CommitOffsetResponse__Output } from '../../quorumq/v1/CommitOffsetResponse.js';
import type { ConsumeRequest as _quorumq_v1_ConsumeRequest, ConsumeRequest__Output as _quorumq_v1_ConsumeRequest__Output } from '../../quorumq/v1/ConsumeRequest.js';
import type { ConsumeResponse as _quorumq_v1_ConsumeResponse, ConsumeResponse__Output as _quorumq_v1_ConsumeResponse__Output } from '../../quorumq/v1/ConsumeResponse.js';
import type { DeclareExchangeRequest as _quorumq_v1_DeclareExchangeRequest, DeclareExchangeRequest__Output as _quorumq_v1_DeclareExchangeRequest__Output } from '../../quorumq/v1/DeclareExchangeRequest.js';
import type { DeclareExchangeResponse as _quorumq_v1_DeclareExchangeResponse, DeclareExchangeResponse__Output as _quorumq_v1_DeclareExchangeResponse__Output } from '../../quorumq/v1/DeclareExchangeResponse.js';
import type { DeclareQueueRequest as _quorumq_v1_DeclareQueueRequest, DeclareQueueRequest__Output as _quorumq_v1_DeclareQueueRequest__Output } from '../../quorumq/v1/DeclareQueueRequest.js';
import type { DeclareQueueResponse as _quorumq_v1_DeclareQueueResponse, DeclareQueueResponse__Output as _quorumq_v1_DeclareQueueResponse__Output } from '../../quorumq/v1/DeclareQueueResponse.js';
import type { DeclareStreamRequest as _quorumq_v1_DeclareStreamRequest, DeclareStreamRequest__Output as _quorumq_v1_DeclareStreamRequest__Output } from '../../quorumq/v1/DeclareStreamRequest.js';
import type { DeclareStreamResponse as _quorumq_v1_DeclareStreamResponse, DeclareStreamResponse__Output as _quorumq_v1_DeclareStreamResponse__Output } from '../../quorumq/v1/DeclareStreamResponse.js';
import type { DeleteExchangeRequest as _quorumq_v1_DeleteExchangeRequest, DeleteExchangeRequest__Output as _quorumq_v1_DeleteExchangeRequest__Output } from '../../quorumq/v1/DeleteExchangeRequest.js';
import type { DeleteExchangeResponse as _quorumq_v1_DeleteExchangeResponse, DeleteExchangeResponse__Output as _quorumq_v1_DeleteExchangeResponse__Output } from '../../quorumq/v1/DeleteExchangeResponse.js';
import type { DeleteQueueRequest as _quorumq_v1_DeleteQueueRequest, DeleteQueueRequest__Output as _quorumq_v1_DeleteQueueRequest__Output } from '../../quorumq/v1/DeleteQueueRequest.js';
import type { DeleteQueueResponse as _quorumq_v1_DeleteQueueResponse, DeleteQueueResponse__Output as _quorumq_v1_DeleteQueueResponse__Output } from '../../quorumq/v1/DeleteQueueResponse.js';
import type { DeleteStreamRequest as _quorumq_v1_DeleteStreamRequest, DeleteStreamRequest__Output as _quorumq_v1_DeleteStreamRequest__Output } from '../../quorumq/v1/DeleteStreamRequest.js';
import type { DeleteStreamResponse as _quorumq_v1_DeleteStreamResponse, DeleteStreamResponse__Output as _quorumq_v1_DeleteStreamResponse__Output } from '../../quorumq/v1/DeleteStreamResponse.js';
import type { ExchangeInfoRequest as _quorumq_v1_ExchangeInfoRequest, ExchangeInfoRequest__Output as _quorumq_v1_ExchangeInfoRequest__Output } from '../../quorumq/v1/ExchangeInfoRequest.js';
import type { ExchangeInfoResponse as _quorumq_v1_ExchangeInfoResponse, ExchangeInfoResponse__Output as _quorumq_v1_ExchangeInfoResponse__Output } from '../../quorumq/v1/ExchangeInfoResponse.js';
import type { ExchangePublishRequest as _quorumq_v1_ExchangePublishRequest, ExchangePublishRequest__Output as _quorumq_v1_ExchangePublishRequest__Output } from '../../quorumq/v1/ExchangePublishRequest.js';
import type { ExchangePublishResponse as _quorumq_v1_ExchangePublishResponse, ExchangePublishResponse__Output as _quorumq_v1_ExchangePublishResponse__Output } from '../../quorumq/v1/ExchangePublishResponse.js';
import type { GetMessagesRequest as _quorumq_v1_GetMessagesRequest, GetMessagesRequest__Output as _quorumq_v1_GetMessagesRequest__Output } from '../../quorumq/v1/GetMessagesRequest.js';
import type { GetMessagesResponse as _quorumq_v1_GetMessagesResponse, GetMessagesResponse__Output as _quorumq_v1_GetMessagesResponse__Output } from '../../quorumq/v1/GetMessagesResponse.js';
import type { GetOffsetRequest as _quorumq_v1_GetOffsetRequest, GetOffsetRequest__Output as _quorumq_v1_GetOffsetRequest__Output } from '../../quorumq/v1/GetOffsetRequest.js';
import type { GetOffsetResponse as _quorumq_v1_GetOffsetResponse, GetOffsetResponse__Output as _quorumq_v1_GetOffsetResponse__Output } from '../../quorumq/v1/GetOffsetResponse.js';
import type { GetRequest as _quorumq_v1_GetRequest, GetRequest__Output as _quorumq_v1_GetRequest__Output } from '../../quorumq/v1/GetRequest.js';
import type { GetResponse as _quorumq_v1_GetResponse, GetResponse__Output as _quorumq_v1_GetResponse__Output } from '../../quorumq/v1/GetResponse.js';
import type { ListDeadLettersRequest as _quorumq_v1_ListDeadLettersRequest, ListDeadLettersRequest__Output as _quorumq_v1_ListDeadLettersRequest__Output } from '../../quorumq/v1/ListDeadLettersRequest.js';
import type { ListDeadLettersResponse as _quorumq_v1_ListDeadLettersResponse, ListDeadLettersResponse__Output as _quorumq_v1_ListDeadLettersResponse__Output } from '../../quorumq/v1/ListDeadLettersResponse.js';
import type { ListExchangesRequest as _quorumq_v1_ListExchangesRequest, ListExchangesRequest__Output as _quorumq_v1_ListExchangesRequest__Output } from '../../quorumq/v1/ListExchangesRequest.js';
import type { ListExchangesResponse as _quorumq_v1_ListExchangesResponse, ListExchangesResponse__Output as _quorumq_v1_ListExchangesResponse__Output } from '../../quorumq/v1/ListExchangesResponse.js';
import type { ListQueuesRequest as _quorumq_v1_ListQueuesRequest, ListQueuesRequest__Output as _quorumq_v1_ListQueuesRequest__Output } from '../../quorumq/v1/ListQueuesRequest.js';
import type { ListQueuesResponse as _quorumq_v1_ListQueuesResponse, ListQueuesResponse__Output as _quorumq_v1_ListQueuesResponse__Output } from '../../quorumq/v1/ListQueuesResponse.js';
import type { ListSchedulesRequest as _quorumq_v1_ListSchedulesRequest, ListSchedulesRequest__Output as _quorumq_v1_ListSchedulesRequest__Output } from '../../quorumq/v1/ListSchedulesRequest.js';
import type { ListSchedulesResponse as _quorumq_v1_ListSchedulesResponse, ListSchedulesResponse__Output as _quorumq_v1_ListSchedulesResponse__Output } from '../../quorumq/v1/ListSchedulesResponse.js';
import type { ListStreamsRequest as _quorumq_v1_ListStreamsRequest, ListStreamsRequest__Output as _quorumq_v1_ListStreamsRequest__Output } from '../../quorumq/v1/ListStreamsRequest.js';
import type { ListStreamsResponse as _quorumq_v1_ListStreamsResponse, ListStreamsResponse__Output as _quorumq_v1_ListStreamsResponse__Output } from '../../quorumq/v1/ListStreamsResponse.js';
import type { ListUsersRequest as _quorumq_v1_ListUsersRequest, ListUsersRequest__Output as _quorumq_v1_ListUsersRequest__Output } from '../../quorumq/v1/ListUsersRequest.js';
import type { ListUsersResponse as _quorumq_v1_ListUsersResponse, ListUsersResponse__Output as _quorumq_v1_ListUsersResponse__Output } from '../../quorumq/v1/ListUsersResponse.js';
import type { PlacementRequest as _quorumq_v1_PlacementRequest, PlacementRequest__Output as _quorumq_v1_PlacementRequest__Output } from '../../quorumq/v1/PlacementRequest.js';
import type { PlacementResponse as _quorumq_v1_PlacementResponse, PlacementResponse__Output as _quorumq_v1_PlacementResponse__Output } from '../../quorumq/v1/PlacementResponse.js';
import type { PublishRequest as _quorumq_v1_PublishRequest, PublishRequest__Output as _quorumq_v1_PublishRequest__Output } from '../../quorumq/v1/PublishRequest.js';
import type { PublishResponse as _quorumq_v1_PublishResponse, PublishResponse__Output as _quorumq_v1_PublishResponse__Output } from '../../quorumq/v1/PublishResponse.js';
import type { PurgeDeadLettersRequest as _quorumq_v1_PurgeDeadLettersRequest, PurgeDeadLettersRequest__Output as _quorumq_v1_PurgeDeadLettersRequest__Output } from '../../quorumq/v1/PurgeDeadLettersRequest.js';
import type { PurgeDeadLettersResponse as _quorumq_v1_PurgeDeadLettersResponse, PurgeDeadLettersResponse__Output as _quorumq_v1_PurgeDeadLettersResponse__Output } from '../../quorumq/v1/PurgeDeadLettersResponse.js';
import type { PurgeQueueRequest as _quorumq_v1_PurgeQueueRequest, PurgeQueueRequest__Output as _quorumq_v1_PurgeQueueRequest__Output } from '../../quorumq/v1/PurgeQueueRequest.js';
import type { PurgeQueueResponse as _quorumq_v1_PurgeQueueResponse, PurgeQueueResponse__Output as _quorumq_v1_PurgeQueueResponse__Output } from '../../quorumq/v1/PurgeQueueResponse.js';
import type { PutRequest as _quorumq_v1_PutRequest, PutRequest__Output as _quorumq_v1_PutRequest__Output } from '../../quorumq/v1/PutRequest.js';
import type { PutResponse as _quorumq_v1_PutResponse, PutResponse__Output as _quorumq_v1_PutResponse__Output } from '../../quorumq/v1/PutResponse.js';
import type { QueueInfoRequest as _quorumq_v1_QueueInfoRequest, QueueInfoRequest__Output as _quorumq_v1_QueueInfoRequest__Output } from '../../quorumq/v1/QueueInfoRequest.js';
import type { QueueInfoResponse as _quorumq_v1_QueueInfoResponse, QueueInfoResponse__Output as _quorumq_v1_QueueInfoResponse__Output } from '../../quorumq/v1/QueueInfoResponse.js';
import type { ReadRequest as _quorumq_v1_ReadRequest, ReadRequest__Output as _quorumq_v1_ReadRequest__Output } from '../../quorumq/v1/ReadRequest.js';
import type { ReadResponse as _quorumq_v1_ReadResponse, ReadResponse__Output as _quorumq_v1_ReadResponse__Output } from '../../quorumq/v1/ReadResponse.js';
import type { RebalanceRequest as _quorumq_v1_RebalanceRequest, RebalanceRequest__Output as _quorumq_v1_RebalanceRequest__Output } from '../../quorumq/v1/RebalanceRequest.js';
import type { RebalanceResponse as _quorumq_v1_RebalanceResponse, RebalanceResponse__Output as _quorumq_v1_RebalanceResponse__Output } from '../../quorumq/v1/RebalanceResponse.js';
import type { RemoveNodeRequest as _quorumq_v1_RemoveNodeRequest, RemoveNodeRequest__Output as _quorumq_v1_RemoveNodeRequest__Output } from '../../quorumq/v1/RemoveNodeRequest.js';
import type { RemoveNodeResponse as _quorumq_v1_RemoveNodeResponse, RemoveNodeResponse__Output as _quorumq_v1_RemoveNodeResponse__Output } from '../../quorumq/v1/RemoveNodeResponse.js';
import type { RemoveScheduleRequest as _quorumq_v1_RemoveScheduleRequest, RemoveScheduleRequest__Output as _quorumq_v1_RemoveScheduleRequest__Output } from '../../quorumq/v1/RemoveScheduleRequest.js';
import type { RemoveScheduleResponse as _quorumq_v1_RemoveScheduleResponse, RemoveScheduleResponse__Output as _quorumq_v1_RemoveScheduleResponse__Output } from '../../quorumq/v1/RemoveScheduleResponse.js';
import type { RemoveUserRequest as _quorumq_v1_RemoveUserRequest, RemoveUserRequest__Output as _quorumq_v1_RemoveUserRequest__Output } from '../../quorumq/v1/RemoveUserRequest.js';
import type { RemoveUserResponse as _quorumq_v1_RemoveUserResponse, RemoveUserResponse__Output as _quorumq_v1_RemoveUserResponse__Output } from '../../quorumq/v1/RemoveUserResponse.js';
import type { ReplayDeadLettersRequest as _quorumq_v1_ReplayDeadLettersRequest, ReplayDeadLettersRequest__Output as _quorumq_v1_ReplayDeadLettersRequest__Output } from '../../quorumq/v1/ReplayDeadLettersRequest.js';
import type { ReplayDeadLettersResponse as _quorumq_v1_ReplayDeadLettersResponse, ReplayDeadLettersResponse__Output as _quorumq_v1_ReplayDeadLettersResponse__Output } from '../../quorumq/v1/ReplayDeadLettersResponse.js';
import type { RotateTokenRequest as _quorumq_v1_RotateTokenRequest, RotateTokenRequest__Output as _quorumq_v1_RotateTokenRequest__Output } from '../../quorumq/v1/RotateTokenRequest.js';
import type { RotateTokenResponse as _quorumq_v1_RotateTokenResponse, RotateTokenResponse__Output as _quorumq_v1_RotateTokenResponse__Output } from '../../quorumq/v1/RotateTokenResponse.js';
import type { SetPermissionsRequest as _quorumq_v1_SetPermissionsRequest, SetPermissionsRequest__Output as _quorumq_v1_SetPermissionsRequest__Output } from '../../quorumq/v1/SetPermissionsRequest.js';
import type { SetPermissionsResponse as _quorumq_v1_SetPermissionsResponse, SetPermissionsResponse__Output as _quorumq_v1_SetPermissionsResponse__Output } from '../../quorumq/v1/SetPermissionsResponse.js';
import type { SettleRequest as _quorumq_v1_SettleRequest, SettleRequest__Output as _quorumq_v1_SettleRequest__Output } from '../../quorumq/v1/SettleRequest.js';
import type { SettleResponse as _quorumq_v1_SettleResponse, SettleResponse__Output as _quorumq_v1_SettleResponse__Output } from '../../quorumq/v1/SettleResponse.js';
import type { StreamInfoRequest as _quorumq_v1_StreamInfoRequest, StreamInfoRequest__Output as _quorumq_v1_StreamInfoRequest__Output } from '../../quorumq/v1/StreamInfoRequest.js';
import type { StreamInfoResponse as _quorumq_v1_StreamInfoResponse, StreamInfoResponse__Output as _quorumq_v1_StreamInfoResponse__Output } from '../../quorumq/v1/StreamInfoResponse.js';
import type { SubscribeRequest as _quorumq_v1_SubscribeRequest, SubscribeRequest__Output as _quorumq_v1_SubscribeRequest__Output } from '../../quorumq/v1/SubscribeRequest.js';
import type { SubscribeResponse as _quorumq_v1_SubscribeResponse, SubscribeResponse__Output as _quorumq_v1_SubscribeResponse__Output } from '../../quorumq/v1/SubscribeResponse.js';
import type { TransactRequest as _quorumq_v1_TransactRequest, TransactRequest__Output as _quorumq_v1_TransactRequest__Output } from '../../quorumq/v1/TransactRequest.js';
import type { TransactResponse as _quorumq_v1_TransactResponse, TransactResponse__Output as _quorumq_v1_TransactResponse__Output } from '../../quorumq/v1/TransactResponse.js';
import type { TransferLeaderRequest as _quorumq_v1_TransferLeaderRequest, TransferLeaderRequest__Output as _quorumq_v1_TransferLeaderRequest__Output } from '../../quorumq/v1/TransferLeaderRequest.js';
import type { TransferLeaderResponse as _quorumq_v1_TransferLeaderResponse, TransferLeaderResponse__Output as _quorumq_v1_TransferLeaderResponse__Output } from '../../quorumq/v1/TransferLeaderResponse.js';
import type { UnbindResponse as _quorumq_v1_UnbindResponse, UnbindResponse__Output as _quorumq_v1_UnbindResponse__Output } from '../../quorumq/v1/UnbindResponse.js';
import type { WhoAmIRequest as _quorumq_v1_WhoAmIRequest, WhoAmIRequest__Output as _quorumq_v1_WhoAmIRequest__Output } from '../../quorumq/v1/WhoAmIRequest.js';
import type { WhoAmIResponse as _quorumq_v1_WhoAmIResponse, WhoAmIResponse__Output as _quorumq_v1_WhoAmIResponse__Output } from '../../quorumq/v1/WhoAmIResponse.js';

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
   * Schedules: a template message published to the queue at first_at_ms
   * (leader time; 0: one interval from now) and every every_ms after, once
   * per due time, whatever the leader changes. The same name and settings
   * again: nothing happens (created = false); other settings: ALREADY_EXISTS.
   */
  AddSchedule(argument: _quorumq_v1_AddScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_AddScheduleResponse__Output>): grpc.ClientUnaryCall;
  AddSchedule(argument: _quorumq_v1_AddScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_AddScheduleResponse__Output>): grpc.ClientUnaryCall;
  AddSchedule(argument: _quorumq_v1_AddScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_AddScheduleResponse__Output>): grpc.ClientUnaryCall;
  AddSchedule(argument: _quorumq_v1_AddScheduleRequest, callback: grpc.requestCallback<_quorumq_v1_AddScheduleResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Schedules: a template message published to the queue at first_at_ms
   * (leader time; 0: one interval from now) and every every_ms after, once
   * per due time, whatever the leader changes. The same name and settings
   * again: nothing happens (created = false); other settings: ALREADY_EXISTS.
   */
  addSchedule(argument: _quorumq_v1_AddScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_AddScheduleResponse__Output>): grpc.ClientUnaryCall;
  addSchedule(argument: _quorumq_v1_AddScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_AddScheduleResponse__Output>): grpc.ClientUnaryCall;
  addSchedule(argument: _quorumq_v1_AddScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_AddScheduleResponse__Output>): grpc.ClientUnaryCall;
  addSchedule(argument: _quorumq_v1_AddScheduleRequest, callback: grpc.requestCallback<_quorumq_v1_AddScheduleResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Users and permissions (admin permission needed, except WhoAmI). Held in
   * the replicated state: every node enforces the same rules. A token is
   * returned once, by AddUser and RotateToken; nodes keep only its hash.
   */
  AddUser(argument: _quorumq_v1_AddUserRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_AddUserResponse__Output>): grpc.ClientUnaryCall;
  AddUser(argument: _quorumq_v1_AddUserRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_AddUserResponse__Output>): grpc.ClientUnaryCall;
  AddUser(argument: _quorumq_v1_AddUserRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_AddUserResponse__Output>): grpc.ClientUnaryCall;
  AddUser(argument: _quorumq_v1_AddUserRequest, callback: grpc.requestCallback<_quorumq_v1_AddUserResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Users and permissions (admin permission needed, except WhoAmI). Held in
   * the replicated state: every node enforces the same rules. A token is
   * returned once, by AddUser and RotateToken; nodes keep only its hash.
   */
  addUser(argument: _quorumq_v1_AddUserRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_AddUserResponse__Output>): grpc.ClientUnaryCall;
  addUser(argument: _quorumq_v1_AddUserRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_AddUserResponse__Output>): grpc.ClientUnaryCall;
  addUser(argument: _quorumq_v1_AddUserRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_AddUserResponse__Output>): grpc.ClientUnaryCall;
  addUser(argument: _quorumq_v1_AddUserRequest, callback: grpc.requestCallback<_quorumq_v1_AddUserResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Append one message or an atomic batch (all or none, contiguous offsets).
   * Answers once the entry is committed on a majority (fsynced) and applied.
   * With a producer id and sequence the append is idempotent: a retry of the
   * same (producer, sequence) with the same messages within the stream's
   * dedup window returns the original offsets with `duplicate` set and stores
   * nothing again, also after a leader change. Safe to retry on UNAVAILABLE
   * and DEADLINE_EXCEEDED when a producer id is set.
   * 
   * A producer after an unknown outcome (UNAVAILABLE or DEADLINE_EXCEEDED
   * with x-quorumq-outcome: unknown, or no trailer): retry the SAME sequence
   * with the SAME messages, on any node, until a definite answer — OK (with
   * `duplicate` set if the first try had been stored: the original offsets),
   * or a refusal. Only then move on to sequence + 1. Sending the next
   * sequence instead is refused while the unknown one is not stored (the
   * sequence would skip), and would lose it if the producer gave up on it.
   * After x-quorumq-outcome: not-applied the same sequence may be reused for
   * any messages. A producer that stays idle longer than the dedup window is
   * forgotten and may start again at any sequence; so may a new producer id.
   * 
   * The same (producer, sequence) with DIFFERENT messages is refused with
   * FAILED_PRECONDITION (a checksum of each remembered batch is kept beside
   * its sequence); Kafka instead answers such a request as a duplicate and
   * drops the new messages. A sequence older than the last 1024 remembered
   * ones of its producer is FAILED_PRECONDITION too (it cannot be checked).
   */
  Append(argument: _quorumq_v1_AppendRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_AppendResponse__Output>): grpc.ClientUnaryCall;
  Append(argument: _quorumq_v1_AppendRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_AppendResponse__Output>): grpc.ClientUnaryCall;
  Append(argument: _quorumq_v1_AppendRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_AppendResponse__Output>): grpc.ClientUnaryCall;
  Append(argument: _quorumq_v1_AppendRequest, callback: grpc.requestCallback<_quorumq_v1_AppendResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Append one message or an atomic batch (all or none, contiguous offsets).
   * Answers once the entry is committed on a majority (fsynced) and applied.
   * With a producer id and sequence the append is idempotent: a retry of the
   * same (producer, sequence) with the same messages within the stream's
   * dedup window returns the original offsets with `duplicate` set and stores
   * nothing again, also after a leader change. Safe to retry on UNAVAILABLE
   * and DEADLINE_EXCEEDED when a producer id is set.
   * 
   * A producer after an unknown outcome (UNAVAILABLE or DEADLINE_EXCEEDED
   * with x-quorumq-outcome: unknown, or no trailer): retry the SAME sequence
   * with the SAME messages, on any node, until a definite answer — OK (with
   * `duplicate` set if the first try had been stored: the original offsets),
   * or a refusal. Only then move on to sequence + 1. Sending the next
   * sequence instead is refused while the unknown one is not stored (the
   * sequence would skip), and would lose it if the producer gave up on it.
   * After x-quorumq-outcome: not-applied the same sequence may be reused for
   * any messages. A producer that stays idle longer than the dedup window is
   * forgotten and may start again at any sequence; so may a new producer id.
   * 
   * The same (producer, sequence) with DIFFERENT messages is refused with
   * FAILED_PRECONDITION (a checksum of each remembered batch is kept beside
   * its sequence); Kafka instead answers such a request as a duplicate and
   * drops the new messages. A sequence older than the last 1024 remembered
   * ones of its producer is FAILED_PRECONDITION too (it cannot be checked).
   */
  append(argument: _quorumq_v1_AppendRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_AppendResponse__Output>): grpc.ClientUnaryCall;
  append(argument: _quorumq_v1_AppendRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_AppendResponse__Output>): grpc.ClientUnaryCall;
  append(argument: _quorumq_v1_AppendRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_AppendResponse__Output>): grpc.ClientUnaryCall;
  append(argument: _quorumq_v1_AppendRequest, callback: grpc.requestCallback<_quorumq_v1_AppendResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Many appends in flight on one call: one AppendResponse per request, in
   * request order, each carrying its own status (the call itself stays open
   * when one request fails). The server stops reading while too many
   * requests are unconfirmed (flow control), so a fast producer cannot
   * exhaust its memory.
   */
  AppendStream(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_quorumq_v1_AppendRequest, _quorumq_v1_AppendResponse__Output>;
  AppendStream(options?: grpc.CallOptions): grpc.ClientDuplexStream<_quorumq_v1_AppendRequest, _quorumq_v1_AppendResponse__Output>;
  /**
   * Many appends in flight on one call: one AppendResponse per request, in
   * request order, each carrying its own status (the call itself stays open
   * when one request fails). The server stops reading while too many
   * requests are unconfirmed (flow control), so a fast producer cannot
   * exhaust its memory.
   */
  appendStream(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_quorumq_v1_AppendRequest, _quorumq_v1_AppendResponse__Output>;
  appendStream(options?: grpc.CallOptions): grpc.ClientDuplexStream<_quorumq_v1_AppendRequest, _quorumq_v1_AppendResponse__Output>;
  
  /**
   * Bind a queue, stream or exchange to an exchange. The same binding again:
   * created = false. NOT_FOUND when the exchange or the target does not exist.
   */
  Bind(argument: _quorumq_v1_BindRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_BindResponse__Output>): grpc.ClientUnaryCall;
  Bind(argument: _quorumq_v1_BindRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_BindResponse__Output>): grpc.ClientUnaryCall;
  Bind(argument: _quorumq_v1_BindRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_BindResponse__Output>): grpc.ClientUnaryCall;
  Bind(argument: _quorumq_v1_BindRequest, callback: grpc.requestCallback<_quorumq_v1_BindResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Bind a queue, stream or exchange to an exchange. The same binding again:
   * created = false. NOT_FOUND when the exchange or the target does not exist.
   */
  bind(argument: _quorumq_v1_BindRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_BindResponse__Output>): grpc.ClientUnaryCall;
  bind(argument: _quorumq_v1_BindRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_BindResponse__Output>): grpc.ClientUnaryCall;
  bind(argument: _quorumq_v1_BindRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_BindResponse__Output>): grpc.ClientUnaryCall;
  bind(argument: _quorumq_v1_BindRequest, callback: grpc.requestCallback<_quorumq_v1_BindResponse__Output>): grpc.ClientUnaryCall;
  
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
   * Store a named consumer's offset (the next offset it wants) in the
   * replicated state, so it can resume on any node.
   */
  CommitOffset(argument: _quorumq_v1_CommitOffsetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_CommitOffsetResponse__Output>): grpc.ClientUnaryCall;
  CommitOffset(argument: _quorumq_v1_CommitOffsetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_CommitOffsetResponse__Output>): grpc.ClientUnaryCall;
  CommitOffset(argument: _quorumq_v1_CommitOffsetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_CommitOffsetResponse__Output>): grpc.ClientUnaryCall;
  CommitOffset(argument: _quorumq_v1_CommitOffsetRequest, callback: grpc.requestCallback<_quorumq_v1_CommitOffsetResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Store a named consumer's offset (the next offset it wants) in the
   * replicated state, so it can resume on any node.
   */
  commitOffset(argument: _quorumq_v1_CommitOffsetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_CommitOffsetResponse__Output>): grpc.ClientUnaryCall;
  commitOffset(argument: _quorumq_v1_CommitOffsetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_CommitOffsetResponse__Output>): grpc.ClientUnaryCall;
  commitOffset(argument: _quorumq_v1_CommitOffsetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_CommitOffsetResponse__Output>): grpc.ClientUnaryCall;
  commitOffset(argument: _quorumq_v1_CommitOffsetRequest, callback: grpc.requestCallback<_quorumq_v1_CommitOffsetResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Consume. The first request names the queue and the prefetch: the server
   * keeps at most `prefetch` deliveries unsettled with this consumer. Any
   * request may settle deliveries by tag (ack, requeue, reject) and change
   * the prefetch; each request with a request_id is confirmed by a response
   * carrying it once its settles are applied (an ack confirmed this way is
   * never undone: that message is never delivered again). When the call ends
   * — the client closes it, the connection breaks, or the node goes away —
   * its unsettled deliveries return to the queue and are delivered again,
   * marked redelivered. The first response carries the consumer's name.
   */
  Consume(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_quorumq_v1_ConsumeRequest, _quorumq_v1_ConsumeResponse__Output>;
  Consume(options?: grpc.CallOptions): grpc.ClientDuplexStream<_quorumq_v1_ConsumeRequest, _quorumq_v1_ConsumeResponse__Output>;
  /**
   * Consume. The first request names the queue and the prefetch: the server
   * keeps at most `prefetch` deliveries unsettled with this consumer. Any
   * request may settle deliveries by tag (ack, requeue, reject) and change
   * the prefetch; each request with a request_id is confirmed by a response
   * carrying it once its settles are applied (an ack confirmed this way is
   * never undone: that message is never delivered again). When the call ends
   * — the client closes it, the connection breaks, or the node goes away —
   * its unsettled deliveries return to the queue and are delivered again,
   * marked redelivered. The first response carries the consumer's name.
   */
  consume(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_quorumq_v1_ConsumeRequest, _quorumq_v1_ConsumeResponse__Output>;
  consume(options?: grpc.CallOptions): grpc.ClientDuplexStream<_quorumq_v1_ConsumeRequest, _quorumq_v1_ConsumeResponse__Output>;
  
  /**
   * Create an exchange. The same type and alternate exchange again: nothing
   * happens (created = false); others: FAILED_PRECONDITION naming the field.
   */
  DeclareExchange(argument: _quorumq_v1_DeclareExchangeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_DeclareExchangeResponse__Output>): grpc.ClientUnaryCall;
  DeclareExchange(argument: _quorumq_v1_DeclareExchangeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_DeclareExchangeResponse__Output>): grpc.ClientUnaryCall;
  DeclareExchange(argument: _quorumq_v1_DeclareExchangeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_DeclareExchangeResponse__Output>): grpc.ClientUnaryCall;
  DeclareExchange(argument: _quorumq_v1_DeclareExchangeRequest, callback: grpc.requestCallback<_quorumq_v1_DeclareExchangeResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Create an exchange. The same type and alternate exchange again: nothing
   * happens (created = false); others: FAILED_PRECONDITION naming the field.
   */
  declareExchange(argument: _quorumq_v1_DeclareExchangeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_DeclareExchangeResponse__Output>): grpc.ClientUnaryCall;
  declareExchange(argument: _quorumq_v1_DeclareExchangeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_DeclareExchangeResponse__Output>): grpc.ClientUnaryCall;
  declareExchange(argument: _quorumq_v1_DeclareExchangeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_DeclareExchangeResponse__Output>): grpc.ClientUnaryCall;
  declareExchange(argument: _quorumq_v1_DeclareExchangeRequest, callback: grpc.requestCallback<_quorumq_v1_DeclareExchangeResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Create a queue. The same settings again: nothing happens (created =
   * false); different ones: FAILED_PRECONDITION naming the first that differs.
   */
  DeclareQueue(argument: _quorumq_v1_DeclareQueueRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_DeclareQueueResponse__Output>): grpc.ClientUnaryCall;
  DeclareQueue(argument: _quorumq_v1_DeclareQueueRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_DeclareQueueResponse__Output>): grpc.ClientUnaryCall;
  DeclareQueue(argument: _quorumq_v1_DeclareQueueRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_DeclareQueueResponse__Output>): grpc.ClientUnaryCall;
  DeclareQueue(argument: _quorumq_v1_DeclareQueueRequest, callback: grpc.requestCallback<_quorumq_v1_DeclareQueueResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Create a queue. The same settings again: nothing happens (created =
   * false); different ones: FAILED_PRECONDITION naming the first that differs.
   */
  declareQueue(argument: _quorumq_v1_DeclareQueueRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_DeclareQueueResponse__Output>): grpc.ClientUnaryCall;
  declareQueue(argument: _quorumq_v1_DeclareQueueRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_DeclareQueueResponse__Output>): grpc.ClientUnaryCall;
  declareQueue(argument: _quorumq_v1_DeclareQueueRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_DeclareQueueResponse__Output>): grpc.ClientUnaryCall;
  declareQueue(argument: _quorumq_v1_DeclareQueueRequest, callback: grpc.requestCallback<_quorumq_v1_DeclareQueueResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Create a stream, or confirm it exists with exactly these settings
   * (a no-op). Different settings: FAILED_PRECONDITION naming the first
   * setting that differs.
   */
  DeclareStream(argument: _quorumq_v1_DeclareStreamRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_DeclareStreamResponse__Output>): grpc.ClientUnaryCall;
  DeclareStream(argument: _quorumq_v1_DeclareStreamRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_DeclareStreamResponse__Output>): grpc.ClientUnaryCall;
  DeclareStream(argument: _quorumq_v1_DeclareStreamRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_DeclareStreamResponse__Output>): grpc.ClientUnaryCall;
  DeclareStream(argument: _quorumq_v1_DeclareStreamRequest, callback: grpc.requestCallback<_quorumq_v1_DeclareStreamResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Create a stream, or confirm it exists with exactly these settings
   * (a no-op). Different settings: FAILED_PRECONDITION naming the first
   * setting that differs.
   */
  declareStream(argument: _quorumq_v1_DeclareStreamRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_DeclareStreamResponse__Output>): grpc.ClientUnaryCall;
  declareStream(argument: _quorumq_v1_DeclareStreamRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_DeclareStreamResponse__Output>): grpc.ClientUnaryCall;
  declareStream(argument: _quorumq_v1_DeclareStreamRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_DeclareStreamResponse__Output>): grpc.ClientUnaryCall;
  declareStream(argument: _quorumq_v1_DeclareStreamRequest, callback: grpc.requestCallback<_quorumq_v1_DeclareStreamResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Delete an exchange. FAILED_PRECONDITION while bindings lead from or to it,
   * unless `force` (which removes them); NOT_FOUND when it does not exist.
   */
  DeleteExchange(argument: _quorumq_v1_DeleteExchangeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_DeleteExchangeResponse__Output>): grpc.ClientUnaryCall;
  DeleteExchange(argument: _quorumq_v1_DeleteExchangeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_DeleteExchangeResponse__Output>): grpc.ClientUnaryCall;
  DeleteExchange(argument: _quorumq_v1_DeleteExchangeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_DeleteExchangeResponse__Output>): grpc.ClientUnaryCall;
  DeleteExchange(argument: _quorumq_v1_DeleteExchangeRequest, callback: grpc.requestCallback<_quorumq_v1_DeleteExchangeResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Delete an exchange. FAILED_PRECONDITION while bindings lead from or to it,
   * unless `force` (which removes them); NOT_FOUND when it does not exist.
   */
  deleteExchange(argument: _quorumq_v1_DeleteExchangeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_DeleteExchangeResponse__Output>): grpc.ClientUnaryCall;
  deleteExchange(argument: _quorumq_v1_DeleteExchangeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_DeleteExchangeResponse__Output>): grpc.ClientUnaryCall;
  deleteExchange(argument: _quorumq_v1_DeleteExchangeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_DeleteExchangeResponse__Output>): grpc.ClientUnaryCall;
  deleteExchange(argument: _quorumq_v1_DeleteExchangeRequest, callback: grpc.requestCallback<_quorumq_v1_DeleteExchangeResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Delete a queue and everything in it; its consumers' calls end with
   * `ended` set.
   */
  DeleteQueue(argument: _quorumq_v1_DeleteQueueRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_DeleteQueueResponse__Output>): grpc.ClientUnaryCall;
  DeleteQueue(argument: _quorumq_v1_DeleteQueueRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_DeleteQueueResponse__Output>): grpc.ClientUnaryCall;
  DeleteQueue(argument: _quorumq_v1_DeleteQueueRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_DeleteQueueResponse__Output>): grpc.ClientUnaryCall;
  DeleteQueue(argument: _quorumq_v1_DeleteQueueRequest, callback: grpc.requestCallback<_quorumq_v1_DeleteQueueResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Delete a queue and everything in it; its consumers' calls end with
   * `ended` set.
   */
  deleteQueue(argument: _quorumq_v1_DeleteQueueRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_DeleteQueueResponse__Output>): grpc.ClientUnaryCall;
  deleteQueue(argument: _quorumq_v1_DeleteQueueRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_DeleteQueueResponse__Output>): grpc.ClientUnaryCall;
  deleteQueue(argument: _quorumq_v1_DeleteQueueRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_DeleteQueueResponse__Output>): grpc.ClientUnaryCall;
  deleteQueue(argument: _quorumq_v1_DeleteQueueRequest, callback: grpc.requestCallback<_quorumq_v1_DeleteQueueResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Delete a stream and its messages. Subscribers end cleanly.
   */
  DeleteStream(argument: _quorumq_v1_DeleteStreamRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_DeleteStreamResponse__Output>): grpc.ClientUnaryCall;
  DeleteStream(argument: _quorumq_v1_DeleteStreamRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_DeleteStreamResponse__Output>): grpc.ClientUnaryCall;
  DeleteStream(argument: _quorumq_v1_DeleteStreamRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_DeleteStreamResponse__Output>): grpc.ClientUnaryCall;
  DeleteStream(argument: _quorumq_v1_DeleteStreamRequest, callback: grpc.requestCallback<_quorumq_v1_DeleteStreamResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Delete a stream and its messages. Subscribers end cleanly.
   */
  deleteStream(argument: _quorumq_v1_DeleteStreamRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_DeleteStreamResponse__Output>): grpc.ClientUnaryCall;
  deleteStream(argument: _quorumq_v1_DeleteStreamRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_DeleteStreamResponse__Output>): grpc.ClientUnaryCall;
  deleteStream(argument: _quorumq_v1_DeleteStreamRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_DeleteStreamResponse__Output>): grpc.ClientUnaryCall;
  deleteStream(argument: _quorumq_v1_DeleteStreamRequest, callback: grpc.requestCallback<_quorumq_v1_DeleteStreamResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * An exchange's settings, routing stats and bindings (each with the
   * messages it matched). NOT_FOUND when it does not exist.
   */
  ExchangeInfo(argument: _quorumq_v1_ExchangeInfoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_ExchangeInfoResponse__Output>): grpc.ClientUnaryCall;
  ExchangeInfo(argument: _quorumq_v1_ExchangeInfoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_ExchangeInfoResponse__Output>): grpc.ClientUnaryCall;
  ExchangeInfo(argument: _quorumq_v1_ExchangeInfoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_ExchangeInfoResponse__Output>): grpc.ClientUnaryCall;
  ExchangeInfo(argument: _quorumq_v1_ExchangeInfoRequest, callback: grpc.requestCallback<_quorumq_v1_ExchangeInfoResponse__Output>): grpc.ClientUnaryCall;
  /**
   * An exchange's settings, routing stats and bindings (each with the
   * messages it matched). NOT_FOUND when it does not exist.
   */
  exchangeInfo(argument: _quorumq_v1_ExchangeInfoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_ExchangeInfoResponse__Output>): grpc.ClientUnaryCall;
  exchangeInfo(argument: _quorumq_v1_ExchangeInfoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_ExchangeInfoResponse__Output>): grpc.ClientUnaryCall;
  exchangeInfo(argument: _quorumq_v1_ExchangeInfoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_ExchangeInfoResponse__Output>): grpc.ClientUnaryCall;
  exchangeInfo(argument: _quorumq_v1_ExchangeInfoRequest, callback: grpc.requestCallback<_quorumq_v1_ExchangeInfoResponse__Output>): grpc.ClientUnaryCall;
  
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
   * The pull form of Consume: up to `max` messages, waiting up to `wait_ms`
   * for them, delivered to a pull consumer attached to this node (named in the
   * response; pass it again to reuse it). Settle them with Settle, as a
   * Consume call settles its deliveries (an ack confirmed is never undone).
   * A pull consumer keeps what it was given for `lease_ms` after its last Get
   * or Settle; then, or when its node goes away, its unsettled deliveries
   * return to the queue, marked redelivered.
   */
  GetMessages(argument: _quorumq_v1_GetMessagesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_GetMessagesResponse__Output>): grpc.ClientUnaryCall;
  GetMessages(argument: _quorumq_v1_GetMessagesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_GetMessagesResponse__Output>): grpc.ClientUnaryCall;
  GetMessages(argument: _quorumq_v1_GetMessagesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_GetMessagesResponse__Output>): grpc.ClientUnaryCall;
  GetMessages(argument: _quorumq_v1_GetMessagesRequest, callback: grpc.requestCallback<_quorumq_v1_GetMessagesResponse__Output>): grpc.ClientUnaryCall;
  /**
   * The pull form of Consume: up to `max` messages, waiting up to `wait_ms`
   * for them, delivered to a pull consumer attached to this node (named in the
   * response; pass it again to reuse it). Settle them with Settle, as a
   * Consume call settles its deliveries (an ack confirmed is never undone).
   * A pull consumer keeps what it was given for `lease_ms` after its last Get
   * or Settle; then, or when its node goes away, its unsettled deliveries
   * return to the queue, marked redelivered.
   */
  getMessages(argument: _quorumq_v1_GetMessagesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_GetMessagesResponse__Output>): grpc.ClientUnaryCall;
  getMessages(argument: _quorumq_v1_GetMessagesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_GetMessagesResponse__Output>): grpc.ClientUnaryCall;
  getMessages(argument: _quorumq_v1_GetMessagesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_GetMessagesResponse__Output>): grpc.ClientUnaryCall;
  getMessages(argument: _quorumq_v1_GetMessagesRequest, callback: grpc.requestCallback<_quorumq_v1_GetMessagesResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * A named consumer's committed offset.
   */
  GetOffset(argument: _quorumq_v1_GetOffsetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_GetOffsetResponse__Output>): grpc.ClientUnaryCall;
  GetOffset(argument: _quorumq_v1_GetOffsetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_GetOffsetResponse__Output>): grpc.ClientUnaryCall;
  GetOffset(argument: _quorumq_v1_GetOffsetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_GetOffsetResponse__Output>): grpc.ClientUnaryCall;
  GetOffset(argument: _quorumq_v1_GetOffsetRequest, callback: grpc.requestCallback<_quorumq_v1_GetOffsetResponse__Output>): grpc.ClientUnaryCall;
  /**
   * A named consumer's committed offset.
   */
  getOffset(argument: _quorumq_v1_GetOffsetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_GetOffsetResponse__Output>): grpc.ClientUnaryCall;
  getOffset(argument: _quorumq_v1_GetOffsetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_GetOffsetResponse__Output>): grpc.ClientUnaryCall;
  getOffset(argument: _quorumq_v1_GetOffsetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_GetOffsetResponse__Output>): grpc.ClientUnaryCall;
  getOffset(argument: _quorumq_v1_GetOffsetRequest, callback: grpc.requestCallback<_quorumq_v1_GetOffsetResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * The dead-letter store of a queue: messages rejected, over the delivery
   * limit, expired, or dropped from the head at a limit, oldest first.
   */
  ListDeadLetters(argument: _quorumq_v1_ListDeadLettersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_ListDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  ListDeadLetters(argument: _quorumq_v1_ListDeadLettersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_ListDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  ListDeadLetters(argument: _quorumq_v1_ListDeadLettersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_ListDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  ListDeadLetters(argument: _quorumq_v1_ListDeadLettersRequest, callback: grpc.requestCallback<_quorumq_v1_ListDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  /**
   * The dead-letter store of a queue: messages rejected, over the delivery
   * limit, expired, or dropped from the head at a limit, oldest first.
   */
  listDeadLetters(argument: _quorumq_v1_ListDeadLettersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_ListDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  listDeadLetters(argument: _quorumq_v1_ListDeadLettersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_ListDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  listDeadLetters(argument: _quorumq_v1_ListDeadLettersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_ListDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  listDeadLetters(argument: _quorumq_v1_ListDeadLettersRequest, callback: grpc.requestCallback<_quorumq_v1_ListDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  
  ListExchanges(argument: _quorumq_v1_ListExchangesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_ListExchangesResponse__Output>): grpc.ClientUnaryCall;
  ListExchanges(argument: _quorumq_v1_ListExchangesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_ListExchangesResponse__Output>): grpc.ClientUnaryCall;
  ListExchanges(argument: _quorumq_v1_ListExchangesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_ListExchangesResponse__Output>): grpc.ClientUnaryCall;
  ListExchanges(argument: _quorumq_v1_ListExchangesRequest, callback: grpc.requestCallback<_quorumq_v1_ListExchangesResponse__Output>): grpc.ClientUnaryCall;
  listExchanges(argument: _quorumq_v1_ListExchangesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_ListExchangesResponse__Output>): grpc.ClientUnaryCall;
  listExchanges(argument: _quorumq_v1_ListExchangesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_ListExchangesResponse__Output>): grpc.ClientUnaryCall;
  listExchanges(argument: _quorumq_v1_ListExchangesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_ListExchangesResponse__Output>): grpc.ClientUnaryCall;
  listExchanges(argument: _quorumq_v1_ListExchangesRequest, callback: grpc.requestCallback<_quorumq_v1_ListExchangesResponse__Output>): grpc.ClientUnaryCall;
  
  ListQueues(argument: _quorumq_v1_ListQueuesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_ListQueuesResponse__Output>): grpc.ClientUnaryCall;
  ListQueues(argument: _quorumq_v1_ListQueuesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_ListQueuesResponse__Output>): grpc.ClientUnaryCall;
  ListQueues(argument: _quorumq_v1_ListQueuesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_ListQueuesResponse__Output>): grpc.ClientUnaryCall;
  ListQueues(argument: _quorumq_v1_ListQueuesRequest, callback: grpc.requestCallback<_quorumq_v1_ListQueuesResponse__Output>): grpc.ClientUnaryCall;
  listQueues(argument: _quorumq_v1_ListQueuesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_ListQueuesResponse__Output>): grpc.ClientUnaryCall;
  listQueues(argument: _quorumq_v1_ListQueuesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_ListQueuesResponse__Output>): grpc.ClientUnaryCall;
  listQueues(argument: _quorumq_v1_ListQueuesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_ListQueuesResponse__Output>): grpc.ClientUnaryCall;
  listQueues(argument: _quorumq_v1_ListQueuesRequest, callback: grpc.requestCallback<_quorumq_v1_ListQueuesResponse__Output>): grpc.ClientUnaryCall;
  
  ListSchedules(argument: _quorumq_v1_ListSchedulesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_ListSchedulesResponse__Output>): grpc.ClientUnaryCall;
  ListSchedules(argument: _quorumq_v1_ListSchedulesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_ListSchedulesResponse__Output>): grpc.ClientUnaryCall;
  ListSchedules(argument: _quorumq_v1_ListSchedulesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_ListSchedulesResponse__Output>): grpc.ClientUnaryCall;
  ListSchedules(argument: _quorumq_v1_ListSchedulesRequest, callback: grpc.requestCallback<_quorumq_v1_ListSchedulesResponse__Output>): grpc.ClientUnaryCall;
  listSchedules(argument: _quorumq_v1_ListSchedulesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_ListSchedulesResponse__Output>): grpc.ClientUnaryCall;
  listSchedules(argument: _quorumq_v1_ListSchedulesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_ListSchedulesResponse__Output>): grpc.ClientUnaryCall;
  listSchedules(argument: _quorumq_v1_ListSchedulesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_ListSchedulesResponse__Output>): grpc.ClientUnaryCall;
  listSchedules(argument: _quorumq_v1_ListSchedulesRequest, callback: grpc.requestCallback<_quorumq_v1_ListSchedulesResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Every stream, with its offsets and sizes (from the serving node).
   */
  ListStreams(argument: _quorumq_v1_ListStreamsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_ListStreamsResponse__Output>): grpc.ClientUnaryCall;
  ListStreams(argument: _quorumq_v1_ListStreamsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_ListStreamsResponse__Output>): grpc.ClientUnaryCall;
  ListStreams(argument: _quorumq_v1_ListStreamsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_ListStreamsResponse__Output>): grpc.ClientUnaryCall;
  ListStreams(argument: _quorumq_v1_ListStreamsRequest, callback: grpc.requestCallback<_quorumq_v1_ListStreamsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Every stream, with its offsets and sizes (from the serving node).
   */
  listStreams(argument: _quorumq_v1_ListStreamsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_ListStreamsResponse__Output>): grpc.ClientUnaryCall;
  listStreams(argument: _quorumq_v1_ListStreamsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_ListStreamsResponse__Output>): grpc.ClientUnaryCall;
  listStreams(argument: _quorumq_v1_ListStreamsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_ListStreamsResponse__Output>): grpc.ClientUnaryCall;
  listStreams(argument: _quorumq_v1_ListStreamsRequest, callback: grpc.requestCallback<_quorumq_v1_ListStreamsResponse__Output>): grpc.ClientUnaryCall;
  
  ListUsers(argument: _quorumq_v1_ListUsersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_ListUsersResponse__Output>): grpc.ClientUnaryCall;
  ListUsers(argument: _quorumq_v1_ListUsersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_ListUsersResponse__Output>): grpc.ClientUnaryCall;
  ListUsers(argument: _quorumq_v1_ListUsersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_ListUsersResponse__Output>): grpc.ClientUnaryCall;
  ListUsers(argument: _quorumq_v1_ListUsersRequest, callback: grpc.requestCallback<_quorumq_v1_ListUsersResponse__Output>): grpc.ClientUnaryCall;
  listUsers(argument: _quorumq_v1_ListUsersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_ListUsersResponse__Output>): grpc.ClientUnaryCall;
  listUsers(argument: _quorumq_v1_ListUsersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_ListUsersResponse__Output>): grpc.ClientUnaryCall;
  listUsers(argument: _quorumq_v1_ListUsersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_ListUsersResponse__Output>): grpc.ClientUnaryCall;
  listUsers(argument: _quorumq_v1_ListUsersRequest, callback: grpc.requestCallback<_quorumq_v1_ListUsersResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Where a queue lives: for a partitioned queue, each partition's Raft group,
   * members and leader (with its client address) as the answering node knows
   * them, from its own copy of the placement (no read barrier: a stale answer
   * only costs the client a forward or a redirect). A client caches it and
   * sends each partition's publishes straight to its leader (PublishRequest
   * group). Needs no permission (ClusterStatus shows the same).
   */
  Placement(argument: _quorumq_v1_PlacementRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_PlacementResponse__Output>): grpc.ClientUnaryCall;
  Placement(argument: _quorumq_v1_PlacementRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_PlacementResponse__Output>): grpc.ClientUnaryCall;
  Placement(argument: _quorumq_v1_PlacementRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_PlacementResponse__Output>): grpc.ClientUnaryCall;
  Placement(argument: _quorumq_v1_PlacementRequest, callback: grpc.requestCallback<_quorumq_v1_PlacementResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Where a queue lives: for a partitioned queue, each partition's Raft group,
   * members and leader (with its client address) as the answering node knows
   * them, from its own copy of the placement (no read barrier: a stale answer
   * only costs the client a forward or a redirect). A client caches it and
   * sends each partition's publishes straight to its leader (PublishRequest
   * group). Needs no permission (ClusterStatus shows the same).
   */
  placement(argument: _quorumq_v1_PlacementRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_PlacementResponse__Output>): grpc.ClientUnaryCall;
  placement(argument: _quorumq_v1_PlacementRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_PlacementResponse__Output>): grpc.ClientUnaryCall;
  placement(argument: _quorumq_v1_PlacementRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_PlacementResponse__Output>): grpc.ClientUnaryCall;
  placement(argument: _quorumq_v1_PlacementRequest, callback: grpc.requestCallback<_quorumq_v1_PlacementResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Publish messages: all or none. RESOURCE_EXHAUSTED when the queue is at a
   * limit with overflow REJECT_PUBLISH.
   */
  Publish(argument: _quorumq_v1_PublishRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_PublishResponse__Output>): grpc.ClientUnaryCall;
  Publish(argument: _quorumq_v1_PublishRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_PublishResponse__Output>): grpc.ClientUnaryCall;
  Publish(argument: _quorumq_v1_PublishRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_PublishResponse__Output>): grpc.ClientUnaryCall;
  Publish(argument: _quorumq_v1_PublishRequest, callback: grpc.requestCallback<_quorumq_v1_PublishResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Publish messages: all or none. RESOURCE_EXHAUSTED when the queue is at a
   * limit with overflow REJECT_PUBLISH.
   */
  publish(argument: _quorumq_v1_PublishRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_PublishResponse__Output>): grpc.ClientUnaryCall;
  publish(argument: _quorumq_v1_PublishRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_PublishResponse__Output>): grpc.ClientUnaryCall;
  publish(argument: _quorumq_v1_PublishRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_PublishResponse__Output>): grpc.ClientUnaryCall;
  publish(argument: _quorumq_v1_PublishRequest, callback: grpc.requestCallback<_quorumq_v1_PublishResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Many publishes in flight on one call: one response per request, in
   * request order, each with its own status (the call stays open when one
   * fails); the server stops reading while too many are unconfirmed.
   */
  PublishStream(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_quorumq_v1_PublishRequest, _quorumq_v1_PublishResponse__Output>;
  PublishStream(options?: grpc.CallOptions): grpc.ClientDuplexStream<_quorumq_v1_PublishRequest, _quorumq_v1_PublishResponse__Output>;
  /**
   * Many publishes in flight on one call: one response per request, in
   * request order, each with its own status (the call stays open when one
   * fails); the server stops reading while too many are unconfirmed.
   */
  publishStream(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_quorumq_v1_PublishRequest, _quorumq_v1_PublishResponse__Output>;
  publishStream(options?: grpc.CallOptions): grpc.ClientDuplexStream<_quorumq_v1_PublishRequest, _quorumq_v1_PublishResponse__Output>;
  
  /**
   * Publish messages through an exchange: each is routed (by the key and its
   * own headers) and lands in every queue and stream it reaches, once each —
   * all of the messages in all of their targets, or nothing anywhere,
   * confirmed once. A message that reaches nothing goes to the exchange's
   * alternate exchange, if any; if still nowhere, it is counted unroutable,
   * or with `mandatory` the publish fails with FAILED_PRECONDITION naming the
   * exchange and the key. RESOURCE_EXHAUSTED when a target is full
   * (nothing landed anywhere). NOT_FOUND when the exchange does not exist.
   */
  PublishToExchange(argument: _quorumq_v1_ExchangePublishRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_ExchangePublishResponse__Output>): grpc.ClientUnaryCall;
  PublishToExchange(argument: _quorumq_v1_ExchangePublishRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_ExchangePublishResponse__Output>): grpc.ClientUnaryCall;
  PublishToExchange(argument: _quorumq_v1_ExchangePublishRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_ExchangePublishResponse__Output>): grpc.ClientUnaryCall;
  PublishToExchange(argument: _quorumq_v1_ExchangePublishRequest, callback: grpc.requestCallback<_quorumq_v1_ExchangePublishResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Publish messages through an exchange: each is routed (by the key and its
   * own headers) and lands in every queue and stream it reaches, once each —
   * all of the messages in all of their targets, or nothing anywhere,
   * confirmed once. A message that reaches nothing goes to the exchange's
   * alternate exchange, if any; if still nowhere, it is counted unroutable,
   * or with `mandatory` the publish fails with FAILED_PRECONDITION naming the
   * exchange and the key. RESOURCE_EXHAUSTED when a target is full
   * (nothing landed anywhere). NOT_FOUND when the exchange does not exist.
   */
  publishToExchange(argument: _quorumq_v1_ExchangePublishRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_ExchangePublishResponse__Output>): grpc.ClientUnaryCall;
  publishToExchange(argument: _quorumq_v1_ExchangePublishRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_ExchangePublishResponse__Output>): grpc.ClientUnaryCall;
  publishToExchange(argument: _quorumq_v1_ExchangePublishRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_ExchangePublishResponse__Output>): grpc.ClientUnaryCall;
  publishToExchange(argument: _quorumq_v1_ExchangePublishRequest, callback: grpc.requestCallback<_quorumq_v1_ExchangePublishResponse__Output>): grpc.ClientUnaryCall;
  
  PurgeDeadLetters(argument: _quorumq_v1_PurgeDeadLettersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_PurgeDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  PurgeDeadLetters(argument: _quorumq_v1_PurgeDeadLettersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_PurgeDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  PurgeDeadLetters(argument: _quorumq_v1_PurgeDeadLettersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_PurgeDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  PurgeDeadLetters(argument: _quorumq_v1_PurgeDeadLettersRequest, callback: grpc.requestCallback<_quorumq_v1_PurgeDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  purgeDeadLetters(argument: _quorumq_v1_PurgeDeadLettersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_PurgeDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  purgeDeadLetters(argument: _quorumq_v1_PurgeDeadLettersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_PurgeDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  purgeDeadLetters(argument: _quorumq_v1_PurgeDeadLettersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_PurgeDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  purgeDeadLetters(argument: _quorumq_v1_PurgeDeadLettersRequest, callback: grpc.requestCallback<_quorumq_v1_PurgeDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Remove every ready and delayed message (delivered, unacknowledged ones
   * stay with their consumers).
   */
  PurgeQueue(argument: _quorumq_v1_PurgeQueueRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_PurgeQueueResponse__Output>): grpc.ClientUnaryCall;
  PurgeQueue(argument: _quorumq_v1_PurgeQueueRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_PurgeQueueResponse__Output>): grpc.ClientUnaryCall;
  PurgeQueue(argument: _quorumq_v1_PurgeQueueRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_PurgeQueueResponse__Output>): grpc.ClientUnaryCall;
  PurgeQueue(argument: _quorumq_v1_PurgeQueueRequest, callback: grpc.requestCallback<_quorumq_v1_PurgeQueueResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Remove every ready and delayed message (delivered, unacknowledged ones
   * stay with their consumers).
   */
  purgeQueue(argument: _quorumq_v1_PurgeQueueRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_PurgeQueueResponse__Output>): grpc.ClientUnaryCall;
  purgeQueue(argument: _quorumq_v1_PurgeQueueRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_PurgeQueueResponse__Output>): grpc.ClientUnaryCall;
  purgeQueue(argument: _quorumq_v1_PurgeQueueRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_PurgeQueueResponse__Output>): grpc.ClientUnaryCall;
  purgeQueue(argument: _quorumq_v1_PurgeQueueRequest, callback: grpc.requestCallback<_quorumq_v1_PurgeQueueResponse__Output>): grpc.ClientUnaryCall;
  
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
  
  QueueInfo(argument: _quorumq_v1_QueueInfoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_QueueInfoResponse__Output>): grpc.ClientUnaryCall;
  QueueInfo(argument: _quorumq_v1_QueueInfoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_QueueInfoResponse__Output>): grpc.ClientUnaryCall;
  QueueInfo(argument: _quorumq_v1_QueueInfoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_QueueInfoResponse__Output>): grpc.ClientUnaryCall;
  QueueInfo(argument: _quorumq_v1_QueueInfoRequest, callback: grpc.requestCallback<_quorumq_v1_QueueInfoResponse__Output>): grpc.ClientUnaryCall;
  queueInfo(argument: _quorumq_v1_QueueInfoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_QueueInfoResponse__Output>): grpc.ClientUnaryCall;
  queueInfo(argument: _quorumq_v1_QueueInfoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_QueueInfoResponse__Output>): grpc.ClientUnaryCall;
  queueInfo(argument: _quorumq_v1_QueueInfoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_QueueInfoResponse__Output>): grpc.ClientUnaryCall;
  queueInfo(argument: _quorumq_v1_QueueInfoRequest, callback: grpc.requestCallback<_quorumq_v1_QueueInfoResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Read from an offset: up to max_messages or max_bytes (at least one
   * message when any is available), waiting up to wait_ms for new ones.
   * Served by any node. OUT_OF_RANGE below the first retained offset.
   */
  Read(argument: _quorumq_v1_ReadRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_ReadResponse__Output>): grpc.ClientUnaryCall;
  Read(argument: _quorumq_v1_ReadRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_ReadResponse__Output>): grpc.ClientUnaryCall;
  Read(argument: _quorumq_v1_ReadRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_ReadResponse__Output>): grpc.ClientUnaryCall;
  Read(argument: _quorumq_v1_ReadRequest, callback: grpc.requestCallback<_quorumq_v1_ReadResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Read from an offset: up to max_messages or max_bytes (at least one
   * message when any is available), waiting up to wait_ms for new ones.
   * Served by any node. OUT_OF_RANGE below the first retained offset.
   */
  read(argument: _quorumq_v1_ReadRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_ReadResponse__Output>): grpc.ClientUnaryCall;
  read(argument: _quorumq_v1_ReadRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_ReadResponse__Output>): grpc.ClientUnaryCall;
  read(argument: _quorumq_v1_ReadRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_ReadResponse__Output>): grpc.ClientUnaryCall;
  read(argument: _quorumq_v1_ReadRequest, callback: grpc.requestCallback<_quorumq_v1_ReadResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Plan the data groups' leaders now (the placement reconciler's plan: even
   * over the live voters, within one leader per node, moving as few groups as
   * possible) and record it as their preferred leaders. Returns the plan at
   * once; each group's leader hands over to its planned one as soon as that
   * one has caught up (ClusterStatus shows when leaders match the plan).
   */
  Rebalance(argument: _quorumq_v1_RebalanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_RebalanceResponse__Output>): grpc.ClientUnaryCall;
  Rebalance(argument: _quorumq_v1_RebalanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_RebalanceResponse__Output>): grpc.ClientUnaryCall;
  Rebalance(argument: _quorumq_v1_RebalanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_RebalanceResponse__Output>): grpc.ClientUnaryCall;
  Rebalance(argument: _quorumq_v1_RebalanceRequest, callback: grpc.requestCallback<_quorumq_v1_RebalanceResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Plan the data groups' leaders now (the placement reconciler's plan: even
   * over the live voters, within one leader per node, moving as few groups as
   * possible) and record it as their preferred leaders. Returns the plan at
   * once; each group's leader hands over to its planned one as soon as that
   * one has caught up (ClusterStatus shows when leaders match the plan).
   */
  rebalance(argument: _quorumq_v1_RebalanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_RebalanceResponse__Output>): grpc.ClientUnaryCall;
  rebalance(argument: _quorumq_v1_RebalanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_RebalanceResponse__Output>): grpc.ClientUnaryCall;
  rebalance(argument: _quorumq_v1_RebalanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_RebalanceResponse__Output>): grpc.ClientUnaryCall;
  rebalance(argument: _quorumq_v1_RebalanceRequest, callback: grpc.requestCallback<_quorumq_v1_RebalanceResponse__Output>): grpc.ClientUnaryCall;
  
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
  
  RemoveSchedule(argument: _quorumq_v1_RemoveScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_RemoveScheduleResponse__Output>): grpc.ClientUnaryCall;
  RemoveSchedule(argument: _quorumq_v1_RemoveScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_RemoveScheduleResponse__Output>): grpc.ClientUnaryCall;
  RemoveSchedule(argument: _quorumq_v1_RemoveScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_RemoveScheduleResponse__Output>): grpc.ClientUnaryCall;
  RemoveSchedule(argument: _quorumq_v1_RemoveScheduleRequest, callback: grpc.requestCallback<_quorumq_v1_RemoveScheduleResponse__Output>): grpc.ClientUnaryCall;
  removeSchedule(argument: _quorumq_v1_RemoveScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_RemoveScheduleResponse__Output>): grpc.ClientUnaryCall;
  removeSchedule(argument: _quorumq_v1_RemoveScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_RemoveScheduleResponse__Output>): grpc.ClientUnaryCall;
  removeSchedule(argument: _quorumq_v1_RemoveScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_RemoveScheduleResponse__Output>): grpc.ClientUnaryCall;
  removeSchedule(argument: _quorumq_v1_RemoveScheduleRequest, callback: grpc.requestCallback<_quorumq_v1_RemoveScheduleResponse__Output>): grpc.ClientUnaryCall;
  
  RemoveUser(argument: _quorumq_v1_RemoveUserRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_RemoveUserResponse__Output>): grpc.ClientUnaryCall;
  RemoveUser(argument: _quorumq_v1_RemoveUserRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_RemoveUserResponse__Output>): grpc.ClientUnaryCall;
  RemoveUser(argument: _quorumq_v1_RemoveUserRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_RemoveUserResponse__Output>): grpc.ClientUnaryCall;
  RemoveUser(argument: _quorumq_v1_RemoveUserRequest, callback: grpc.requestCallback<_quorumq_v1_RemoveUserResponse__Output>): grpc.ClientUnaryCall;
  removeUser(argument: _quorumq_v1_RemoveUserRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_RemoveUserResponse__Output>): grpc.ClientUnaryCall;
  removeUser(argument: _quorumq_v1_RemoveUserRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_RemoveUserResponse__Output>): grpc.ClientUnaryCall;
  removeUser(argument: _quorumq_v1_RemoveUserRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_RemoveUserResponse__Output>): grpc.ClientUnaryCall;
  removeUser(argument: _quorumq_v1_RemoveUserRequest, callback: grpc.requestCallback<_quorumq_v1_RemoveUserResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Move up to `max` dead letters back to the end of the queue.
   */
  ReplayDeadLetters(argument: _quorumq_v1_ReplayDeadLettersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_ReplayDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  ReplayDeadLetters(argument: _quorumq_v1_ReplayDeadLettersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_ReplayDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  ReplayDeadLetters(argument: _quorumq_v1_ReplayDeadLettersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_ReplayDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  ReplayDeadLetters(argument: _quorumq_v1_ReplayDeadLettersRequest, callback: grpc.requestCallback<_quorumq_v1_ReplayDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Move up to `max` dead letters back to the end of the queue.
   */
  replayDeadLetters(argument: _quorumq_v1_ReplayDeadLettersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_ReplayDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  replayDeadLetters(argument: _quorumq_v1_ReplayDeadLettersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_ReplayDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  replayDeadLetters(argument: _quorumq_v1_ReplayDeadLettersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_ReplayDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  replayDeadLetters(argument: _quorumq_v1_ReplayDeadLettersRequest, callback: grpc.requestCallback<_quorumq_v1_ReplayDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * A new token for the user; the old one stops working on every node once applied.
   */
  RotateToken(argument: _quorumq_v1_RotateTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_RotateTokenResponse__Output>): grpc.ClientUnaryCall;
  RotateToken(argument: _quorumq_v1_RotateTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_RotateTokenResponse__Output>): grpc.ClientUnaryCall;
  RotateToken(argument: _quorumq_v1_RotateTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_RotateTokenResponse__Output>): grpc.ClientUnaryCall;
  RotateToken(argument: _quorumq_v1_RotateTokenRequest, callback: grpc.requestCallback<_quorumq_v1_RotateTokenResponse__Output>): grpc.ClientUnaryCall;
  /**
   * A new token for the user; the old one stops working on every node once applied.
   */
  rotateToken(argument: _quorumq_v1_RotateTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_RotateTokenResponse__Output>): grpc.ClientUnaryCall;
  rotateToken(argument: _quorumq_v1_RotateTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_RotateTokenResponse__Output>): grpc.ClientUnaryCall;
  rotateToken(argument: _quorumq_v1_RotateTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_RotateTokenResponse__Output>): grpc.ClientUnaryCall;
  rotateToken(argument: _quorumq_v1_RotateTokenRequest, callback: grpc.requestCallback<_quorumq_v1_RotateTokenResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Replaces the user's permissions with `permissions`.
   */
  SetPermissions(argument: _quorumq_v1_SetPermissionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_SetPermissionsResponse__Output>): grpc.ClientUnaryCall;
  SetPermissions(argument: _quorumq_v1_SetPermissionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_SetPermissionsResponse__Output>): grpc.ClientUnaryCall;
  SetPermissions(argument: _quorumq_v1_SetPermissionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_SetPermissionsResponse__Output>): grpc.ClientUnaryCall;
  SetPermissions(argument: _quorumq_v1_SetPermissionsRequest, callback: grpc.requestCallback<_quorumq_v1_SetPermissionsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Replaces the user's permissions with `permissions`.
   */
  setPermissions(argument: _quorumq_v1_SetPermissionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_SetPermissionsResponse__Output>): grpc.ClientUnaryCall;
  setPermissions(argument: _quorumq_v1_SetPermissionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_SetPermissionsResponse__Output>): grpc.ClientUnaryCall;
  setPermissions(argument: _quorumq_v1_SetPermissionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_SetPermissionsResponse__Output>): grpc.ClientUnaryCall;
  setPermissions(argument: _quorumq_v1_SetPermissionsRequest, callback: grpc.requestCallback<_quorumq_v1_SetPermissionsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Settle deliveries of a consumer by tag: a pull consumer's, or a Consume
   * call's (from outside the call).
   */
  Settle(argument: _quorumq_v1_SettleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_SettleResponse__Output>): grpc.ClientUnaryCall;
  Settle(argument: _quorumq_v1_SettleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_SettleResponse__Output>): grpc.ClientUnaryCall;
  Settle(argument: _quorumq_v1_SettleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_SettleResponse__Output>): grpc.ClientUnaryCall;
  Settle(argument: _quorumq_v1_SettleRequest, callback: grpc.requestCallback<_quorumq_v1_SettleResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Settle deliveries of a consumer by tag: a pull consumer's, or a Consume
   * call's (from outside the call).
   */
  settle(argument: _quorumq_v1_SettleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_SettleResponse__Output>): grpc.ClientUnaryCall;
  settle(argument: _quorumq_v1_SettleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_SettleResponse__Output>): grpc.ClientUnaryCall;
  settle(argument: _quorumq_v1_SettleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_SettleResponse__Output>): grpc.ClientUnaryCall;
  settle(argument: _quorumq_v1_SettleRequest, callback: grpc.requestCallback<_quorumq_v1_SettleResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * One stream: settings, first and last offset, count, bytes, and per node
   * how far it has the stream.
   */
  StreamInfo(argument: _quorumq_v1_StreamInfoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_StreamInfoResponse__Output>): grpc.ClientUnaryCall;
  StreamInfo(argument: _quorumq_v1_StreamInfoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_StreamInfoResponse__Output>): grpc.ClientUnaryCall;
  StreamInfo(argument: _quorumq_v1_StreamInfoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_StreamInfoResponse__Output>): grpc.ClientUnaryCall;
  StreamInfo(argument: _quorumq_v1_StreamInfoRequest, callback: grpc.requestCallback<_quorumq_v1_StreamInfoResponse__Output>): grpc.ClientUnaryCall;
  /**
   * One stream: settings, first and last offset, count, bytes, and per node
   * how far it has the stream.
   */
  streamInfo(argument: _quorumq_v1_StreamInfoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_StreamInfoResponse__Output>): grpc.ClientUnaryCall;
  streamInfo(argument: _quorumq_v1_StreamInfoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_StreamInfoResponse__Output>): grpc.ClientUnaryCall;
  streamInfo(argument: _quorumq_v1_StreamInfoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_StreamInfoResponse__Output>): grpc.ClientUnaryCall;
  streamInfo(argument: _quorumq_v1_StreamInfoRequest, callback: grpc.requestCallback<_quorumq_v1_StreamInfoResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Follow a stream. The first request names the stream and where to start
   * and may grant credit; later requests only grant more credit (number of
   * messages). The server sends at most as many messages as credit granted.
   * When the stream is deleted the server sends a response with `ended` set
   * and ends the call with OK. A client that closes its sending side (after
   * the first request or later) can grant no more credit: the server then
   * sends without a credit limit, paced by the connection's flow control,
   * until it ends the call — so `Subscribe(iter([request]))` just works.
   * Errors in the first request (an unknown stream: NOT_FOUND) end the call
   * at once.
   */
  Subscribe(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_quorumq_v1_SubscribeRequest, _quorumq_v1_SubscribeResponse__Output>;
  Subscribe(options?: grpc.CallOptions): grpc.ClientDuplexStream<_quorumq_v1_SubscribeRequest, _quorumq_v1_SubscribeResponse__Output>;
  /**
   * Follow a stream. The first request names the stream and where to start
   * and may grant credit; later requests only grant more credit (number of
   * messages). The server sends at most as many messages as credit granted.
   * When the stream is deleted the server sends a response with `ended` set
   * and ends the call with OK. A client that closes its sending side (after
   * the first request or later) can grant no more credit: the server then
   * sends without a credit limit, paced by the connection's flow control,
   * until it ends the call — so `Subscribe(iter([request]))` just works.
   * Errors in the first request (an unknown stream: NOT_FOUND) end the call
   * at once.
   */
  subscribe(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_quorumq_v1_SubscribeRequest, _quorumq_v1_SubscribeResponse__Output>;
  subscribe(options?: grpc.CallOptions): grpc.ClientDuplexStream<_quorumq_v1_SubscribeRequest, _quorumq_v1_SubscribeResponse__Output>;
  
  /**
   * A transaction: publishes through exchanges, publishes to queues, appends
   * to streams and settles of delivered messages, applied all or none in one
   * log entry — a consumer sees every message of it or none, and an ack in
   * it takes effect exactly when its publishes do. A settle of a delivery
   * the consumer no longer holds (settled, or returned after a timeout or
   * disconnect) fails the whole transaction with FAILED_PRECONDITION, so a
   * consume-transform-publish step is applied exactly once. With a producer
   * id and sequence, a retry after a leader change is answered duplicate and
   * applies nothing again.
   */
  Transact(argument: _quorumq_v1_TransactRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_TransactResponse__Output>): grpc.ClientUnaryCall;
  Transact(argument: _quorumq_v1_TransactRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_TransactResponse__Output>): grpc.ClientUnaryCall;
  Transact(argument: _quorumq_v1_TransactRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_TransactResponse__Output>): grpc.ClientUnaryCall;
  Transact(argument: _quorumq_v1_TransactRequest, callback: grpc.requestCallback<_quorumq_v1_TransactResponse__Output>): grpc.ClientUnaryCall;
  /**
   * A transaction: publishes through exchanges, publishes to queues, appends
   * to streams and settles of delivered messages, applied all or none in one
   * log entry — a consumer sees every message of it or none, and an ack in
   * it takes effect exactly when its publishes do. A settle of a delivery
   * the consumer no longer holds (settled, or returned after a timeout or
   * disconnect) fails the whole transaction with FAILED_PRECONDITION, so a
   * consume-transform-publish step is applied exactly once. With a producer
   * id and sequence, a retry after a leader change is answered duplicate and
   * applies nothing again.
   */
  transact(argument: _quorumq_v1_TransactRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_TransactResponse__Output>): grpc.ClientUnaryCall;
  transact(argument: _quorumq_v1_TransactRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_TransactResponse__Output>): grpc.ClientUnaryCall;
  transact(argument: _quorumq_v1_TransactRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_TransactResponse__Output>): grpc.ClientUnaryCall;
  transact(argument: _quorumq_v1_TransactRequest, callback: grpc.requestCallback<_quorumq_v1_TransactResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Hand leadership to another voter. Returns once the target leads; if
   * leadership lands elsewhere meanwhile (another transfer, an election), the
   * request is repeated to the new leader, so concurrent calls each end when
   * their own target leads (or at the deadline).
   */
  TransferLeader(argument: _quorumq_v1_TransferLeaderRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_TransferLeaderResponse__Output>): grpc.ClientUnaryCall;
  TransferLeader(argument: _quorumq_v1_TransferLeaderRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_TransferLeaderResponse__Output>): grpc.ClientUnaryCall;
  TransferLeader(argument: _quorumq_v1_TransferLeaderRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_TransferLeaderResponse__Output>): grpc.ClientUnaryCall;
  TransferLeader(argument: _quorumq_v1_TransferLeaderRequest, callback: grpc.requestCallback<_quorumq_v1_TransferLeaderResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Hand leadership to another voter. Returns once the target leads; if
   * leadership lands elsewhere meanwhile (another transfer, an election), the
   * request is repeated to the new leader, so concurrent calls each end when
   * their own target leads (or at the deadline).
   */
  transferLeader(argument: _quorumq_v1_TransferLeaderRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_TransferLeaderResponse__Output>): grpc.ClientUnaryCall;
  transferLeader(argument: _quorumq_v1_TransferLeaderRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_TransferLeaderResponse__Output>): grpc.ClientUnaryCall;
  transferLeader(argument: _quorumq_v1_TransferLeaderRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_TransferLeaderResponse__Output>): grpc.ClientUnaryCall;
  transferLeader(argument: _quorumq_v1_TransferLeaderRequest, callback: grpc.requestCallback<_quorumq_v1_TransferLeaderResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Remove a binding (the same fields as Bind). NOT_FOUND when there is none.
   */
  Unbind(argument: _quorumq_v1_BindRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_UnbindResponse__Output>): grpc.ClientUnaryCall;
  Unbind(argument: _quorumq_v1_BindRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_UnbindResponse__Output>): grpc.ClientUnaryCall;
  Unbind(argument: _quorumq_v1_BindRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_UnbindResponse__Output>): grpc.ClientUnaryCall;
  Unbind(argument: _quorumq_v1_BindRequest, callback: grpc.requestCallback<_quorumq_v1_UnbindResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Remove a binding (the same fields as Bind). NOT_FOUND when there is none.
   */
  unbind(argument: _quorumq_v1_BindRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_UnbindResponse__Output>): grpc.ClientUnaryCall;
  unbind(argument: _quorumq_v1_BindRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_UnbindResponse__Output>): grpc.ClientUnaryCall;
  unbind(argument: _quorumq_v1_BindRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_UnbindResponse__Output>): grpc.ClientUnaryCall;
  unbind(argument: _quorumq_v1_BindRequest, callback: grpc.requestCallback<_quorumq_v1_UnbindResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Who the caller is authenticated as, and whether this node checks.
   */
  WhoAmI(argument: _quorumq_v1_WhoAmIRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_WhoAmIResponse__Output>): grpc.ClientUnaryCall;
  WhoAmI(argument: _quorumq_v1_WhoAmIRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_WhoAmIResponse__Output>): grpc.ClientUnaryCall;
  WhoAmI(argument: _quorumq_v1_WhoAmIRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_WhoAmIResponse__Output>): grpc.ClientUnaryCall;
  WhoAmI(argument: _quorumq_v1_WhoAmIRequest, callback: grpc.requestCallback<_quorumq_v1_WhoAmIResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Who the caller is authenticated as, and whether this node checks.
   */
  whoAmI(argument: _quorumq_v1_WhoAmIRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_WhoAmIResponse__Output>): grpc.ClientUnaryCall;
  whoAmI(argument: _quorumq_v1_WhoAmIRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_quorumq_v1_WhoAmIResponse__Output>): grpc.ClientUnaryCall;
  whoAmI(argument: _quorumq_v1_WhoAmIRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_quorumq_v1_WhoAmIResponse__Output>): grpc.ClientUnaryCall;
  whoAmI(argument: _quorumq_v1_WhoAmIRequest, callback: grpc.requestCallback<_quorumq_v1_WhoAmIResponse__Output>): grpc.ClientUnaryCall;
  
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
   * Schedules: a template message published to the queue at first_at_ms
   * (leader time; 0: one interval from now) and every every_ms after, once
   * per due time, whatever the leader changes. The same name and settings
   * again: nothing happens (created = false); other settings: ALREADY_EXISTS.
   */
  AddSchedule: grpc.handleUnaryCall<_quorumq_v1_AddScheduleRequest__Output, _quorumq_v1_AddScheduleResponse>;
  
  /**
   * Users and permissions (admin permission needed, except WhoAmI). Held in
   * the replicated state: every node enforces the same rules. A token is
   * returned once, by AddUser and RotateToken; nodes keep only its hash.
   */
  AddUser: grpc.handleUnaryCall<_quorumq_v1_AddUserRequest__Output, _quorumq_v1_AddUserResponse>;
  
  /**
   * Append one message or an atomic batch (all or none, contiguous offsets).
   * Answers once the entry is committed on a majority (fsynced) and applied.
   * With a producer id and sequence the append is idempotent: a retry of the
   * same (producer, sequence) with the same messages within the stream's
   * dedup window returns the original offsets with `duplicate` set and stores
   * nothing again, also after a leader change. Safe to retry on UNAVAILABLE
   * and DEADLINE_EXCEEDED when a producer id is set.
   * 
   * A producer after an unknown outcome (UNAVAILABLE or DEADLINE_EXCEEDED
   * with x-quorumq-outcome: unknown, or no trailer): retry the SAME sequence
   * with the SAME messages, on any node, until a definite answer — OK (with
   * `duplicate` set if the first try had been stored: the original offsets),
   * or a refusal. Only then move on to sequence + 1. Sending the next
   * sequence instead is refused while the unknown one is not stored (the
   * sequence would skip), and would lose it if the producer gave up on it.
   * After x-quorumq-outcome: not-applied the same sequence may be reused for
   * any messages. A producer that stays idle longer than the dedup window is
   * forgotten and may start again at any sequence; so may a new producer id.
   * 
   * The same (producer, sequence) with DIFFERENT messages is refused with
   * FAILED_PRECONDITION (a checksum of each remembered batch is kept beside
   * its sequence); Kafka instead answers such a request as a duplicate and
   * drops the new messages. A sequence older than the last 1024 remembered
   * ones of its producer is FAILED_PRECONDITION too (it cannot be checked).
   */
  Append: grpc.handleUnaryCall<_quorumq_v1_AppendRequest__Output, _quorumq_v1_AppendResponse>;
  
  /**
   * Many appends in flight on one call: one AppendResponse per request, in
   * request order, each carrying its own status (the call itself stays open
   * when one request fails). The server stops reading while too many
   * requests are unconfirmed (flow control), so a fast producer cannot
   * exhaust its memory.
   */
  AppendStream: grpc.handleBidiStreamingCall<_quorumq_v1_AppendRequest__Output, _quorumq_v1_AppendResponse>;
  
  /**
   * Bind a queue, stream or exchange to an exchange. The same binding again:
   * created = false. NOT_FOUND when the exchange or the target does not exist.
   */
  Bind: grpc.handleUnaryCall<_quorumq_v1_BindRequest__Output, _quorumq_v1_BindResponse>;
  
  /**
   * Members, their roles, term, commit and applied indexes, each follower's
   * match index and lag as the leader sees them, and the leader.
   */
  ClusterStatus: grpc.handleUnaryCall<_quorumq_v1_ClusterStatusRequest__Output, _quorumq_v1_ClusterStatusResponse>;
  
  /**
   * Store a named consumer's offset (the next offset it wants) in the
   * replicated state, so it can resume on any node.
   */
  CommitOffset: grpc.handleUnaryCall<_quorumq_v1_CommitOffsetRequest__Output, _quorumq_v1_CommitOffsetResponse>;
  
  /**
   * Consume. The first request names the queue and the prefetch: the server
   * keeps at most `prefetch` deliveries unsettled with this consumer. Any
   * request may settle deliveries by tag (ack, requeue, reject) and change
   * the prefetch; each request with a request_id is confirmed by a response
   * carrying it once its settles are applied (an ack confirmed this way is
   * never undone: that message is never delivered again). When the call ends
   * — the client closes it, the connection breaks, or the node goes away —
   * its unsettled deliveries return to the queue and are delivered again,
   * marked redelivered. The first response carries the consumer's name.
   */
  Consume: grpc.handleBidiStreamingCall<_quorumq_v1_ConsumeRequest__Output, _quorumq_v1_ConsumeResponse>;
  
  /**
   * Create an exchange. The same type and alternate exchange again: nothing
   * happens (created = false); others: FAILED_PRECONDITION naming the field.
   */
  DeclareExchange: grpc.handleUnaryCall<_quorumq_v1_DeclareExchangeRequest__Output, _quorumq_v1_DeclareExchangeResponse>;
  
  /**
   * Create a queue. The same settings again: nothing happens (created =
   * false); different ones: FAILED_PRECONDITION naming the first that differs.
   */
  DeclareQueue: grpc.handleUnaryCall<_quorumq_v1_DeclareQueueRequest__Output, _quorumq_v1_DeclareQueueResponse>;
  
  /**
   * Create a stream, or confirm it exists with exactly these settings
   * (a no-op). Different settings: FAILED_PRECONDITION naming the first
   * setting that differs.
   */
  DeclareStream: grpc.handleUnaryCall<_quorumq_v1_DeclareStreamRequest__Output, _quorumq_v1_DeclareStreamResponse>;
  
  /**
   * Delete an exchange. FAILED_PRECONDITION while bindings lead from or to it,
   * unless `force` (which removes them); NOT_FOUND when it does not exist.
   */
  DeleteExchange: grpc.handleUnaryCall<_quorumq_v1_DeleteExchangeRequest__Output, _quorumq_v1_DeleteExchangeResponse>;
  
  /**
   * Delete a queue and everything in it; its consumers' calls end with
   * `ended` set.
   */
  DeleteQueue: grpc.handleUnaryCall<_quorumq_v1_DeleteQueueRequest__Output, _quorumq_v1_DeleteQueueResponse>;
  
  /**
   * Delete a stream and its messages. Subscribers end cleanly.
   */
  DeleteStream: grpc.handleUnaryCall<_quorumq_v1_DeleteStreamRequest__Output, _quorumq_v1_DeleteStreamResponse>;
  
  /**
   * An exchange's settings, routing stats and bindings (each with the
   * messages it matched). NOT_FOUND when it does not exist.
   */
  ExchangeInfo: grpc.handleUnaryCall<_quorumq_v1_ExchangeInfoRequest__Output, _quorumq_v1_ExchangeInfoResponse>;
  
  /**
   * Read the value under `key`. LINEARIZABLE (the default) reflects every write
   * acknowledged before the call started, on whichever node serves it; LOCAL
   * answers from the serving node's applied state, which may lag.
   */
  Get: grpc.handleUnaryCall<_quorumq_v1_GetRequest__Output, _quorumq_v1_GetResponse>;
  
  /**
   * The pull form of Consume: up to `max` messages, waiting up to `wait_ms`
   * for them, delivered to a pull consumer attached to this node (named in the
   * response; pass it again to reuse it). Settle them with Settle, as a
   * Consume call settles its deliveries (an ack confirmed is never undone).
   * A pull consumer keeps what it was given for `lease_ms` after its last Get
   * or Settle; then, or when its node goes away, its unsettled deliveries
   * return to the queue, marked redelivered.
   */
  GetMessages: grpc.handleUnaryCall<_quorumq_v1_GetMessagesRequest__Output, _quorumq_v1_GetMessagesResponse>;
  
  /**
   * A named consumer's committed offset.
   */
  GetOffset: grpc.handleUnaryCall<_quorumq_v1_GetOffsetRequest__Output, _quorumq_v1_GetOffsetResponse>;
  
  /**
   * The dead-letter store of a queue: messages rejected, over the delivery
   * limit, expired, or dropped from the head at a limit, oldest first.
   */
  ListDeadLetters: grpc.handleUnaryCall<_quorumq_v1_ListDeadLettersRequest__Output, _quorumq_v1_ListDeadLettersResponse>;
  
  ListExchanges: grpc.handleUnaryCall<_quorumq_v1_ListExchangesRequest__Output, _quorumq_v1_ListExchangesResponse>;
  
  ListQueues: grpc.handleUnaryCall<_quorumq_v1_ListQueuesRequest__Output, _quorumq_v1_ListQueuesResponse>;
  
  ListSchedules: grpc.handleUnaryCall<_quorumq_v1_ListSchedulesRequest__Output, _quorumq_v1_ListSchedulesResponse>;
  
  /**
   * Every stream, with its offsets and sizes (from the serving node).
   */
  ListStreams: grpc.handleUnaryCall<_quorumq_v1_ListStreamsRequest__Output, _quorumq_v1_ListStreamsResponse>;
  
  ListUsers: grpc.handleUnaryCall<_quorumq_v1_ListUsersRequest__Output, _quorumq_v1_ListUsersResponse>;
  
  /**
   * Where a queue lives: for a partitioned queue, each partition's Raft group,
   * members and leader (with its client address) as the answering node knows
   * them, from its own copy of the placement (no read barrier: a stale answer
   * only costs the client a forward or a redirect). A client caches it and
   * sends each partition's publishes straight to its leader (PublishRequest
   * group). Needs no permission (ClusterStatus shows the same).
   */
  Placement: grpc.handleUnaryCall<_quorumq_v1_PlacementRequest__Output, _quorumq_v1_PlacementResponse>;
  
  /**
   * Publish messages: all or none. RESOURCE_EXHAUSTED when the queue is at a
   * limit with overflow REJECT_PUBLISH.
   */
  Publish: grpc.handleUnaryCall<_quorumq_v1_PublishRequest__Output, _quorumq_v1_PublishResponse>;
  
  /**
   * Many publishes in flight on one call: one response per request, in
   * request order, each with its own status (the call stays open when one
   * fails); the server stops reading while too many are unconfirmed.
   */
  PublishStream: grpc.handleBidiStreamingCall<_quorumq_v1_PublishRequest__Output, _quorumq_v1_PublishResponse>;
  
  /**
   * Publish messages through an exchange: each is routed (by the key and its
   * own headers) and lands in every queue and stream it reaches, once each —
   * all of the messages in all of their targets, or nothing anywhere,
   * confirmed once. A message that reaches nothing goes to the exchange's
   * alternate exchange, if any; if still nowhere, it is counted unroutable,
   * or with `mandatory` the publish fails with FAILED_PRECONDITION naming the
   * exchange and the key. RESOURCE_EXHAUSTED when a target is full
   * (nothing landed anywhere). NOT_FOUND when the exchange does not exist.
   */
  PublishToExchange: grpc.handleUnaryCall<_quorumq_v1_ExchangePublishRequest__Output, _quorumq_v1_ExchangePublishResponse>;
  
  PurgeDeadLetters: grpc.handleUnaryCall<_quorumq_v1_PurgeDeadLettersRequest__Output, _quorumq_v1_PurgeDeadLettersResponse>;
  
  /**
   * Remove every ready and delayed message (delivered, unacknowledged ones
   * stay with their consumers).
   */
  PurgeQueue: grpc.handleUnaryCall<_quorumq_v1_PurgeQueueRequest__Output, _quorumq_v1_PurgeQueueResponse>;
  
  /**
   * Store `value` under `key`. Succeeds once a majority has the write durably
   * and the leader has applied it; the answer carries the Raft index at which
   * it was applied.
   */
  Put: grpc.handleUnaryCall<_quorumq_v1_PutRequest__Output, _quorumq_v1_PutResponse>;
  
  QueueInfo: grpc.handleUnaryCall<_quorumq_v1_QueueInfoRequest__Output, _quorumq_v1_QueueInfoResponse>;
  
  /**
   * Read from an offset: up to max_messages or max_bytes (at least one
   * message when any is available), waiting up to wait_ms for new ones.
   * Served by any node. OUT_OF_RANGE below the first retained offset.
   */
  Read: grpc.handleUnaryCall<_quorumq_v1_ReadRequest__Output, _quorumq_v1_ReadResponse>;
  
  /**
   * Plan the data groups' leaders now (the placement reconciler's plan: even
   * over the live voters, within one leader per node, moving as few groups as
   * possible) and record it as their preferred leaders. Returns the plan at
   * once; each group's leader hands over to its planned one as soon as that
   * one has caught up (ClusterStatus shows when leaders match the plan).
   */
  Rebalance: grpc.handleUnaryCall<_quorumq_v1_RebalanceRequest__Output, _quorumq_v1_RebalanceResponse>;
  
  /**
   * Remove a node from the cluster (voter or learner).
   */
  RemoveNode: grpc.handleUnaryCall<_quorumq_v1_RemoveNodeRequest__Output, _quorumq_v1_RemoveNodeResponse>;
  
  RemoveSchedule: grpc.handleUnaryCall<_quorumq_v1_RemoveScheduleRequest__Output, _quorumq_v1_RemoveScheduleResponse>;
  
  RemoveUser: grpc.handleUnaryCall<_quorumq_v1_RemoveUserRequest__Output, _quorumq_v1_RemoveUserResponse>;
  
  /**
   * Move up to `max` dead letters back to the end of the queue.
   */
  ReplayDeadLetters: grpc.handleUnaryCall<_quorumq_v1_ReplayDeadLettersRequest__Output, _quorumq_v1_ReplayDeadLettersResponse>;
  
  /**
   * A new token for the user; the old one stops working on every node once applied.
   */
  RotateToken: grpc.handleUnaryCall<_quorumq_v1_RotateTokenRequest__Output, _quorumq_v1_RotateTokenResponse>;
  
  /**
   * Replaces the user's permissions with `permissions`.
   */
  SetPermissions: grpc.handleUnaryCall<_quorumq_v1_SetPermissionsRequest__Output, _quorumq_v1_SetPermissionsResponse>;
  
  /**
   * Settle deliveries of a consumer by tag: a pull consumer's, or a Consume
   * call's (from outside the call).
   */
  Settle: grpc.handleUnaryCall<_quorumq_v1_SettleRequest__Output, _quorumq_v1_SettleResponse>;
  
  /**
   * One stream: settings, first and last offset, count, bytes, and per node
   * how far it has the stream.
   */
  StreamInfo: grpc.handleUnaryCall<_quorumq_v1_StreamInfoRequest__Output, _quorumq_v1_StreamInfoResponse>;
  
  /**
   * Follow a stream. The first request names the stream and where to start
   * and may grant credit; later requests only grant more credit (number of
   * messages). The server sends at most as many messages as credit granted.
   * When the stream is deleted the server sends a response with `ended` set
   * and ends the call with OK. A client that closes its sending side (after
   * the first request or later) can grant no more credit: the server then
   * sends without a credit limit, paced by the connection's flow control,
   * until it ends the call — so `Subscribe(iter([request]))` just works.
   * Errors in the first request (an unknown stream: NOT_FOUND) end the call
   * at once.
   */
  Subscribe: grpc.handleBidiStreamingCall<_quorumq_v1_SubscribeRequest__Output, _quorumq_v1_SubscribeResponse>;
  
  /**
   * A transaction: publishes through exchanges, publishes to queues, appends
   * to streams and settles of delivered messages, applied all or none in one
   * log entry — a consumer sees every message of it or none, and an ack in
   * it takes effect exactly when its publishes do. A settle of a delivery
   * the consumer no longer holds (settled, or returned after a timeout or
   * disconnect) fails the whole transaction with FAILED_PRECONDITION, so a
   * consume-transform-publish step is applied exactly once. With a producer
   * id and sequence, a retry after a leader change is answered duplicate and
   * applies nothing again.
   */
  Transact: grpc.handleUnaryCall<_quorumq_v1_TransactRequest__Output, _quorumq_v1_TransactResponse>;
  
  /**
   * Hand leadership to another voter. Returns once the target leads; if
   * leadership lands elsewhere meanwhile (another transfer, an election), the
   * request is repeated to the new leader, so concurrent calls each end when
   * their own target leads (or at the deadline).
   */
  TransferLeader: grpc.handleUnaryCall<_quorumq_v1_TransferLeaderRequest__Output, _quorumq_v1_TransferLeaderResponse>;
  
  /**
   * Remove a binding (the same fields as Bind). NOT_FOUND when there is none.
   */
  Unbind: grpc.handleUnaryCall<_quorumq_v1_BindRequest__Output, _quorumq_v1_UnbindResponse>;
  
  /**
   * Who the caller is authenticated as, and whether this node checks.
   */
  WhoAmI: grpc.handleUnaryCall<_quorumq_v1_WhoAmIRequest__Output, _quorumq_v1_WhoAmIResponse>;
  
}

export interface BrokerDefinition extends grpc.ServiceDefinition {
  AddNode: MethodDefinition<_quorumq_v1_AddNodeRequest, _quorumq_v1_AddNodeResponse, _quorumq_v1_AddNodeRequest__Output, _quorumq_v1_AddNodeResponse__Output>
  AddSchedule: MethodDefinition<_quorumq_v1_AddScheduleRequest, _quorumq_v1_AddScheduleResponse, _quorumq_v1_AddScheduleRequest__Output, _quorumq_v1_AddScheduleResponse__Output>
  AddUser: MethodDefinition<_quorumq_v1_AddUserRequest, _quorumq_v1_AddUserResponse, _quorumq_v1_AddUserRequest__Output, _quorumq_v1_AddUserResponse__Output>
  Append: MethodDefinition<_quorumq_v1_AppendRequest, _quorumq_v1_AppendResponse, _quorumq_v1_AppendRequest__Output, _quorumq_v1_AppendResponse__Output>
  AppendStream: MethodDefinition<_quorumq_v1_AppendRequest, _quorumq_v1_AppendResponse, _quorumq_v1_AppendRequest__Output, _quorumq_v1_AppendResponse__Output>
  Bind: MethodDefinition<_quorumq_v1_BindRequest, _quorumq_v1_BindResponse, _quorumq_v1_BindRequest__Output, _quorumq_v1_BindResponse__Output>
  ClusterStatus: MethodDefinition<_quorumq_v1_ClusterStatusRequest, _quorumq_v1_ClusterStatusResponse, _quorumq_v1_ClusterStatusRequest__Output, _quorumq_v1_ClusterStatusResponse__Output>
  CommitOffset: MethodDefinition<_quorumq_v1_CommitOffsetRequest, _quorumq_v1_CommitOffsetResponse, _quorumq_v1_CommitOffsetRequest__Output, _quorumq_v1_CommitOffsetResponse__Output>
  Consume: MethodDefinition<_quorumq_v1_ConsumeRequest, _quorumq_v1_ConsumeResponse, _quorumq_v1_ConsumeRequest__Output, _quorumq_v1_ConsumeResponse__Output>
  DeclareExchange: MethodDefinition<_quorumq_v1_DeclareExchangeRequest, _quorumq_v1_DeclareExchangeResponse, _quorumq_v1_DeclareExchangeRequest__Output, _quorumq_v1_DeclareExchangeResponse__Output>
  DeclareQueue: MethodDefinition<_quorumq_v1_DeclareQueueRequest, _quorumq_v1_DeclareQueueResponse, _quorumq_v1_DeclareQueueRequest__Output, _quorumq_v1_DeclareQueueResponse__Output>
  DeclareStream: MethodDefinition<_quorumq_v1_DeclareStreamRequest, _quorumq_v1_DeclareStreamResponse, _quorumq_v1_DeclareStreamRequest__Output, _quorumq_v1_DeclareStreamResponse__Output>
  DeleteExchange: MethodDefinition<_quorumq_v1_DeleteExchangeRequest, _quorumq_v1_DeleteExchangeResponse, _quorumq_v1_DeleteExchangeRequest__Output, _quorumq_v1_DeleteExchangeResponse__Output>
  DeleteQueue: MethodDefinition<_quorumq_v1_DeleteQueueRequest, _quorumq_v1_DeleteQueueResponse, _quorumq_v1_DeleteQueueRequest__Output, _quorumq_v1_DeleteQueueResponse__Output>
  DeleteStream: MethodDefinition<_quorumq_v1_DeleteStreamRequest, _quorumq_v1_DeleteStreamResponse, _quorumq_v1_DeleteStreamRequest__Output, _quorumq_v1_DeleteStreamResponse__Output>
  ExchangeInfo: MethodDefinition<_quorumq_v1_ExchangeInfoRequest, _quorumq_v1_ExchangeInfoResponse, _quorumq_v1_ExchangeInfoRequest__Output, _quorumq_v1_ExchangeInfoResponse__Output>
  Get: MethodDefinition<_quorumq_v1_GetRequest, _quorumq_v1_GetResponse, _quorumq_v1_GetRequest__Output, _quorumq_v1_GetResponse__Output>
  GetMessages: MethodDefinition<_quorumq_v1_GetMessagesRequest, _quorumq_v1_GetMessagesResponse, _quorumq_v1_GetMessagesRequest__Output, _quorumq_v1_GetMessagesResponse__Output>
  GetOffset: MethodDefinition<_quorumq_v1_GetOffsetRequest, _quorumq_v1_GetOffsetResponse, _quorumq_v1_GetOffsetRequest__Output, _quorumq_v1_GetOffsetResponse__Output>
  ListDeadLetters: MethodDefinition<_quorumq_v1_ListDeadLettersRequest, _quorumq_v1_ListDeadLettersResponse, _quorumq_v1_ListDeadLettersRequest__Output, _quorumq_v1_ListDeadLettersResponse__Output>
  ListExchanges: MethodDefinition<_quorumq_v1_ListExchangesRequest, _quorumq_v1_ListExchangesResponse, _quorumq_v1_ListExchangesRequest__Output, _quorumq_v1_ListExchangesResponse__Output>
  ListQueues: MethodDefinition<_quorumq_v1_ListQueuesRequest, _quorumq_v1_ListQueuesResponse, _quorumq_v1_ListQueuesRequest__Output, _quorumq_v1_ListQueuesResponse__Output>
  ListSchedules: MethodDefinition<_quorumq_v1_ListSchedulesRequest, _quorumq_v1_ListSchedulesResponse, _quorumq_v1_ListSchedulesRequest__Output, _quorumq_v1_ListSchedulesResponse__Output>
  ListStreams: MethodDefinition<_quorumq_v1_ListStreamsRequest, _quorumq_v1_ListStreamsResponse, _quorumq_v1_ListStreamsRequest__Output, _quorumq_v1_ListStreamsResponse__Output>
  ListUsers: MethodDefinition<_quorumq_v1_ListUsersRequest, _quorumq_v1_ListUsersResponse, _quorumq_v1_ListUsersRequest__Output, _quorumq_v1_ListUsersResponse__Output>
  Placement: MethodDefinition<_quorumq_v1_PlacementRequest, _quorumq_v1_PlacementResponse, _quorumq_v1_PlacementRequest__Output, _quorumq_v1_PlacementResponse__Output>
  Publish: MethodDefinition<_quorumq_v1_PublishRequest, _quorumq_v1_PublishResponse, _quorumq_v1_PublishRequest__Output, _quorumq_v1_PublishResponse__Output>
  PublishStream: MethodDefinition<_quorumq_v1_PublishRequest, _quorumq_v1_PublishResponse, _quorumq_v1_PublishRequest__Output, _quorumq_v1_PublishResponse__Output>
  PublishToExchange: MethodDefinition<_quorumq_v1_ExchangePublishRequest, _quorumq_v1_ExchangePublishResponse, _quorumq_v1_ExchangePublishRequest__Output, _quorumq_v1_ExchangePublishResponse__Output>
  PurgeDeadLetters: MethodDefinition<_quorumq_v1_PurgeDeadLettersRequest, _quorumq_v1_PurgeDeadLettersResponse, _quorumq_v1_PurgeDeadLettersRequest__Output, _quorumq_v1_PurgeDeadLettersResponse__Output>
  PurgeQueue: MethodDefinition<_quorumq_v1_PurgeQueueRequest, _quorumq_v1_PurgeQueueResponse, _quorumq_v1_PurgeQueueRequest__Output, _quorumq_v1_PurgeQueueResponse__Output>
  Put: MethodDefinition<_quorumq_v1_PutRequest, _quorumq_v1_PutResponse, _quorumq_v1_PutRequest__Output, _quorumq_v1_PutResponse__Output>
  QueueInfo: MethodDefinition<_quorumq_v1_QueueInfoRequest, _quorumq_v1_QueueInfoResponse, _quorumq_v1_QueueInfoRequest__Output, _quorumq_v1_QueueInfoResponse__Output>
  Read: MethodDefinition<_quorumq_v1_ReadRequest, _quorumq_v1_ReadResponse, _quorumq_v1_ReadRequest__Output, _quorumq_v1_ReadResponse__Output>
  Rebalance: MethodDefinition<_quorumq_v1_RebalanceRequest, _quorumq_v1_RebalanceResponse, _quorumq_v1_RebalanceRequest__Output, _quorumq_v1_RebalanceResponse__Output>
  RemoveNode: MethodDefinition<_quorumq_v1_RemoveNodeRequest, _quorumq_v1_RemoveNodeResponse, _quorumq_v1_RemoveNodeRequest__Output, _quorumq_v1_RemoveNodeResponse__Output>
  RemoveSchedule: MethodDefinition<_quorumq_v1_RemoveScheduleRequest, _quorumq_v1_RemoveScheduleResponse, _quorumq_v1_RemoveScheduleRequest__Output, _quorumq_v1_RemoveScheduleResponse__Output>
  RemoveUser: MethodDefinition<_quorumq_v1_RemoveUserRequest, _quorumq_v1_RemoveUserResponse, _quorumq_v1_RemoveUserRequest__Output, _quorumq_v1_RemoveUserResponse__Output>
  ReplayDeadLetters: MethodDefinition<_quorumq_v1_ReplayDeadLettersRequest, _quorumq_v1_ReplayDeadLettersResponse, _quorumq_v1_ReplayDeadLettersRequest__Output, _quorumq_v1_ReplayDeadLettersResponse__Output>
  RotateToken: MethodDefinition<_quorumq_v1_RotateTokenRequest, _quorumq_v1_RotateTokenResponse, _quorumq_v1_RotateTokenRequest__Output, _quorumq_v1_RotateTokenResponse__Output>
  SetPermissions: MethodDefinition<_quorumq_v1_SetPermissionsRequest, _quorumq_v1_SetPermissionsResponse, _quorumq_v1_SetPermissionsRequest__Output, _quorumq_v1_SetPermissionsResponse__Output>
  Settle: MethodDefinition<_quorumq_v1_SettleRequest, _quorumq_v1_SettleResponse, _quorumq_v1_SettleRequest__Output, _quorumq_v1_SettleResponse__Output>
  StreamInfo: MethodDefinition<_quorumq_v1_StreamInfoRequest, _quorumq_v1_StreamInfoResponse, _quorumq_v1_StreamInfoRequest__Output, _quorumq_v1_StreamInfoResponse__Output>
  Subscribe: MethodDefinition<_quorumq_v1_SubscribeRequest, _quorumq_v1_SubscribeResponse, _quorumq_v1_SubscribeRequest__Output, _quorumq_v1_SubscribeResponse__Output>
  Transact: MethodDefinition<_quorumq_v1_TransactRequest, _quorumq_v1_TransactResponse, _quorumq_v1_TransactRequest__Output, _quorumq_v1_TransactResponse__Output>
  TransferLeader: MethodDefinition<_quorumq_v1_TransferLeaderRequest, _quorumq_v1_TransferLeaderResponse, _quorumq_v1_TransferLeaderRequest__Output, _quorumq_v1_TransferLeaderResponse__Output>
  Unbind: MethodDefinition<_quorumq_v1_BindRequest, _quorumq_v1_UnbindResponse, _quorumq_v1_BindRequest__Output, _quorumq_v1_UnbindResponse__Output>
  WhoAmI: MethodDefinition<_quorumq_v1_WhoAmIRequest, _quorumq_v1_WhoAmIResponse, _quorumq_v1_WhoAmIRequest__Output, _quorumq_v1_WhoAmIResponse__Output>
}
