import { describe, expect, it } from 'vitest';
import { WalWriteError } from './errors.js';
import type { BatchOp, BatchSink } from './write-queue.js';
import { WriteQueue } from './write-queue.js';

function put(n: number): BatchOp {
  return { type: 'put', key: Buffer.from([n]), value: Buffer.alloc(0) };
}

/** Batches that record their operations and complete only when the test says so. */
function manualWriter() {
  const writes: Array<{ ops: BatchOp[]; sync: boolean; done: (e?: Error) => void }> = [];
  let discarded = 0;
  const newBatch = (): BatchSink => {
    const ops: BatchOp[] = [];
    return {
      // Copies, as the contract asks: callers reuse their buffers.
      put: (key, value) => ops.push({ type: 'put', key: Buffer.from(key), value: Buffer.from(value) }),
      del: (key) => ops.push({ type: 'del', key: Buffer.from(key) }),
      write: (sync) => new Promise<void>((resolve, reject) => writes.push({ ops, sync, done: (e) => (e ? reject(e) : resolve()) })),
      discard: () => void discarded++,
    };
  };
  return { writes, newBatch, discarded: () => discarded };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('WriteQueue', () => {
  it('writes at once when idle, and coalesces everything that arrives meanwhile into the next batch, in order', async () => {
    const w = manualWriter();
    const q = new WriteQueue(w.newBatch);
    const done: number[] = [];
    const a = q.enqueueOps([put(1)], true, 1).then(() => done.push(1));
    await tick();
    expect(w.writes).toHaveLength(1);
    const rest = [2, 3, 4].map((n) => q.enqueueOps([put(n)], n === 3, 1).then(() => done.push(n)));
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
    const q = new WriteQueue(w.newBatch);
    const all = [1, 2, 3].map((n) => q.enqueueOps([put(n)], false, 1));
    await tick();
    expect(w.writes).toHaveLength(1);
    expect(w.writes[0]!.sync).toBe(false);
    w.writes[0]!.done();
    await Promise.all(all);
  });

  it('caps a coalesced batch by bytes but never splits a request', async () => {
    const w = manualWriter();
    const q = new WriteQueue(w.newBatch, 10);
    const all = [q.enqueueOps([put(1)], true, 4), q.enqueueOps([put(2)], true, 4), q.enqueueOps([put(3), put(4)], true, 50), q.enqueueOps([put(5)], true, 1)];
    for (let k = 0; k < 3; k++) {
      await tick();
      w.writes[k]!.done();
    }
    await Promise.all(all);
    expect(w.writes.map((x) => x.ops.map((o) => o.key[0]))).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('barriers resolve after the writes queued before them, without writing', async () => {
    const w = manualWriter();
    const q = new WriteQueue(w.newBatch);
    await q.whenWritten(); // Idle: at once.
    let written = false;
    const p = q.enqueueOps([put(1)], true, 1).then(() => (written = true));
    const barrier = q.whenWritten().then(() => written);
    await tick();
    w.writes[0]!.done();
    expect(await barrier).toBe(true);
    await p;
    expect(w.writes).toHaveLength(1);
  });

  it('fails the batch, everything queued, and every later request once a write fails', async () => {
    const w = manualWriter();
    const q = new WriteQueue(w.newBatch);
    const a = q.enqueueOps([put(1)], true, 1);
    await tick();
    const b = q.enqueueOps([put(2)], true, 1);
    w.writes[0]!.done(new Error('disk full'));
    await expect(a).rejects.toBeInstanceOf(WalWriteError);
    await expect(b).rejects.toThrow(/disk full/);
    await expect(q.enqueueOps([put(3)], true, 1)).rejects.toBeInstanceOf(WalWriteError);
    expect(q.failed?.cause).toBeInstanceOf(Error);
    expect(w.discarded()).toBe(1); // The batch b was filling is never written.
  });

  it('fails the queue when a request throws half-way into a shared batch', async () => {
    const w = manualWriter();
    const q = new WriteQueue(w.newBatch);
    const a = q.enqueueOps([put(1)], true, 1);
    const broken = q.enqueue(
      (sink) => {
        sink.put(Buffer.from([2]), Buffer.alloc(0));
        throw new Error('encoder bug');
      },
      true,
      1,
    );
    await expect(broken).rejects.toThrow('encoder bug');
    await expect(a).rejects.toBeInstanceOf(WalWriteError);
    expect(q.failed?.message).toMatch(/half|while being added/);
    expect(w.writes).toHaveLength(0); // Neither the request before it nor the partial one is written.
  });
});
