// Original file: proto/quorumq.proto

import type { Delivery as _quorumq_v1_Delivery, Delivery__Output as _quorumq_v1_Delivery__Output } from '../../quorumq/v1/Delivery.js';

export interface GetMessagesResponse {
  /**
   * The pull consumer: settle with it, pass it to the next Get.
   */
  'consumer'?: (string);
  /**
   * Up to `max`, possibly none when the wait ran out.
   */
  'deliveries'?: (_quorumq_v1_Delivery)[];
  'servedBy'?: (number);
}

export interface GetMessagesResponse__Output {
  /**
   * The pull consumer: settle with it, pass it to the next Get.
   */
  'consumer': (string);
  /**
   * Up to `max`, possibly none when the wait ran out.
   */
  'deliveries': (_quorumq_v1_Delivery__Output)[];
  'servedBy': (number);
}
