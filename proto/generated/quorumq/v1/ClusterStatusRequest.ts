// Original file: proto/quorumq.proto


export interface ClusterStatusRequest {
}

export interface ClusterStatusRequest__Output {
}
