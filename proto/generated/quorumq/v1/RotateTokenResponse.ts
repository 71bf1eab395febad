// Original file: proto/quorumq.proto


export interface RotateTokenResponse {
  'token'?: (string);
}

export interface RotateTokenResponse__Output {
  'token': (string);
}
