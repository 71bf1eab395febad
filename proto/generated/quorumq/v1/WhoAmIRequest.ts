// Original file: proto/quorumq.proto


export interface WhoAmIRequest {
}

export interface WhoAmIRequest__Output {
}
