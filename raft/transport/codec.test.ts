import { describe, expect, it } from 'vitest';
import type { Message, Snapshot } from '../core/types.js';
import { quorumqV1 } from '../../proto/load.js';
import type { MessageBatch__Output } from '../../proto/generated/quorumq/v1/MessageBatch.js';
import { messageFromPb, messageToPb, snapshotMetaFromPb, snapshotMetaToPb } from './codec.js';

const b = (s: string): Uint8Array => new TextEncoder().encode(s);
const h = { group: 3, from: 1, to: 2, term: 7 };

const snapshot: Snapshot = { meta: { index: 40, term: 6, conf: { voters: [1, 2, 3], learners: [4] } }, data: b('state') };

// One of every message type, with every field away from its default so a
// field the codec forgot shows up as a difference.
const samples: Message[] = [
  { ...h, type: 'vote', preVote: true, lastIndex: 12, lastTerm: 5, transfer: true },
  { ...h, type: 'vote-resp', preVote: true, reject: true },
  {
    ...h,
    type: 'app',
    prevIndex: 10,
    prevTerm: 4,
    commit: 9,
    entries: [
      { term: 7, index: 11, type: 0, data: b('a') },
      { term: 7, index: 12, type: 1, data: b('conf') },
      { term: 7, index: 13, type: 0, data: new Uint8Array(0) },
    ],
  },
  { ...h, type: 'app-resp', index: 13, reject: true, hintIndex: 8, hintTerm: 3 },
  { ...h, type: 'heartbeat', commit: 9, context: b('ctx') },
  { ...h, type: 'heartbeat', commit: 9, context: new Uint8Array(0), quiesce: true },
  { ...h, type: 'heartbeat-resp', context: b('ctx') },
  { ...h, type: 'snap', snapshot },
  { ...h, type: 'timeout-now' },
  { ...h, type: 'read-index', context: b('r1') },
  { ...h, type: 'read-index-resp', context: b('r1'), index: 33 },
  { ...h, type: 'transfer-leader', target: 3 },
];

/** Through the real wire encoding: the Send method's serializer and deserializer. */
function wire(messages: Message[]): MessageBatch__Output {
  const send = quorumqV1().Raft.service.Send;
  const bytes = send.requestSerialize({ messages: messages.map(messageToPb) });
  return send.requestDeserialize(bytes) as MessageBatch__Output;
}

/** Compare with Uint8Array/Buffer differences ironed out. */
function plain(m: unknown): unknown {
  if (m instanceof Uint8Array) return `bytes:${Buffer.from(m).toString('hex')}`;
  if (Array.isArray(m)) return m.map(plain);
  if (m && typeof m === 'object') return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, plain(v)]));
  return m;
}

describe('the peer message codec', () => {
  it('round-trips every message type through the wire encoding', () => {
    const decoded = wire(samples).messages.map((p) => messageFromPb(p, p.type === 'SNAP' ? snapshot : undefined));
    expect(decoded.map((m) => m.type)).toEqual(samples.map((m) => m.type));
    for (let i = 0; i < samples.length; i++) expect(plain(decoded[i])).toEqual(plain(samples[i]));
  });

  it('covers the whole Message union', () => {
    const types = new Set(samples.map((m) => m.type));
    expect(types.size).toBe(11);
  });

  it('round-trips snapshot metadata', () => {
    expect(snapshotMetaFromPb(snapshotMetaToPb(snapshot.meta) as never)).toEqual(snapshot.meta);
  });

  it('refuses a SNAP header without its reassembled snapshot', () => {
    const [p] = wire([samples.find((s) => s.type === 'snap')!]).messages;
    expect(() => messageFromPb(p!)).toThrow(/without its snapshot/);
  });

  it('keeps large indexes exact (below 2^53)', () => {
    const big = 2 ** 52 + 3;
    const [p] = wire([{ ...h, term: big, type: 'app-resp', index: big, reject: false, hintIndex: 0, hintTerm: 0 }]).messages;
    const m = messageFromPb(p!);
    expect(m.term).toBe(big);
    expect(m.type === 'app-resp' && m.index).toBe(big);
  });
});
