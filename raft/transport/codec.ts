// The InstallSnapshot stream's shapes <-> core types: its header (the SNAP
// message without data), the snapshot's metadata and the entries kept below
// it. Pure: the core keeps its own plain types (architecture decision 5) and
// only the transport knows the wire shape. Every other Raft message travels in
// a Send batch, coded by hand (batch-codec.ts).

import type { Entry, EntryType, Message, MsgSnap, Snapshot, SnapshotMeta } from '../core/types.js';
import type { Entry as PbEntry, Entry__Output as PbEntryOut } from '../../proto/generated/quorumq/v1/Entry.js';
import type { RaftMessage, RaftMessage__Output } from '../../proto/generated/quorumq/v1/RaftMessage.js';
import type { SnapshotMeta as PbSnapshotMeta, SnapshotMeta__Output as PbSnapshotMetaOut } from '../../proto/generated/quorumq/v1/SnapshotMeta.js';

export class CodecError extends Error {
  override readonly name = 'CodecError';
}

const EMPTY = new Uint8Array(0);


/** A Uint8Array as a Buffer over the same memory (protobufjs writes either; no copy). */
function buf(u: Uint8Array): Buffer {
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

export function entryToPb(e: Entry): PbEntry {
  return { term: e.term, index: e.index, type: e.type === 1 ? 'CONF_CHANGE' : 'NORMAL', data: buf(e.data) };
}

export function entryFromPb(e: PbEntryOut): Entry {
  return { term: e.term, index: e.index, type: (e.type === 'CONF_CHANGE' ? 1 : 0) as EntryType, data: e.data ?? EMPTY };
}

export function snapshotMetaToPb(m: SnapshotMeta): PbSnapshotMeta {
  return { index: m.index, term: m.term, conf: { voters: [...m.conf.voters], learners: [...m.conf.learners] } };
}

export function snapshotMetaFromPb(m: PbSnapshotMetaOut | null | undefined): SnapshotMeta {
  if (!m) throw new CodecError('snapshot chunk without metadata');
  return { index: m.index, term: m.term, conf: { voters: m.conf?.voters ?? [], learners: m.conf?.learners ?? [] } };
}

/**
 * The header of an InstallSnapshot stream: the SNAP message without its
 * snapshot (the metadata and data travel in the chunks). Every other message
 * goes in a Send batch, coded by batch-codec.ts.
 */
export function snapHeaderToPb(m: MsgSnap): RaftMessage {
  return { type: 'SNAP', group: m.group, from: m.from, to: m.to, term: m.term };
}

/** The SNAP message an InstallSnapshot header announces, with the snapshot reassembled from its chunks. */
export function snapHeaderFromPb(p: RaftMessage__Output, snapshot: Snapshot): Message {
  if (p.type !== 'SNAP') throw new CodecError(`a snapshot's header must be a SNAP message, got ${String(p.type)}`);
  return { type: 'snap', group: p.group, from: p.from, to: p.to, term: p.term, snapshot };
}
