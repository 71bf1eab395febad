// Original file: proto/quorumq.proto


export interface PurgeDeadLettersRequest {
  'queue'?: (string);
}

export interface PurgeDeadLettersRequest__Output {
  'queue': (string);
}
