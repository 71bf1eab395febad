// Original file: proto/quorumq.proto


export interface AddScheduleResponse {
  'created'?: (boolean);
}

export interface AddScheduleResponse__Output {
  'created': (boolean);
}
