// Hand-written protobuf codecs for the front door's hot calls: the requests
// of Append/AppendStream and Publish/PublishStream, and their responses.
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
import type { AppendResponse } from '../../../proto/generated/quorumq/v1/AppendResponse.js';
import type { Header__Output } from '../../../proto/generated/quorumq/v1/Header.js';
import type { PublishRequest__Output } from '../../../proto/generated/quorumq/v1/PublishRequest.js';
import type { PublishResponse } from '../../../proto/generated/quorumq/v1/PublishResponse.js';
import type { QueueMessage__Output } from '../../../proto/generated/quorumq/v1/QueueMessage.js';
import type { StreamMessage__Output } from '../../../proto/generated/quorumq/v1/StreamMessage.js';
import { EMPTY, In, LEN, Out, VARINT, fields } from '../../../proto/wire-codec.js';

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
  return out as S;
}
