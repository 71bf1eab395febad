// The window of append messages in flight to one follower: a ring of the last
// index each message carried. Bounded by count so a slow follower cannot make
// the leader buffer without limit; freed as acknowledgements arrive.

export class Inflights {
  private buf: number[];
  private start = 0;
  private n = 0;

  constructor(readonly capacity: number) {
    this.buf = new Array<number>(capacity);
  }

  get count(): number {
    return this.n;
  }

  full(): boolean {
    return this.n >= this.capacity;
  }

  add(lastIndex: number): void {
    if (this.full()) throw new RangeError('inflights window is full');
    this.buf[(this.start + this.n) % this.capacity] = lastIndex;
    this.n++;
  }

  /** Drop every in-flight message whose last index is <= `index`. */
  freeLE(index: number): void {
    while (this.n > 0 && this.buf[this.start]! <= index) {
      this.start = (this.start + 1) % this.capacity;
      this.n--;
    }
    if (this.n === 0) this.start = 0;
  }

  /** Make room for one message (a heartbeat response proves the follower is alive). */
  freeFirst(): void {
    if (this.n === 0) return;
    this.start = (this.start + 1) % this.capacity;
    this.n--;
  }

  reset(): void {
    this.start = 0;
    this.n = 0;
  }
}
