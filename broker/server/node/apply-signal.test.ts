import { describe, expect, it } from 'vitest';
import { ApplySignal } from './apply-signal.js';

describe('the apply signal', () => {
  it('wakes every waiter once on the next apply, and a cancelled one not at all', async () => {
    const s = new ApplySignal();
    const woke: string[] = [];
    const p = s.next(60_000).then(() => woke.push('next'));
    s.onNext(() => woke.push('once'));
    const cancel = s.onNext(() => woke.push('cancelled'));
    cancel();
    s.fire();
    s.fire();
    await p;
    expect(woke.sort()).toEqual(['next', 'once']);
  });

  it('lets a waiter go after its time without an apply', async () => {
    const s = new ApplySignal();
    const t0 = Date.now();
    await s.next(5);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(4);
  });
});
