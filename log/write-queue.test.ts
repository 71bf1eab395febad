import { describe, expect, it } from 'vitest';
import { WalWriteError } from './errors.js';
import type { BatchOp } from './write-queue.js';
import { WriteQueue } from './write-queue.js';

function put(n: number): BatchOp {
  return { type: 'put', key: Buffer.from([n]), value: Buffer.alloc(0) };
}

/** A writer whose writes complete only when the test says so. */
function manualWriter() {
  const writes: Array<{ ops: BatchOp[]; sync: boolean; done: (e?: Error) => void }> = [];
  const write = (ops: BatchOp[], sync: boolean) =>
    new Promise<void>((resolve, reject) => writes.push({ ops, sync, done: (e) => (e ? reject(e) : resolve()) }));
  return { writes, write };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('WriteQueue', () => {
  it('writes at once when idle, and coalesces everything that arrives meanwhile into the next batch, in order', async () => {
    const w = manualWriter();
    const q = new WriteQueue(w.write);
    const done: number[] = [];
    const a = q.enqueue([put(1)], true, 1).then(() => done.push(1));
    await tick();
    expect(w.writes).toHaveLength(1);
    const rest = [2, 3, 4].map((n) => q.enqueue([put(n)], n === 3, 1).then(() => done.push(n)));
    await tick();
    expect(w.writes).toHaveLength(1); // Still waiting for the first.
    w.writes[0]!.done();
    await tick();
    expect(w.writes).toHaveLength(2);
    expect(w.writes[1]!.ops.map((o) => o.key[0])).toEqual([2, 3, 4]);
    expect(w.writes[1]!.sync).toBe(true); // One synced request makes the batch synced.
    w.writes[1]!.done();
    await Promise.all([a, ...rest]);
    expect(done).toEqual([1, 2, 3, 4]);
    expect(q.stats).toMatchObject({ batches: 2, syncedBatches: 2, requests: 4, ops: 4 });
  });

  it('shares one write among requests made in the same tick', async () => {
    const w = manualWriter();
    const q = new WriteQueue(w.write);
    const all = [1, 2, 3].map((n) => q.enqueue([put(n)], false, 1));
    await tick();
    expect(w.writes).toHaveLength(1);
    expect(w.writes[0]!.sync).toBe(false);
    w.writes[0]!.done();
    await Promise.all(all);
  });

  it('caps a coalesced batch by bytes but never splits a request', async () => {
    const w = manualWriter();
    const q = new WriteQueue(w.write, 10);
    const all = [q.enqueue([put(1)], true, 4), q.enqueue([put(2)], true, 4), q.enqueue([put(3), put(4)], true, 50), q.enqueue([put(5)], true, 1)];
    for (let k = 0; k < 3; k++) {
      await tick();
      w.writes[k]!.done();
    }
    await Promise.all(all);
    expect(w.writes.map((x) => x.ops.map((o) => o.key[0]))).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('barriers resolve after the writes queued before them, without writing', async () => {
    const w = manualWriter();
    const q = new WriteQueue(w.write);
    await q.whenWritten(); // Idle: at once.
    let written = false;
    const p = q.enqueue([put(1)], true, 1).then(() => (written = true));
    const barrier = q.whenWritten().then(() => written);
    await tick();
    w.writes[0]!.done();
    expect(await barrier).toBe(true);
    await p;
    expect(w.writes).toHaveLength(1);
  });

  it('fails the batch, everything queued, and every later request once a write fails', async () => {
    const w = manualWriter();
    const q = new WriteQueue(w.write);
    const a = q.enqueue([put(1)], true, 1);
    await tick();
    const b = q.enqueue([put(2)], true, 1);
    w.writes[0]!.done(new Error('disk full'));
    await expect(a).rejects.toBeInstanceOf(WalWriteError);
    await expect(b).rejects.toThrow(/disk full/);
    await expect(q.enqueue([put(3)], true, 1)).rejects.toBeInstanceOf(WalWriteError);
    expect(q.failed?.cause).toBeInstanceOf(Error);
  });
});
