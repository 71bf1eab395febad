import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { ClassicLevel } from 'classic-level';
import { afterEach, describe, expect, it } from 'vitest';
import { UNAVAILABLE } from '../raft/core/storage.js';
import { range, readAll, walConformance } from './conformance.js';
import { WalCorruptionError, WalIdentityError, WalLockedError } from './errors.js';
import { GroupKeys, IDENTITY_KEY, KeyType } from './keys.js';
import { openWal } from './level-wal.js';
import { dirBytes, removeDir, tempDir } from './testing/tmp.js';
import type { Wal } from './wal.js';

walConformance('LevelWal', () => {
  let dir: string | undefined;
  const open = async (options?: { cacheBytes?: number }): Promise<Wal> =>
    openWal({ dir: dir!, clusterId: 'conformance', nodeId: 1, cacheBytes: options?.cacheBytes, verifyOnOpen: 'full' });
  return {
    open: async (options) => {
      dir = await tempDir('conf');
      return open(options);
    },
    reopen: async (wal, options) => {
      await wal.close();
      return open(options);
    },
    evicts: true,
    cleanup: async () => {
      if (dir) await removeDir(dir);
    },
  };
});

describe('LevelWal', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const d of dirs.splice(0)) await removeDir(d);
  });
  async function dir(): Promise<string> {
    const d = await tempDir('level');
    dirs.push(d);
    return d;
  }

  /** Rewrites one raw LevelDB value while the Wal is closed. */
  async function tamper(d: string, key: Buffer, change: (v: Buffer | undefined) => Buffer | undefined): Promise<void> {
    const db = new ClassicLevel<Buffer, Buffer>(d, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
    await db.open();
    const next = change(await db.get(key));
    if (next === undefined) await db.del(key);
    else await db.put(key, next);
    await db.close();
  }

  const flip = (v: Buffer | undefined): Buffer => {
    const out = Buffer.from(v!);
    out[out.length - 1]! ^= 0x40;
    return out;
  };

  it('does not read a checkpoint a later snapshot superseded, and deletes it with its chunks', async () => {
    const d = await dir();
    let wal = await openWal({ dir: d, clusterId: 'c', nodeId: 1 });
    let log = await wal.group(0);
    await log.persist({ entries: range(1, 301, 1), hardState: { term: 1, vote: 1, commit: 300 } }, true);
    await log.saveCheckpoint({ index: 100, data: new Uint8Array(3000).fill(7) });
    await log.saveSnapshot({ meta: { index: 200, term: 1, conf: { voters: [1], learners: [] } }, data: new Uint8Array([1]) });
    await wal.close();
    // Damage the stale checkpoint's data: an open that read it would refuse.
    const k = new GroupKeys(0);
    const db = new ClassicLevel<Buffer, Buffer>(d, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
    await db.open();
    const chunks = await db.keys({ gte: k.snapshotChunk(0, 0), lt: k.typeEnd(KeyType.SnapshotChunk) }).all();
    await db.close();
    expect(chunks.length).toBe(2);
    // The checkpoint was saved first: its chunk has the lower generation (key bytes 6-9).
    const [older] = [...chunks].sort((x, y) => x.readUInt32BE(6) - y.readUInt32BE(6));
    await tamper(d, older!, flip);
    wal = await openWal({ dir: d, clusterId: 'c', nodeId: 1, verifyOnOpen: 'replay' });
    log = await wal.group(0);
    expect(log.checkpoint()).toBeUndefined();
    expect(log.snapshot().meta.index).toBe(200);
    await wal.close();
    const again = new ClassicLevel<Buffer, Buffer>(d, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
    await again.open();
    try {
      expect(await again.get(k.checkpoint())).toBeUndefined();
      // Only the snapshot's chunk is left.
      expect(await again.keys({ gte: k.snapshotChunk(0, 0), lt: k.typeEnd(KeyType.SnapshotChunk) }).all()).toHaveLength(1);
    } finally {
      await again.close();
    }
  });

  it('records its cluster and node, and refuses another cluster or node', async () => {
    const d = await dir();
    await (await openWal({ dir: d, clusterId: 'alpha', nodeId: 1 })).close();
    const err = await openWal({ dir: d, clusterId: 'beta', nodeId: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WalIdentityError);
    expect((err as WalIdentityError).found).toEqual({ clusterId: 'alpha', nodeId: 1 });
    expect((err as Error).message).toContain(d);
    await expect(openWal({ dir: d, clusterId: 'alpha', nodeId: 2 })).rejects.toBeInstanceOf(WalIdentityError);
    // The refusals released the directory: the rightful owner still opens it.
    const wal = await openWal({ dir: d, clusterId: 'alpha', nodeId: 1 });
    expect(wal.identity).toEqual({ clusterId: 'alpha', nodeId: 1 });
    await wal.close();
  });

  it('refuses a directory holding LevelDB data that is not a quorumq log', async () => {
    const d = await dir();
    const db = new ClassicLevel(d);
    await db.open();
    await db.put('something', 'else');
    await db.close();
    await expect(openWal({ dir: d, clusterId: 'c', nodeId: 1 })).rejects.toThrow(/no quorumq identity record/);
  });

  it('rejects a request it cannot encode before changing anything', async () => {
    const wal = await openWal({ dir: await dir(), clusterId: 'c', nodeId: 1 });
    const log = await wal.group(1);
    await log.persist({ entries: range(1, 11, 1) }, true);
    const bad = { term: 2, vote: 2 ** 40, commit: 3 };
    await expect(log.persist({ entries: range(5, 8, 2), hardState: bad }, true)).rejects.toThrow(RangeError);
    await expect(log.persist({ entries: [{ index: 11, term: -1, type: 0, data: new Uint8Array(0) }] }, true)).rejects.toThrow(RangeError);
    expect([log.lastIndex(), log.term(6), log.initialState().hardState.term]).toEqual([10, 1, 0]);
    await wal.close();
  });

  it('fails at once, naming the directory, when another process holds it', async () => {
    const d = await dir();
    const holder = spawn(
      process.execPath,
      ['--input-type=module', '-e', `import { ClassicLevel } from 'classic-level'; const db = new ClassicLevel(${JSON.stringify(d)}); await db.open(); console.log('ready'); setInterval(() => {}, 1000);`],
      { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      const [line] = (await once(holder.stdout!, 'data')) as [Buffer];
      expect(line.toString()).toContain('ready');
      const t0 = performance.now();
      const err = await openWal({ dir: d, clusterId: 'c', nodeId: 1 }).catch((e: unknown) => e);
      expect(performance.now() - t0).toBeLessThan(2000);
      expect(err).toBeInstanceOf(WalLockedError);
      expect((err as WalLockedError).dir).toBe(d);
      expect((err as Error).message).toContain(d);
      expect((err as Error).cause).toBeDefined();
    } finally {
      holder.kill('SIGKILL');
      await once(holder, 'exit');
    }
    // And within one process, a second open of a directory already open.
    const wal = await openWal({ dir: d, clusterId: 'c', nodeId: 1 });
    await expect(openWal({ dir: d, clusterId: 'c', nodeId: 1 })).rejects.toBeInstanceOf(WalLockedError);
    await wal.close();
  });

  describe('on damaged data', () => {
    async function logWith(d: string, n: number): Promise<void> {
      const wal = await openWal({ dir: d, clusterId: 'c', nodeId: 1 });
      const log = await wal.group(3);
      for (let lo = 1; lo <= n; lo += 100) await log.persist({ entries: range(lo, Math.min(lo + 100, n + 1), 2, 200), hardState: { term: 2, vote: 1, commit: lo } }, true);
      await wal.close();
    }
    const keys = new GroupKeys(3);

    it('refuses to open a group whose entry fails its checksum, naming group and index', async () => {
      const d = await dir();
      await logWith(d, 300);
      await tamper(d, keys.entry(5), flip);
      // Detection alone (repair of committed entries is repair.test.ts's).
      const wal = await openWal({ dir: d, clusterId: 'c', nodeId: 1, verifyOnOpen: 'full', repair: false });
      const err = await wal.group(3).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WalCorruptionError);
      expect(err).toMatchObject({ group: 3, index: 5, kind: 'entry' });
      expect((err as Error).message).toMatch(/group 3 at index 5.*checksum/);
      // Other groups are unaffected.
      expect((await wal.group(4)).lastIndex()).toBe(0);
      await wal.close();
    });

    it('checks the newest entries on a normal open, and never serves a damaged older one', async () => {
      const d = await dir();
      await logWith(d, 1000);
      await tamper(d, keys.entry(1000), flip);
      let wal = await openWal({ dir: d, clusterId: 'c', nodeId: 1 });
      await expect(wal.group(3)).rejects.toMatchObject({ name: 'WalCorruptionError', index: 1000 });
      await wal.close();

      await tamper(d, keys.entry(1000), flip); // Restore it.
      await tamper(d, keys.entry(7), flip);
      wal = await openWal({ dir: d, clusterId: 'c', nodeId: 1, cacheBytes: 64 * 1024 });
      const log = await wal.group(3);
      expect(log.entries(1, 10, 1e9)).toBe(UNAVAILABLE);
      await new Promise<void>((resolve) => {
        const off = log.onEntriesLoaded(() => (off(), resolve()));
      });
      expect(() => log.entries(1, 10, 1e9)).toThrow(WalCorruptionError);
      await expect(log.readEntries(5, 10, 1e9)).rejects.toMatchObject({ group: 3, index: 7 });
      // Undamaged ranges are still served.
      expect((await readAll(log, 900, 1001)).length).toBe(101);
      await wal.close();
    });

    it('finds a missing entry inside the log', async () => {
      const d = await dir();
      await logWith(d, 300);
      await tamper(d, keys.entry(150), () => undefined);
      const wal = await openWal({ dir: d, clusterId: 'c', nodeId: 1, verifyOnOpen: 'full', repair: false });
      await expect(wal.group(3)).rejects.toMatchObject({ name: 'WalCorruptionError', index: 150, reason: expect.stringMatching(/missing/) });
      await wal.close();
    });

    it('finds a missing first entry without reading the whole log', async () => {
      const d = await dir();
      await logWith(d, 3000);
      await tamper(d, keys.entry(1), () => undefined);
      const wal = await openWal({ dir: d, clusterId: 'c', nodeId: 1 });
      await expect(wal.group(3)).rejects.toMatchObject({ name: 'WalCorruptionError', index: 1, reason: expect.stringMatching(/first entry 1 is missing/) });
      await wal.close();
    });

    it.each([
      ['hard-state', keys.hardState()],
      ['term-run', keys.termRun(1)],
    ] as const)('refuses to open a group whose %s record is damaged', async (kind, key) => {
      const d = await dir();
      await logWith(d, 50);
      await tamper(d, key, flip);
      const wal = await openWal({ dir: d, clusterId: 'c', nodeId: 1 });
      await expect(wal.group(3)).rejects.toMatchObject({ name: 'WalCorruptionError', group: 3, kind });
      await wal.close();
    });

    it('refuses a damaged identity', async () => {
      const d = await dir();
      await logWith(d, 1);
      await tamper(d, IDENTITY_KEY, flip);
      await expect(openWal({ dir: d, clusterId: 'c', nodeId: 1 })).rejects.toMatchObject({ name: 'WalCorruptionError', kind: 'identity' });
    });
  });

  it('coalesces appends that arrive during a synced write into one batch (group commit)', async () => {
    const wal = await openWal({ dir: await dir(), clusterId: 'c', nodeId: 1 });
    const logs = await Promise.all([1, 2].map((g) => wal.group(g)));
    await logs[0]!.persist({ entries: range(1, 2, 1) }, true);
    const before = { ...wal.queue.stats };
    const firstWrite = logs[0]!.persist({ entries: range(2, 3, 1) }, true);
    // Let that write start, then 200 more arrive, from two groups, while it is in flight.
    await new Promise((r) => setImmediate(r));
    const more: Promise<void>[] = [];
    for (let i = 3; i < 103; i++) for (const log of logs) more.push(log.persist({ entries: range(log.group === 1 ? i : i - 2, (log.group === 1 ? i : i - 2) + 1, 1) }, true));
    await Promise.all([firstWrite, ...more]);
    expect(wal.queue.stats.requests - before.requests).toBe(201);
    expect(wal.queue.stats.batches - before.batches).toBeLessThanOrEqual(3);
    expect(logs[0]!.lastIndex()).toBe(102);
    expect(logs[1]!.lastIndex()).toBe(100);
    await wal.close();
  });

  it('compacts without stalling appends, and disk use falls back to the live data', async () => {
    const d = await dir();
    const wal = await openWal({ dir: d, clusterId: 'c', nodeId: 1, cacheBytes: 1 << 20, compactionBatch: 1024 });
    const log = await wal.group(1);
    const n = 30_000;
    for (let lo = 1; lo <= n; lo += 1000) await log.persist({ entries: range(lo, lo + 1000, 1, 1024) }, true);
    const before = await dirBytes(d);
    expect(before).toBeGreaterThan(25e6);
    await log.saveSnapshot({ meta: { index: n, term: 1, conf: { voters: [1], learners: [] } }, data: new Uint8Array(1000) });
    let compacted = false;
    const compaction = log.compact(n - 99).then(() => (compacted = true));
    // Appends issued while the deletion runs complete long before it does.
    for (let i = n + 1; i <= n + 20; i++) {
      await log.persist({ entries: range(i, i + 1, 2, 1024) }, true);
      expect(compacted).toBe(false);
    }
    await compaction;
    const after = await dirBytes(d);
    expect(log.firstIndex()).toBe(n - 99);
    expect((await readAll(log, n - 99, n + 21)).length).toBe(120);
    // 120 live entries of 1 KiB remain; allow LevelDB its write-ahead log and manifest.
    expect(after).toBeLessThan(before / 5);
    expect(after).toBeLessThan(4e6);
    await wal.close();
    const reopened = await openWal({ dir: d, clusterId: 'c', nodeId: 1, verifyOnOpen: 'full' });
    const again = await reopened.group(1);
    expect([again.firstIndex(), again.lastIndex()]).toEqual([n - 99, n + 20]);
    expect(again.stats().diskFirst).toBe(n - 99);
    await reopened.close();
  });

  it('reads the sparse part\'s indexes from its marks on open; a log without marks is scanned once and marked', async () => {
    const d = await dir();
    const k = new GroupKeys(1);
    const raw = async <T>(f: (db: ClassicLevel<Buffer, Buffer>) => Promise<T>): Promise<T> => {
      const db = new ClassicLevel<Buffer, Buffer>(d, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
      await db.open();
      try {
        return await f(db);
      } finally {
        await db.close();
      }
    };
    const marks = (): Promise<number[]> => raw(async (db) => (await db.keys({ gte: k.sparseMark(0), lt: k.typeEnd(KeyType.SparseMark) }).all()).map((key) => key.readUInt32BE(10)));
    const complete = (): Promise<boolean> => raw(async (db) => (await db.get(k.sparseMarksComplete())) !== undefined);
    const reopen = async (): Promise<{ wal: Wal; indexes: readonly number[] }> => {
      const wal = await openWal({ dir: d, clusterId: 'c', nodeId: 1 });
      return { wal, indexes: (await wal.group(1)).sparseIndexes() };
    };

    const wal = await openWal({ dir: d, clusterId: 'c', nodeId: 1 });
    const log = await wal.group(1);
    await log.persist({ entries: range(1, 101, 1, 1024) }, true);
    await log.saveSnapshot({ meta: { index: 100, term: 1, conf: { voters: [1], learners: [] } }, data: new Uint8Array(10) });
    await log.compact(91, [5, 17, 40]);
    expect(log.sparseIndexes()).toEqual([5, 17, 40]);
    await wal.close();
    expect(await marks()).toEqual([5, 17, 40]);

    // The marks are what opening reads: a sparse entry they do not list is not seen (planted, then removed).
    await raw((db) => db.put(k.sparse(60), Buffer.from('not marked')));
    let r = await reopen();
    expect(r.indexes).toEqual([5, 17, 40]);
    await r.wal.close();
    await raw((db) => db.del(k.sparse(60)));

    // A log written before marks existed: scanned, then marked, complete.
    await raw(async (db) => {
      for (const i of [5, 17, 40]) await db.del(k.sparseMark(i));
      await db.del(k.sparseMarksComplete());
    });
    r = await reopen();
    expect(r.indexes).toEqual([5, 17, 40]);
    await r.wal.close();
    expect(await marks()).toEqual([5, 17, 40]);
    expect(await complete()).toBe(true);

    // A compaction that keeps fewer deletes the marks with the entries; the bodies kept still read.
    r = await reopen();
    const again = await r.wal.group(1);
    await again.saveSnapshot({ meta: { index: 100, term: 1, conf: { voters: [1], learners: [] } }, data: new Uint8Array(10) });
    await again.compact(101, [17]);
    expect(again.sparseIndexes()).toEqual([17]);
    expect((await again.readEntries(17, 18, 1 << 20)).map((e) => e.index)).toEqual([17]);
    await r.wal.close();
    expect(await marks()).toEqual([17]);
  });

  it('deletes, in the background, entries a received snapshot made obsolete', async () => {
    const d = await dir();
    const wal = await openWal({ dir: d, clusterId: 'c', nodeId: 1 });
    const log = await wal.group(1);
    await log.persist({ entries: range(1, 5001, 1, 100) }, true);
    await log.persist({ snapshot: { meta: { index: 4000, term: 2, conf: { voters: [1], learners: [] } }, data: new Uint8Array(10) }, entries: range(4001, 4011, 2, 100) }, true);
    expect([log.firstIndex(), log.lastIndex()]).toEqual([4001, 4010]);
    await wal.close(); // Waits for the background deletion.
    const db = new ClassicLevel<Buffer, Buffer>(d, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
    await db.open();
    const k = new GroupKeys(1);
    const left = await db.keys({ gte: k.entry(0), lt: k.entry(1e9) }).all();
    await db.close();
    expect(left.length).toBe(10);
  });
});
