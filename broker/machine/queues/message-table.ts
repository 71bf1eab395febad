// What a queue keeps per message: where its body is in the Raft log (entry
// index, the command's position in the entry, the message's position in the
// command), its size, and only what differs from a fresh ready message
// (priority, counters, deadlines, group), in typed arrays — no object per
// message.
//
// Layout (why it costs ~13 bytes per ready plain message, not ~100):
// - Ids are handed out in publish order and never reused, so a message's id is
//   also its publish sequence (no `seq` column), and ready messages of one
//   priority are mostly consecutive ids (their FIFO compresses to runs, see
//   IdRing).
// - Rows live in chunks of CHUNK ids. A chunk is allocated when its first id
//   is (small, doubling up to CHUNK rows as its ids are handed out, so a
//   small queue stays small), and dropped once every row in it is gone:
//   beyond one chunk, growth is by fixed steps (no doubling slack), and
//   memory follows the live backlog.
// - Every chunk has the columns a ready message needs: state (1 B), size
//   (4 B), Raft index as an offset from the chunk's first index (4 B), part
//   and slot (2 B each). A row that does not fit those widths (an index far
//   from the chunk's base, a part or slot >= 65535) keeps its place in the
//   chunk's `far` map instead.
// - The other columns (priority, counters, dead reason, expiry, deadlines,
//   delivery tag, group) are allocated per chunk on the first non-zero write:
//   a backlog nobody has consumed yet, without priorities, TTL or groups,
//   pays nothing for them. An absent column reads 0.
// - Rows stored with an older Raft index than one already stored (a
//   schedule's fire, a replayed or arriving dead letter) are flagged
//   `ooo`: the queue tracks those in a heap, the others are in Raft-index
//   order by id (see Queue.firstLiveIndex).

export const enum MsgState {
  Free = 0,
  Ready = 1,
  Delayed = 2,
  Unacked = 3,
  Dead = 4,
}

import type { Reader, Writer } from '../bytes.js';
import { DecodeError } from '../bytes.js';

const SHIFT = 12;
/** Ids per chunk. */
export const CHUNK = 1 << SHIFT;
const MASK = CHUNK - 1;
/** Rows a new chunk has room for. */
const MIN_ROWS = 16;
/** `rel` of a row whose place is in the chunk's `far` map. */
const FAR = 0xffff_ffff;

type Column = Uint8Array | Uint16Array | Uint32Array | Float64Array;
const LAZY = {
  priority: Uint8Array,
  /** Deliveries that failed: nack, reject, ack timeout. */
  failed: Uint16Array,
  /** Times acquired by a consumer, including returns after a disconnect. */
  acquired: Uint16Array,
  /** Why it was dead-lettered (see DeadReason). */
  reason: Uint8Array,
  /** Leader time after which it is never delivered (0: never expires). */
  expiresAt: Float64Array,
  /** Delayed: when it may be delivered; unacked: its ack deadline; dead: when it was dead-lettered. */
  at: Float64Array,
  /** The delivery tag while unacked (0 otherwise). */
  tag: Float64Array,
  /** The message group it belongs to (0: none). */
  group: Uint32Array,
  /** The queue's mark of its latest push onto a deadline heap (delayed, ack timeout): only that heap entry is live. */
  mark: Float64Array,
  /** Stored with an older Raft index than the newest already stored (1). */
  ooo: Uint8Array,
} as const;
export type LazyColumn = keyof typeof LAZY;
const LAZY_NAMES = Object.keys(LAZY) as LazyColumn[];

