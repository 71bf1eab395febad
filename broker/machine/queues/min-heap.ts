// A binary min-heap of (key, tie, id) triples in growable float64 arrays:
// deadlines and the oldest held log index, with no object per entry. Entries
// are removed lazily: the owner checks the top against its own state and pops
// stale ones. Ties on the key are broken by `tie` (a publish sequence, unique
// per queue), so the order things come out in depends only on what is in the
// heap — never on how it got there, nor on internal ids that a free list
// reuses — and a machine restored from a snapshot behaves exactly as the one
// that wrote it.

export class MinHeap {
  private keys: Float64Array = new Float64Array(16);
  private ties: Float64Array = new Float64Array(16);
  private ids: Float64Array = new Float64Array(16);
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

  push(key: number, tie: number, id: number): void {
    if (this.n === this.keys.length) {
      const grow = (a: Float64Array): Float64Array => {
        const b = new Float64Array(this.n * 2);
        b.set(a);
        return b;
      };
      this.keys = grow(this.keys);
      this.ties = grow(this.ties);
      this.ids = grow(this.ids);
    }
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
