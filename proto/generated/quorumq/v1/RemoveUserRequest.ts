// Original file: proto/quorumq.proto


export interface RemoveUserRequest {
  'name'?: (string);
}

export interface RemoveUserRequest__Output {
  'name': (string);
}