interface Place {
  readonly raftIndex: number;
  readonly part: number;
  readonly slot: number;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A column's bytes, little-endian whatever the platform (snapshots go between nodes). */
function littleEndian(a: Column): Uint8Array {
  const raw = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  if (LITTLE_ENDIAN || a.BYTES_PER_ELEMENT === 1) return raw;
  const out = new Uint8Array(raw.length);
  const n = a.BYTES_PER_ELEMENT;
  for (let i = 0; i < raw.length; i += n) for (let j = 0; j < n; j++) out[i + j] = raw[i + n - 1 - j]!;
  return out;
}

/** A column of `rows` rows read back from littleEndian's bytes. */
function column<A extends Column>(r: Reader, Type: new (b: ArrayBuffer) => A, rows: number): A {
  const b = r.bytes();
  const out = new Uint8Array(b.length);
  if (b.length !== rows * (Type as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT) throw new DecodeError(`a table column of ${b.length} bytes, not ${rows} rows`);
  const n = (Type as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
  if (LITTLE_ENDIAN || n === 1) out.set(b);
  else for (let i = 0; i < b.length; i += n) for (let j = 0; j < n; j++) out[i + j] = b[i + n - 1 - j]!;
  return new Type(out.buffer);
}

class Chunk {
  live = 0;
  /** Raft index that `rel` offsets are from (the first placed row's). */
  base = -1;
  /** Rows the columns have room for: grown (doubling, up to CHUNK) as ids in the chunk are handed out, so a small queue stays small. */
  cap = MIN_ROWS;
  state = new Uint8Array(MIN_ROWS);
  bytes = new Uint32Array(MIN_ROWS);
  rel = new Uint32Array(MIN_ROWS);
  part = new Uint16Array(MIN_ROWS);
  slot = new Uint16Array(MIN_ROWS);
  far: Map<number, Place> | undefined;
  readonly lazy: Partial<Record<LazyColumn, Column>> = {};

  /** Room for row `o`. */
  fit(o: number): void {
    if (o < this.cap) return;
    let cap = this.cap;
    while (cap <= o) cap *= 2;
    cap = Math.min(CHUNK, cap);
    const g = <A extends Column>(a: A): A => {
      const b = new (a.constructor as new (n: number) => A)(cap);
      b.set(a);
      return b;
    };
    this.state = g(this.state);
    this.bytes = g(this.bytes);
    this.rel = g(this.rel);
    this.part = g(this.part);
    this.slot = g(this.slot);
    for (const col of LAZY_NAMES) {
      const a = this.lazy[col];
      if (a) this.lazy[col] = g(a);
    }
    this.cap = cap;
  }
}

export class MessageTable {
  private readonly chunks = new Map<number, Chunk>();
  private next = 0;
  private count = 0;
  /** The last chunk looked up (most accesses are near each other). */
  private lastKey = -1;
  private last: Chunk | undefined;

  /** Messages held (rows not free). */
  get live(): number {
    return this.count;
  }

  /** Ids handed out so far are below this: the next id, and the publish sequence of the next message. */
  get size(): number {
    return this.next;
  }

  private chunk(id: number): Chunk | undefined {
    const k = Math.floor(id / CHUNK);
    if (k !== this.lastKey) {
      this.lastKey = k;
      this.last = this.chunks.get(k);
    }
    return this.last;
  }

  /** A new row (state Free until the caller sets it), every column 0. */
  alloc(): number {
    const id = this.next++;
    const k = Math.floor(id / CHUNK);
    let c = this.chunks.get(k);
    if (!c) {
      // The previous chunk, emptied while it was the last, is not reached again.
      if (this.chunks.get(k - 1)?.live === 0) this.chunks.delete(k - 1);
      c = new Chunk();
      this.chunks.set(k, c);
      this.lastKey = -1;
    }
    c.fit(id & MASK);
    c.live++;
    this.count++;
    return id;
  }

  release(id: number): void {
    const c = this.chunk(id)!;
    const o = id & MASK;
    c.state[o] = MsgState.Free;
    c.far?.delete(o);
    this.count--;
    // Every id of the chunk was handed out and is gone: the chunk goes.
    if (--c.live === 0 && (Math.floor(id / CHUNK) + 1) * CHUNK <= this.next) {
      this.chunks.delete(Math.floor(id / CHUNK));
      this.lastKey = -1;
    }
  }

  state(id: number): MsgState {
    const c = this.chunk(id);
    return c ? (c.state[id & MASK]! as MsgState) : MsgState.Free;
  }

  setState(id: number, s: MsgState): void {
    this.chunk(id)!.state[id & MASK] = s;
  }

  bytes(id: number): number {
    return this.chunk(id)!.bytes[id & MASK]!;
  }

  setPlace(id: number, raftIndex: number, part: number, slot: number, bytes: number): void {
    const c = this.chunk(id)!;
    const o = id & MASK;
    c.bytes[o] = bytes;
    if (c.base < 0) c.base = raftIndex;
    const rel = raftIndex - c.base;
    if (rel >= 0 && rel < FAR && part < 0xffff && slot < 0xffff) {
      c.rel[o] = rel;
      c.part[o] = part;
      c.slot[o] = slot;
      c.far?.delete(o);
    } else {
      c.rel[o] = FAR;
      (c.far ??= new Map()).set(o, { raftIndex, part, slot });
    }
  }

  raftIndex(id: number): number {
    const c = this.chunk(id)!;
    const o = id & MASK;
    const rel = c.rel[o]!;
    return rel === FAR ? c.far!.get(o)!.raftIndex : c.base + rel;
  }

  part(id: number): number {
    const c = this.chunk(id)!;
    const o = id & MASK;
    return c.rel[o] === FAR ? c.far!.get(o)!.part : c.part[o]!;
  }

  slot(id: number): number {
    const c = this.chunk(id)!;
    const o = id & MASK;
    return c.rel[o] === FAR ? c.far!.get(o)!.slot : c.slot[o]!;
  }

  get(col: LazyColumn, id: number): number {
    const a = this.chunk(id)?.lazy[col];
    return a ? a[id & MASK]! : 0;
  }

  set(col: LazyColumn, id: number, v: number): void {
    const c = this.chunk(id)!;
    let a = c.lazy[col];
    if (!a) {
      if (v === 0) return;
      a = c.lazy[col] = new LAZY[col](c.cap);
    }
    a[id & MASK] = v;
  }

  /** Every held row's id, in id (publish) order. */
  *ids(): Generator<number> {
    // Chunks are created in id order and never re-created: the map's order is id order.
    for (const [k, c] of this.chunks) {
      const end = Math.min(CHUNK, this.next - k * CHUNK);
      for (let o = 0; o < end; o++) if (c.state[o] !== MsgState.Free) yield k * CHUNK + o;
    }
  }

  /**
   * Each held row that is delayed, unacked or stored out of Raft order (the
   * rows a restore puts on the deadline and held heaps), in id order. A tight
   * scan of each chunk's state bytes: a queue restored with a million ready
   * messages visits none of them, where walking ids() cost ~100 ms.
   */
  forEachTimedOrLate(visit: (id: number, state: MsgState, late: boolean) => void): void {
    for (const [k, c] of this.chunks) {
      const end = Math.min(CHUNK, this.next - k * CHUNK);
      const st = c.state;
      const ooo = c.lazy.ooo;
      for (let o = 0; o < end; o++) {
        const s = st[o]! as MsgState;
        if (s === MsgState.Free) continue;
        const late = ooo !== undefined && ooo[o] !== 0;
        if (late || s === MsgState.Delayed || s === MsgState.Unacked) visit(k * CHUNK + o, s, late);
      }
    }
  }

  /** The smallest held id at or after `from` (this.size when none). */
  nextHeld(from: number): number {
    let id = from;
    while (id < this.next) {
      const c = this.chunk(id);
      if (!c) {
        id = (Math.floor(id / CHUNK) + 1) * CHUNK;
        continue;
      }
      if (c.state[id & MASK] !== MsgState.Free) return id;
      id++;
    }
    return this.next;
  }

  /**
   * Version 4: the next id, then each chunk as it is — its number, base,
   * columns as little-endian bytes (the lazy ones flagged present or not), and
   * its far places. Copying columns whole keeps a snapshot of a million
   * messages to ~13 bytes each and to milliseconds; rows freed inside a chunk
   * are written as they are (the same log gives the same bytes).
   */
  write(w: Writer): void {
    w.u53(this.next).u32(this.chunks.size);
    for (const [k, c] of this.chunks) {
      w.u53(k).u53(c.base + 1).u32(c.cap);
      for (const a of [c.state, c.bytes, c.rel, c.part, c.slot]) w.bytes(littleEndian(a));
      for (const col of LAZY_NAMES) {
        const a = c.lazy[col];
        w.u8(a ? 1 : 0);
        if (a) w.bytes(littleEndian(a));
      }
      const far = [...(c.far ?? new Map<number, Place>())].sort((x, y) => x[0] - y[0]);
      w.u32(far.length);
      for (const [o, p] of far) w.u32(o).u53(p.raftIndex).u32(p.part).u32(p.slot);
    }
  }

  read(r: Reader): void {
    this.clear();
    this.next = r.u53();
    const n = r.u32();
    for (let i = 0; i < n; i++) {
      const k = r.u53();
      const c = new Chunk();
      c.base = r.u53() - 1;
      const cap = r.u32();
      if (cap < MIN_ROWS || cap > CHUNK) throw new DecodeError(`a table chunk of ${cap} rows, not ${MIN_ROWS} to ${CHUNK}`);
      c.cap = cap;
      c.state = column(r, Uint8Array, cap);
      c.bytes = column(r, Uint32Array, cap);
      c.rel = column(r, Uint32Array, cap);
      c.part = column(r, Uint16Array, cap);
      c.slot = column(r, Uint16Array, cap);
      for (const col of LAZY_NAMES) if (r.u8() === 1) c.lazy[col] = column(r, LAZY[col] as unknown as new (b: ArrayBuffer) => Column, cap);
      const nf = r.u32();
      if (nf > 0) c.far = new Map();
      for (let f = 0; f < nf; f++) c.far!.set(r.u32(), { raftIndex: r.u53(), part: r.u32(), slot: r.u32() });
      for (let o = 0; o < cap; o++) if (c.state[o] !== MsgState.Free) c.live++;
      this.count += c.live;
      this.chunks.set(k, c);
    }
  }

  /**
   * Versions 1-3 wrote every row below `next` (free ones too) and a free list,
   * with a `seq` column; ids were reused. Written here from the live rows in id
   * order, as rows 0..n-1 with no free list, each row's seq its id now.
   * Returns the map from a current id to its row number.
   */
  writeOld(w: Writer): Map<number, number> {
    const rows = new Map<number, number>();
    for (const id of this.ids()) rows.set(id, rows.size);
    w.u32(rows.size).u32(0);
    for (const id of rows.keys()) {
      w.u8(this.state(id)).u8(this.get('priority', id)).u32(this.get('failed', id)).u32(this.get('acquired', id)).u8(this.get('reason', id));
      w.u32(this.part(id)).u32(this.slot(id)).u32(this.bytes(id));
      w.u53(this.raftIndex(id)).u53(id).u53(this.get('expiresAt', id)).u53(this.get('at', id)).u53(this.get('tag', id)).u32(this.get('group', id)).u53(this.get('mark', id));
    }
    return rows;
  }

  /**
   * Read a version 1-3 table: each held row takes its publish sequence as its
   * id (ids are publish order now). Returns the map from an old row number to
   * its id, for the rings and maps that name rows; `ooo` is left to the caller.
   */
  readOld(r: Reader): Map<number, number> {
    this.clear();
    const next = r.u32();
    const nf = r.u32();
    for (let i = 0; i < nf; i++) r.u32();
    const rows: { old: number; seq: number; v: number[]; place: [number, number, number, number] }[] = [];
    for (let id = 0; id < next; id++) {
      const state = r.u8();
      const priority = r.u8();
      const failed = r.u32();
      const acquired = r.u32();
      const reason = r.u8();
      const part = r.u32();
      const slot = r.u32();
      const bytes = r.u32();
      const raftIndex = r.u53();
      const seq = r.u53();
      const expiresAt = r.u53();
      const at = r.u53();
      const tag = r.u53();
      const group = r.u32();
      const mark = r.u53();
      if (state !== MsgState.Free) rows.push({ old: id, seq, v: [state, priority, failed, acquired, reason, expiresAt, at, tag, group, mark], place: [raftIndex, part, slot, bytes] });
    }
    rows.sort((a, b) => a.seq - b.seq);
    const ids = new Map<number, number>();
    for (const row of rows) {
      const id = row.seq;
      this.next = id;
      this.alloc();
      const [state, priority, failed, acquired, reason, expiresAt, at, tag, group, mark] = row.v as [number, number, number, number, number, number, number, number, number, number];
      this.setState(id, state as MsgState);
      this.setPlace(id, ...row.place);
      this.set('priority', id, priority);
      this.set('failed', id, failed);
      this.set('acquired', id, acquired);
      this.set('reason', id, reason);
      this.set('expiresAt', id, expiresAt);
      this.set('at', id, at);
      this.set('tag', id, tag);
      this.set('group', id, group);
      this.set('mark', id, mark);
      ids.set(row.old, id);
    }
    this.next = rows.length ? rows[rows.length - 1]!.seq + 1 : 0;
    return ids;
  }

  /** After readOld: ids continue from the queue's publish sequence. */
  continueFrom(next: number): void {
    if (next > this.next) this.next = next;
  }

  private clear(): void {
    this.chunks.clear();
    this.next = 0;
    this.count = 0;
    this.lastKey = -1;
    this.last = undefined;
  }
}
