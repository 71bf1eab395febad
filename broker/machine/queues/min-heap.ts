// A binary min-heap of (key, tie, id) triples in growable typed arrays:
// deadlines and the oldest held log index, with no object per entry. Entries
// are removed lazily: the owner checks the top against its own state and pops
// stale ones. Ties on the key are broken by `tie` (a publish sequence, unique
// per queue), so the order things come out in depends only on what is in the
// heap — never on how it got there, nor on internal ids that a free list
// reuses — and a machine restored from a snapshot behaves exactly as the one
// that wrote it.

export class MinHeap {
  private keys = new Float64Array(16);
  private ties = new Float64Array(16);
  private ids = new Uint32Array(16);
  private n = 0;

  get size(): number {
    return this.n;
  }

  private before(k: number, t: number, j: number): boolean {
    return k < this.keys[j]! || (k === this.keys[j]! && t < this.ties[j]!);
  }

  private move(to: number, from: number): void {
    this.keys[to] = this.keys[from]!;
    this.ties[to] = this.ties[from]!;
    this.ids[to] = this.ids[from]!;
  }

  /** Room for `n` entries at once (a restore pushes a million: one allocation, not twenty doublings). */
  reserve(n: number): void {
    if (n <= this.keys.length) return;
    const grow = <A extends Float64Array | Uint32Array>(a: A): A => {
      const b = new (a.constructor as new (n: number) => A)(n);
      b.set(a.subarray(0, this.n));
      return b;
    };
    this.keys = grow(this.keys);
    this.ties = grow(this.ties);
    this.ids = grow(this.ids);
  }

  push(key: number, tie: number, id: number): void {
    if (this.n === this.keys.length) this.reserve(this.n * 2);
    let at = this.n++;
    while (at > 0) {
      const up = (at - 1) >> 1;
      if (!this.before(key, tie, up)) break;
      this.move(at, up);
      at = up;
    }
    this.keys[at] = key;
    this.ties[at] = tie;
    this.ids[at] = id;
  }

  /** The smallest key, or undefined when empty. */
  topKey(): number | undefined {
    return this.n ? this.keys[0] : undefined;
  }

  /** The tie of the smallest entry (with topKey, what tells a live entry from a stale one). */
  topTie(): number {
    return this.ties[0]!;
  }

  topId(): number {
    return this.ids[0]!;
  }

  pop(): void {
    if (this.n === 0) return;
    const last = --this.n;
    const key = this.keys[last]!;
    const tie = this.ties[last]!;
    const id = this.ids[last]!;
    let at = 0;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= last) break;
      if (child + 1 < last && this.before(this.keys[child + 1]!, this.ties[child + 1]!, child)) child++;
      if (this.before(key, tie, child)) break;
      this.move(at, child);
      at = child;
    }
    if (last > 0) {
      this.keys[at] = key;
      this.ties[at] = tie;
      this.ids[at] = id;
    }
  }

  clear(): void {
    this.n = 0;
  }
}
