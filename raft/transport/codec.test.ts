import { describe, expect, it } from 'vitest';
import type { Message, Snapshot } from '../core/types.js';
import { quorumqV1 } from '../../proto/load.js';
import type { MsgSnap } from '../core/types.js';
import { decodeBatch, encodeBatch } from './batch-codec.js';
import { CodecError, snapHeaderFromPb, snapHeaderToPb, snapshotMetaFromPb, snapshotMetaToPb } from './codec.js';

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

/** Through the real wire encodings: a Send batch (batch-codec.ts), or for SNAP an InstallSnapshot header (the loader's SnapshotChunk codec). */
function wire(messages: Message[]): Message[] {
  const chunk = quorumqV1().Raft.service.InstallSnapshot;
  return messages.map((m) => {
    if (m.type !== 'snap') return decodeBatch(encodeBatch({ messages: [m] })).messages[0] as Message;
    const bytes = chunk.requestSerialize({ header: snapHeaderToPb(m) });
    return snapHeaderFromPb((chunk.requestDeserialize(bytes) as { header: Parameters<typeof snapHeaderFromPb>[0] }).header, m.snapshot);
  });
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
    const decoded = wire(samples);
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

  it('refuses a snapshot header that is not a SNAP message', () => {
    const snap = samples.find((s) => s.type === 'snap') as MsgSnap;
    expect(() => snapHeaderFromPb({ ...snapHeaderToPb(snap), type: 'HEARTBEAT' } as never, snapshot)).toThrow(CodecError);
    expect(() => snapHeaderFromPb({ ...snapHeaderToPb(snap), type: 'HEARTBEAT' } as never, snapshot)).toThrow(/must be a SNAP message, got HEARTBEAT/);
  });

  it('keeps large indexes exact (below 2^53)', () => {
    const big = 2 ** 52 + 3;
    const [m] = wire([{ ...h, term: big, type: 'app-resp', index: big, reject: false, hintIndex: 0, hintTerm: 0 }]);
    expect(m!.term).toBe(big);
    expect(m!.type === 'app-resp' && m!.index).toBe(big);
  });
});
