// Original file: proto/quorumq.proto


export interface PutRequest {
  /**
   * Non-empty, at most 1 KiB of UTF-8.
   */
  'key'?: (string);
  /**
   * At most 1 MiB.
   */
  'value'?: (Buffer | Uint8Array | string);
}

export interface PutRequest__Output {
  /**
   * Non-empty, at most 1 KiB of UTF-8.
   */
  'key': (string);
  /**
   * At most 1 MiB.
   */
  'value': (Buffer);
}
