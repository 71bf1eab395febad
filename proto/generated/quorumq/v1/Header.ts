// Original file: proto/quorumq.proto


export interface Header {
  'key'?: (string);
  'value'?: (string);
}

export interface Header__Output {
  'key': (string);
  'value': (string);
}
