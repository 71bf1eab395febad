// The Broker service's unary methods with their request and response shapes
// (from the generated types), and which of them write.

import type * as v1 from './wire.js';
import type * as xw from './exchange-wire.js';
import type * as users from './users-wire.js';

/** Every unary Broker method: [request, response]. */
export interface UnaryMethods {
  Put: [v1.PutRequest, v1.PutResponse__Output];
  Get: [v1.GetRequest, v1.GetResponse__Output];
  ClusterStatus: [v1.ClusterStatusRequest, v1.ClusterStatusResponse__Output];
  AddNode: [v1.AddNodeRequest, v1.AddNodeResponse__Output];
  RemoveNode: [v1.RemoveNodeRequest, v1.RemoveNodeResponse__Output];
  TransferLeader: [v1.TransferLeaderRequest, v1.TransferLeaderResponse__Output];
  Rebalance: [v1.RebalanceRequest, v1.RebalanceResponse__Output];
  DeclareStream: [v1.DeclareStreamRequest, v1.DeclareStreamResponse__Output];
  DeleteStream: [v1.DeleteStreamRequest, v1.DeleteStreamResponse__Output];
  ListStreams: [v1.ListStreamsRequest, v1.ListStreamsResponse__Output];
  StreamInfo: [v1.StreamInfoRequest, v1.StreamInfoResponse__Output];
  Append: [v1.AppendRequest, v1.AppendResponse__Output];
  Read: [v1.ReadRequest, v1.ReadResponse__Output];
  CommitOffset: [v1.CommitOffsetRequest, v1.CommitOffsetResponse__Output];
  GetOffset: [v1.GetOffsetRequest, v1.GetOffsetResponse__Output];
  DeclareQueue: [v1.DeclareQueueRequest, v1.DeclareQueueResponse__Output];
  DeleteQueue: [v1.DeleteQueueRequest, v1.DeleteQueueResponse__Output];
  PurgeQueue: [v1.PurgeQueueRequest, v1.PurgeQueueResponse__Output];
  ListQueues: [v1.ListQueuesRequest, v1.ListQueuesResponse__Output];
  QueueInfo: [v1.QueueInfoRequest, v1.QueueInfoResponse__Output];
  Publish: [v1.PublishRequest, v1.PublishResponse__Output];
  ListDeadLetters: [v1.ListDeadLettersRequest, v1.ListDeadLettersResponse__Output];
  ReplayDeadLetters: [v1.ReplayDeadLettersRequest, v1.ReplayDeadLettersResponse__Output];
  PurgeDeadLetters: [v1.PurgeDeadLettersRequest, v1.PurgeDeadLettersResponse__Output];
  GetMessages: [v1.GetMessagesRequest, v1.GetMessagesResponse__Output];
  Settle: [v1.SettleRequest, v1.SettleResponse__Output];
  AddSchedule: [v1.AddScheduleRequest, v1.AddScheduleResponse__Output];
  ListSchedules: [v1.ListSchedulesRequest, v1.ListSchedulesResponse__Output];
  RemoveSchedule: [v1.RemoveScheduleRequest, v1.RemoveScheduleResponse__Output];
  DeclareExchange: [xw.DeclareExchangeRequest, xw.DeclareExchangeResponse__Output];
  DeleteExchange: [xw.DeleteExchangeRequest, xw.DeleteExchangeResponse__Output];
  ListExchanges: [xw.ListExchangesRequest, xw.ListExchangesResponse__Output];
  ExchangeInfo: [xw.ExchangeInfoRequest, xw.ExchangeInfoResponse__Output];
  Bind: [xw.BindRequest, xw.BindResponse__Output];
  Unbind: [xw.BindRequest, xw.UnbindResponse__Output];
  PublishToExchange: [xw.ExchangePublishRequest, xw.ExchangePublishResponse__Output];
  Transact: [xw.TransactRequest, xw.TransactResponse__Output];
  AddUser: [users.AddUserRequest, users.AddUserResponse__Output];
  RemoveUser: [users.RemoveUserRequest, users.RemoveUserResponse__Output];
  ListUsers: [users.ListUsersRequest, users.ListUsersResponse__Output];
  SetPermissions: [users.SetPermissionsRequest, users.SetPermissionsResponse__Output];
  RotateToken: [users.RotateTokenRequest, users.RotateTokenResponse__Output];
  WhoAmI: [users.WhoAmIRequest, users.WhoAmIResponse__Output];
  Placement: [v1.PlacementRequest, v1.PlacementResponse__Output];
}

/** A unary Broker method's name, e.g. 'Append'. */
export type UnaryMethod = keyof UnaryMethods;
/** The request message of a unary method. */
export type RequestOf<M extends UnaryMethod> = UnaryMethods[M][0];
/** The response message of a unary method. */
export type ResponseOf<M extends UnaryMethod> = UnaryMethods[M][1];

/** Methods that change the replicated state: sent to the leader. */
export const WRITES: ReadonlySet<UnaryMethod> = new Set<UnaryMethod>([
  'Put',
  'AddNode',
  'RemoveNode',
  'TransferLeader',
  'Rebalance',
  'DeclareStream',
  'DeleteStream',
  'Append',
  'CommitOffset',
  'DeclareQueue',
  'DeleteQueue',
  'PurgeQueue',
  'Publish',
  'ReplayDeadLetters',
  'PurgeDeadLetters',
  // A Get takes messages (a retry elsewhere would take others while the first
  // ones wait out their lease), so its unknown outcome is not retried.
  'GetMessages',
  'Settle',
  'AddSchedule',
  'RemoveSchedule',
  'DeclareExchange',
  'DeleteExchange',
  'Bind',
  'Unbind',
  'PublishToExchange',
  'Transact',
  'AddUser',
  'RemoveUser',
  'SetPermissions',
  'RotateToken',
]);

/**
 * Writes whose repetition stores nothing twice, so a retry after an unknown
 * outcome is safe: setting the same value, declaring the same settings,
 * committing the same offset, moving leadership to the same node, planning
 * leaders again (a plan already made plans no moves). Append and
 * Publish are safe only with a producer id (decided per request).
 */
export const IDEMPOTENT_WRITES: ReadonlySet<UnaryMethod> = new Set<UnaryMethod>(['Put', 'DeclareStream', 'DeclareQueue', 'CommitOffset', 'TransferLeader', 'Rebalance', 'DeclareExchange', 'Bind']);
