import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quorumqV1 } from '../../../proto/load.js';
import {
  decodeAppendRequest,
  decodeConsumeRequest,
  decodePublishRequest,
  decodeReadRequest,
  encodeAppendResponse,
  encodeConsumeResponse,
  encodePublishResponse,
  encodeReadResponse,
  withStaticCodecs,
} from './wire.js';

// The loader's own (reflective) codecs for the same methods: the reference.
const broker = quorumqV1().Broker.service;
const loader = {
  appendRequest: broker.AppendStream,
  publishRequest: broker.PublishStream,
  readRequest: broker.Read,
  consumeRequest: broker.Consume,
};

const u64 = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2 ** 31 }), fc.maxSafeInteger().map(Math.abs));
const u32 = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2 ** 32 - 1 }));
const str = fc.oneof(fc.constant(''), fc.string(), fc.string({ unit: 'binary' }));
const body = fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b));
const headers = fc.array(fc.record({ key: str, value: str }), { maxLength: 3 });

const streamMessage = fc.record({ offset: u64, timestamp: u64, headers, body, partition: u32 });
const appendRequest = fc.record({ stream: str, messages: fc.array(streamMessage, { maxLength: 4 }), producerId: str, sequence: u64, requestId: u64, key: str });
const queueMessage = fc.record({ headers, body, priority: u32, ttlMs: u64, delayMs: u64, messageId: str, group: str, deliverAtMs: u64 });
const publishRequest = fc.record({ queue: str, messages: fc.array(queueMessage, { maxLength: 4 }), producerId: str, sequence: u64, requestId: u64, group: u32 });

const appendResponse = fc.record({
  firstOffset: u64,
  count: u64,
  timestamp: u64,
  duplicate: fc.boolean(),
  requestId: u64,
  index: u64,
  leader: u64,
  errorCode: u32,
  errorMessage: str,
  errorOutcome: fc.constantFrom('', 'not-applied', 'unknown'),
  partition: u32,
});
const publishResponse = fc.record({
  count: u64,
  index: u64,
  leader: u32,
  deduplicated: u64,
  duplicate: fc.boolean(),
  requestId: u64,
  errorCode: u32,
  errorMessage: str,
  group: u32,
});

const readRequest = fc.record({
  stream: str,
  fromOffset: u64,
  maxMessages: u32,
  maxBytes: u64,
  waitMs: u32,
  consistency: fc.constantFrom('LINEARIZABLE', 'LOCAL'),
  partitions: fc.array(u32, { maxLength: 4 }),
  fromOffsets: fc.array(u64, { maxLength: 4 }),
});
const readResponse = fc.record({
  messages: fc.array(streamMessage, { maxLength: 4 }),
  nextOffset: u64,
  firstOffset: u64,
  endOffset: u64,
  servedBy: u64,
  nextOffsets: fc.array(u64, { maxLength: 4 }),
  partitions: fc.array(u32, { maxLength: 4 }),
});
const consumeRequest = fc.record({
  queue: str,
  prefetch: u32,
  ack: fc.array(u64, { maxLength: 4 }),
  requeue: fc.array(u64, { maxLength: 4 }),
  reject: fc.array(u64, { maxLength: 4 }),
  requeueDelayMs: u64,
  requestId: u64,
  priority: u32,
});
const delivery = fc.record({
  tag: u64,
  headers,
  body,
  priority: u32,
  redelivered: fc.boolean(),
  acquired: u32,
  failed: u32,
  deliveredAtMs: u64,
});
const consumeResponse = fc.record({
  consumer: str,
  deliveries: fc.array(delivery, { maxLength: 4 }),
  confirmed: u64,
  unknownTags: fc.array(u64, { maxLength: 4 }),
  ended: str,
});

