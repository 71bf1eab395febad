// A tiny length-prefixed binary writer and reader for commands, results and
// snapshots. Pure (no Buffer, no node:*), so the state machines stay
// deterministic and portable to the simulation.

const te = new TextEncoder();

/** A column of numbers written or read as one block of bytes. */
export type Column = Uint8Array | Uint16Array | Uint32Array | Float64Array;

// Columns are laid out little-endian. On a little-endian host (every platform
// Node ships for but s390x) that is the typed array's own memory: one copy
// per column instead of one call per value. A big-endian host swaps bytes.
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function swapped(bytes: Uint8Array, width: number): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += width) for (let k = 0; k < width; k++) out[i + k] = bytes[i + width - 1 - k]!;
  return out;
}
const td = new TextDecoder('utf-8', { fatal: true });

export class DecodeError extends Error {
  override readonly name = 'DecodeError';
}

export class Writer {
  private buf: Uint8Array;
  private view: DataView;
  private n = 0;

  /** `capacity`: about the size it will reach, so a large payload is not copied again and again as the buffer doubles. */
  constructor(capacity = 64) {
    this.buf = new Uint8Array(capacity);
    this.view = new DataView(this.buf.buffer);
  }

  private room(k: number): void {
    if (this.n + k <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.n + k) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.n));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): this {
    this.room(1);
    this.buf[this.n++] = v;
    return this;
  }

  u32(v: number): this {
    this.room(4);
    this.view.setUint32(this.n, v);
    this.n += 4;
    return this;
  }

  /** Integers up to 2^53 (Raft indexes). */
  u53(v: number): this {
    this.room(8);
    this.view.setFloat64(this.n, v);
    this.n += 8;
    return this;
  }

  bytes(b: Uint8Array): this {
    this.u32(b.byteLength);
    this.room(b.byteLength);
    this.buf.set(b, this.n);
    this.n += b.byteLength;
    return this;
  }

  str(s: string): this {
    // Written in place: a short ASCII string (names, ids) byte by byte, others
    // with encodeInto into room for the worst case (3 bytes per UTF-16 unit).
    const len = s.length;
    if (len <= 64) {
      this.room(4 + len);
      const at = this.n + 4;
      let i = 0;
      for (; i < len; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        this.buf[at + i] = c;
      }
      if (i === len) {
        this.view.setUint32(this.n, len);
        this.n = at + len;
        return this;
      }
    }
    this.room(4 + 3 * len);
    const { written } = te.encodeInto(s, this.buf.subarray(this.n + 4));
    this.view.setUint32(this.n, written);
    this.n += 4 + written;
    return this;
  }

  /** The first `n` values of `a`, as one length-prefixed block (see Reader.column). */
  column(a: Column, n: number): this {
    const raw = new Uint8Array(a.buffer, a.byteOffset, n * a.BYTES_PER_ELEMENT);
    return this.bytes(LITTLE_ENDIAN || a.BYTES_PER_ELEMENT === 1 ? raw : swapped(raw, a.BYTES_PER_ELEMENT));
  }

  /**
   * The first `n` values of `a` as runs of equal steps: a count of runs, then
   * each run's step (the difference to the value before; the first from 0)
   * and length, both as columns. A queue's columns are mostly constant
   * (counters, deadlines, tags of ready messages are 0) or count up (publish
   * order; 256 messages of one batch share an entry): a million rows take a
   * few thousand runs instead of 68 MB a restart would read back.
   */
  steps(a: Column, n: number): this {
    const step: number[] = [];
    const length: number[] = [];
    let prev = 0;
    for (let i = 0; i < n; i++) {
      const v = a[i]!;
      const d = v - prev;
      prev = v;
      const last = step.length - 1;
      if (last >= 0 && step[last] === d) length[last]!++;
      else {
        step.push(d);
        length.push(1);
      }
    }
    this.u32(step.length);
    this.column(Float64Array.from(step), step.length);
    return this.column(Uint32Array.from(length), length.length);
  }

  /**
   * The bytes written. A writer sized close to its result (a command's
   * encodedBytesBound) hands over a view of its own buffer instead of a copy:
   * one copy of every message body less on the way into the log.
   */
  finish(): Uint8Array {
    return this.n * 8 >= this.buf.length * 7 ? this.buf.subarray(0, this.n) : this.buf.slice(0, this.n);
  }
}

export class Reader {
  private readonly view: DataView;
  private o = 0;

  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  private need(k: number): void {
    if (this.o + k > this.buf.byteLength) throw new DecodeError(`truncated: needed ${k} bytes at offset ${this.o} of ${this.buf.byteLength}`);
  }

  u8(): number {
    this.need(1);
    return this.buf[this.o++]!;
  }

  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.o);
    this.o += 4;
    return v;
  }

  u53(): number {
    this.need(8);
    const v = this.view.getFloat64(this.o);
    this.o += 8;
    if (!Number.isSafeInteger(v) || v < 0) throw new DecodeError(`bad integer ${v}`);
    return v;
  }

  bytes(): Uint8Array {
    const len = this.u32();
    this.need(len);
    const b = this.buf.subarray(this.o, this.o + len);
    this.o += len;
    return b;
  }

  /**
   * Fills the first `n` values of `into` from a block Writer.column wrote.
   * No per-value check (a Float64 column of u53s is not checked for being a
   * safe integer): the block is read as a whole, and snapshot data is
   * checksummed by the log that stores it.
   */
  column(into: Column, n: number): void {
    const width = into.BYTES_PER_ELEMENT;
    const b = this.bytes();
    if (b.byteLength !== n * width) throw new DecodeError(`a column of ${n} values of ${width} bytes is ${b.byteLength} bytes`);
    new Uint8Array(into.buffer, into.byteOffset, b.byteLength).set(LITTLE_ENDIAN || width === 1 ? b : swapped(b, width));
  }

  /** Fills the first `n` values of `into` from what Writer.steps wrote. */
  steps(into: Column, n: number): void {
    const runs = this.u32();
    const step = new Float64Array(runs);
    const length = new Uint32Array(runs);
    this.column(step, runs);
    this.column(length, runs);
    let i = 0;
    let v = 0;
    for (let r = 0; r < runs; r++) {
      const d = step[r]!;
      const end = i + length[r]!;
      if (end > n) throw new DecodeError(`runs of steps cover more than the column's ${n} values`);
      // Most runs are constant: filled natively rather than one value at a time.
      if (d === 0) into.fill(v, i, (i = end));
      else for (; i < end; i++) into[i] = v += d;
    }
    if (i !== n) throw new DecodeError(`runs of steps cover ${i} of the column's ${n} values`);
  }

  str(): string {
    try {
      return td.decode(this.bytes());
    } catch (e) {
      if (e instanceof DecodeError) throw e;
      throw new DecodeError('invalid UTF-8');
    }
  }

  get done(): boolean {
    return this.o === this.buf.byteLength;
  }

  end(): void {
    if (!this.done) throw new DecodeError(`${this.buf.byteLength - this.o} trailing bytes`);
  }
}
