// Original file: proto/quorumq.proto


export interface DeleteQueueRequest {
  'name'?: (string);
}

export interface DeleteQueueRequest__Output {
  'name': (string);
}
