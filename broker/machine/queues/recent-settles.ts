// The tags a consumer settled most recently, with how. The write path sends a
// settle again to a new leader when it cannot tell whether the first copy was
// applied (a settle is idempotent), and the caller gets the answer of the copy
// that reached it: without this memory, a second copy that finds the tags
// already settled by the first would answer "not held" for an ack that took
// effect. With it, a tag this consumer settled the same way within the window
// counts as settled again, so a repeated settle answers what the first did.
//
// Bounded: the last RECENT_SETTLES tags per consumer (a re-sent copy arrives
// within seconds, while the consumer can settle at most about its prefetch
// more in between). Kept in a ring of typed arrays (no object per tag); a
// lookup scans it, which happens only for tags the consumer no longer holds.

import type { Reader, Writer } from '../bytes.js';
import type { SettleOutcome } from './commands.js';

/** How many settled tags each consumer remembers. */
export const RECENT_SETTLES = 4096;

const OUTCOMES: readonly SettleOutcome[] = ['ack', 'requeue', 'reject'];

export class RecentSettles {
  private tags = new Float64Array(0);
  private outcomes = new Uint8Array(0);
  /** Where the next tag goes; `size` tags are held, the oldest at (next - size) mod capacity. */
  private next = 0;
  private size = 0;

  constructor(private readonly capacity = RECENT_SETTLES) {}

  get length(): number {
    return this.size;
  }

  add(tag: number, outcome: SettleOutcome): void {
    if (this.tags.length < this.capacity && this.size === this.tags.length) {
      // Grow (doubling, up to the capacity): an idle consumer costs nothing.
      const cap = Math.min(this.capacity, Math.max(16, this.tags.length * 2));
      const tags = new Float64Array(cap);
      const outcomes = new Uint8Array(cap);
      for (let i = 0; i < this.size; i++) {
        const k = this.at(i);
        tags[i] = this.tags[k]!;
        outcomes[i] = this.outcomes[k]!;
      }
      this.tags = tags;
      this.outcomes = outcomes;
      this.next = this.size;
    }
    this.tags[this.next] = tag;
    this.outcomes[this.next] = OUTCOMES.indexOf(outcome);
    this.next = (this.next + 1) % this.tags.length;
    if (this.size < this.tags.length) this.size++;
  }

  /** How `tag` was settled, if it is among the remembered ones. */
  outcomeOf(tag: number): SettleOutcome | undefined {
    for (let i = this.size - 1; i >= 0; i--) {
      const k = this.at(i);
      if (this.tags[k] === tag) return OUTCOMES[this.outcomes[k]!];
    }
    return undefined;
  }

  /** Position of the i-th oldest remembered tag. */
  private at(i: number): number {
    const cap = this.tags.length;
    return (((this.next - this.size + i) % cap) + cap) % cap;
  }

  write(w: Writer): void {
    w.u32(this.size);
    for (let i = 0; i < this.size; i++) {
      const k = this.at(i);
      w.u53(this.tags[k]!).u8(this.outcomes[k]!);
    }
  }

  static read(r: Reader): RecentSettles {
    const s = new RecentSettles();
    const n = r.u32();
    for (let i = 0; i < n; i++) {
      const tag = r.u53();
      const o = OUTCOMES[r.u8()];
      if (o) s.add(tag, o);
    }
    return s;
  }
}
