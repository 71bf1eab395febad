// Original file: proto/quorumq.proto


export interface DeleteExchangeRequest {
  'name'?: (string);
  'force'?: (boolean);
}

export interface DeleteExchangeRequest__Output {
  'name': (string);
  'force': (boolean);
}
