// Original file: proto/quorumq.proto


export interface ReplayDeadLettersRequest {
  'queue'?: (string);
  /**
   * 1 to 100000.
   */
  'max'?: (number);
}

export interface ReplayDeadLettersRequest__Output {
  'queue': (string);
  /**
   * 1 to 100000.
   */
  'max': (number);
}
