import { describe, expect, it } from 'vitest';
import { AnyApplied, ApplySignal } from './apply-signal.js';

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

  it('wakes a waiter on several groups once, on whichever applies first, and leaves no wake-up behind', async () => {
    const a = new ApplySignal();
    const b = new ApplySignal();
    const any = new AnyApplied([a, b]);
    let woke = 0;
    any.onNext(() => woke++);
    b.fire();
    a.fire();
    expect(woke).toBe(1);
    // The cancelled wake-up on `a` was removed: a later waiter on `a` alone still wakes.
    let later = 0;
    a.onNext(() => later++);
    a.fire();
    expect(later).toBe(1);
    const cancel = any.onNext(() => woke++);
    cancel();
    a.fire();
    b.fire();
    expect(woke).toBe(1);
    const p = any.next(60_000);
    a.fire();
    await p;
  });
});
