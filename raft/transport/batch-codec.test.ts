import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Entry, EntryType, Message } from '../core/types.js';
import { LOADER_OPTIONS, protoLoaderModule, protoPath, quorumqV1 } from '../../proto/load.js';
import type { MessageBatch__Output } from '../../proto/generated/quorumq/v1/MessageBatch.js';
import { E, F, decodeBatch, decodeSendSummary, encodeBatch, encodeSendSummary } from './batch-codec.js';
import type { MessageType__Output as PbType } from '../../proto/generated/quorumq/v1/MessageType.js';
import type { RaftMessage, RaftMessage__Output } from '../../proto/generated/quorumq/v1/RaftMessage.js';
import type { Snapshot } from '../core/types.js';
import { CodecError, entryFromPb, entryToPb } from './codec.js';

// ---- the reference: each message type mapped onto the loader's RaftMessage, field by field (a naive model) ----

const EMPTY = new Uint8Array(0);
const buf = (u: Uint8Array): Buffer => (Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength));
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

/** The reference encoding: the message as the loader's RaftMessage, field by field (what the transport sent before batch-codec.ts). */
function messageToPb(m: Message): RaftMessage {
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
      if (m.noReply) base.noReply = true;
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

/** The reference decoding, from the loader's RaftMessage. */
function messageFromPb(p: RaftMessage__Output, snapshot?: Snapshot): Message {
  const h = { group: p.group, from: p.from, to: p.to, term: p.term };
  switch (p.type) {
    case 'VOTE':
      return { ...h, type: 'vote', preVote: p.preVote, lastIndex: p.index, lastTerm: p.logTerm, transfer: p.transfer };
    case 'VOTE_RESP':
      return { ...h, type: 'vote-resp', preVote: p.preVote, reject: p.reject };
    case 'APP':
      return p.noReply
        ? { ...h, type: 'app', prevIndex: p.index, prevTerm: p.logTerm, commit: p.commit, entries: p.entries.map(entryFromPb), noReply: true }
        : { ...h, type: 'app', prevIndex: p.index, prevTerm: p.logTerm, commit: p.commit, entries: p.entries.map(entryFromPb) };
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

// The loader's own (reflective) codec of the Send stream: the reference.
const send = quorumqV1().Raft.service.Send;

const u64 = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2 ** 31 }), fc.maxSafeInteger().map(Math.abs));
const u32 = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2 ** 32 - 1 }));
const bytes = fc.oneof(fc.constant(new Uint8Array(0)), fc.uint8Array({ maxLength: 300 }));
const entry: fc.Arbitrary<Entry> = fc.record({ term: u64, index: u64, type: fc.constantFrom(0, 1) as fc.Arbitrary<EntryType>, data: bytes });
const head = { group: u32, from: u64, to: u64, term: u64 };

const message: fc.Arbitrary<Message> = fc.oneof(
  fc.record({ ...head, type: fc.constant('vote' as const), preVote: fc.boolean(), lastIndex: u64, lastTerm: u64, transfer: fc.boolean() }),
  fc.record({ ...head, type: fc.constant('vote-resp' as const), preVote: fc.boolean(), reject: fc.boolean() }),
  fc.record({ ...head, type: fc.constant('app' as const), prevIndex: u64, prevTerm: u64, commit: u64, entries: fc.array(entry, { maxLength: 4 }) }),
  fc.record({ ...head, type: fc.constant('app' as const), prevIndex: u64, prevTerm: u64, commit: u64, entries: fc.constant([]), noReply: fc.constant(true) }),
  fc.record({ ...head, type: fc.constant('app-resp' as const), index: u64, reject: fc.boolean(), hintIndex: u64, hintTerm: u64 }),
  fc.record({ ...head, type: fc.constant('heartbeat' as const), commit: u64, context: bytes }),
  fc.record({ ...head, type: fc.constant('heartbeat' as const), commit: u64, context: bytes, quiesce: fc.constant(true) }),
  fc.record({ ...head, type: fc.constant('heartbeat-resp' as const), context: bytes }),
  fc.record({ ...head, type: fc.constant('timeout-now' as const) }),
  fc.record({ ...head, type: fc.constant('read-index' as const), context: bytes }),
  fc.record({ ...head, type: fc.constant('read-index-resp' as const), context: bytes, index: u64 }),
  fc.record({ ...head, type: fc.constant('transfer-leader' as const), target: u64 }),
);
const batch = fc.array(message, { maxLength: 6 });

