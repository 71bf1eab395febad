// Original file: proto/quorumq.proto


export interface AddUserResponse {
  /**
   * shown once: nodes keep only its hash
   */
  'token'?: (string);
}

export interface AddUserResponse__Output {
  /**
   * shown once: nodes keep only its hash
   */
  'token': (string);
}
