// Original file: proto/quorumq.proto

import type { TransactOpKind as _quorumq_v1_TransactOpKind, TransactOpKind__Output as _quorumq_v1_TransactOpKind__Output } from '../../quorumq/v1/TransactOpKind.js';
import type { QueueMessage as _quorumq_v1_QueueMessage, QueueMessage__Output as _quorumq_v1_QueueMessage__Output } from '../../quorumq/v1/QueueMessage.js';
import type { Long } from '@grpc/proto-loader';

export interface TransactOp {
  'kind'?: (_quorumq_v1_TransactOpKind);
  'exchange'?: (string);
  'routingKey'?: (string);
  'mandatory'?: (boolean);
  'queue'?: (string);
  'stream'?: (string);
  'messages'?: (_quorumq_v1_QueueMessage)[];
  'consumer'?: (string);
  'ack'?: (number | string | Long)[];
  'requeue'?: (number | string | Long)[];
  'reject'?: (number | string | Long)[];
}

export interface TransactOp__Output {
  'kind': (_quorumq_v1_TransactOpKind__Output);
  'exchange': (string);
  'routingKey': (string);
  'mandatory': (boolean);
  'queue': (string);
  'stream': (string);
  'messages': (_quorumq_v1_QueueMessage__Output)[];
  'consumer': (string);
  'ack': (number)[];
  'requeue': (number)[];
  'reject': (number)[];
}
