// Original file: proto/quorumq.proto


export interface RemoveScheduleResponse {
}

export interface RemoveScheduleResponse__Output {
}
