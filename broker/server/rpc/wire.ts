// Hand-written protobuf codecs for the front door's hot calls: the requests
// of Append/AppendStream and Publish/PublishStream, and their responses; the
// requests and responses of Read and Consume (a restarted node serves its
// first read or delivery without building protobufjs's types, proto/load.ts).
//
// The loader's codecs are reflective: a request is decoded into protobufjs
// objects and then converted again (toObject, with defaults and Long to
// number); a response is converted (fromObject) and then encoded. Per message
// that was most of the protobuf cost on the leader under the append bench.
// These read and write the wire format directly into the same shapes the
// loader produces (every field present, defaults filled, 64-bit integers as
// numbers, bytes as Buffers), so handlers cannot tell the difference; the
// tests check that against the loader's codecs on random messages.
//
// Field numbers follow proto/quorumq.proto; an unknown field is skipped, as
// protobuf requires, and so is a known field sent with another wire type.

import type { AppendRequest__Output } from '../../../proto/generated/quorumq/v1/AppendRequest.js';
import type { ConsumeRequest__Output } from '../../../proto/generated/quorumq/v1/ConsumeRequest.js';
import type { ConsumeResponse } from '../../../proto/generated/quorumq/v1/ConsumeResponse.js';
import type { Delivery } from '../../../proto/generated/quorumq/v1/Delivery.js';
import type { Header } from '../../../proto/generated/quorumq/v1/Header.js';
import type { ReadRequest__Output } from '../../../proto/generated/quorumq/v1/ReadRequest.js';
import type { ReadResponse } from '../../../proto/generated/quorumq/v1/ReadResponse.js';
import type { StreamMessage } from '../../../proto/generated/quorumq/v1/StreamMessage.js';
import type { AppendResponse } from '../../../proto/generated/quorumq/v1/AppendResponse.js';
import type { Header__Output } from '../../../proto/generated/quorumq/v1/Header.js';
import type { PublishRequest__Output } from '../../../proto/generated/quorumq/v1/PublishRequest.js';
import type { PublishResponse } from '../../../proto/generated/quorumq/v1/PublishResponse.js';
import type { QueueMessage__Output } from '../../../proto/generated/quorumq/v1/QueueMessage.js';
import type { StreamMessage__Output } from '../../../proto/generated/quorumq/v1/StreamMessage.js';
import { EMPTY, In, LEN, Out, VARINT, WireError, fields, lenFieldSize, repeatedUint, uintFieldSize, varintSize } from '../../../proto/wire-codec.js';

function header(r: In): Header__Output {
  const end = r.len();
  const h: Header__Output = { key: '', value: '' };
  fields(r, end, (no, wt) => {
    if (wt !== LEN) return false;
    if (no === 1) h.key = r.string();
    else if (no === 2) h.value = r.string();
    else return false;
    return true;
  });
  return h;
}

function streamMessage(r: In): StreamMessage__Output {
  const end = r.len();
  const m: StreamMessage__Output = { offset: 0, timestamp: 0, headers: [], body: EMPTY, partition: 0 };
  fields(r, end, (no, wt) => {
    if (no === 1 && wt === VARINT) m.offset = r.varint();
    else if (no === 2 && wt === VARINT) m.timestamp = r.varint();
    else if (no === 3 && wt === LEN) m.headers.push(header(r));
    else if (no === 4 && wt === LEN) m.body = r.bytes();
    else if (no === 5 && wt === VARINT) m.partition = r.uint32();
    else return false;
    return true;
  });
  return m;
}

function queueMessage(r: In): QueueMessage__Output {
  const end = r.len();
  const m: QueueMessage__Output = { headers: [], body: EMPTY, priority: 0, ttlMs: 0, delayMs: 0, messageId: '', group: '', deliverAtMs: 0 };
  fields(r, end, (no, wt) => {
    if (no === 1 && wt === LEN) m.headers.push(header(r));
    else if (no === 2 && wt === LEN) m.body = r.bytes();
    else if (no === 3 && wt === VARINT) m.priority = r.uint32();
    else if (no === 4 && wt === VARINT) m.ttlMs = r.varint();
    else if (no === 5 && wt === VARINT) m.delayMs = r.varint();
    else if (no === 6 && wt === LEN) m.messageId = r.string();
    else if (no === 7 && wt === LEN) m.group = r.string();
    else if (no === 8 && wt === VARINT) m.deliverAtMs = r.varint();
    else return false;
    return true;
  });
  return m;
}

/** What Append and Publish requests share. */
interface WriteRequest<M> {
  name: string;
  messages: M[];
  producerId: string;
  sequence: number;
  requestId: number;
}

/**
 * Append and Publish requests share their shape: the target's name (field 1),
 * the messages (field 2), then producer id, sequence and request id; `more`
 * reads the fields only one kind of request has (false: not one of them).
 * The callers build their request as one literal: a spread copy given new
 * properties is V8's slow path (~1.5 us or more per object).
 */