/** Compare with Uint8Array/Buffer differences ironed out. */
function plain(m: unknown): unknown {
  if (m instanceof Uint8Array) return `bytes:${Buffer.from(m).toString('hex')}`;
  if (Array.isArray(m)) return m.map(plain);
  if (m && typeof m === 'object') return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, plain(v)]));
  return m;
}

/** What the transport made of a batch before this codec: the loader's decode, then messageFromPb. */
function viaLoader(bytes: Buffer): unknown[] {
  return (send.requestDeserialize(bytes) as MessageBatch__Output).messages.map((p) => {
    try {
      return messageFromPb(p);
    } catch (e) {
      return e;
    }
  });
}

describe('the Send summary codec', () => {
  it('writes and reads what the loader does', () => {
    fc.assert(
      fc.property(u64, (batches) => {
        const wire = send.responseSerialize({ batches });
        expect(decodeSendSummary(wire)).toEqual(send.responseDeserialize(wire));
        expect(send.responseDeserialize(encodeSendSummary({ batches }))).toEqual(send.responseDeserialize(wire));
      }),
    );
  });
});

describe('the Send batch codec', () => {
  it('writes what the loader reads as the messages messageToPb gives (zero fields left out, as proto3 allows)', () => {
    fc.assert(
      fc.property(batch, (ms) => {
        const mine = send.requestDeserialize(encodeBatch({ messages: ms }));
        expect(plain(mine)).toEqual(plain(send.requestDeserialize(send.requestSerialize({ messages: ms.map(messageToPb) }))));
      }),
    );
  });

  it('reads back every message type, and reads what the loader wrote as messageFromPb does', () => {
    fc.assert(
      fc.property(batch, (ms) => {
        expect(plain(decodeBatch(encodeBatch({ messages: ms })).messages)).toEqual(plain(ms));
        const loaderBytes = send.requestSerialize({ messages: ms.map(messageToPb) });
        expect(plain(decodeBatch(loaderBytes).messages)).toEqual(plain(viaLoader(loaderBytes)));
      }),
    );
  });

  it('covers every field of RaftMessage and Entry (a field added to the .proto and not here would be dropped silently)', () => {
    const def = protoLoaderModule().loadSync(protoPath(), LOADER_OPTIONS) as unknown as Record<string, { type: { field: Array<{ name: string; number: number }> } }>;
    const proto = def['quorumq.v1.RaftMessage']!;
    const entryProto = def['quorumq.v1.Entry']!;
    const camel = (s: string): string => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    const numbered = (fs: Array<{ name: string; number: number }>): Record<string, number> => Object.fromEntries(fs.map((f) => [camel(f.name), f.number]));
    expect(numbered(proto.type.field)).toEqual({ ...F });
    expect(numbered(entryProto.type.field)).toEqual({ ...E });
  });

  it('turns a SNAP message or an unknown type into an error in its place, skips unknown fields, and refuses truncated input', () => {
    const ok: Message = { type: 'heartbeat', group: 1, from: 2, to: 1, term: 3, commit: 4, context: new Uint8Array([1]) };
    const good = encodeBatch({ messages: [ok] });
    const snap = send.requestSerialize({ messages: [{ type: 'SNAP', group: 1, from: 2, to: 1, term: 3 }] });
    const unknown = send.requestSerialize({ messages: [{ type: 42 as never, from: 2, to: 1 }] });
    const got = decodeBatch(Buffer.concat([snap, good, unknown])).messages;
    expect(got[0]).toBeInstanceOf(CodecError);
    expect((got[0] as CodecError).message).toMatch(/SNAP message arrived without its snapshot/);
    expect(plain(got[1])).toEqual(plain(ok));
    expect((got[2] as CodecError).message).toMatch(/unknown Raft message type 42/);
    // A field this version does not know (99, varint), inside the message: skipped.
    const inner = good.subarray(2);
    const extended = Buffer.concat([Buffer.from([0x0a, inner.length + 3]), inner, Buffer.from([0x98, 0x06, 7])]);
    expect(plain(decodeBatch(extended).messages)).toEqual([plain(ok)]);
    expect(() => decodeBatch(good.subarray(0, good.length - 1))).toThrow(/past the end|truncated/);
    expect(() => encodeBatch({ messages: [{ type: 'snap', group: 1, from: 1, to: 2, term: 1, snapshot: { meta: { index: 1, term: 1, conf: { voters: [1], learners: [] } }, data: new Uint8Array(0) } }] })).toThrow(/InstallSnapshot/);
  });
});
