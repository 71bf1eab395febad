// quorumq's TypeScript client SDK: `import { connect } from 'quorumq'`.
// See broker/client/README.md.

export { connect, Client } from './client.js';
export { Connection, type ConnectionOptions, type ConnectionState, type UnaryOptions, type Answered } from './connection.js';
export { Producer, type ProducerOptions, type AppendResult, type PublishResult } from './producer.js';
export { StreamSubscription, type SubscribeOptions, type StartFrom, type ReceivedStreamMessage } from './subscription.js';
export { QueueConsumer, QueueDelivery, type ConsumeOptions, type NackOptions } from './consumer.js';
export { Worker, Jobs, JOB_NAME_HEADER, JOB_ID_HEADER, type WorkerOptions, type WorkerEvents, type Job, type JobOptions, type RepeatOptions, type Processor } from './worker.js';
export type { RateLimit } from './rate-limit.js';
export type { StreamInfo, QueueInfo, Schedule, ReadOptions, ReadStreamOptions, ReadResult, PullOptions, PullResult, PulledMessage, SettleTags, DeadLetter, ScheduleOptions, Permissions, PermissionsInput, UserInfo, Identity } from './shapes.js';
export { exchanges, Exchanges, Transaction, type ExchangeKind, type BindTarget, type Landed, type RoutedPublishOptions, type ExactlyOnce } from './exchanges.js';
export type { EachOptions } from './inbox.js';
export type { StreamMessageInput, QueueMessageInput, Body, Headers } from './messages.js';
export type { CallOptions } from './signal.js';
export type { BackoffOptions } from './backoff.js';
export type { LeaderChange } from './members.js';
export type { UnaryMethod, RequestOf, ResponseOf } from './methods.js';
export {
  QuorumqError,
  InvalidArgumentError,
  NotFoundError,
  AlreadyExistsError,
  FailedPreconditionError,
  ResourceExhaustedError,
  OutOfRangeError,
  UnavailableError,
  DeadlineExceededError,
  AbortedError,
  ClosedError,
  DeliveryLostError,
  UnauthenticatedError,
  PermissionDeniedError,
  ServerError,
  type Outcome,
} from './errors.js';
