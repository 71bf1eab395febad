// Discrete events on a virtual clock. Events are ordered by (time, sequence):
// two events at the same virtual time run in the order they were scheduled, so
// a run is a pure function of the seed. Nothing here reads a real clock.

interface Slot<E> {
  readonly time: number;
  readonly seq: number;
  readonly ev: E;
}

export class Scheduler<E> {
  private heap: Slot<E>[] = [];
  private seq = 0;
  private clock = 0;

  /** The virtual time of the event being run (or of the last one run). */
  now(): number {
    return this.clock;
  }

  /** Schedule `ev` at absolute virtual time `time` (never in the past). */
  at(time: number, ev: E): void {
    const t = time < this.clock ? this.clock : time;
    const slot: Slot<E> = { time: t, seq: this.seq++, ev };
    const h = this.heap;
    h.push(slot);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(slot, h[p]!)) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = slot;
  }

  /** Schedule `ev` `delay` time units from now. */
  after(delay: number, ev: E): void {
    this.at(this.clock + delay, ev);
  }

  get size(): number {
    return this.heap.length;
  }

  /** The time of the next event, or Infinity when there is none. */
  peekTime(): number {
    return this.heap.length ? this.heap[0]!.time : Infinity;
  }

  /** Remove the next event and move the clock to its time. */
  pop(): E | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      let i = 0;
      const n = h.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && less(h[r]!, h[l]!) ? r : l;
        if (!less(h[c]!, last)) break;
        h[i] = h[c]!;
        i = c;
      }
      h[i] = last;
    }
    this.clock = top.time;
    return top.ev;
  }
}

function less<E>(a: Slot<E>, b: Slot<E>): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}