describe('the hand-written codecs of the hot calls', () => {
  it('decode requests exactly as the loader does (defaults filled, numbers, Buffers)', () => {
    fc.assert(
      fc.property(appendRequest, (req) => {
        const wire = loader.appendRequest.requestSerialize(req);
        expect(decodeAppendRequest(wire)).toEqual(loader.appendRequest.requestDeserialize(wire));
      }),
    );
    fc.assert(
      fc.property(publishRequest, (req) => {
        const wire = loader.publishRequest.requestSerialize(req);
        expect(decodePublishRequest(wire)).toEqual(loader.publishRequest.requestDeserialize(wire));
      }),
    );
    fc.assert(
      fc.property(readRequest, (req) => {
        const wire = loader.readRequest.requestSerialize(req);
        expect(decodeReadRequest(wire)).toEqual(loader.readRequest.requestDeserialize(wire));
      }),
    );
    fc.assert(
      fc.property(consumeRequest, (req) => {
        const wire = loader.consumeRequest.requestSerialize(req);
        expect(decodeConsumeRequest(wire)).toEqual(loader.consumeRequest.requestDeserialize(wire));
      }),
    );
  });

  it('decode repeated fields packed or not, and enum values as the loader does (names, an unknown one as its number)', () => {
    // partitions 3 and 4 unpacked (field 7 as varints), from_offsets packed (field 8); consistency 1, 7, then -1 (ten bytes).
    const parts = [Buffer.from([7 << 3, 3, 7 << 3, 4, (8 << 3) | 2, 2, 5, 6])];
    for (const c of [[6 << 3, 1], [6 << 3, 7], [6 << 3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]]) {
      const wire = Buffer.concat([...parts, Buffer.from(c)]);
      expect(decodeReadRequest(wire)).toEqual(loader.readRequest.requestDeserialize(wire));
    }
    // ack unpacked, reject packed.
    const wire = Buffer.from([3 << 3, 9, (5 << 3) | 2, 2, 1, 2]);
    expect(decodeConsumeRequest(wire)).toEqual(loader.consumeRequest.requestDeserialize(wire));
  });

  it('encode responses the loader decodes to the same values', () => {
    fc.assert(
      fc.property(appendResponse, (res) => {
        expect(broker.AppendStream.responseDeserialize(encodeAppendResponse(res))).toEqual(broker.AppendStream.responseDeserialize(broker.AppendStream.responseSerialize(res)));
      }),
    );
    fc.assert(
      fc.property(publishResponse, (res) => {
        expect(broker.PublishStream.responseDeserialize(encodePublishResponse(res))).toEqual(broker.PublishStream.responseDeserialize(broker.PublishStream.responseSerialize(res)));
      }),
    );
    fc.assert(
      fc.property(readResponse, (res) => {
        expect(broker.Read.responseDeserialize(encodeReadResponse(res))).toEqual(broker.Read.responseDeserialize(broker.Read.responseSerialize(res)));
      }),
    );
    fc.assert(
      fc.property(consumeResponse, (res) => {
        expect(broker.Consume.responseDeserialize(encodeConsumeResponse(res))).toEqual(broker.Consume.responseDeserialize(broker.Consume.responseSerialize(res)));
      }),
    );
    // Fields left out and bodies given as base64 text, as the loader's fromObject takes them.
    for (const res of [{}, { messages: [{ body: 'aGk=' }, {}] }, { deliveries: [{ body: 'aGk=', headers: [{ key: 'k' }] }] }]) {
      expect(broker.Read.responseDeserialize(encodeReadResponse(res as never))).toEqual(broker.Read.responseDeserialize(broker.Read.responseSerialize(res)));
      expect(broker.Consume.responseDeserialize(encodeConsumeResponse(res as never))).toEqual(broker.Consume.responseDeserialize(broker.Consume.responseSerialize(res)));
    }
  });

  it('cover every field of the .proto (a field added there and not here would be dropped silently)', () => {
    const keys = (o: object): string[] => Object.keys(o).sort();
    const one = <T>(a: fc.Arbitrary<T>): T => fc.sample(a, { numRuns: 1, seed: 1 })[0]!;
    // The loader fills every field's default: its keys are the proto's fields.
    const empty = Buffer.alloc(0);
    expect(keys(one(appendResponse))).toEqual(keys(broker.AppendStream.responseDeserialize(empty)));
    expect(keys(one(publishResponse))).toEqual(keys(broker.PublishStream.responseDeserialize(empty)));
    expect(keys(one(appendRequest))).toEqual(keys(loader.appendRequest.requestDeserialize(empty)));
    expect(keys(one(publishRequest))).toEqual(keys(loader.publishRequest.requestDeserialize(empty)));
    expect(keys(one(readRequest))).toEqual(keys(loader.readRequest.requestDeserialize(empty)));
    expect(keys(one(readResponse))).toEqual(keys(broker.Read.responseDeserialize(empty)));
    expect(keys(one(consumeRequest))).toEqual(keys(loader.consumeRequest.requestDeserialize(empty)));
    expect(keys(one(consumeResponse))).toEqual(keys(broker.Consume.responseDeserialize(empty)));
    const oneDelivery = (broker.Consume.responseDeserialize(broker.Consume.responseSerialize({ deliveries: [{}] })) as { deliveries: object[] }).deliveries[0]!;
    expect(keys(one(delivery))).toEqual(keys(oneDelivery));
    const withOne = (svc: { requestSerialize(r: never): Buffer; requestDeserialize(b: Buffer): unknown }, req: object): object => (svc.requestDeserialize(svc.requestSerialize(req as never)) as { messages: object[] }).messages[0]!;
    expect(keys(one(queueMessage))).toEqual(keys(withOne(loader.publishRequest, { queue: 'q', messages: [{}] })));
    expect(keys(one(streamMessage))).toEqual(keys(withOne(loader.appendRequest, { stream: 's', messages: [{}] })));
  });

  it('skip unknown fields and fields of an unexpected wire type, and refuse truncated input', () => {
    const wire = loader.appendRequest.requestSerialize({ stream: 's', messages: [{ body: Buffer.from('x') }], requestId: 7 });
    // Field 15 (varint 1) and field 1 again as a varint (wrong type for a string): both skipped.
    const extended = Buffer.concat([Buffer.from([15 << 3, 1, 1 << 3, 5]), wire]);
    expect(decodeAppendRequest(extended)).toEqual(loader.appendRequest.requestDeserialize(wire));
    expect(() => decodeAppendRequest(wire.subarray(0, wire.length - 1))).toThrow(/past the end|truncated/);
  });

  it('are installed on Append, AppendStream, Publish, PublishStream, Read and Consume only', () => {
    const s = withStaticCodecs(broker);
    for (const m of ['Append', 'AppendStream', 'Publish', 'PublishStream', 'Read', 'Consume'] as const) {
      expect(s[m].requestDeserialize).not.toBe(broker[m].requestDeserialize);
      expect(s[m].path).toBe(broker[m].path);
    }
    expect(s.Subscribe).toBe(broker.Subscribe);
  });
});
