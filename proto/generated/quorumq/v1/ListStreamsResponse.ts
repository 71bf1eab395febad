// Original file: proto/quorumq.proto

import type { StreamInfoResponse as _quorumq_v1_StreamInfoResponse, StreamInfoResponse__Output as _quorumq_v1_StreamInfoResponse__Output } from '../../quorumq/v1/StreamInfoResponse.js';
import type { Long } from '@grpc/proto-loader';

export interface ListStreamsResponse {
  'streams'?: (_quorumq_v1_StreamInfoResponse)[];
  'servedBy'?: (number | string | Long);
}

export interface ListStreamsResponse__Output {
  'streams': (_quorumq_v1_StreamInfoResponse__Output)[];
  'servedBy': (number);
}
