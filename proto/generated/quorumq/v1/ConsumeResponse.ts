// Original file: proto/quorumq.proto

import type { Delivery as _quorumq_v1_Delivery, Delivery__Output as _quorumq_v1_Delivery__Output } from '../../quorumq/v1/Delivery.js';
import type { Long } from '@grpc/proto-loader';

export interface ConsumeResponse {
  /**
   * In the first response: the consumer's name.
   */
  'consumer'?: (string);
  'deliveries'?: (_quorumq_v1_Delivery)[];
  /**
   * The request_id of a request whose settles are applied, and the tags among
   * them this consumer did not hold (settled otherwise, or returned to the
   * queue when an earlier call ended). A tag it settled the same way lately
   * (the last 4096) is not among them: a retried settle answers as the first.
   */
  'confirmed'?: (number | string | Long);
  'unknownTags'?: (number | string | Long)[];
  /**
   * Set on the last response when the server ends the call (the queue was
   * deleted); the call then ends with OK.
   */
  'ended'?: (string);
}

export interface ConsumeResponse__Output {
  /**
   * In the first response: the consumer's name.
   */
  'consumer': (string);
  'deliveries': (_quorumq_v1_Delivery__Output)[];
  /**
   * The request_id of a request whose settles are applied, and the tags among
   * them this consumer did not hold (settled otherwise, or returned to the
   * queue when an earlier call ended). A tag it settled the same way lately
   * (the last 4096) is not among them: a retried settle answers as the first.
   */
  'confirmed': (number);
  'unknownTags': (number)[];
  /**
   * Set on the last response when the server ends the call (the queue was
   * deleted); the call then ends with OK.
   */
  'ended': (string);
}