function writeRequest<M>(buf: Buffer, message: (r: In) => M, more: (r: In, no: number, wt: number) => boolean): WriteRequest<M> {
  const r = new In(buf, 0, buf.length);
  const q: WriteRequest<M> = { name: '', messages: [], producerId: '', sequence: 0, requestId: 0 };
  fields(r, buf.length, (no, wt) => {
    if (more(r, no, wt)) return true;
    if (no === 1 && wt === LEN) q.name = r.string();
    else if (no === 2 && wt === LEN) q.messages.push(message(r));
    else if (no === 3 && wt === LEN) q.producerId = r.string();
    else if (no === 4 && wt === VARINT) q.sequence = r.varint();
    else if (no === 5 && wt === VARINT) q.requestId = r.varint();
    else return false;
    return true;
  });
  return q;
}

export function decodeAppendRequest(buf: Buffer): AppendRequest__Output {
  let key = '';
  const q = writeRequest(buf, streamMessage, (r, no, wt) => {
    if (no !== 6 || wt !== LEN) return false;
    key = r.string();
    return true;
  });
  return { stream: q.name, messages: q.messages, producerId: q.producerId, sequence: q.sequence, requestId: q.requestId, key };
}

export function decodePublishRequest(buf: Buffer): PublishRequest__Output {
  let group = 0;
  const q = writeRequest(buf, queueMessage, (r, no, wt) => {
    if (no !== 6 || wt !== VARINT) return false;
    group = r.uint32();
    return true;
  });
  return { queue: q.name, messages: q.messages, producerId: q.producerId, sequence: q.sequence, requestId: q.requestId, group };
}

/** A repeated unsigned field, packed (one length-delimited run) or not, as protobuf accepts either; false for another wire type. */

/** quorumq.v1.Consistency's names (enums as strings, as the loader gives them; an unknown value stays a number). */
const CONSISTENCY = ['LINEARIZABLE', 'LOCAL'] as const;

export function decodeReadRequest(buf: Buffer): ReadRequest__Output {
  const r = new In(buf, 0, buf.length);
  const q: ReadRequest__Output = { stream: '', fromOffset: 0, maxMessages: 0, maxBytes: 0, waitMs: 0, consistency: 'LINEARIZABLE', partitions: [], fromOffsets: [] };
  fields(r, buf.length, (no, wt) => {
    if (no === 7) return repeatedUint(r, wt, q.partitions, true);
    if (no === 8) return repeatedUint(r, wt, q.fromOffsets, false);
    if (no === 1 && wt === LEN) q.stream = r.string();
    else if (no === 2 && wt === VARINT) q.fromOffset = r.varint();
    else if (no === 3 && wt === VARINT) q.maxMessages = r.uint32();
    else if (no === 4 && wt === VARINT) q.maxBytes = r.varint();
    else if (no === 5 && wt === VARINT) q.waitMs = r.uint32();
    else if (no === 6 && wt === VARINT) {
      const v = r.int32();
      q.consistency = (CONSISTENCY[v] ?? v) as ReadRequest__Output['consistency'];
    } else return false;
    return true;
  });
  return q;
}

export function decodeConsumeRequest(buf: Buffer): ConsumeRequest__Output {
  const r = new In(buf, 0, buf.length);
  const q: ConsumeRequest__Output = { queue: '', prefetch: 0, ack: [], requeue: [], reject: [], requeueDelayMs: 0, requestId: 0, priority: 0 };
  fields(r, buf.length, (no, wt) => {
    if (no === 3) return repeatedUint(r, wt, q.ack, false);
    if (no === 4) return repeatedUint(r, wt, q.requeue, false);
    if (no === 5) return repeatedUint(r, wt, q.reject, false);
    if (no === 1 && wt === LEN) q.queue = r.string();
    else if (no === 2 && wt === VARINT) q.prefetch = r.uint32();
    else if (no === 6 && wt === VARINT) q.requeueDelayMs = r.varint();
    else if (no === 7 && wt === VARINT) q.requestId = r.varint();
    else if (no === 8 && wt === VARINT) q.priority = r.uint32();
    else return false;
    return true;
  });
  return q;
}

// ---- responses ---------------------------------------------------------------

export function encodeAppendResponse(res: AppendResponse): Buffer {
  return new Out()
    .uint(1, res.firstOffset)
    .uint(2, res.count)
    .uint(3, res.timestamp)
    .bool(4, res.duplicate)
    .uint(5, res.requestId)
    .uint(6, res.index)
    .uint(7, res.leader)
    .uint(8, res.errorCode)
    .string(9, res.errorMessage)
    .string(10, res.errorOutcome)
    .uint(11, res.partition)
    .finish();
}

export function encodePublishResponse(res: PublishResponse): Buffer {
  return new Out()
    .uint(1, res.count)
    .uint(2, res.index)
    .uint(3, res.leader)
    .uint(4, res.deduplicated)
    .bool(5, res.duplicate)
    .uint(6, res.requestId)
    .uint(7, res.errorCode)
    .string(8, res.errorMessage)
    .uint(9, res.group)
    .finish();
}

// Nested messages are sized first (the *Size functions), then written in
// place behind their length: no copy of a body but the one into the response.

