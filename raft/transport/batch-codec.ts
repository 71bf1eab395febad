// A MessageBatch (the Raft service's Send stream) straight from core
// messages to protobuf bytes and back, without protobufjs objects in between.
// The loader's reflective codec cost 4–12 µs to encode and 20–27 µs to decode
// one message (defaults filled, Longs converted), several times per replicated
// write; this does the same in a fraction of that. The loader reads these
// bytes as the messages messageToPb would give (proto/quorumq.proto's
// RaftMessage, field numbers below; zero fields left out, as proto3 allows),
// and decoding gives what messageFromPb gives: batch-codec.test.ts checks both
// ways against the loader's codec on random messages, and that every
// RaftMessage and Entry field is covered.
//
// SNAP messages never travel in a batch (they go by InstallSnapshot, whose
// chunks keep the reflective codec: rare and large). One that arrives in a
// batch, or a message of an unknown type, decodes to a CodecError in its place
// so the transport rejects that message alone, as it always has.

import type { Entry, EntryType, Message } from '../core/types.js';
import { EMPTY, In, LEN, Out, VARINT, WireError, fields, lenFieldSize, uintFieldSize, varintSize } from '../../proto/wire-codec.js';
import { CodecError } from './codec.js';

/** What the Send stream carries on our side: core messages out, core messages (or a message's decode error) in. */
export interface OutboundBatch {
  readonly messages: readonly Message[];
}
export interface InboundBatch {
  readonly messages: ReadonlyArray<Message | CodecError>;
}

// RaftMessage.type (enum MessageType).
const TYPE_NO: Record<Message['type'], number> = {
  vote: 0,
  'vote-resp': 1,
  app: 2,
  'app-resp': 3,
  heartbeat: 4,
  'heartbeat-resp': 5,
  snap: 6,
  'timeout-now': 7,
  'read-index': 8,
  'read-index-resp': 9,
  'transfer-leader': 10,
};

/** RaftMessage's fields, as numbered in proto/quorumq.proto. */
export const F = { type: 1, group: 2, from: 3, to: 4, term: 5, logTerm: 6, index: 7, commit: 8, entries: 9, reject: 10, hintIndex: 11, hintTerm: 12, preVote: 13, transfer: 14, context: 15, target: 16, quiesce: 17, noReply: 18 } as const;
/** Entry's fields. */
export const E = { term: 1, index: 2, type: 3, data: 4 } as const;

/** The RaftMessage fields of `m`, flat, zero where the type does not use one (as messageToPb sets them). */
interface Flat {
  type: number;
  group: number;
  from: number;
  to: number;
  term: number;
  logTerm: number;
  index: number;
  commit: number;
  entries: readonly Entry[];
  reject: boolean;
  hintIndex: number;
  hintTerm: number;
  preVote: boolean;
  transfer: boolean;
  context: Uint8Array;
  target: number;
  quiesce: boolean;
  noReply: boolean;
}

const NO_ENTRIES: readonly Entry[] = [];

function flat(m: Message): Flat {
  const f: Flat = { type: TYPE_NO[m.type], group: m.group, from: m.from, to: m.to, term: m.term, logTerm: 0, index: 0, commit: 0, entries: NO_ENTRIES, reject: false, hintIndex: 0, hintTerm: 0, preVote: false, transfer: false, context: EMPTY, target: 0, quiesce: false, noReply: false };
  switch (m.type) {
    case 'vote':
      f.preVote = m.preVote;
      f.index = m.lastIndex;
      f.logTerm = m.lastTerm;
      f.transfer = m.transfer;
      break;
    case 'vote-resp':
      f.preVote = m.preVote;
      f.reject = m.reject;
      break;
    case 'app':
      f.index = m.prevIndex;
      f.logTerm = m.prevTerm;
      f.commit = m.commit;
      f.entries = m.entries;
      f.noReply = m.noReply === true;
      break;
    case 'app-resp':
      f.index = m.index;
      f.reject = m.reject;
      f.hintIndex = m.hintIndex;
      f.hintTerm = m.hintTerm;
      break;
    case 'heartbeat':
      f.commit = m.commit;
      f.context = m.context;
      f.quiesce = m.quiesce === true;
      break;
    case 'heartbeat-resp':
    case 'read-index':
      f.context = m.context;
      break;
    case 'read-index-resp':
      f.context = m.context;
      f.index = m.index;
      break;
    case 'transfer-leader':
      f.target = m.target;
      break;
    case 'snap':
      throw new CodecError('a SNAP message goes by InstallSnapshot, not in a batch');
    case 'timeout-now':
      break;
  }
  return f;
}

