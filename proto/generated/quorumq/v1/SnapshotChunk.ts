// Original file: proto/quorumq.proto

import type { RaftMessage as _quorumq_v1_RaftMessage, RaftMessage__Output as _quorumq_v1_RaftMessage__Output } from '../../quorumq/v1/RaftMessage.js';
import type { SnapshotMeta as _quorumq_v1_SnapshotMeta, SnapshotMeta__Output as _quorumq_v1_SnapshotMeta__Output } from '../../quorumq/v1/SnapshotMeta.js';
import type { Entry as _quorumq_v1_Entry, Entry__Output as _quorumq_v1_Entry__Output } from '../../quorumq/v1/Entry.js';
import type { Long } from '@grpc/proto-loader';

export interface SnapshotChunk {
  /**
   * First chunk only: the SNAP message (without entries) and the metadata.
   */
  'header'?: (_quorumq_v1_RaftMessage | null);
  'meta'?: (_quorumq_v1_SnapshotMeta | null);
  /**
   * Total size of the snapshot data, first chunk only.
   */
  'totalBytes'?: (number | string | Long);
  /**
   * A piece of the data, in order.
   */
  'data'?: (Buffer | Uint8Array | string);
  /**
   * Set on the final chunk.
   */
  'last'?: (boolean);
  /**
   * After the data: the entries the sender keeps below the snapshot (the
   * sparse part of its log and its log up to the snapshot), which the
   * receiver's machine reads once restored; stored before the snapshot is
   * stepped. A chunk carries either data or entries, bounded in bytes.
   */
  'entries'?: (_quorumq_v1_Entry)[];
  /**
   * CRC-32 (zlib's) of the whole snapshot data, first chunk only: the receiver
   * refuses a snapshot whose bytes do not match before stepping it.
   */
  'crc32'?: (number);
}

export interface SnapshotChunk__Output {
  /**
   * First chunk only: the SNAP message (without entries) and the metadata.
   */
  'header': (_quorumq_v1_RaftMessage__Output | null);
  'meta': (_quorumq_v1_SnapshotMeta__Output | null);
  /**
   * Total size of the snapshot data, first chunk only.
   */
  'totalBytes': (number);
  /**
   * A piece of the data, in order.
   */
  'data': (Buffer);
  /**
   * Set on the final chunk.
   */
  'last': (boolean);
  /**
   * After the data: the entries the sender keeps below the snapshot (the
   * sparse part of its log and its log up to the snapshot), which the
   * receiver's machine reads once restored; stored before the snapshot is
   * stepped. A chunk carries either data or entries, bounded in bytes.
   */
  'entries': (_quorumq_v1_Entry__Output)[];
  /**
   * CRC-32 (zlib's) of the whole snapshot data, first chunk only: the receiver
   * refuses a snapshot whose bytes do not match before stepping it.
   */
  'crc32': (number);
}
