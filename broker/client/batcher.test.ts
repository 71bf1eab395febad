import { describe, expect, it } from 'vitest';
import { AbortedError, ClosedError, DeadlineExceededError } from './errors.js';
import { Batcher, type Batch, type ItemResult } from './batcher.js';

/** A batcher whose flushes are recorded and finished by the test. */
function harness(o: { maxItems?: number; maxBytes?: number; maxInFlight?: number; window?: number } = {}) {
  const flushed: Array<{ batch: Batch<string>; finish: (rs?: ItemResult<string>[]) => void; fail: (e: unknown) => void }> = [];
  const b = new Batcher<string, string>({
    maxItems: o.maxItems ?? 100,
    maxBytes: o.maxBytes ?? 1 << 20,
    maxInFlight: o.maxInFlight ?? 2,
    window: o.window ?? 1000,
    size: (s) => s.length,
    flush: (batch) =>
      new Promise((resolve, reject) => {
        flushed.push({ batch, finish: (rs) => resolve(rs ?? batch.items.map((x) => ({ ok: true, value: x.toUpperCase() }))), fail: reject });
      }),
  });
  return { b, flushed };
}

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('Batcher', () => {
  it('coalesces the items of one event-loop turn into one batch and resolves each with its own result', async () => {
    const { b, flushed } = harness();
    const ps = ['a', 'b', 'c'].map((x) => b.add(x));
    await turn();
    expect(flushed.map((f) => f.batch.items)).toEqual([['a', 'b', 'c']]);
    flushed[0]!.finish();
    expect(await Promise.all(ps)).toEqual(['A', 'B', 'C']);
  });

  it('bounds a batch by items and by bytes (an oversized item goes alone)', async () => {
    const { b, flushed } = harness({ maxItems: 2, maxBytes: 5, maxInFlight: 10 });
    const ps = ['aa', 'bb', 'cc', 'dddddddd', 'e', 'f', 'g'].map((x) => b.add(x));
    await turn();
    expect(flushed.map((f) => f.batch.items)).toEqual([['aa', 'bb'], ['cc'], ['dddddddd'], ['e', 'f'], ['g']]);
    for (const f of flushed) f.finish();
    await Promise.all(ps);
  });

  it('gives each item its own outcome: one failure does not fail the others', async () => {
    const { b, flushed } = harness();
    const ps = ['ok1', 'bad', 'ok2'].map((x) => b.add(x).then((v) => `ok:${v}`, (e: Error) => `err:${e.message}`));
    await turn();
    flushed[0]!.finish([{ ok: true, value: '1' }, { ok: false, error: new Error('refused') }, { ok: true, value: '2' }]);
    expect(await Promise.all(ps)).toEqual(['ok:1', 'err:refused', 'ok:2']);
  });

  it('a flush that throws fails every item of its batch only', async () => {
    const { b, flushed } = harness({ maxItems: 1 });
    const p1 = b.add('x');
    const p2 = b.add('y');
    await turn();
    flushed[0]!.fail(new Error('boom'));
    flushed[1]!.finish();
    await expect(p1).rejects.toThrow('boom');
    expect(await p2).toBe('Y');
  });

  it('runs at most maxInFlight batches, each on its own slot, and starts the next when one finishes', async () => {
    const { b, flushed } = harness({ maxItems: 1, maxInFlight: 2 });
    const ps = ['a', 'b', 'c'].map((x) => b.add(x));
    await turn();
    expect(flushed.length).toBe(2);
    expect(new Set(flushed.map((f) => f.batch.slot))).toEqual(new Set([0, 1]));
    expect(b.inFlight).toBe(2);
    const freed = flushed[1]!.batch.slot;
    flushed[1]!.finish();
    await turn();
    expect(flushed.length).toBe(3);
    expect(flushed[2]!.batch.slot).toBe(freed);
    flushed[0]!.finish();
    flushed[2]!.finish();
    expect(await Promise.all(ps)).toEqual(['A', 'B', 'C']);
  });

  it('makes add wait when the window is full, in order, instead of buffering without limit', async () => {
    const { b, flushed } = harness({ window: 2, maxItems: 10 });
    const order: string[] = [];
    const ps = ['a', 'b', 'c', 'd'].map((x) => b.add(x).then((v) => order.push(v)));
    await turn();
    expect(b.outstanding).toBe(2);
    expect(flushed.map((f) => f.batch.items)).toEqual([['a', 'b']]);
    flushed[0]!.finish();
    await turn();
    await turn();
    expect(flushed.map((f) => f.batch.items)).toEqual([['a', 'b'], ['c', 'd']]);
    flushed[1]!.finish();
    await Promise.all(ps);
    expect(order).toEqual(['A', 'B', 'C', 'D']);
    expect(b.outstanding).toBe(0);
  });

  it('an aborted queued item leaves the queue; an aborted waiting add gives up its turn', async () => {
    const { b, flushed } = harness({ window: 1 });
    const ac1 = new AbortController();
    const ac2 = new AbortController();
    const p1 = b.add('a', { signal: ac1.signal });
    const p2 = b.add('b', { signal: ac2.signal });
    const p3 = b.add('c');
    ac2.abort();
    await expect(p2).rejects.toBeInstanceOf(AbortedError);
    ac1.abort();
    await expect(p1).rejects.toBeInstanceOf(AbortedError);
    await turn();
    await turn();
    expect(flushed.map((f) => f.batch.items)).toEqual([['c']]);
    flushed[0]!.finish();
    expect(await p3).toBe('C');
  });

  it('an in-flight item whose caller aborts stops waiting while the batch goes on for the others', async () => {
    const { b, flushed } = harness();
    const ac = new AbortController();
    const p1 = b.add('a', { signal: ac.signal });
    const p2 = b.add('b');
    await turn();
    ac.abort();
    await expect(p1).rejects.toBeInstanceOf(AbortedError);
    expect(flushed[0]!.batch.live()).toBe(true);
    flushed[0]!.finish();
    expect(await p2).toBe('B');
  });

  it('drops items whose deadline passed before they were sent, and reports the latest deadline of a batch', async () => {
    const { b, flushed } = harness();
    const late = Date.now() + 60_000;
    const p1 = b.add('a', { deadline: Date.now() - 1 });
    const p2 = b.add('b', { deadline: late });
    await expect(p1).rejects.toBeInstanceOf(DeadlineExceededError);
    await turn();
    expect(flushed[0]!.batch.items).toEqual(['b']);
    expect(flushed[0]!.batch.deadline).toBe(late);
    flushed[0]!.finish();
    await p2;
  });

  it('close fails what is queued and refuses new items', async () => {
    const { b } = harness();
    const p = b.add('a');
    b.close();
    await expect(p).rejects.toBeInstanceOf(ClosedError);
    await expect(b.add('b')).rejects.toBeInstanceOf(ClosedError);
  });

  it('idle resolves once every accepted item has its outcome', async () => {
    const { b, flushed } = harness();
    await b.idle();
    const p = b.add('a');
    let idle = false;
    const w = b.idle().then(() => (idle = true));
    await turn();
    expect(idle).toBe(false);
    flushed[0]!.finish();
    await p;
    await w;
    expect(idle).toBe(true);
  });
});
