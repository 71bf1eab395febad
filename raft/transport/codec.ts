// Core Message <-> proto RaftMessage. Pure: the core keeps its own plain types
// (architecture decision 5) and only the transport knows the wire shape.
// Snapshot messages travel as a header (the SNAP message without data) plus
// chunks, so the codec maps the header and the transport carries the bytes.

import type { Entry, EntryType, Message, Snapshot, SnapshotMeta } from '../core/types.js';
import type { Entry as PbEntry, Entry__Output as PbEntryOut } from '../../proto/generated/quorumq/v1/Entry.js';
import type { MessageType__Output as PbType } from '../../proto/generated/quorumq/v1/MessageType.js';
import type { RaftMessage, RaftMessage__Output } from '../../proto/generated/quorumq/v1/RaftMessage.js';
import type { SnapshotMeta as PbSnapshotMeta, SnapshotMeta__Output as PbSnapshotMetaOut } from '../../proto/generated/quorumq/v1/SnapshotMeta.js';

export class CodecError extends Error {
  override readonly name = 'CodecError';
}

const EMPTY = new Uint8Array(0);

const TO_PB: Record<Message['type'], PbType> = {
  vote: 'VOTE',
  'vote-resp': 'VOTE_RESP',
  app: 'APP',
  'app-resp': 'APP_RESP',
  heartbeat: 'HEARTBEAT',
  'heartbeat-resp': 'HEARTBEAT_RESP',
  snap: 'SNAP',
  'timeout-now': 'TIMEOUT_NOW',
  'read-index': 'READ_INDEX',
  'read-index-resp': 'READ_INDEX_RESP',
  'transfer-leader': 'TRANSFER_LEADER',
};

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

/** Encode a message. A SNAP message's snapshot is not included: see snapshotMetaToPb and the chunk stream. */
export function messageToPb(m: Message): RaftMessage {
  const base: RaftMessage = { type: TO_PB[m.type], group: m.group, from: m.from, to: m.to, term: m.term };
  switch (m.type) {
    case 'vote':
      base.preVote = m.preVote;
      base.index = m.lastIndex;
      base.logTerm = m.lastTerm;
      base.transfer = m.transfer;
      break;
    case 'vote-resp':
      base.preVote = m.preVote;
      base.reject = m.reject;
      break;
    case 'app':
      base.index = m.prevIndex;
      base.logTerm = m.prevTerm;
      base.commit = m.commit;
      base.entries = m.entries.map(entryToPb);
      break;
    case 'app-resp':
      base.index = m.index;
      base.reject = m.reject;
      base.hintIndex = m.hintIndex;
      base.hintTerm = m.hintTerm;
      break;
    case 'heartbeat':
      base.commit = m.commit;
      base.context = buf(m.context);
      if (m.quiesce) base.quiesce = true;
      break;
    case 'heartbeat-resp':
    case 'read-index':
      base.context = buf(m.context);
      break;
    case 'read-index-resp':
      base.context = buf(m.context);
      base.index = m.index;
      break;
    case 'transfer-leader':
      base.target = m.target;
      break;
    case 'snap':
    case 'timeout-now':
      break;
  }
  return base;
}

/**
 * Decode a message. SNAP needs its snapshot (reassembled from chunks); any
 * other type ignores the argument.
 */
export function messageFromPb(p: RaftMessage__Output, snapshot?: Snapshot): Message {
  const h = { group: p.group, from: p.from, to: p.to, term: p.term };
  switch (p.type) {
    case 'VOTE':
      return { ...h, type: 'vote', preVote: p.preVote, lastIndex: p.index, lastTerm: p.logTerm, transfer: p.transfer };
    case 'VOTE_RESP':
      return { ...h, type: 'vote-resp', preVote: p.preVote, reject: p.reject };
    case 'APP':
      return { ...h, type: 'app', prevIndex: p.index, prevTerm: p.logTerm, commit: p.commit, entries: p.entries.map(entryFromPb) };
    case 'APP_RESP':
      return { ...h, type: 'app-resp', index: p.index, reject: p.reject, hintIndex: p.hintIndex, hintTerm: p.hintTerm };
    case 'HEARTBEAT':
      return p.quiesce
        ? { ...h, type: 'heartbeat', commit: p.commit, context: p.context ?? EMPTY, quiesce: true }
        : { ...h, type: 'heartbeat', commit: p.commit, context: p.context ?? EMPTY };
    case 'HEARTBEAT_RESP':
      return { ...h, type: 'heartbeat-resp', context: p.context ?? EMPTY };
    case 'SNAP':
      if (!snapshot) throw new CodecError('a SNAP message arrived without its snapshot');
      return { ...h, type: 'snap', snapshot };
    case 'TIMEOUT_NOW':
      return { ...h, type: 'timeout-now' };
    case 'READ_INDEX':
      return { ...h, type: 'read-index', context: p.context ?? EMPTY };
    case 'READ_INDEX_RESP':
      return { ...h, type: 'read-index-resp', context: p.context ?? EMPTY, index: p.index };
    case 'TRANSFER_LEADER':
      return { ...h, type: 'transfer-leader', target: p.target };
    default:
      throw new CodecError(`unknown Raft message type ${String(p.type)}`);
  }
}