function entrySize(e: Entry): number {
  return uintFieldSize(E.term, e.term) + uintFieldSize(E.index, e.index) + uintFieldSize(E.type, e.type) + (e.data.byteLength ? lenFieldSize(E.data, e.data.byteLength) : 0);
}

const boolSize = (no: number, v: boolean): number => (v ? varintSize(no * 8) + 1 : 0);

/** The size of `f`'s fields; `entrySizes` gets each entry's. */
function flatSize(f: Flat, entrySizes: number[]): number {
  let n =
    uintFieldSize(F.type, f.type) +
    uintFieldSize(F.group, f.group) +
    uintFieldSize(F.from, f.from) +
    uintFieldSize(F.to, f.to) +
    uintFieldSize(F.term, f.term) +
    uintFieldSize(F.logTerm, f.logTerm) +
    uintFieldSize(F.index, f.index) +
    uintFieldSize(F.commit, f.commit) +
    boolSize(F.reject, f.reject) +
    uintFieldSize(F.hintIndex, f.hintIndex) +
    uintFieldSize(F.hintTerm, f.hintTerm) +
    boolSize(F.preVote, f.preVote) +
    boolSize(F.transfer, f.transfer) +
    (f.context.byteLength ? lenFieldSize(F.context, f.context.byteLength) : 0) +
    uintFieldSize(F.target, f.target) +
    boolSize(F.quiesce, f.quiesce) +
    boolSize(F.noReply, f.noReply);
  for (const e of f.entries) {
    const s = entrySize(e);
    entrySizes.push(s);
    n += lenFieldSize(F.entries, s);
  }
  return n;
}

/** Encode a batch: one allocation of the exact size, each entry's data copied once. */
export function encodeBatch(batch: OutboundBatch): Buffer {
  const flats = batch.messages.map(flat);
  const sizes: number[] = [];
  const entrySizes: number[] = [];
  let total = 0;
  for (const f of flats) {
    const s = flatSize(f, entrySizes);
    sizes.push(s);
    total += lenFieldSize(1, s);
  }
  const out = new Out(Math.max(total, 1));
  let k = 0;
  flats.forEach((f, i) => {
    out.lenPrefix(1, sizes[i]!);
    out.uint(F.type, f.type).uint(F.group, f.group).uint(F.from, f.from).uint(F.to, f.to).uint(F.term, f.term).uint(F.logTerm, f.logTerm).uint(F.index, f.index).uint(F.commit, f.commit);
    for (const e of f.entries) {
      out.lenPrefix(F.entries, entrySizes[k++]!);
      out.uint(E.term, e.term).uint(E.index, e.index).uint(E.type, e.type).bytes(E.data, e.data);
    }
    out.bool(F.reject, f.reject).uint(F.hintIndex, f.hintIndex).uint(F.hintTerm, f.hintTerm).bool(F.preVote, f.preVote).bool(F.transfer, f.transfer).bytes(F.context, f.context).uint(F.target, f.target).bool(F.quiesce, f.quiesce).bool(F.noReply, f.noReply);
  });
  return out.finish();
}

function entry(r: In): Entry {
  const end = r.len();
  let term = 0;
  let index = 0;
  let type = 0;
  let data: Uint8Array = EMPTY;
  fields(r, end, (no, wt) => {
    if (no === E.term && wt === VARINT) term = r.varint();
    else if (no === E.index && wt === VARINT) index = r.varint();
    else if (no === E.type && wt === VARINT) type = r.varint();
    else if (no === E.data && wt === LEN) data = r.bytes();
    else return false;
    return true;
  });
  // As the loader does: an enum value it does not know is not CONF_CHANGE.
  return { term, index, type: (type === 1 ? 1 : 0) as EntryType, data };
}

