// Original file: proto/quorumq.proto


export interface RebalanceRequest {
}

export interface RebalanceRequest__Output {
}
