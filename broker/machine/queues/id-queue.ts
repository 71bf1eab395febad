// A FIFO of message ids in a growable ring (Uint32Array): a queue's ready
// messages of one priority, or its dead letters, at 4 bytes each.

export class IdQueue {
  private buf = new Uint32Array(16);
  private head = 0;
  private n = 0;

  get length(): number {
    return this.n;
  }

  push(id: number): void {
    if (this.n === this.buf.length) this.grow();
    this.buf[(this.head + this.n++) & (this.buf.length - 1)] = id;
  }

  /** Put back at the front (a message returned to the queue goes before newer ones). */
  unshift(id: number): void {
    if (this.n === this.buf.length) this.grow();
    this.head = (this.head - 1) & (this.buf.length - 1);
    this.buf[this.head] = id;
    this.n++;
  }

  peek(): number | undefined {
    return this.n ? this.buf[this.head] : undefined;
  }

  shift(): number | undefined {
    if (this.n === 0) return undefined;
    const id = this.buf[this.head]!;
    this.head = (this.head + 1) & (this.buf.length - 1);
    this.n--;
    return id;
  }

  at(k: number): number {
    return this.buf[(this.head + k) & (this.buf.length - 1)]!;
  }

  *[Symbol.iterator](): Generator<number> {
    for (let k = 0; k < this.n; k++) yield this.at(k);
  }

  clear(): void {
    this.head = 0;
    this.n = 0;
  }

  /** Room for `n` ids (a power of two at least n): a restore pushes a million without doubling twenty times. */
  reserve(n: number): void {
    if (n <= this.buf.length) return;
    let cap = this.buf.length;
    while (cap < n) cap *= 2;
    const next = new Uint32Array(cap);
    // The ring's two pieces, in order, copied natively.
    const end = this.head + this.n;
    if (end <= this.buf.length) next.set(this.buf.subarray(this.head, end));
    else {
      next.set(this.buf.subarray(this.head));
      next.set(this.buf.subarray(0, end - this.buf.length), this.buf.length - this.head);
    }
    this.buf = next;
    this.head = 0;
  }

  private grow(): void {
    this.reserve(this.buf.length * 2);
  }
}