function message(r: In): Message | CodecError {
  const end = r.len();
  let type = 0;
  let group = 0;
  let from = 0;
  let to = 0;
  let term = 0;
  let logTerm = 0;
  let index = 0;
  let commit = 0;
  const entries: Entry[] = [];
  let reject = false;
  let hintIndex = 0;
  let hintTerm = 0;
  let preVote = false;
  let transfer = false;
  let context: Uint8Array = EMPTY;
  let target = 0;
  let quiesce = false;
  let noReply = false;
  fields(r, end, (no, wt) => {
    if (wt === VARINT) {
      if (no === F.type) type = r.varint();
      else if (no === F.group) group = r.uint32();
      else if (no === F.from) from = r.varint();
      else if (no === F.to) to = r.varint();
      else if (no === F.term) term = r.varint();
      else if (no === F.logTerm) logTerm = r.varint();
      else if (no === F.index) index = r.varint();
      else if (no === F.commit) commit = r.varint();
      else if (no === F.reject) reject = r.varint() !== 0;
      else if (no === F.hintIndex) hintIndex = r.varint();
      else if (no === F.hintTerm) hintTerm = r.varint();
      else if (no === F.preVote) preVote = r.varint() !== 0;
      else if (no === F.transfer) transfer = r.varint() !== 0;
      else if (no === F.target) target = r.varint();
      else if (no === F.quiesce) quiesce = r.varint() !== 0;
      else if (no === F.noReply) noReply = r.varint() !== 0;
      else return false;
      return true;
    }
    if (wt === LEN) {
      if (no === F.entries) entries.push(entry(r));
      else if (no === F.context) context = r.bytes();
      else return false;
      return true;
    }
    return false;
  });
  // Each shape written out whole: an object spread ({ ...head, type }) here cost ~10 µs per message (V8's slow
  // path for spreads into object literals), more than the rest of the decode together.
  switch (type) {
    case 0:
      return { type: 'vote', group, from, to, term, preVote, lastIndex: index, lastTerm: logTerm, transfer };
    case 1:
      return { type: 'vote-resp', group, from, to, term, preVote, reject };
    case 2:
      // noReply only when set, as messageFromPb gives it.
      return noReply
        ? { type: 'app', group, from, to, term, prevIndex: index, prevTerm: logTerm, commit, entries, noReply: true }
        : { type: 'app', group, from, to, term, prevIndex: index, prevTerm: logTerm, commit, entries };
    case 3:
      return { type: 'app-resp', group, from, to, term, index, reject, hintIndex, hintTerm };
    case 4:
      // quiesce only when set, as messageFromPb gives it.
      return quiesce ? { type: 'heartbeat', group, from, to, term, commit, context, quiesce: true } : { type: 'heartbeat', group, from, to, term, commit, context };
    case 5:
      return { type: 'heartbeat-resp', group, from, to, term, context };
    case 6:
      return new CodecError('a SNAP message arrived without its snapshot');
    case 7:
      return { type: 'timeout-now', group, from, to, term };
    case 8:
      return { type: 'read-index', group, from, to, term, context };
    case 9:
      return { type: 'read-index-resp', group, from, to, term, context, index };
    case 10:
      return { type: 'transfer-leader', group, from, to, term, target };
    default:
      return new CodecError(`unknown Raft message type ${type}`);
  }
}

/** Decode a batch; malformed bytes (truncated, overlong) throw, failing the stream as the loader's codec does. */
export function decodeBatch(buf: Buffer): InboundBatch {
  const r = new In(buf, 0, buf.length);
  const messages: Array<Message | CodecError> = [];
  fields(r, buf.length, (no, wt) => {
    if (no !== 1 || wt !== LEN) return false;
    messages.push(message(r));
    return true;
  });
  return { messages };
}

/** Send's answer when a stream ends (SendSummary: field 1, the batches received). */
export function encodeSendSummary(s: { batches?: number | string | null }): Buffer {
  return new Out(12).uint(1, s.batches ?? 0).finish();
}

export function decodeSendSummary(buf: Buffer): { batches: number } {
  const r = new In(buf, 0, buf.length);
  const s = { batches: 0 };
  fields(r, buf.length, (no, wt) => {
    if (no !== 1 || wt !== VARINT) return false;
    s.batches = r.varint();
    return true;
  });
  return s;
}

/**
 * The Raft service definition with this codec on Send, both sides: batches
 * out and in, and the summary a stream ends with (through the loader's codec
 * it built protobufjs's types when a peer's stream first ended, ~57 ms in a
 * restarted node's profile, on its way to serving).
 */
export function withBatchCodec<S extends Record<string, object>>(service: S): S {
  const send = service['Send'];
  if (!send) throw new WireError('the Raft service has no Send method');
  return { ...service, Send: { ...send, requestSerialize: encodeBatch, requestDeserialize: decodeBatch, responseSerialize: encodeSendSummary, responseDeserialize: decodeSendSummary } } as S;
}