/** An unsigned value as the loader's fromObject takes it (a number, or a decimal string); anything else refused, as Out.uint refuses it. */
function unsigned(no: number, v: unknown): number {
  if (v === undefined || v === null) return 0;
  const x = typeof v === 'number' ? v : Number(v);
  if (!Number.isInteger(x) || x < 0) throw new WireError(`field ${no}: ${String(v)} is not an unsigned integer`);
  return x;
}

/** A bytes value as the loader's fromObject takes it: a string is base64. */
function bytesOf(v: Buffer | Uint8Array | string | undefined): Uint8Array {
  if (v === undefined || v === null) return EMPTY;
  return typeof v === 'string' ? Buffer.from(v, 'base64') : v;
}

function stringFieldSize(no: number, v: string | undefined): number {
  return v ? lenFieldSize(no, Buffer.byteLength(v)) : 0;
}

function bytesFieldSize(no: number, v: Uint8Array): number {
  return v.byteLength ? lenFieldSize(no, v.byteLength) : 0;
}

function headerSize(h: Header): number {
  return stringFieldSize(1, h.key) + stringFieldSize(2, h.value);
}

function headersSize(no: number, hs: Header[] | undefined): number {
  let n = 0;
  for (const h of hs ?? []) n += lenFieldSize(no, headerSize(h));
  return n;
}

function writeHeaders(out: Out, no: number, hs: Header[] | undefined): void {
  for (const h of hs ?? []) out.lenPrefix(no, headerSize(h)).string(1, h.key).string(2, h.value);
}

/** Packed repeated unsigned values: the run's length. */
function packedSize(vs: readonly number[]): number {
  let n = 0;
  for (const v of vs) n += varintSize(v);
  return n;
}

function writePacked(out: Out, no: number, vs: readonly unknown[] | undefined): void {
  if (!vs || vs.length === 0) return;
  const xs = vs.map((v) => unsigned(no, v));
  out.lenPrefix(no, packedSize(xs));
  for (const x of xs) out.varint(x);
}

function streamMessageSize(m: StreamMessage, body: Uint8Array): number {
  return (
    uintFieldSize(1, unsigned(1, m.offset)) +
    uintFieldSize(2, unsigned(2, m.timestamp)) +
    headersSize(3, m.headers) +
    bytesFieldSize(4, body) +
    uintFieldSize(5, unsigned(5, m.partition))
  );
}

export function encodeReadResponse(res: ReadResponse): Buffer {
  const out = new Out(256);
  for (const m of res.messages ?? []) {
    const body = bytesOf(m.body);
    out.lenPrefix(1, streamMessageSize(m, body)).uint(1, m.offset).uint(2, m.timestamp);
    writeHeaders(out, 3, m.headers);
    out.bytes(4, body).uint(5, m.partition);
  }
  out.uint(2, res.nextOffset).uint(3, res.firstOffset).uint(4, res.endOffset).uint(5, res.servedBy);
  writePacked(out, 6, res.nextOffsets);
  writePacked(out, 7, res.partitions);
  return out.finish();
}

function deliverySize(d: Delivery, body: Uint8Array): number {
  return (
    uintFieldSize(1, unsigned(1, d.tag)) +
    headersSize(2, d.headers) +
    bytesFieldSize(3, body) +
    uintFieldSize(4, unsigned(4, d.priority)) +
    (d.redelivered ? 2 : 0) +
    uintFieldSize(6, unsigned(6, d.acquired)) +
    uintFieldSize(7, unsigned(7, d.failed)) +
    uintFieldSize(8, unsigned(8, d.deliveredAtMs))
  );
}

export function encodeConsumeResponse(res: ConsumeResponse): Buffer {
  const out = new Out(256);
  out.string(1, res.consumer);
  for (const d of res.deliveries ?? []) {
    const body = bytesOf(d.body);
    out.lenPrefix(2, deliverySize(d, body)).uint(1, d.tag);
    writeHeaders(out, 2, d.headers);
    out.bytes(3, body).uint(4, d.priority).bool(5, d.redelivered).uint(6, d.acquired).uint(7, d.failed).uint(8, d.deliveredAtMs);
  }
  out.uint(3, res.confirmed);
  writePacked(out, 4, res.unknownTags);
  out.string(5, res.ended);
  return out.finish();
}

/** The Broker service definition with these codecs on the hot calls (the server side: requests in, responses out). */
export function withStaticCodecs<S extends Record<string, object>>(service: S): S {
  const out: Record<string, object> = { ...service };
  const use = (method: string, requestDeserialize: (b: Buffer) => unknown, responseSerialize: (v: never) => Buffer): void => {
    const def = service[method];
    if (!def) throw new Error(`the Broker service has no ${method}`);
    out[method] = { ...def, requestDeserialize, responseSerialize };
  };
  use('Append', decodeAppendRequest, encodeAppendResponse);
  use('AppendStream', decodeAppendRequest, encodeAppendResponse);
  use('Publish', decodePublishRequest, encodePublishResponse);
  use('PublishStream', decodePublishRequest, encodePublishResponse);
  use('Read', decodeReadRequest, encodeReadResponse);
  use('Consume', decodeConsumeRequest, encodeConsumeResponse);
  return out as S;
}
