// Original file: proto/quorumq.proto


export interface Permissions {
  /**
   * declare, delete, schedules
   */
  'configure'?: (string);
  /**
   * append, publish, put
   */
  'write'?: (string);
  /**
   * read, subscribe, consume, get, info, purge
   */
  'read'?: (string);
  /**
   * membership, leadership transfer, users
   */
  'admin'?: (boolean);
}

export interface Permissions__Output {
  /**
   * declare, delete, schedules
   */
  'configure': (string);
  /**
   * append, publish, put
   */
  'write': (string);
  /**
   * read, subscribe, consume, get, info, purge
   */
  'read': (string);
  /**
   * membership, leadership transfer, users
   */
  'admin': (boolean);
}
