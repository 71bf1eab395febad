import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quorumqV1 } from '../../proto/load.js';
import { decodeForwardRequest, decodeForwardResponse, encodeForwardRequest, encodeForwardResponse } from './forward-codec.js';
import { raftServiceDefinition } from './peer-transport.js';

// The loader's own (reflective) codecs of Raft.Forward: the reference.
const loader = quorumqV1().Raft.service.Forward;

const u64 = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2 ** 31 }), fc.maxSafeInteger().map(Math.abs));
const u32 = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2 ** 32 - 1 }));
const str = fc.oneof(fc.constant(''), fc.string(), fc.string({ unit: 'binary' }));
const bytes = fc.oneof(fc.constant(Buffer.alloc(0)), fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)));
const members = fc.record({ voters: fc.array(u64, { maxLength: 5 }), learners: fc.array(u64, { maxLength: 3 }) });

const request = fc.record({
  group: u32,
  command: bytes,
  addNode: fc.option(fc.record({ id: u64, peerAddress: str, clientAddress: str }), { nil: null }),
  removeNode: fc.option(fc.record({ id: u64 }), { nil: null }),
  commands: fc.array(bytes, { maxLength: 4 }),
  deadlines: fc.array(u64, { maxLength: 4 }),
});
const response = fc.record({
  result: bytes,
  index: u64,
  leader: u64,
  addNode: fc.option(members, { nil: null }),
  removeNode: fc.option(members, { nil: null }),
  results: fc.array(bytes, { maxLength: 4 }),
});

describe('the hand-written codecs of Raft.Forward', () => {
  it('decode what the loader encodes into the loader\'s own shapes, and encode what the loader decodes to the same values', () => {
    fc.assert(
      fc.property(request, (req) => {
        const wire = loader.requestSerialize(req);
        expect(decodeForwardRequest(wire)).toEqual(loader.requestDeserialize(wire));
        expect(loader.requestDeserialize(encodeForwardRequest(req))).toEqual(loader.requestDeserialize(wire));
      }),
    );
    fc.assert(
      fc.property(response, (res) => {
        const wire = loader.responseSerialize(res);
        expect(decodeForwardResponse(wire)).toEqual(loader.responseDeserialize(wire));
        expect(loader.responseDeserialize(encodeForwardResponse(res))).toEqual(loader.responseDeserialize(wire));
      }),
    );
  });

  it('keeps empty commands in a batch (a repeated bytes element of length 0 is still an element)', () => {
    const req = { commands: [Buffer.alloc(0), Buffer.from([1, 2]), Buffer.alloc(0)], deadlines: [0, 5, 0] };
    expect(decodeForwardRequest(encodeForwardRequest(req)).commands.map((c) => c.length)).toEqual([0, 2, 0]);
    expect(decodeForwardRequest(encodeForwardRequest(req)).deadlines).toEqual([0, 5, 0]);
  });

  it('are the ones the peer port uses, on both sides', () => {
    const f = (raftServiceDefinition() as unknown as Record<string, Record<string, unknown>>)['Forward']!;
    expect(f['requestSerialize']).toBe(encodeForwardRequest);
    expect(f['requestDeserialize']).toBe(decodeForwardRequest);
    expect(f['responseSerialize']).toBe(encodeForwardResponse);
    expect(f['responseDeserialize']).toBe(decodeForwardResponse);
  });
});
