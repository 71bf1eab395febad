// Original file: proto/quorumq.proto

import type { Long } from '@grpc/proto-loader';

export interface PublishResponse {
  /**
   * Messages stored.
   */
  'count'?: (number | string | Long);
  /**
   * The Raft index the publish was applied at, and the leader then.
   */
  'index'?: (number | string | Long);
  'leader'?: (number);
  /**
   * Messages not stored because their message_id was seen within the window.
   */
  'deduplicated'?: (number | string | Long);
  /**
   * A retry of a (producer, sequence) already stored: nothing stored again.
   */
  'duplicate'?: (boolean);
  /**
   * PublishStream: the request's request_id, and its status when it failed
   * (a gRPC status code and message; 0 when it succeeded).
   */
  'requestId'?: (number | string | Long);
  'errorCode'?: (number);
  'errorMessage'?: (string);
  /**
   * The Raft group that stored the messages (0: the metadata group); `leader`
   * is that group's leader. A publish spread over several partitions names
   * the first one's.
   */
  'group'?: (number);
}

export interface PublishResponse__Output {
  /**
   * Messages stored.
   */
  'count': (number);
  /**
   * The Raft index the publish was applied at, and the leader then.
   */
  'index': (number);
  'leader': (number);
  /**
   * Messages not stored because their message_id was seen within the window.
   */
  'deduplicated': (number);
  /**
   * A retry of a (producer, sequence) already stored: nothing stored again.
   */
  'duplicate': (boolean);
  /**
   * PublishStream: the request's request_id, and its status when it failed
   * (a gRPC status code and message; 0 when it succeeded).
   */
  'requestId': (number);
  'errorCode': (number);
  'errorMessage': (string);
  /**
   * The Raft group that stored the messages (0: the metadata group); `leader`
   * is that group's leader. A publish spread over several partitions names
   * the first one's.
   */
  'group': (number);
}
