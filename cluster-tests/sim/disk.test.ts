// The simulated disk under the production in-memory log: the log on it passes
// the same conformance suite as the LevelDB log (reopen included: a clean
// shutdown keeps everything written), and a crash keeps exactly the durable
// layer plus a prefix of what was in flight, a torn record dropped by its checksum.

import { describe, expect, it } from 'vitest';
import { walConformance, range } from '../../log/conformance.js';
import { MemoryGroupLog, MemoryWal } from '../../log/memory-wal.js';
import type { DiskTiming } from './disk.js';
import { SimDisk, checksum } from './disk.js';
import { Rng } from './prng.js';

const TIMING: DiskTiming = { syncDelay: [1, 5], stallRate: 0, stallMax: 0, tornWriteRate: 0 };

walConformance('MemoryWal on the simulated disk', () => {
  let disk: SimDisk;
  return {
    open: async () => {
      disk = new SimDisk(TIMING, Rng.seeded(1), (_delay, fn) => setImmediate(fn));
      return new MemoryWal({ clusterId: 'conformance', nodeId: 1, disk });
    },
    reopen: async (wal) => {
      await wal.close();
      disk.flush();
      return new MemoryWal({ clusterId: 'conformance', nodeId: 1, disk, groups: disk.recover() });
    },
    evicts: false,
    cleanup: async () => undefined,
  };
});

/** A disk on a hand-cranked clock: writes complete only when `run()` is called. */
function manual(tornWriteRate = 0, seed = 1): { disk: SimDisk; run: () => void; log: MemoryGroupLog } {
  const queue: (() => void)[] = [];
  const disk = new SimDisk({ ...TIMING, tornWriteRate }, Rng.seeded(seed), (_d, fn) => queue.push(fn));
  return { disk, run: () => queue.splice(0).forEach((f) => f()), log: new MemoryGroupLog(0, disk) };
}

describe('the simulated disk', () => {
  it('makes unsynced writes durable only with a later synced write', async () => {
    const { disk, run, log } = manual();
    const a = log.persist({ entries: range(1, 4, 1) }, true);
    run();
    await a;
    const b = log.persist({ entries: [], hardState: { term: 1, vote: 0, commit: 3 } }, false);
    run();
    await b;
    expect(disk.durableLog(0).lastIndex()).toBe(3);
    expect(disk.durableLog(0).initialState().hardState.commit).toBe(0);
    expect(disk.inFlight).toBe(1);
    const c = log.persist({ entries: range(4, 5, 1) }, true);
    run();
    await c;
    expect(disk.durableLog(0).initialState().hardState.commit).toBe(3);
    expect(disk.durableLog(0).lastIndex()).toBe(4);
    expect(disk.inFlight).toBe(0);
  });

  it('keeps the durable layer and a prefix of what was in flight after a crash', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const { disk, run, log } = manual(0, seed);
      void log.persist({ entries: range(1, 3, 1) }, true);
      run();
      for (let i = 3; i < 8; i++) void log.persist({ entries: range(i, i + 1, 1) }, true);
      const r = disk.crash();
      const got = disk.recover().get(0)!;
      expect(got.lastIndex()).toBe(2 + r.kept);
      expect(r.kept + r.lost).toBe(5);
      for (let i = 1; i <= got.lastIndex(); i++) expect(got.term(i)).toBe(1);
    }
  });

  it('drops a torn record, caught by its checksum, and everything after it', () => {
    let torn = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const { disk, log } = manual(1, seed);
      for (let i = 1; i < 6; i++) void log.persist({ entries: range(i, i + 2, 1) }, true);
      const r = disk.crash();
      if (r.torn) torn++;
      const got = disk.recover().get(0)!;
      // Whole records only: each write appends up to index i + 1.
      expect(got.lastIndex()).toBe(r.kept === 0 ? 0 : r.kept + 1);
    }
    expect(torn).toBeGreaterThan(10);
  });

  it('a torn copy of every kind of record fails its checksum', () => {
    const w = { op: 'persist' as const, req: { entries: range(1, 3, 1) }, sync: true };
    expect(checksum(0, w)).not.toBe(checksum(0, { ...w, req: { entries: range(1, 2, 1) } }));
    expect(checksum(0, { op: 'compact', index: 5 })).not.toBe(checksum(0, { op: 'compact', index: 4 }));
  });

  it('writes on a void epoch never complete once the process crashed', async () => {
    const { disk, run, log } = manual();
    let done = false;
    void log.persist({ entries: range(1, 2, 1) }, true).then(() => (done = true));
    disk.crash();
    run();
    await new Promise((r) => setImmediate(r));
    expect(done).toBe(false);
  });
});
