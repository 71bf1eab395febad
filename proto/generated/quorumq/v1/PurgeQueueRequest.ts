// Original file: proto/quorumq.proto


export interface PurgeQueueRequest {
  'name'?: (string);
}

export interface PurgeQueueRequest__Output {
  'name': (string);
}
