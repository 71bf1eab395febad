// Original file: proto/quorumq.proto


export interface NodeStatusRequest {
  'group'?: (number);
}

export interface NodeStatusRequest__Output {
  'group': (number);
}
