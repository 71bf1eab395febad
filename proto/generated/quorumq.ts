import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { AddNodeRequest as _quorumq_v1_AddNodeRequest, AddNodeRequest__Output as _quorumq_v1_AddNodeRequest__Output } from './quorumq/v1/AddNodeRequest.js';
import type { AddNodeResponse as _quorumq_v1_AddNodeResponse, AddNodeResponse__Output as _quorumq_v1_AddNodeResponse__Output } from './quorumq/v1/AddNodeResponse.js';
import type { AddScheduleRequest as _quorumq_v1_AddScheduleRequest, AddScheduleRequest__Output as _quorumq_v1_AddScheduleRequest__Output } from './quorumq/v1/AddScheduleRequest.js';
import type { AddScheduleResponse as _quorumq_v1_AddScheduleResponse, AddScheduleResponse__Output as _quorumq_v1_AddScheduleResponse__Output } from './quorumq/v1/AddScheduleResponse.js';
import type { AddUserRequest as _quorumq_v1_AddUserRequest, AddUserRequest__Output as _quorumq_v1_AddUserRequest__Output } from './quorumq/v1/AddUserRequest.js';
import type { AddUserResponse as _quorumq_v1_AddUserResponse, AddUserResponse__Output as _quorumq_v1_AddUserResponse__Output } from './quorumq/v1/AddUserResponse.js';
import type { AppendRequest as _quorumq_v1_AppendRequest, AppendRequest__Output as _quorumq_v1_AppendRequest__Output } from './quorumq/v1/AppendRequest.js';
import type { AppendResponse as _quorumq_v1_AppendResponse, AppendResponse__Output as _quorumq_v1_AppendResponse__Output } from './quorumq/v1/AppendResponse.js';
import type { BindRequest as _quorumq_v1_BindRequest, BindRequest__Output as _quorumq_v1_BindRequest__Output } from './quorumq/v1/BindRequest.js';
import type { BindResponse as _quorumq_v1_BindResponse, BindResponse__Output as _quorumq_v1_BindResponse__Output } from './quorumq/v1/BindResponse.js';
import type { BindingInfo as _quorumq_v1_BindingInfo, BindingInfo__Output as _quorumq_v1_BindingInfo__Output } from './quorumq/v1/BindingInfo.js';
import type { BrokerClient as _quorumq_v1_BrokerClient, BrokerDefinition as _quorumq_v1_BrokerDefinition } from './quorumq/v1/Broker.js';
import type { ClusterStatusRequest as _quorumq_v1_ClusterStatusRequest, ClusterStatusRequest__Output as _quorumq_v1_ClusterStatusRequest__Output } from './quorumq/v1/ClusterStatusRequest.js';
import type { ClusterStatusResponse as _quorumq_v1_ClusterStatusResponse, ClusterStatusResponse__Output as _quorumq_v1_ClusterStatusResponse__Output } from './quorumq/v1/ClusterStatusResponse.js';
import type { CommitOffsetRequest as _quorumq_v1_CommitOffsetRequest, CommitOffsetRequest__Output as _quorumq_v1_CommitOffsetRequest__Output } from './quorumq/v1/CommitOffsetRequest.js';
import type { CommitOffsetResponse as _quorumq_v1_CommitOffsetResponse, CommitOffsetResponse__Output as _quorumq_v1_CommitOffsetResponse__Output } from './quorumq/v1/CommitOffsetResponse.js';
import type { ConfState as _quorumq_v1_ConfState, ConfState__Output as _quorumq_v1_ConfState__Output } from './quorumq/v1/ConfState.js';
import type { ConsumeRequest as _quorumq_v1_ConsumeRequest, ConsumeRequest__Output as _quorumq_v1_ConsumeRequest__Output } from './quorumq/v1/ConsumeRequest.js';
import type { ConsumeResponse as _quorumq_v1_ConsumeResponse, ConsumeResponse__Output as _quorumq_v1_ConsumeResponse__Output } from './quorumq/v1/ConsumeResponse.js';
import type { DeadLetter as _quorumq_v1_DeadLetter, DeadLetter__Output as _quorumq_v1_DeadLetter__Output } from './quorumq/v1/DeadLetter.js';
import type { DeclareExchangeRequest as _quorumq_v1_DeclareExchangeRequest, DeclareExchangeRequest__Output as _quorumq_v1_DeclareExchangeRequest__Output } from './quorumq/v1/DeclareExchangeRequest.js';
import type { DeclareExchangeResponse as _quorumq_v1_DeclareExchangeResponse, DeclareExchangeResponse__Output as _quorumq_v1_DeclareExchangeResponse__Output } from './quorumq/v1/DeclareExchangeResponse.js';
import type { DeclareQueueRequest as _quorumq_v1_DeclareQueueRequest, DeclareQueueRequest__Output as _quorumq_v1_DeclareQueueRequest__Output } from './quorumq/v1/DeclareQueueRequest.js';
import type { DeclareQueueResponse as _quorumq_v1_DeclareQueueResponse, DeclareQueueResponse__Output as _quorumq_v1_DeclareQueueResponse__Output } from './quorumq/v1/DeclareQueueResponse.js';
import type { DeclareStreamRequest as _quorumq_v1_DeclareStreamRequest, DeclareStreamRequest__Output as _quorumq_v1_DeclareStreamRequest__Output } from './quorumq/v1/DeclareStreamRequest.js';
import type { DeclareStreamResponse as _quorumq_v1_DeclareStreamResponse, DeclareStreamResponse__Output as _quorumq_v1_DeclareStreamResponse__Output } from './quorumq/v1/DeclareStreamResponse.js';
import type { DeleteExchangeRequest as _quorumq_v1_DeleteExchangeRequest, DeleteExchangeRequest__Output as _quorumq_v1_DeleteExchangeRequest__Output } from './quorumq/v1/DeleteExchangeRequest.js';
import type { DeleteExchangeResponse as _quorumq_v1_DeleteExchangeResponse, DeleteExchangeResponse__Output as _quorumq_v1_DeleteExchangeResponse__Output } from './quorumq/v1/DeleteExchangeResponse.js';
import type { DeleteQueueRequest as _quorumq_v1_DeleteQueueRequest, DeleteQueueRequest__Output as _quorumq_v1_DeleteQueueRequest__Output } from './quorumq/v1/DeleteQueueRequest.js';
import type { DeleteQueueResponse as _quorumq_v1_DeleteQueueResponse, DeleteQueueResponse__Output as _quorumq_v1_DeleteQueueResponse__Output } from './quorumq/v1/DeleteQueueResponse.js';
import type { DeleteStreamRequest as _quorumq_v1_DeleteStreamRequest, DeleteStreamRequest__Output as _quorumq_v1_DeleteStreamRequest__Output } from './quorumq/v1/DeleteStreamRequest.js';
import type { DeleteStreamResponse as _quorumq_v1_DeleteStreamResponse, DeleteStreamResponse__Output as _quorumq_v1_DeleteStreamResponse__Output } from './quorumq/v1/DeleteStreamResponse.js';
import type { Delivery as _quorumq_v1_Delivery, Delivery__Output as _quorumq_v1_Delivery__Output } from './quorumq/v1/Delivery.js';
import type { Entry as _quorumq_v1_Entry, Entry__Output as _quorumq_v1_Entry__Output } from './quorumq/v1/Entry.js';
import type { ExchangeInfoRequest as _quorumq_v1_ExchangeInfoRequest, ExchangeInfoRequest__Output as _quorumq_v1_ExchangeInfoRequest__Output } from './quorumq/v1/ExchangeInfoRequest.js';
import type { ExchangeInfoResponse as _quorumq_v1_ExchangeInfoResponse, ExchangeInfoResponse__Output as _quorumq_v1_ExchangeInfoResponse__Output } from './quorumq/v1/ExchangeInfoResponse.js';
import type { ExchangePublishRequest as _quorumq_v1_ExchangePublishRequest, ExchangePublishRequest__Output as _quorumq_v1_ExchangePublishRequest__Output } from './quorumq/v1/ExchangePublishRequest.js';
import type { ExchangePublishResponse as _quorumq_v1_ExchangePublishResponse, ExchangePublishResponse__Output as _quorumq_v1_ExchangePublishResponse__Output } from './quorumq/v1/ExchangePublishResponse.js';
import type { ForwardRequest as _quorumq_v1_ForwardRequest, ForwardRequest__Output as _quorumq_v1_ForwardRequest__Output } from './quorumq/v1/ForwardRequest.js';
import type { ForwardResponse as _quorumq_v1_ForwardResponse, ForwardResponse__Output as _quorumq_v1_ForwardResponse__Output } from './quorumq/v1/ForwardResponse.js';
import type { GetMessagesRequest as _quorumq_v1_GetMessagesRequest, GetMessagesRequest__Output as _quorumq_v1_GetMessagesRequest__Output } from './quorumq/v1/GetMessagesRequest.js';
import type { GetMessagesResponse as _quorumq_v1_GetMessagesResponse, GetMessagesResponse__Output as _quorumq_v1_GetMessagesResponse__Output } from './quorumq/v1/GetMessagesResponse.js';
import type { GetOffsetRequest as _quorumq_v1_GetOffsetRequest, GetOffsetRequest__Output as _quorumq_v1_GetOffsetRequest__Output } from './quorumq/v1/GetOffsetRequest.js';
import type { GetOffsetResponse as _quorumq_v1_GetOffsetResponse, GetOffsetResponse__Output as _quorumq_v1_GetOffsetResponse__Output } from './quorumq/v1/GetOffsetResponse.js';
import type { GetRequest as _quorumq_v1_GetRequest, GetRequest__Output as _quorumq_v1_GetRequest__Output } from './quorumq/v1/GetRequest.js';
import type { GetResponse as _quorumq_v1_GetResponse, GetResponse__Output as _quorumq_v1_GetResponse__Output } from './quorumq/v1/GetResponse.js';
import type { GroupCount as _quorumq_v1_GroupCount, GroupCount__Output as _quorumq_v1_GroupCount__Output } from './quorumq/v1/GroupCount.js';
import type { GroupPlan as _quorumq_v1_GroupPlan, GroupPlan__Output as _quorumq_v1_GroupPlan__Output } from './quorumq/v1/GroupPlan.js';
import type { GroupSummary as _quorumq_v1_GroupSummary, GroupSummary__Output as _quorumq_v1_GroupSummary__Output } from './quorumq/v1/GroupSummary.js';
import type { Header as _quorumq_v1_Header, Header__Output as _quorumq_v1_Header__Output } from './quorumq/v1/Header.js';
import type { ListDeadLettersRequest as _quorumq_v1_ListDeadLettersRequest, ListDeadLettersRequest__Output as _quorumq_v1_ListDeadLettersRequest__Output } from './quorumq/v1/ListDeadLettersRequest.js';
import type { ListDeadLettersResponse as _quorumq_v1_ListDeadLettersResponse, ListDeadLettersResponse__Output as _quorumq_v1_ListDeadLettersResponse__Output } from './quorumq/v1/ListDeadLettersResponse.js';
import type { ListExchangesRequest as _quorumq_v1_ListExchangesRequest, ListExchangesRequest__Output as _quorumq_v1_ListExchangesRequest__Output } from './quorumq/v1/ListExchangesRequest.js';
import type { ListExchangesResponse as _quorumq_v1_ListExchangesResponse, ListExchangesResponse__Output as _quorumq_v1_ListExchangesResponse__Output } from './quorumq/v1/ListExchangesResponse.js';
import type { ListQueuesRequest as _quorumq_v1_ListQueuesRequest, ListQueuesRequest__Output as _quorumq_v1_ListQueuesRequest__Output } from './quorumq/v1/ListQueuesRequest.js';
import type { ListQueuesResponse as _quorumq_v1_ListQueuesResponse, ListQueuesResponse__Output as _quorumq_v1_ListQueuesResponse__Output } from './quorumq/v1/ListQueuesResponse.js';
import type { ListSchedulesRequest as _quorumq_v1_ListSchedulesRequest, ListSchedulesRequest__Output as _quorumq_v1_ListSchedulesRequest__Output } from './quorumq/v1/ListSchedulesRequest.js';
import type { ListSchedulesResponse as _quorumq_v1_ListSchedulesResponse, ListSchedulesResponse__Output as _quorumq_v1_ListSchedulesResponse__Output } from './quorumq/v1/ListSchedulesResponse.js';
import type { ListStreamsRequest as _quorumq_v1_ListStreamsRequest, ListStreamsRequest__Output as _quorumq_v1_ListStreamsRequest__Output } from './quorumq/v1/ListStreamsRequest.js';
import type { ListStreamsResponse as _quorumq_v1_ListStreamsResponse, ListStreamsResponse__Output as _quorumq_v1_ListStreamsResponse__Output } from './quorumq/v1/ListStreamsResponse.js';
import type { ListUsersRequest as _quorumq_v1_ListUsersRequest, ListUsersRequest__Output as _quorumq_v1_ListUsersRequest__Output } from './quorumq/v1/ListUsersRequest.js';
import type { ListUsersResponse as _quorumq_v1_ListUsersResponse, ListUsersResponse__Output as _quorumq_v1_ListUsersResponse__Output } from './quorumq/v1/ListUsersResponse.js';
import type { MemberStatus as _quorumq_v1_MemberStatus, MemberStatus__Output as _quorumq_v1_MemberStatus__Output } from './quorumq/v1/MemberStatus.js';
import type { MessageBatch as _quorumq_v1_MessageBatch, MessageBatch__Output as _quorumq_v1_MessageBatch__Output } from './quorumq/v1/MessageBatch.js';
import type { NodeGroupStatus as _quorumq_v1_NodeGroupStatus, NodeGroupStatus__Output as _quorumq_v1_NodeGroupStatus__Output } from './quorumq/v1/NodeGroupStatus.js';
import type { NodeLeaders as _quorumq_v1_NodeLeaders, NodeLeaders__Output as _quorumq_v1_NodeLeaders__Output } from './quorumq/v1/NodeLeaders.js';
import type { NodeStatusRequest as _quorumq_v1_NodeStatusRequest, NodeStatusRequest__Output as _quorumq_v1_NodeStatusRequest__Output } from './quorumq/v1/NodeStatusRequest.js';
import type { NodeStatusResponse as _quorumq_v1_NodeStatusResponse, NodeStatusResponse__Output as _quorumq_v1_NodeStatusResponse__Output } from './quorumq/v1/NodeStatusResponse.js';
import type { NodeStreamOffset as _quorumq_v1_NodeStreamOffset, NodeStreamOffset__Output as _quorumq_v1_NodeStreamOffset__Output } from './quorumq/v1/NodeStreamOffset.js';
import type { PartitionConsumeRequest as _quorumq_v1_PartitionConsumeRequest, PartitionConsumeRequest__Output as _quorumq_v1_PartitionConsumeRequest__Output } from './quorumq/v1/PartitionConsumeRequest.js';
import type { PartitionPlacement as _quorumq_v1_PartitionPlacement, PartitionPlacement__Output as _quorumq_v1_PartitionPlacement__Output } from './quorumq/v1/PartitionPlacement.js';
import type { PartitionReadRequest as _quorumq_v1_PartitionReadRequest, PartitionReadRequest__Output as _quorumq_v1_PartitionReadRequest__Output } from './quorumq/v1/PartitionReadRequest.js';
import type { PartitionReadResponse as _quorumq_v1_PartitionReadResponse, PartitionReadResponse__Output as _quorumq_v1_PartitionReadResponse__Output } from './quorumq/v1/PartitionReadResponse.js';
import type { PeerProgress as _quorumq_v1_PeerProgress, PeerProgress__Output as _quorumq_v1_PeerProgress__Output } from './quorumq/v1/PeerProgress.js';
import type { Permissions as _quorumq_v1_Permissions, Permissions__Output as _quorumq_v1_Permissions__Output } from './quorumq/v1/Permissions.js';
import type { PlacementRequest as _quorumq_v1_PlacementRequest, PlacementRequest__Output as _quorumq_v1_PlacementRequest__Output } from './quorumq/v1/PlacementRequest.js';
import type { PlacementResponse as _quorumq_v1_PlacementResponse, PlacementResponse__Output as _quorumq_v1_PlacementResponse__Output } from './quorumq/v1/PlacementResponse.js';
import type { PriorityCount as _quorumq_v1_PriorityCount, PriorityCount__Output as _quorumq_v1_PriorityCount__Output } from './quorumq/v1/PriorityCount.js';
import type { PublishRequest as _quorumq_v1_PublishRequest, PublishRequest__Output as _quorumq_v1_PublishRequest__Output } from './quorumq/v1/PublishRequest.js';
import type { PublishResponse as _quorumq_v1_PublishResponse, PublishResponse__Output as _quorumq_v1_PublishResponse__Output } from './quorumq/v1/PublishResponse.js';
import type { PurgeDeadLettersRequest as _quorumq_v1_PurgeDeadLettersRequest, PurgeDeadLettersRequest__Output as _quorumq_v1_PurgeDeadLettersRequest__Output } from './quorumq/v1/PurgeDeadLettersRequest.js';
import type { PurgeDeadLettersResponse as _quorumq_v1_PurgeDeadLettersResponse, PurgeDeadLettersResponse__Output as _quorumq_v1_PurgeDeadLettersResponse__Output } from './quorumq/v1/PurgeDeadLettersResponse.js';
import type { PurgeQueueRequest as _quorumq_v1_PurgeQueueRequest, PurgeQueueRequest__Output as _quorumq_v1_PurgeQueueRequest__Output } from './quorumq/v1/PurgeQueueRequest.js';
import type { PurgeQueueResponse as _quorumq_v1_PurgeQueueResponse, PurgeQueueResponse__Output as _quorumq_v1_PurgeQueueResponse__Output } from './quorumq/v1/PurgeQueueResponse.js';
import type { PutRequest as _quorumq_v1_PutRequest, PutRequest__Output as _quorumq_v1_PutRequest__Output } from './quorumq/v1/PutRequest.js';
import type { PutResponse as _quorumq_v1_PutResponse, PutResponse__Output as _quorumq_v1_PutResponse__Output } from './quorumq/v1/PutResponse.js';
import type { QueueInfoRequest as _quorumq_v1_QueueInfoRequest, QueueInfoRequest__Output as _quorumq_v1_QueueInfoRequest__Output } from './quorumq/v1/QueueInfoRequest.js';
import type { QueueInfoResponse as _quorumq_v1_QueueInfoResponse, QueueInfoResponse__Output as _quorumq_v1_QueueInfoResponse__Output } from './quorumq/v1/QueueInfoResponse.js';
import type { QueueMessage as _quorumq_v1_QueueMessage, QueueMessage__Output as _quorumq_v1_QueueMessage__Output } from './quorumq/v1/QueueMessage.js';
import type { QueueSettings as _quorumq_v1_QueueSettings, QueueSettings__Output as _quorumq_v1_QueueSettings__Output } from './quorumq/v1/QueueSettings.js';
import type { RaftClient as _quorumq_v1_RaftClient, RaftDefinition as _quorumq_v1_RaftDefinition } from './quorumq/v1/Raft.js';
import type { RaftMessage as _quorumq_v1_RaftMessage, RaftMessage__Output as _quorumq_v1_RaftMessage__Output } from './quorumq/v1/RaftMessage.js';
import type { ReadRequest as _quorumq_v1_ReadRequest, ReadRequest__Output as _quorumq_v1_ReadRequest__Output } from './quorumq/v1/ReadRequest.js';
import type { ReadResponse as _quorumq_v1_ReadResponse, ReadResponse__Output as _quorumq_v1_ReadResponse__Output } from './quorumq/v1/ReadResponse.js';
import type { RebalanceRequest as _quorumq_v1_RebalanceRequest, RebalanceRequest__Output as _quorumq_v1_RebalanceRequest__Output } from './quorumq/v1/RebalanceRequest.js';
import type { RebalanceResponse as _quorumq_v1_RebalanceResponse, RebalanceResponse__Output as _quorumq_v1_RebalanceResponse__Output } from './quorumq/v1/RebalanceResponse.js';
import type { RemoveNodeRequest as _quorumq_v1_RemoveNodeRequest, RemoveNodeRequest__Output as _quorumq_v1_RemoveNodeRequest__Output } from './quorumq/v1/RemoveNodeRequest.js';
import type { RemoveNodeResponse as _quorumq_v1_RemoveNodeResponse, RemoveNodeResponse__Output as _quorumq_v1_RemoveNodeResponse__Output } from './quorumq/v1/RemoveNodeResponse.js';
import type { RemoveScheduleRequest as _quorumq_v1_RemoveScheduleRequest, RemoveScheduleRequest__Output as _quorumq_v1_RemoveScheduleRequest__Output } from './quorumq/v1/RemoveScheduleRequest.js';
import type { RemoveScheduleResponse as _quorumq_v1_RemoveScheduleResponse, RemoveScheduleResponse__Output as _quorumq_v1_RemoveScheduleResponse__Output } from './quorumq/v1/RemoveScheduleResponse.js';
import type { RemoveUserRequest as _quorumq_v1_RemoveUserRequest, RemoveUserRequest__Output as _quorumq_v1_RemoveUserRequest__Output } from './quorumq/v1/RemoveUserRequest.js';
import type { RemoveUserResponse as _quorumq_v1_RemoveUserResponse, RemoveUserResponse__Output as _quorumq_v1_RemoveUserResponse__Output } from './quorumq/v1/RemoveUserResponse.js';
import type { ReplayDeadLettersRequest as _quorumq_v1_ReplayDeadLettersRequest, ReplayDeadLettersRequest__Output as _quorumq_v1_ReplayDeadLettersRequest__Output } from './quorumq/v1/ReplayDeadLettersRequest.js';
import type { ReplayDeadLettersResponse as _quorumq_v1_ReplayDeadLettersResponse, ReplayDeadLettersResponse__Output as _quorumq_v1_ReplayDeadLettersResponse__Output } from './quorumq/v1/ReplayDeadLettersResponse.js';
import type { RotateTokenRequest as _quorumq_v1_RotateTokenRequest, RotateTokenRequest__Output as _quorumq_v1_RotateTokenRequest__Output } from './quorumq/v1/RotateTokenRequest.js';
import type { RotateTokenResponse as _quorumq_v1_RotateTokenResponse, RotateTokenResponse__Output as _quorumq_v1_RotateTokenResponse__Output } from './quorumq/v1/RotateTokenResponse.js';
import type { ScheduleInfo as _quorumq_v1_ScheduleInfo, ScheduleInfo__Output as _quorumq_v1_ScheduleInfo__Output } from './quorumq/v1/ScheduleInfo.js';
import type { SendSummary as _quorumq_v1_SendSummary, SendSummary__Output as _quorumq_v1_SendSummary__Output } from './quorumq/v1/SendSummary.js';
import type { SetPermissionsRequest as _quorumq_v1_SetPermissionsRequest, SetPermissionsRequest__Output as _quorumq_v1_SetPermissionsRequest__Output } from './quorumq/v1/SetPermissionsRequest.js';
import type { SetPermissionsResponse as _quorumq_v1_SetPermissionsResponse, SetPermissionsResponse__Output as _quorumq_v1_SetPermissionsResponse__Output } from './quorumq/v1/SetPermissionsResponse.js';
import type { SettleRequest as _quorumq_v1_SettleRequest, SettleRequest__Output as _quorumq_v1_SettleRequest__Output } from './quorumq/v1/SettleRequest.js';
import type { SettleResponse as _quorumq_v1_SettleResponse, SettleResponse__Output as _quorumq_v1_SettleResponse__Output } from './quorumq/v1/SettleResponse.js';
import type { SnapshotAck as _quorumq_v1_SnapshotAck, SnapshotAck__Output as _quorumq_v1_SnapshotAck__Output } from './quorumq/v1/SnapshotAck.js';
import type { SnapshotChunk as _quorumq_v1_SnapshotChunk, SnapshotChunk__Output as _quorumq_v1_SnapshotChunk__Output } from './quorumq/v1/SnapshotChunk.js';
import type { SnapshotMeta as _quorumq_v1_SnapshotMeta, SnapshotMeta__Output as _quorumq_v1_SnapshotMeta__Output } from './quorumq/v1/SnapshotMeta.js';
import type { StreamInfoRequest as _quorumq_v1_StreamInfoRequest, StreamInfoRequest__Output as _quorumq_v1_StreamInfoRequest__Output } from './quorumq/v1/StreamInfoRequest.js';
import type { StreamInfoResponse as _quorumq_v1_StreamInfoResponse, StreamInfoResponse__Output as _quorumq_v1_StreamInfoResponse__Output } from './quorumq/v1/StreamInfoResponse.js';
import type { StreamMessage as _quorumq_v1_StreamMessage, StreamMessage__Output as _quorumq_v1_StreamMessage__Output } from './quorumq/v1/StreamMessage.js';
import type { StreamPartitionInfo as _quorumq_v1_StreamPartitionInfo, StreamPartitionInfo__Output as _quorumq_v1_StreamPartitionInfo__Output } from './quorumq/v1/StreamPartitionInfo.js';
import type { StreamSettings as _quorumq_v1_StreamSettings, StreamSettings__Output as _quorumq_v1_StreamSettings__Output } from './quorumq/v1/StreamSettings.js';
import type { SubscribeRequest as _quorumq_v1_SubscribeRequest, SubscribeRequest__Output as _quorumq_v1_SubscribeRequest__Output } from './quorumq/v1/SubscribeRequest.js';
import type { SubscribeResponse as _quorumq_v1_SubscribeResponse, SubscribeResponse__Output as _quorumq_v1_SubscribeResponse__Output } from './quorumq/v1/SubscribeResponse.js';
import type { TransactOp as _quorumq_v1_TransactOp, TransactOp__Output as _quorumq_v1_TransactOp__Output } from './quorumq/v1/TransactOp.js';
import type { TransactRequest as _quorumq_v1_TransactRequest, TransactRequest__Output as _quorumq_v1_TransactRequest__Output } from './quorumq/v1/TransactRequest.js';
import type { TransactResponse as _quorumq_v1_TransactResponse, TransactResponse__Output as _quorumq_v1_TransactResponse__Output } from './quorumq/v1/TransactResponse.js';
import type { TransactResult as _quorumq_v1_TransactResult, TransactResult__Output as _quorumq_v1_TransactResult__Output } from './quorumq/v1/TransactResult.js';
import type { TransferLeaderRequest as _quorumq_v1_TransferLeaderRequest, TransferLeaderRequest__Output as _quorumq_v1_TransferLeaderRequest__Output } from './quorumq/v1/TransferLeaderRequest.js';
import type { TransferLeaderResponse as _quorumq_v1_TransferLeaderResponse, TransferLeaderResponse__Output as _quorumq_v1_TransferLeaderResponse__Output } from './quorumq/v1/TransferLeaderResponse.js';
import type { UnbindResponse as _quorumq_v1_UnbindResponse, UnbindResponse__Output as _quorumq_v1_UnbindResponse__Output } from './quorumq/v1/UnbindResponse.js';
import type { UserInfo as _quorumq_v1_UserInfo, UserInfo__Output as _quorumq_v1_UserInfo__Output } from './quorumq/v1/UserInfo.js';
import type { WhoAmIRequest as _quorumq_v1_WhoAmIRequest, WhoAmIRequest__Output as _quorumq_v1_WhoAmIRequest__Output } from './quorumq/v1/WhoAmIRequest.js';
import type { WhoAmIResponse as _quorumq_v1_WhoAmIResponse, WhoAmIResponse__Output as _quorumq_v1_WhoAmIResponse__Output } from './quorumq/v1/WhoAmIResponse.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  quorumq: {
    v1: {
      AddNodeRequest: MessageTypeDefinition<_quorumq_v1_AddNodeRequest, _quorumq_v1_AddNodeRequest__Output>
      AddNodeResponse: MessageTypeDefinition<_quorumq_v1_AddNodeResponse, _quorumq_v1_AddNodeResponse__Output>
      AddScheduleRequest: MessageTypeDefinition<_quorumq_v1_AddScheduleRequest, _quorumq_v1_AddScheduleRequest__Output>
      AddScheduleResponse: MessageTypeDefinition<_quorumq_v1_AddScheduleResponse, _quorumq_v1_AddScheduleResponse__Output>
      AddUserRequest: MessageTypeDefinition<_quorumq_v1_AddUserRequest, _quorumq_v1_AddUserRequest__Output>
      AddUserResponse: MessageTypeDefinition<_quorumq_v1_AddUserResponse, _quorumq_v1_AddUserResponse__Output>
      AppendRequest: MessageTypeDefinition<_quorumq_v1_AppendRequest, _quorumq_v1_AppendRequest__Output>
      AppendResponse: MessageTypeDefinition<_quorumq_v1_AppendResponse, _quorumq_v1_AppendResponse__Output>
      BindRequest: MessageTypeDefinition<_quorumq_v1_BindRequest, _quorumq_v1_BindRequest__Output>
      BindResponse: MessageTypeDefinition<_quorumq_v1_BindResponse, _quorumq_v1_BindResponse__Output>
      BindingInfo: MessageTypeDefinition<_quorumq_v1_BindingInfo, _quorumq_v1_BindingInfo__Output>
      BindingTarget: EnumTypeDefinition
      Broker: SubtypeConstructor<typeof grpc.Client, _quorumq_v1_BrokerClient> & { service: _quorumq_v1_BrokerDefinition }
      ClusterStatusRequest: MessageTypeDefinition<_quorumq_v1_ClusterStatusRequest, _quorumq_v1_ClusterStatusRequest__Output>
      ClusterStatusResponse: MessageTypeDefinition<_quorumq_v1_ClusterStatusResponse, _quorumq_v1_ClusterStatusResponse__Output>
      CommitOffsetRequest: MessageTypeDefinition<_quorumq_v1_CommitOffsetRequest, _quorumq_v1_CommitOffsetRequest__Output>
      CommitOffsetResponse: MessageTypeDefinition<_quorumq_v1_CommitOffsetResponse, _quorumq_v1_CommitOffsetResponse__Output>
      ConfState: MessageTypeDefinition<_quorumq_v1_ConfState, _quorumq_v1_ConfState__Output>
      Consistency: EnumTypeDefinition
      ConsumeRequest: MessageTypeDefinition<_quorumq_v1_ConsumeRequest, _quorumq_v1_ConsumeRequest__Output>
      ConsumeResponse: MessageTypeDefinition<_quorumq_v1_ConsumeResponse, _quorumq_v1_ConsumeResponse__Output>
      DeadLetter: MessageTypeDefinition<_quorumq_v1_DeadLetter, _quorumq_v1_DeadLetter__Output>
      DeadLetterMode: EnumTypeDefinition
      DeclareExchangeRequest: MessageTypeDefinition<_quorumq_v1_DeclareExchangeRequest, _quorumq_v1_DeclareExchangeRequest__Output>
      DeclareExchangeResponse: MessageTypeDefinition<_quorumq_v1_DeclareExchangeResponse, _quorumq_v1_DeclareExchangeResponse__Output>
      DeclareQueueRequest: MessageTypeDefinition<_quorumq_v1_DeclareQueueRequest, _quorumq_v1_DeclareQueueRequest__Output>
      DeclareQueueResponse: MessageTypeDefinition<_quorumq_v1_DeclareQueueResponse, _quorumq_v1_DeclareQueueResponse__Output>
      DeclareStreamRequest: MessageTypeDefinition<_quorumq_v1_DeclareStreamRequest, _quorumq_v1_DeclareStreamRequest__Output>
      DeclareStreamResponse: MessageTypeDefinition<_quorumq_v1_DeclareStreamResponse, _quorumq_v1_DeclareStreamResponse__Output>
      DeleteExchangeRequest: MessageTypeDefinition<_quorumq_v1_DeleteExchangeRequest, _quorumq_v1_DeleteExchangeRequest__Output>
      DeleteExchangeResponse: MessageTypeDefinition<_quorumq_v1_DeleteExchangeResponse, _quorumq_v1_DeleteExchangeResponse__Output>
      DeleteQueueRequest: MessageTypeDefinition<_quorumq_v1_DeleteQueueRequest, _quorumq_v1_DeleteQueueRequest__Output>
      DeleteQueueResponse: MessageTypeDefinition<_quorumq_v1_DeleteQueueResponse, _quorumq_v1_DeleteQueueResponse__Output>
      DeleteStreamRequest: MessageTypeDefinition<_quorumq_v1_DeleteStreamRequest, _quorumq_v1_DeleteStreamRequest__Output>
      DeleteStreamResponse: MessageTypeDefinition<_quorumq_v1_DeleteStreamResponse, _quorumq_v1_DeleteStreamResponse__Output>
      Delivery: MessageTypeDefinition<_quorumq_v1_Delivery, _quorumq_v1_Delivery__Output>
      DiscardPolicy: EnumTypeDefinition
      Entry: MessageTypeDefinition<_quorumq_v1_Entry, _quorumq_v1_Entry__Output>
      EntryType: EnumTypeDefinition
      ExchangeInfoRequest: MessageTypeDefinition<_quorumq_v1_ExchangeInfoRequest, _quorumq_v1_ExchangeInfoRequest__Output>
      ExchangeInfoResponse: MessageTypeDefinition<_quorumq_v1_ExchangeInfoResponse, _quorumq_v1_ExchangeInfoResponse__Output>
      ExchangePublishRequest: MessageTypeDefinition<_quorumq_v1_ExchangePublishRequest, _quorumq_v1_ExchangePublishRequest__Output>
      ExchangePublishResponse: MessageTypeDefinition<_quorumq_v1_ExchangePublishResponse, _quorumq_v1_ExchangePublishResponse__Output>
      ExchangeType: EnumTypeDefinition
      ForwardRequest: MessageTypeDefinition<_quorumq_v1_ForwardRequest, _quorumq_v1_ForwardRequest__Output>
      ForwardResponse: MessageTypeDefinition<_quorumq_v1_ForwardResponse, _quorumq_v1_ForwardResponse__Output>
      GetMessagesRequest: MessageTypeDefinition<_quorumq_v1_GetMessagesRequest, _quorumq_v1_GetMessagesRequest__Output>
      GetMessagesResponse: MessageTypeDefinition<_quorumq_v1_GetMessagesResponse, _quorumq_v1_GetMessagesResponse__Output>
      GetOffsetRequest: MessageTypeDefinition<_quorumq_v1_GetOffsetRequest, _quorumq_v1_GetOffsetRequest__Output>
      GetOffsetResponse: MessageTypeDefinition<_quorumq_v1_GetOffsetResponse, _quorumq_v1_GetOffsetResponse__Output>
      GetRequest: MessageTypeDefinition<_quorumq_v1_GetRequest, _quorumq_v1_GetRequest__Output>
      GetResponse: MessageTypeDefinition<_quorumq_v1_GetResponse, _quorumq_v1_GetResponse__Output>
      GroupCount: MessageTypeDefinition<_quorumq_v1_GroupCount, _quorumq_v1_GroupCount__Output>
      GroupPlan: MessageTypeDefinition<_quorumq_v1_GroupPlan, _quorumq_v1_GroupPlan__Output>
      GroupSummary: MessageTypeDefinition<_quorumq_v1_GroupSummary, _quorumq_v1_GroupSummary__Output>
      Header: MessageTypeDefinition<_quorumq_v1_Header, _quorumq_v1_Header__Output>
      ListDeadLettersRequest: MessageTypeDefinition<_quorumq_v1_ListDeadLettersRequest, _quorumq_v1_ListDeadLettersRequest__Output>
      ListDeadLettersResponse: MessageTypeDefinition<_quorumq_v1_ListDeadLettersResponse, _quorumq_v1_ListDeadLettersResponse__Output>
      ListExchangesRequest: MessageTypeDefinition<_quorumq_v1_ListExchangesRequest, _quorumq_v1_ListExchangesRequest__Output>
      ListExchangesResponse: MessageTypeDefinition<_quorumq_v1_ListExchangesResponse, _quorumq_v1_ListExchangesResponse__Output>
      ListQueuesRequest: MessageTypeDefinition<_quorumq_v1_ListQueuesRequest, _quorumq_v1_ListQueuesRequest__Output>
      ListQueuesResponse: MessageTypeDefinition<_quorumq_v1_ListQueuesResponse, _quorumq_v1_ListQueuesResponse__Output>
      ListSchedulesRequest: MessageTypeDefinition<_quorumq_v1_ListSchedulesRequest, _quorumq_v1_ListSchedulesRequest__Output>
      ListSchedulesResponse: MessageTypeDefinition<_quorumq_v1_ListSchedulesResponse, _quorumq_v1_ListSchedulesResponse__Output>
      ListStreamsRequest: MessageTypeDefinition<_quorumq_v1_ListStreamsRequest, _quorumq_v1_ListStreamsRequest__Output>
      ListStreamsResponse: MessageTypeDefinition<_quorumq_v1_ListStreamsResponse, _quorumq_v1_ListStreamsResponse__Output>
      ListUsersRequest: MessageTypeDefinition<_quorumq_v1_ListUsersRequest, _quorumq_v1_ListUsersRequest__Output>
      ListUsersResponse: MessageTypeDefinition<_quorumq_v1_ListUsersResponse, _quorumq_v1_ListUsersResponse__Output>
      MemberStatus: MessageTypeDefinition<_quorumq_v1_MemberStatus, _quorumq_v1_MemberStatus__Output>
      MessageBatch: MessageTypeDefinition<_quorumq_v1_MessageBatch, _quorumq_v1_MessageBatch__Output>
      MessageType: EnumTypeDefinition
      NodeGroupStatus: MessageTypeDefinition<_quorumq_v1_NodeGroupStatus, _quorumq_v1_NodeGroupStatus__Output>
      NodeLeaders: MessageTypeDefinition<_quorumq_v1_NodeLeaders, _quorumq_v1_NodeLeaders__Output>
      NodeStatusRequest: MessageTypeDefinition<_quorumq_v1_NodeStatusRequest, _quorumq_v1_NodeStatusRequest__Output>
      NodeStatusResponse: MessageTypeDefinition<_quorumq_v1_NodeStatusResponse, _quorumq_v1_NodeStatusResponse__Output>
      NodeStreamOffset: MessageTypeDefinition<_quorumq_v1_NodeStreamOffset, _quorumq_v1_NodeStreamOffset__Output>
      Overflow: EnumTypeDefinition
      PartitionConsumeRequest: MessageTypeDefinition<_quorumq_v1_PartitionConsumeRequest, _quorumq_v1_PartitionConsumeRequest__Output>
      PartitionPlacement: MessageTypeDefinition<_quorumq_v1_PartitionPlacement, _quorumq_v1_PartitionPlacement__Output>
      PartitionReadRequest: MessageTypeDefinition<_quorumq_v1_PartitionReadRequest, _quorumq_v1_PartitionReadRequest__Output>
      PartitionReadResponse: MessageTypeDefinition<_quorumq_v1_PartitionReadResponse, _quorumq_v1_PartitionReadResponse__Output>
      PeerProgress: MessageTypeDefinition<_quorumq_v1_PeerProgress, _quorumq_v1_PeerProgress__Output>
      Permissions: MessageTypeDefinition<_quorumq_v1_Permissions, _quorumq_v1_Permissions__Output>
      PlacementRequest: MessageTypeDefinition<_quorumq_v1_PlacementRequest, _quorumq_v1_PlacementRequest__Output>
      PlacementResponse: MessageTypeDefinition<_quorumq_v1_PlacementResponse, _quorumq_v1_PlacementResponse__Output>
      PriorityCount: MessageTypeDefinition<_quorumq_v1_PriorityCount, _quorumq_v1_PriorityCount__Output>
      PublishRequest: MessageTypeDefinition<_quorumq_v1_PublishRequest, _quorumq_v1_PublishRequest__Output>
      PublishResponse: MessageTypeDefinition<_quorumq_v1_PublishResponse, _quorumq_v1_PublishResponse__Output>
      PurgeDeadLettersRequest: MessageTypeDefinition<_quorumq_v1_PurgeDeadLettersRequest, _quorumq_v1_PurgeDeadLettersRequest__Output>
      PurgeDeadLettersResponse: MessageTypeDefinition<_quorumq_v1_PurgeDeadLettersResponse, _quorumq_v1_PurgeDeadLettersResponse__Output>
      PurgeQueueRequest: MessageTypeDefinition<_quorumq_v1_PurgeQueueRequest, _quorumq_v1_PurgeQueueRequest__Output>
      PurgeQueueResponse: MessageTypeDefinition<_quorumq_v1_PurgeQueueResponse, _quorumq_v1_PurgeQueueResponse__Output>
      PutRequest: MessageTypeDefinition<_quorumq_v1_PutRequest, _quorumq_v1_PutRequest__Output>
      PutResponse: MessageTypeDefinition<_quorumq_v1_PutResponse, _quorumq_v1_PutResponse__Output>
      QueueInfoRequest: MessageTypeDefinition<_quorumq_v1_QueueInfoRequest, _quorumq_v1_QueueInfoRequest__Output>
      QueueInfoResponse: MessageTypeDefinition<_quorumq_v1_QueueInfoResponse, _quorumq_v1_QueueInfoResponse__Output>
      QueueMessage: MessageTypeDefinition<_quorumq_v1_QueueMessage, _quorumq_v1_QueueMessage__Output>
      QueueSettings: MessageTypeDefinition<_quorumq_v1_QueueSettings, _quorumq_v1_QueueSettings__Output>
      Raft: SubtypeConstructor<typeof grpc.Client, _quorumq_v1_RaftClient> & { service: _quorumq_v1_RaftDefinition }
      RaftMessage: MessageTypeDefinition<_quorumq_v1_RaftMessage, _quorumq_v1_RaftMessage__Output>
      ReadRequest: MessageTypeDefinition<_quorumq_v1_ReadRequest, _quorumq_v1_ReadRequest__Output>
      ReadResponse: MessageTypeDefinition<_quorumq_v1_ReadResponse, _quorumq_v1_ReadResponse__Output>
      RebalanceRequest: MessageTypeDefinition<_quorumq_v1_RebalanceRequest, _quorumq_v1_RebalanceRequest__Output>
      RebalanceResponse: MessageTypeDefinition<_quorumq_v1_RebalanceResponse, _quorumq_v1_RebalanceResponse__Output>
      RemoveNodeRequest: MessageTypeDefinition<_quorumq_v1_RemoveNodeRequest, _quorumq_v1_RemoveNodeRequest__Output>
      RemoveNodeResponse: MessageTypeDefinition<_quorumq_v1_RemoveNodeResponse, _quorumq_v1_RemoveNodeResponse__Output>
      RemoveScheduleRequest: MessageTypeDefinition<_quorumq_v1_RemoveScheduleRequest, _quorumq_v1_RemoveScheduleRequest__Output>
      RemoveScheduleResponse: MessageTypeDefinition<_quorumq_v1_RemoveScheduleResponse, _quorumq_v1_RemoveScheduleResponse__Output>
      RemoveUserRequest: MessageTypeDefinition<_quorumq_v1_RemoveUserRequest, _quorumq_v1_RemoveUserRequest__Output>
      RemoveUserResponse: MessageTypeDefinition<_quorumq_v1_RemoveUserResponse, _quorumq_v1_RemoveUserResponse__Output>
      ReplayDeadLettersRequest: MessageTypeDefinition<_quorumq_v1_ReplayDeadLettersRequest, _quorumq_v1_ReplayDeadLettersRequest__Output>
      ReplayDeadLettersResponse: MessageTypeDefinition<_quorumq_v1_ReplayDeadLettersResponse, _quorumq_v1_ReplayDeadLettersResponse__Output>
      Role: EnumTypeDefinition
      RotateTokenRequest: MessageTypeDefinition<_quorumq_v1_RotateTokenRequest, _quorumq_v1_RotateTokenRequest__Output>
      RotateTokenResponse: MessageTypeDefinition<_quorumq_v1_RotateTokenResponse, _quorumq_v1_RotateTokenResponse__Output>
      ScheduleInfo: MessageTypeDefinition<_quorumq_v1_ScheduleInfo, _quorumq_v1_ScheduleInfo__Output>
      SendSummary: MessageTypeDefinition<_quorumq_v1_SendSummary, _quorumq_v1_SendSummary__Output>
      SetPermissionsRequest: MessageTypeDefinition<_quorumq_v1_SetPermissionsRequest, _quorumq_v1_SetPermissionsRequest__Output>
      SetPermissionsResponse: MessageTypeDefinition<_quorumq_v1_SetPermissionsResponse, _quorumq_v1_SetPermissionsResponse__Output>
      SettleRequest: MessageTypeDefinition<_quorumq_v1_SettleRequest, _quorumq_v1_SettleRequest__Output>
      SettleResponse: MessageTypeDefinition<_quorumq_v1_SettleResponse, _quorumq_v1_SettleResponse__Output>
      SnapshotAck: MessageTypeDefinition<_quorumq_v1_SnapshotAck, _quorumq_v1_SnapshotAck__Output>
      SnapshotChunk: MessageTypeDefinition<_quorumq_v1_SnapshotChunk, _quorumq_v1_SnapshotChunk__Output>
      SnapshotMeta: MessageTypeDefinition<_quorumq_v1_SnapshotMeta, _quorumq_v1_SnapshotMeta__Output>
      StartPosition: EnumTypeDefinition
      StreamInfoRequest: MessageTypeDefinition<_quorumq_v1_StreamInfoRequest, _quorumq_v1_StreamInfoRequest__Output>
      StreamInfoResponse: MessageTypeDefinition<_quorumq_v1_StreamInfoResponse, _quorumq_v1_StreamInfoResponse__Output>
      StreamMessage: MessageTypeDefinition<_quorumq_v1_StreamMessage, _quorumq_v1_StreamMessage__Output>
      StreamPartitionInfo: MessageTypeDefinition<_quorumq_v1_StreamPartitionInfo, _quorumq_v1_StreamPartitionInfo__Output>
      StreamSettings: MessageTypeDefinition<_quorumq_v1_StreamSettings, _quorumq_v1_StreamSettings__Output>
      SubscribeRequest: MessageTypeDefinition<_quorumq_v1_SubscribeRequest, _quorumq_v1_SubscribeRequest__Output>
      SubscribeResponse: MessageTypeDefinition<_quorumq_v1_SubscribeResponse, _quorumq_v1_SubscribeResponse__Output>
      TransactOp: MessageTypeDefinition<_quorumq_v1_TransactOp, _quorumq_v1_TransactOp__Output>
      TransactOpKind: EnumTypeDefinition
      TransactRequest: MessageTypeDefinition<_quorumq_v1_TransactRequest, _quorumq_v1_TransactRequest__Output>
      TransactResponse: MessageTypeDefinition<_quorumq_v1_TransactResponse, _quorumq_v1_TransactResponse__Output>
      TransactResult: MessageTypeDefinition<_quorumq_v1_TransactResult, _quorumq_v1_TransactResult__Output>
      TransferLeaderRequest: MessageTypeDefinition<_quorumq_v1_TransferLeaderRequest, _quorumq_v1_TransferLeaderRequest__Output>
      TransferLeaderResponse: MessageTypeDefinition<_quorumq_v1_TransferLeaderResponse, _quorumq_v1_TransferLeaderResponse__Output>
      UnbindResponse: MessageTypeDefinition<_quorumq_v1_UnbindResponse, _quorumq_v1_UnbindResponse__Output>
      UserInfo: MessageTypeDefinition<_quorumq_v1_UserInfo, _quorumq_v1_UserInfo__Output>
      WhoAmIRequest: MessageTypeDefinition<_quorumq_v1_WhoAmIRequest, _quorumq_v1_WhoAmIRequest__Output>
      WhoAmIResponse: MessageTypeDefinition<_quorumq_v1_WhoAmIResponse, _quorumq_v1_WhoAmIResponse__Output>
    }
  }
}

