// Original file: proto/quorumq.proto

export const EntryType = {
  /**
   * application data (a quorumq command), or empty
   */
  NORMAL: 'NORMAL',
  /**
   * a membership change, encoded by the Raft core
   */
  CONF_CHANGE: 'CONF_CHANGE',
} as const;

export type EntryType =
  /**
   * application data (a quorumq command), or empty
   */
  | 'NORMAL'
  | 0
  /**
   * a membership change, encoded by the Raft core
   */
  | 'CONF_CHANGE'
  | 1

export type EntryType__Output = typeof EntryType[keyof typeof EntryType]
