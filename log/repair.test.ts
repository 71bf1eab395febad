// Damage found on open is repaired when that is safe, refused when not:
// entries damaged at or below the recorded commit index are discarded from
// the damaged one on (term and vote stay, commit drops below them), so the
// leader sends them again; damage above the commit index, or to the hard
// state, still refuses to open. Also through LevelDB: bit flips and a
// truncation in a table file (.ldb) LevelDB itself cannot read.

import { existsSync, readdirSync, statSync, truncateSync, openSync, readSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { afterEach, describe, expect, it } from 'vitest';
import { WalCorruptionError } from './errors.js';
import { GroupKeys } from './keys.js';
import { openWal } from './level-wal.js';
import { range } from './testing/payload.js';
import { removeDir, tempDir } from './testing/tmp.js';

const HS = { term: 7, vote: 2 };

async function write(dir: string, n: number, commit: number, size?: number): Promise<void> {
  const wal = await openWal({ dir, clusterId: 'r', nodeId: 1 });
  const g = await wal.group(0);
  for (let i = 1; i <= n; i += 100) {
    const hi = Math.min(n + 1, i + 100);
    await g.persist({ entries: range(i, hi, 7, size), hardState: { ...HS, commit: Math.min(commit, hi - 1) } }, true);
  }
  await wal.close();
}

async function tamper(dir: string, key: Buffer, change: (v: Buffer) => Buffer): Promise<void> {
  const db = new ClassicLevel<Buffer, Buffer>(dir, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  await db.open();
  await db.put(key, change((await db.get(key))!));
  await db.close();
}

const flip = (v: Buffer): Buffer => {
  const out = Buffer.from(v);
  out[out.length >> 1]! ^= 0x10;
  return out;
};

describe('repair on open', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const d of dirs.splice(0)) await removeDir(d);
  });
  const dir = async (): Promise<string> => {
    const d = await tempDir('repair');
    dirs.push(d);
    return d;
  };

  it('refuses to open when an entry kept below the snapshot (sparse part) is damaged: the leader cannot send it again by replication', async () => {
    const d = await dir();
    await write(d, 300, 300);
    const wal = await openWal({ dir: d, clusterId: 'r', nodeId: 1 });
    const g = await wal.group(0);
    await g.saveSnapshot({ meta: { index: 250, term: 7, conf: { voters: [1], learners: [] } }, data: new Uint8Array(10) });
    await g.compact(251, [17, 120]);
    await wal.close();
    await tamper(d, new GroupKeys(0).sparse(120), flip);
    // The default check at open does not read the sparse part; 'full' does, and refuses.
    const tail = await openWal({ dir: d, clusterId: 'r', nodeId: 1 });
    expect((await tail.group(0)).sparseIndexes()).toEqual([17, 120]);
    await tail.close();
    const full = await openWal({ dir: d, clusterId: 'r', nodeId: 1, verifyOnOpen: 'full' });
    const err = await full.group(0).then(
      () => undefined,
      (e: unknown) => e,
    );
    await full.close();
    expect(err).toBeInstanceOf(WalCorruptionError);
    expect((err as WalCorruptionError).index).toBe(120);
  });

  it('discards a damaged committed entry and everything after it, keeping term and vote', async () => {
    const d = await dir();
    await write(d, 300, 250);
    await tamper(d, new GroupKeys(0).entry(120), flip);
    const wal = await openWal({ dir: d, clusterId: 'r', nodeId: 1, verifyOnOpen: 'full' });
    try {
      const g = await wal.group(0);
      expect(g.repaired).toMatchObject({ from: 120, discarded: 181, storage: true });
      expect(wal.storageRepairs).toBe(1);
      expect(g.repaired!.reason).toMatch(/checksum mismatch/);
      expect(g.lastIndex()).toBe(119);
      expect(g.initialState().hardState).toEqual({ term: 7, vote: 2, commit: 119 });
      expect(g.term(119)).toBe(7);
      // The leader's entries are taken again at the same indexes.
      await g.persist({ entries: range(120, 130, 8) }, true);
      expect(g.lastIndex()).toBe(129);
    } finally {
      await wal.close();
    }
    // And the repair is durable: a second open finds a sound log.
    const again = await openWal({ dir: d, clusterId: 'r', nodeId: 1, verifyOnOpen: 'full' });
    try {
      const g = await again.group(0);
      expect(g.repaired).toBeUndefined();
      expect(g.lastIndex()).toBe(129);
    } finally {
      await again.close();
    }
  });

  it('refuses damage above the commit index: those entries may exist nowhere else', async () => {
    const d = await dir();
    await write(d, 300, 100);
    await tamper(d, new GroupKeys(0).entry(200), flip);
    const err = await (async () => {
      const wal = await openWal({ dir: d, clusterId: 'r', nodeId: 1, verifyOnOpen: 'full' });
      try {
        return await wal.group(0).catch((e: unknown) => e);
      } finally {
        await wal.close();
      }
    })();
    expect(err).toBeInstanceOf(WalCorruptionError);
    expect((err as WalCorruptionError).index).toBe(200);
    expect((err as Error).message).toMatch(/not repairable: entry 200 is above this node's commit index 100/);
  });

  it('refuses a damaged hard state', async () => {
    const d = await dir();
    await write(d, 50, 50);
    await tamper(d, new GroupKeys(0).hardState(), flip);
    const wal = await openWal({ dir: d, clusterId: 'r', nodeId: 1, verifyOnOpen: 'full' });
    try {
      await expect(wal.group(0)).rejects.toMatchObject({ name: 'WalCorruptionError', kind: 'hard-state' });
    } finally {
      await wal.close();
    }
  });

  /** A log whose older entries sit in table files: 3000 × 4 KiB through a 1 MiB write buffer, then the newest committed. */
  async function tableLog(): Promise<{ d: string; table: string }> {
    const d = await dir();
    const wal = await openWal({ dir: d, clusterId: 'r', nodeId: 1, level: { writeBufferSize: 1 << 20, compression: false } });
    const g = await wal.group(0);
    for (let i = 1; i <= 3000; i += 100) await g.persist({ entries: range(i, i + 100, 7, 4096), hardState: { ...HS, commit: i + 99 } }, true);
    await wal.close();
    // Compact everything into sorted tables: file numbers then follow key order, so a middle
    // table holds entries only (identity, hard state and term runs sort elsewhere).
    const db = new ClassicLevel<Buffer, Buffer>(d, { keyEncoding: 'buffer', valueEncoding: 'buffer', compression: false });
    await db.open();
    await db.compactRange(Buffer.alloc(0), Buffer.alloc(8, 0xff));
    await db.close();
    const tables = readdirSync(d)
      .filter((f) => f.endsWith('.ldb'))
      .sort()
      .map((f) => join(d, f));
    expect(tables.length).toBeGreaterThanOrEqual(3);
    const table = tables[tables.length >> 1]!;
    return { d, table };
  }

  async function reopen(d: string): Promise<{ last: number; repaired: unknown; storageRepairs: number; hard: unknown } | { error: string }> {
    try {
      const wal = await openWal({ dir: d, clusterId: 'r', nodeId: 1, verifyOnOpen: 'full' });
      try {
        const g = await wal.group(0);
        return { last: g.lastIndex(), repaired: g.repaired, storageRepairs: wal.storageRepairs, hard: g.initialState().hardState };
      } finally {
        await wal.close();
      }
    } catch (e) {
      return { error: (e as Error).message };
    }
  }

  it('five bit flips in the middle of a table file: repaired, term and vote kept', async () => {
    const { d, table } = await tableLog();
    const size = statSync(table).size;
    const fd = openSync(table, 'r+');
    try {
      for (let k = 0; k < 5; k++) {
        const pos = Math.floor(size / 2) + k * 997;
        const b = Buffer.alloc(1);
        readSync(fd, b, 0, 1, pos);
        b[0]! ^= 1 << k;
        writeSync(fd, b, 0, 1, pos);
      }
    } finally {
      closeSync(fd);
    }
    const r = await reopen(d);
    expect(r).not.toHaveProperty('error');
    const ok = r as { last: number; repaired: { from: number; discarded: number }; hard: { term: number; vote: number; commit: number } };
    expect(ok.repaired.from).toBeGreaterThan(1);
    expect(ok.last).toBe(ok.repaired.from - 1);
    expect(ok.hard).toEqual({ term: 7, vote: 2, commit: ok.last });
  });

  it('a table file truncated to half: repaired (LevelDB salvages what it can read first), term and vote kept', async () => {
    const { d, table } = await tableLog();
    truncateSync(table, Math.floor(statSync(table).size / 2));
    const r = await reopen(d);
    expect(r, JSON.stringify(r)).not.toHaveProperty('error');
    const ok = r as { last: number; repaired: { from: number; storage: boolean }; storageRepairs: number; hard: { term: number; vote: number; commit: number } };
    expect(ok.storageRepairs, JSON.stringify(r)).toBe(1);
    expect(ok.repaired.storage).toBe(true);
    expect(ok.last).toBe(ok.repaired.from - 1);
    expect(ok.hard).toEqual({ term: 7, vote: 2, commit: ok.last });
  });

  describe("verifyOnOpen 'replay' (the server's): what a restart replays is checked at open, the rest when read", () => {
    /** 300 entries, commit `commit`, a checkpoint at `checkpoint`. */
    async function checkpointed(commit: number, checkpoint: number): Promise<string> {
      const d = await dir();
      await write(d, 300, commit);
      const wal = await openWal({ dir: d, clusterId: 'r', nodeId: 1 });
      const g = await wal.group(0);
      await g.saveCheckpoint({ index: checkpoint, data: new Uint8Array([1, 2, 3]) });
      await wal.close();
      return d;
    }
    const replay = (d: string) => openWal({ dir: d, clusterId: 'r', nodeId: 1, verifyOnOpen: 'replay' });

    it('damage below the checkpoint: opens without reading it; a read meets it, fails, and marks the group; the next open checks every entry and repairs', async () => {
      const d = await checkpointed(300, 200);
      await tamper(d, new GroupKeys(0).entry(120), flip);
      const wal = await replay(d);
      try {
        const g = await wal.group(0);
        expect(g.checkedOnOpen).toBe('replay');
        expect(g.repaired).toBeUndefined();
        expect(g.lastIndex()).toBe(300);
        // Entries the host replays come from the cache the check warmed.
        expect(g.entries(201, 301, Infinity)).toHaveLength(100);
        await expect(g.readEntries(110, 130, 1 << 20)).rejects.toBeInstanceOf(WalCorruptionError);
        expect(existsSync(join(d, 'FULL-CHECK-0'))).toBe(true);
      } finally {
        await wal.close();
      }
      const again = await replay(d);
      try {
        const g = await again.group(0);
        expect(g.checkedOnOpen).toBe('full');
        expect(g.repaired).toMatchObject({ from: 120, discarded: 181 });
        expect(g.lastIndex()).toBe(119);
        expect(g.initialState().hardState).toEqual({ term: 7, vote: 2, commit: 119 });
        // The checkpoint at 200 lay above the damage: dropped, the machine replays from the start.
        expect(g.checkpoint()).toBeUndefined();
        expect(existsSync(join(d, 'FULL-CHECK-0'))).toBe(false);
      } finally {
        await again.close();
      }
      // The mark did its work: the open after that checks only the replayed tail again.
      const third = await replay(d);
      try {
        expect((await third.group(0)).checkedOnOpen).toBe('replay');
      } finally {
        await third.close();
      }
    });

    it('damage above the checkpoint, at or below the commit index: repaired at open', async () => {
      const d = await checkpointed(300, 200);
      await tamper(d, new GroupKeys(0).entry(250), flip);
      const wal = await replay(d);
      try {
        const g = await wal.group(0);
        expect(g.repaired).toMatchObject({ from: 250, discarded: 51 });
        expect(g.lastIndex()).toBe(249);
        expect(g.checkpoint()?.index).toBe(200);
      } finally {
        await wal.close();
      }
    });

    it('damage above the commit index: refused at open', async () => {
      const d = await checkpointed(100, 100);
      await tamper(d, new GroupKeys(0).entry(200), flip);
      const wal = await replay(d);
      try {
        const err = await wal.group(0).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(WalCorruptionError);
        expect((err as Error).message).toMatch(/not repairable: entry 200 is above this node's commit index 100/);
      } finally {
        await wal.close();
      }
    });
  });
});
