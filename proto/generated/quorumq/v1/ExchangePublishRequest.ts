// Original file: proto/quorumq.proto

import type { QueueMessage as _quorumq_v1_QueueMessage, QueueMessage__Output as _quorumq_v1_QueueMessage__Output } from '../../quorumq/v1/QueueMessage.js';
import type { Long } from '@grpc/proto-loader';

export interface ExchangePublishRequest {
  /**
   * "" is the default exchange.
   */
  'exchange'?: (string);
  'routingKey'?: (string);
  /**
   * 1 to 10000 messages, as Publish.
   */
  'messages'?: (_quorumq_v1_QueueMessage)[];
  'mandatory'?: (boolean);
  /**
   * Exactly-once, as Publish: each (producer, sequence) is applied once.
   */
  'producerId'?: (string);
  'sequence'?: (number | string | Long);
}

export interface ExchangePublishRequest__Output {
  /**
   * "" is the default exchange.
   */
  'exchange': (string);
  'routingKey': (string);
  /**
   * 1 to 10000 messages, as Publish.
   */
  'messages': (_quorumq_v1_QueueMessage__Output)[];
  'mandatory': (boolean);
  /**
   * Exactly-once, as Publish: each (producer, sequence) is applied once.
   */
  'producerId': (string);
  'sequence': (number);
}
