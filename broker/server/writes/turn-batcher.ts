// Everything submitted within one event-loop turn, handed over at once at the
// end of the turn. The front door's writes use it so that the requests of one
// turn (unary calls, the pipelined requests of every open bidi call, forwarded
// batches) become one Raft entry — one proposal, one fsync, one AppendEntries —
// or one forward to the leader. It defers through the turn's shared queue, so
// the proposal, the host's Ready and the transport's writes follow in the same
// turn (raft/host/turn-end.ts).

import { atTurnEnd } from '../../../raft/host/turn-end.js';

export class TurnBatcher<T> {
  private items: T[] = [];
  private scheduled = false;

  constructor(private readonly flush: (items: T[]) => void) {}

  add(item: T): void {
    this.items.push(item);
    this.kick();
  }

  addAll(items: readonly T[]): void {
    for (const item of items) this.items.push(item);
    this.kick();
  }

  /** Hand over what was added so far now, not at the end of the turn (something that must follow it is about to be done); the end-of-turn flush still comes, with only what is added later. */
  flushNow(): void {
    if (this.items.length === 0) return;
    const items = this.items;
    this.items = [];
    this.flush(items);
  }

  /** Flush at the end of this turn even with nothing new (the flush may have held items back). */
  kick(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    atTurnEnd(() => {
      this.scheduled = false;
      const items = this.items;
      this.items = [];
      this.flush(items);
    });
  }
}
