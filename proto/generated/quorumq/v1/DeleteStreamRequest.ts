// Original file: proto/quorumq.proto


export interface DeleteStreamRequest {
  'name'?: (string);
}

export interface DeleteStreamRequest__Output {
  'name': (string);
}
