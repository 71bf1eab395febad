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

const VARINT = 0;
const FIXED64 = 1;
const LEN = 2;
const FIXED32 = 5;
const TWO_32 = 2 ** 32;
const EMPTY = Buffer.alloc(0);

class WireError extends Error {
  override readonly name = 'WireError';
}

class In {
  pos: number;
  constructor(
    readonly buf: Buffer,
    pos: number,
    readonly end: number,
  ) {
    this.pos = pos;
  }

  /** A varint as a number: exact up to 2^53, like the loader's Long-to-number conversion beyond. */
  varint(): number {
    let v = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new WireError('truncated varint');
      const b = this.buf[this.pos++]!;
      v += (b & 0x7f) * mul;
      if (b < 0x80) return v;
      mul *= 128;
    }
    throw new WireError('varint longer than 10 bytes');
  }

  /** A uint32 field: the low 32 bits of the varint, as protobuf reads it. */
  uint32(): number {
    return this.varint() % TWO_32;
  }

  /** Where a length-delimited field ends (its bytes start at pos). */
  len(): number {
    const n = this.varint();
    const end = this.pos + n;
    if (end > this.end) throw new WireError('length-delimited field runs past the end of its message');
    return end;
  }

  string(): string {
    const end = this.len();
    const s = this.buf.toString('utf8', this.pos, end);
    this.pos = end;
    return s;
  }

  bytes(): Buffer {
    const end = this.len();
    const b = this.buf.subarray(this.pos, end);
    this.pos = end;
    return b;
  }

  skip(wireType: number): void {
    switch (wireType) {
      case VARINT:
        this.varint();
        return;
      case FIXED64:
        this.pos += 8;
        break;
      case LEN:
        this.pos = this.len();
        return;
      case FIXED32:
        this.pos += 4;
        break;
      default:
        throw new WireError(`unsupported wire type ${wireType}`);
    }
    if (this.pos > this.end) throw new WireError('truncated field');
  }
}

/** Read the fields of one message: `field` handles the ones it knows (returning false for a wrong wire type) and the rest are skipped. */
function fields(r: In, end: number, field: (no: number, wireType: number) => boolean): void {
  while (r.pos < end) {
    const tag = r.varint();
    const no = Math.floor(tag / 8);
    const wt = tag % 8;
    if (no === 0) throw new WireError('field number 0');
    if (!field(no, wt)) r.skip(wt);
  }
  if (r.pos !== end) throw new WireError('a field runs past the end of its message');
}

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

/**
 * Append and Publish requests share their shape: the target's name (field 1),
 * the messages (field 2), then producer id, sequence and request id.
 */
function writeRequest<T extends string, M>(
  buf: Buffer,
  target: T,
  message: (r: In) => M,
  /** The fields one kind of request has beyond the shared ones (false: not one of them). */
  more: (r: In, no: number, wt: number) => boolean = () => false,
): { [K in T]: string } & { messages: M[]; producerId: string; sequence: number; requestId: number } {
  const r = new In(buf, 0, buf.length);
  let name = '';
  const q = { messages: [] as M[], producerId: '', sequence: 0, requestId: 0 };
  fields(r, buf.length, (no, wt) => {
    if (more(r, no, wt)) return true;
    if (no === 1 && wt === LEN) name = r.string();
    else if (no === 2 && wt === LEN) q.messages.push(message(r));
    else if (no === 3 && wt === LEN) q.producerId = r.string();
    else if (no === 4 && wt === VARINT) q.sequence = r.varint();
    else if (no === 5 && wt === VARINT) q.requestId = r.varint();
    else return false;
    return true;
  });
  return { [target]: name, ...q } as { [K in T]: string } & typeof q;
}

export function decodeAppendRequest(buf: Buffer): AppendRequest__Output {
  let key = '';
  const req = writeRequest(buf, 'stream', streamMessage, (r, no, wt) => {
    if (no !== 6 || wt !== LEN) return false;
    key = r.string();
    return true;
  });
  return { ...req, key };
}

export function decodePublishRequest(buf: Buffer): PublishRequest__Output {
  return writeRequest(buf, 'queue', queueMessage);
}

// ---- responses ---------------------------------------------------------------

/** A small response being written: fields in order, zero values left out (proto3). */
class Out {
  private buf = Buffer.allocUnsafe(64);
  private n = 0;

  private room(k: number): void {
    if (this.n + k <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.n + k));
    this.buf.copy(next, 0, 0, this.n);
    this.buf = next;
  }

  private varint(v: number): void {
    this.room(10);
    while (v >= 0x80) {
      this.buf[this.n++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.n++] = v;
  }

  /** A uint64 or uint32 field; anything but a non-negative integer is refused, as the loader refuses it. */
  uint(no: number, v: unknown): this {
    if (v === undefined || v === null) return this;
    const x = typeof v === 'number' ? v : Number(v);
    if (!Number.isInteger(x) || x < 0) throw new WireError(`field ${no}: ${String(v)} is not an unsigned integer`);
    if (x === 0) return this;
    this.varint(no * 8 + VARINT);
    this.varint(x);
    return this;
  }

  bool(no: number, v: boolean | undefined): this {
    if (!v) return this;
    this.varint(no * 8 + VARINT);
    this.varint(1);
    return this;
  }

  string(no: number, v: string | undefined): this {
    if (!v) return this;
    const len = Buffer.byteLength(v);
    this.varint(no * 8 + LEN);
    this.varint(len);
    this.room(len);
    this.n += this.buf.write(v, this.n, 'utf8');
    return this;
  }

  finish(): Buffer {
    return this.buf.subarray(0, this.n);
  }
}

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
