// Original file: proto/quorumq.proto


export interface PlacementRequest {
  /**
   * The queue's name.
   */
  'queue'?: (string);
}

export interface PlacementRequest__Output {
  /**
   * The queue's name.
   */
  'queue': (string);
}
