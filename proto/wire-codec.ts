// Protobuf wire-format primitives for hand-written codecs: a reader and a
// writer over the encoding itself (varints, length-delimited fields, tags),
// shared by the front door's hot calls (broker/server/rpc/wire.ts) and the
// peer transport's message batches (raft/transport/batch-codec.ts). The
// loader's codecs are reflective and convert through protobufjs objects; on
// the hot paths that conversion was most of the protobuf cost.

export const VARINT = 0;
export const FIXED64 = 1;
export const LEN = 2;
export const FIXED32 = 5;
const TWO_32 = 2 ** 32;
export const EMPTY = Buffer.alloc(0);

export class WireError extends Error {
  override readonly name = 'WireError';
}

/** A reader over one message's bytes (`pos` to `end`). */
export class In {
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

  /** An int32 (or enum) field: the low 32 bits of the varint, signed, as protobuf reads it (a negative one is sent as ten bytes). */
  int32(): number {
    let v = 0;
    let i = 0;
    for (; i < 10; i++) {
      if (this.pos >= this.end) throw new WireError('truncated varint');
      const b = this.buf[this.pos++]!;
      // Bits beyond the 32nd do not matter: only the first five bytes are kept.
      if (i < 5) v += (b & 0x7f) * 2 ** (7 * i);
      if (b < 0x80) return v % TWO_32 | 0;
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

/** A repeated integer field's value(s): packed (one LEN run, as protobuf writes them) or one per field; `u32` keeps the low 32 bits. False for another wire type. */
export function repeatedUint(r: In, wt: number, into: number[], u32 = false): boolean {
  if (wt === LEN) {
    const end = r.len();
    while (r.pos < end) into.push(u32 ? r.uint32() : r.varint());
    if (r.pos !== end) throw new WireError('a packed field runs past its length');
    return true;
  }
  if (wt !== VARINT) return false;
  into.push(u32 ? r.uint32() : r.varint());
  return true;
}

/** Read the fields of one message: `field` handles the ones it knows (returning false for a wrong wire type) and the rest are skipped. */
export function fields(r: In, end: number, field: (no: number, wireType: number) => boolean): void {
  while (r.pos < end) {
    const tag = r.varint();
    const no = Math.floor(tag / 8);
    const wt = tag % 8;
    if (no === 0) throw new WireError('field number 0');
    if (!field(no, wt)) r.skip(wt);
  }
  if (r.pos !== end) throw new WireError('a field runs past the end of its message');
}


/** A message being written: fields in order, zero values left out (proto3). */
export class Out {
  private buf: Buffer;

  /** `size`: the bytes to start with (exact when the caller sized the message, see varintSize). */
  constructor(size = 64) {
    this.buf = Buffer.allocUnsafe(size);
  }
  private n = 0;

  room(k: number): void {
    if (this.n + k <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.n + k));
    this.buf.copy(next, 0, 0, this.n);
    this.buf = next;
  }

  varint(v: number): void {
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

  /** A bytes field; empty is left out. */
  bytes(no: number, v: Uint8Array): this {
    if (v.byteLength === 0) return this;
    this.lenPrefix(no, v.byteLength);
    this.room(v.byteLength);
    this.buf.set(v, this.n);
    this.n += v.byteLength;
    return this;
  }

  /** Bytes as they are (after a lenPrefix the caller wrote). */
  raw(v: Uint8Array): this {
    this.room(v.byteLength);
    this.buf.set(v, this.n);
    this.n += v.byteLength;
    return this;
  }

  /** The tag and length of a nested message of `len` bytes, whose fields the caller writes next. */
  lenPrefix(no: number, len: number): this {
    this.varint(no * 8 + LEN);
    this.varint(len);
    return this;
  }

  finish(): Buffer {
    return this.buf.subarray(0, this.n);
  }
}


/** The bytes a varint of `v` takes. */
export function varintSize(v: number): number {
  let n = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

/** The bytes of an unsigned field (tag and value) as Out.uint writes it: 0 when it is 0. */
export function uintFieldSize(no: number, v: number): number {
  return v === 0 ? 0 : varintSize(no * 8) + varintSize(v);
}

/** The bytes of a length-delimited field of `len` bytes (tag, length, bytes). */
export function lenFieldSize(no: number, len: number): number {
  return varintSize(no * 8 + LEN) + varintSize(len) + len;
}
