// A FIFO of message ids (a queue's ready messages of one priority or of one
// group, its dead letters, the groups' turns) in a growable ring of float64
// slots, run-length encoded: ids are handed out in publish order, so the
// ready messages of one priority are mostly consecutive, and a run of any
// length takes two slots, [first, -count]; a lone id takes one. A backlog of
// plain messages costs next to nothing here; interleaved ids cost 8 bytes
// each. Ids are whole numbers below 2^53.

import type { Reader, Writer } from '../bytes.js';

export class IdQueue {
  private buf = new Float64Array(8);
  /** First used slot, and slots used. */
  private head = 0;
  private used = 0;
  /** Ids held. */
  private n = 0;

  get length(): number {
    return this.n;
  }

  private slot(k: number): number {
    return (this.head + k) % this.buf.length;
  }

  /** The run that starts at slot k: its first id and count, and how many slots it takes. */
  private run(k: number): [first: number, count: number, slots: number] {
    const first = this.buf[this.slot(k)]!;
    if (k + 1 < this.used) {
      const c = this.buf[this.slot(k + 1)]!;
      if (c < 0) return [first, -c, 2];
    }
    return [first, 1, 1];
  }

  push(id: number): void {
    this.n++;
    if (this.used > 0) {
      const lastSlot = this.slot(this.used - 1);
      const last = this.buf[lastSlot]!;
      if (last < 0) {
        // The last run is [first, -count]: does id extend it?
        const first = this.buf[this.slot(this.used - 2)]!;
        if (first - last === id) {
          this.buf[lastSlot] = last - 1;
          return;
        }
      } else if (last + 1 === id) {
        this.room(1);
        this.buf[this.slot(this.used++)] = -2;
        return;
      }
    }
    this.room(1);
    this.buf[this.slot(this.used++)] = id;
  }

  /** Put back at the front (a message returned to the queue goes before newer ones). */
  unshift(id: number): void {
    this.n++;
    if (this.used > 0) {
      const [first, count, slots] = this.run(0);
      if (first === id + 1) {
        if (slots === 2) {
          this.buf[this.head] = id;
          this.buf[this.slot(1)] = -(count + 1);
        } else {
          // A lone id becomes a run of two: one slot more, at the front.
          this.room(1);
          this.head = (this.head - 1 + this.buf.length) % this.buf.length;
          this.used++;
          this.buf[this.head] = id;
          this.buf[this.slot(1)] = -2;
        }
        return;
      }
    }
    this.room(1);
    this.head = (this.head - 1 + this.buf.length) % this.buf.length;
    this.used++;
    this.buf[this.head] = id;
  }

  peek(): number | undefined {
    return this.n ? this.buf[this.head] : undefined;
  }

  shift(): number | undefined {
    if (this.n === 0) return undefined;
    this.n--;
    const [first, count] = this.run(0);
    if (count === 1) {
      this.head = this.slot(1);
      this.used--;
    } else if (count === 2) {
      // [first, -2] -> the lone id first + 1.
      this.head = this.slot(1);
      this.used--;
      this.buf[this.head] = first + 1;
    } else {
      this.buf[this.head] = first + 1;
      this.buf[this.slot(1)] = -(count - 1);
    }
    return first;
  }

  /** The ids as runs of consecutive ids, front to back: [first, count]. */
  *runs(): Generator<[first: number, count: number]> {
    for (let k = 0; k < this.used; ) {
      const [first, count, slots] = this.run(k);
      yield [first, count];
      k += slots;
    }
  }

  /** Append the ids first .. first + count - 1. */
  pushRun(first: number, count: number): void {
    if (count <= 0) return;
    this.push(first);
    if (count === 1) return;
    if (this.buf[this.slot(this.used - 1)]! < 0) {
      // `first` extended the last run.
      this.buf[this.slot(this.used - 1)]! -= count - 1;
    } else {
      this.room(1);
      this.buf[this.slot(this.used++)] = -count;
    }
    this.n += count - 1;
  }

  /** Written as its runs (a backlog of consecutive ids takes a few bytes). */
  writeRuns(w: Writer): void {
    let runs = 0;
    for (let k = 0; k < this.used; k += this.run(k)[2]) runs++;
    w.u32(runs);
    for (const [first, count] of this.runs()) w.u53(first).u32(count);
  }

  readRuns(r: Reader, map: (id: number) => number = (id) => id): void {
    const runs = r.u32();
    for (let i = 0; i < runs; i++) this.pushRun(map(r.u53()), r.u32());
  }

  *[Symbol.iterator](): Generator<number> {
    for (let k = 0; k < this.used; ) {
      const [first, count, slots] = this.run(k);
      for (let i = 0; i < count; i++) yield first + i;
      k += slots;
    }
  }

  clear(): void {
    this.head = 0;
    this.used = 0;
    this.n = 0;
    if (this.buf.length > 64) this.buf = new Float64Array(8);
  }

  /** Room for `more` slots: grown by half (less slack than doubling for a long backlog), and shrunk when mostly empty. */
  private room(more: number): void {
    const cap = this.buf.length;
    if (this.used + more <= cap && !(cap > 64 && (this.used + more) * 4 < cap)) return;
    const want = this.used + more > cap ? Math.max(8, Math.ceil(cap * 1.5)) : Math.max(8, cap >> 1);
    const next = new Float64Array(want);
    for (let k = 0; k < this.used; k++) next[k] = this.buf[this.slot(k)]!;
    this.buf = next;
    this.head = 0;
  }
}
