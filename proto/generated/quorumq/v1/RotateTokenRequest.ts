// Original file: proto/quorumq.proto


export interface RotateTokenRequest {
  'name'?: (string);
}

export interface RotateTokenRequest__Output {
  'name': (string);
}
