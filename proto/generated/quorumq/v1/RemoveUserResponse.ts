// Original file: proto/quorumq.proto


export interface RemoveUserResponse {
}

export interface RemoveUserResponse__Output {
}
