// Original file: proto/quorumq.proto


export interface SnapshotAck {
  /**
   * The receiver stepped the snapshot into the group.
   */
  'accepted'?: (boolean);
}

export interface SnapshotAck__Output {
  /**
   * The receiver stepped the snapshot into the group.
   */
  'accepted': (boolean);
}
