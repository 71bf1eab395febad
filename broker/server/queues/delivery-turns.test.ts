import { describe, expect, it } from 'vitest';
import { DeliveryTurns } from './delivery-turns.js';

/** The end of the current event-loop turn and then some: every batch gathered so far has been handed over. */
const nextTurn = (): Promise<void> => new Promise((r) => setTimeout(r, 5));

/** A DeliveryTurns whose prepare step is `read` and which records what it sends and what failed. */
function recorder(read: (ds: number[]) => Promise<number[]> = async (ds) => ds) {
  const sent: number[][] = [];
  const failed: unknown[] = [];
  const turns = new DeliveryTurns<number, number[]>(read, (p) => void sent.push(p), (e) => void failed.push(e));
  return { turns, sent, failed };
}

describe('a consume call\'s deliveries', () => {
  it('go out in one batch per event-loop turn, in the order decided (one applied settle per delivery no longer means one response per delivery)', async () => {
    const r = recorder();
    // Three applied commands in one turn, each deciding one or two deliveries for this consumer.
    r.turns.add([1]);
    r.turns.add([2, 3]);
    r.turns.add([4]);
    await nextTurn();
    r.turns.add([5]);
    await nextTurn();
    expect(r.sent).toEqual([[1, 2, 3, 4], [5]]);
  });

  it('a batch whose bodies are slow to read is never overtaken by a later one', async () => {
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    const r = recorder(async (ds) => {
      if (ds[0] === 1) await slow;
      return ds;
    });
    r.turns.add([1, 2]);
    await nextTurn();
    r.turns.add([3]);
    await nextTurn();
    expect(r.sent).toEqual([]);
    release();
    await nextTurn();
    expect(r.sent).toEqual([[1, 2], [3]]);
  });

  it('a step queued after deliveries of the same turn (the call\'s end) runs after they are sent', async () => {
    const order: string[] = [];
    const turns = new DeliveryTurns<number, number[]>(async (ds) => ds, (p) => void order.push(`sent ${p.join(',')}`), () => undefined);
    turns.add([1]);
    turns.add([2]);
    turns.then(() => void order.push('ended'));
    turns.add([3]);
    await nextTurn();
    expect(order).toEqual(['sent 1,2', 'ended', 'sent 3']);
  });

  it('a failed read is reported, sends nothing of its batch, and later batches still go in order', async () => {
    const r = recorder(async (ds) => {
      if (ds.includes(2)) throw new Error('entry not on this node');
      return ds;
    });
    r.turns.add([1, 2]);
    await nextTurn();
    r.turns.add([3]);
    await nextTurn();
    expect(r.failed.map((e) => (e as Error).message)).toEqual(['entry not on this node']);
    expect(r.sent).toEqual([[3]]);
  });
});
