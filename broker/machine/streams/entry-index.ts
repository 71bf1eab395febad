// Where a stream's messages are: one record per appended batch (one command
// in a Raft entry, found by the entry's index and the command's position), in growable typed arrays rather than an object per message, so a
// stream of millions of messages costs tens of bytes per batch and no garbage.
// Bodies are not here: they stay in the Raft log, found by raftIndex.

export interface EntryRecord {
  readonly firstOffset: number;
  readonly raftIndex: number;
  /** The append's position among the commands of its entry. */
  readonly part: number;
  /** The batch's first message among the messages of its command (0 but for an exchange write, see exchanges/). */
  readonly slot: number;
  readonly count: number;
  readonly time: number;
  readonly bytes: number;
}

export class EntryIndex {
  private firstOffset: Float64Array = new Float64Array(16);
  private raftIndex: Float64Array = new Float64Array(16);
  private part: Uint32Array = new Uint32Array(16);
  private slot: Uint32Array = new Uint32Array(16);
  private count: Float64Array = new Float64Array(16);
  private time: Float64Array = new Float64Array(16);
  private bytes: Float64Array = new Float64Array(16);
  /** Live records are [head, tail). Trimming moves head; space is reclaimed on growth. */
  private head = 0;
  private tail = 0;

  get length(): number {
    return this.tail - this.head;
  }

  push(r: EntryRecord): void {
    if (this.tail === this.firstOffset.length) this.grow();
    const i = this.tail++;
    this.firstOffset[i] = r.firstOffset;
    this.raftIndex[i] = r.raftIndex;
    this.part[i] = r.part;
    this.slot[i] = r.slot;
    this.count[i] = r.count;
    this.time[i] = r.time;
    this.bytes[i] = r.bytes;
  }

  /** The k-th live record (0 = oldest). */
  at(k: number): EntryRecord {
    const i = this.head + k;
    return { firstOffset: this.firstOffset[i]!, raftIndex: this.raftIndex[i]!, part: this.part[i]!, slot: this.slot[i]!, count: this.count[i]!, time: this.time[i]!, bytes: this.bytes[i]! };
  }

  /** The Raft index of every live record, oldest first. */
  *raftIndexes(): Iterable<number> {
    for (let i = this.head; i < this.tail; i++) yield this.raftIndex[i]!;
  }

  oldest(): EntryRecord | undefined {
    return this.length ? this.at(0) : undefined;
  }

  /** Drop the oldest record. */
  shift(): void {
    if (this.head < this.tail) this.head++;
  }

  /** Position (0-based, live) of the record holding `offset`, or -1. */
  find(offset: number): number {
    let lo = this.head;
    let hi = this.tail - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const first = this.firstOffset[mid]!;
      if (offset < first) hi = mid - 1;
      else if (offset >= first + this.count[mid]!) lo = mid + 1;
      else return mid - this.head;
    }
    return -1;
  }

  /** Position of the first record with time >= t, or length when none. */
  findTime(t: number): number {
    let lo = this.head;
    let hi = this.tail;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.time[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    return lo - this.head;
  }

  /** Position of the first record with raftIndex > i, or length when none (records are in log order). */
  findAfterRaftIndex(i: number): number {
    let lo = this.head;
    let hi = this.tail;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.raftIndex[mid]! <= i) lo = mid + 1;
      else hi = mid;
    }
    return lo - this.head;
  }

  private grow(): void {
    const live = this.length;
    // Reuse the space trimmed off the front before doubling.
    const cap = live * 2 >= this.firstOffset.length ? this.firstOffset.length * 2 : this.firstOffset.length;
    const move = <A extends Float64Array | Uint32Array>(a: A): A => {
      const b = new (a.constructor as new (n: number) => A)(cap);
      b.set(a.subarray(this.head, this.tail));
      return b;
    };
    this.firstOffset = move(this.firstOffset);
    this.raftIndex = move(this.raftIndex);
    this.part = move(this.part);
    this.slot = move(this.slot);
    this.count = move(this.count);
    this.time = move(this.time);
    this.bytes = move(this.bytes);
    this.tail = live;
    this.head = 0;
  }

  /** The live records, for snapshots. */
  *records(): Generator<EntryRecord> {
    for (let k = 0; k < this.length; k++) yield this.at(k);
  }
}
