// Original file: proto/quorumq.proto


export interface RemoveScheduleRequest {
  'queue'?: (string);
  'name'?: (string);
}

export interface RemoveScheduleRequest__Output {
  'queue': (string);
  'name': (string);
}
