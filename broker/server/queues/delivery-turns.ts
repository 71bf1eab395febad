// What one Consume call sends, in the order the queues machine decided it.
// The deliveries to the call's consumer decided in one event-loop turn (by
// every entry applied in it) go out as one batch, once their bodies are read;
// a batch whose read is slow holds back what follows and is never overtaken,
// and a step queued after deliveries (the call's end) runs after they are
// sent.
//
// Why per turn: the machine decides deliveries per applied command, and a
// settle that frees one message group frees one delivery. Written one
// response per command, a grouped queue's consumers got one delivery per
// response, settled each alone, and so kept every later round at one: one
// response, one settle command and one confirm per message (bench
// queue-features, 1 000 groups: 97% of responses held one delivery, ~300 us
// of server CPU per message against ~40 without groups).

import { TurnBatcher } from '../writes/turn-batcher.js';

export class DeliveryTurns<D, P> {
  private chain: Promise<void> = Promise.resolve();
  private readonly turn = new TurnBatcher<D>((ds) => this.queue(ds));

  constructor(
    /** Reads what the batch needs (the bodies); a failure stops nothing else here, the owner decides (see `failed`). */
    private readonly prepare: (ds: D[]) => Promise<P>,
    private readonly send: (p: P) => void,
    private readonly failed: (e: unknown) => void,
  ) {}

  /** Deliveries decided now: sent with the others decided in this turn. */
  add(ds: readonly D[]): void {
    this.turn.addAll(ds);
  }

  /** Run `step` after everything added so far is sent. */
  then(step: () => void): void {
    this.turn.flushNow();
    this.chain = this.chain.then(step);
  }

  private queue(ds: D[]): void {
    if (ds.length === 0) return;
    this.chain = this.chain.then(async () => {
      let p: P;
      try {
        p = await this.prepare(ds);
      } catch (e) {
        this.failed(e);
        return;
      }
      this.send(p);
    });
  }
}
