// The names of the log's files are made durable before a write counts as
// durable (dir-sync.ts). What a power cut does with and without this is shown
// on a filesystem that forgets unsynced names (cluster-tests/powerloss); here
// the ordering itself is checked on the real disk: whenever LevelDB switches
// to a new NNNNNN.log, the directory is fsynced before the synced write that
// went into it resolves, and outside changes the check costs no fsync.

import { readdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DirSync } from './dir-sync.js';
import { openWal } from './level-wal.js';
import type { LevelWal } from './level-wal.js';
import { range } from './testing/payload.js';
import { removeDir, tempDir } from './testing/tmp.js';

const logFiles = (dir: string): string[] => readdirSync(dir).filter((f) => /^\d+\.log$/.test(f));

/**
 * Appends `total` 1 KiB entries in synced batches of 8 with LevelDB's smallest
 * write buffer (64 KiB), so it switches log files every ~60 entries. After each
 * persist resolves, notes the log files that appeared since the last one and
 * whether a directory fsync happened in between.
 */
async function appendThroughSwitches(wal: LevelWal, total: number): Promise<{ newLogs: number; newLogsWithoutDirSync: number }> {
  const g = await wal.group(0);
  let seen = new Set(logFiles(wal.dir));
  let syncs = wal.dirSyncStats?.dirSyncs ?? 0;
  let newLogs = 0;
  let newLogsWithoutDirSync = 0;
  for (let i = 1; i <= total; i += 8) {
    await g.persist({ entries: range(i, i + 8, 1, 1024), hardState: { term: 1, vote: 1, commit: i - 1 } }, true);
    const now = logFiles(wal.dir);
    const fresh = now.filter((f) => !seen.has(f));
    const after = wal.dirSyncStats?.dirSyncs ?? 0;
    if (fresh.length > 0) {
      newLogs += fresh.length;
      if (after === syncs) newLogsWithoutDirSync += fresh.length;
    }
    syncs = after;
    seen = new Set(now);
  }
  return { newLogs, newLogsWithoutDirSync };
}

describe('directory fsyncs', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const d of dirs.splice(0)) await removeDir(d);
  });

  it('fsyncs the directory after a log switch before the write that went into the new file resolves', async () => {
    const d = await tempDir('dirsync');
    dirs.push(d);
    const wal = await openWal({ dir: d, clusterId: 'c', nodeId: 1, level: { writeBufferSize: 64 * 1024 } });
    try {
      const r = await appendThroughSwitches(wal, 4000);
      // ~4 MB through a 64 KiB buffer: dozens of switches, each covered.
      expect(r.newLogs).toBeGreaterThan(20);
      expect(r.newLogsWithoutDirSync).toBe(0);
      const st = wal.dirSyncStats!;
      expect(st.checks).toBeGreaterThanOrEqual(500);
      expect(st.dirSyncs).toBeGreaterThanOrEqual(r.newLogs);
    } finally {
      await wal.close();
    }
  });

  it('without it (the unsafe test switch), new log files are written into and confirmed before their name is durable', async () => {
    const d = await tempDir('dirsync-off');
    dirs.push(d);
    const wal = await openWal({ dir: d, clusterId: 'c', nodeId: 1, level: { writeBufferSize: 64 * 1024 }, syncDirectory: false });
    try {
      expect(wal.dirSyncStats).toBeUndefined();
      const r = await appendThroughSwitches(wal, 2000);
      expect(r.newLogs).toBeGreaterThan(10);
      expect(r.newLogsWithoutDirSync).toBe(r.newLogs);
    } finally {
      await wal.close();
    }
  });

  it('costs one fstat and no fsync while the directory does not change', async () => {
    const d = await tempDir('dirsync-idle');
    dirs.push(d);
    const sub = join(d, 'x');
    await mkdir(sub);
    const s = new DirSync(sub);
    try {
      // The directory was just created: its stamp is too fresh to trust, so it is synced.
      await s.afterSyncedWrite();
      expect(s.stats.dirSyncs).toBe(1);
      // Once the stamp is older than the clock's granularity margin, an unchanged directory needs nothing.
      const deadline = Date.now() + 10_000;
      for (let p = s.afterSyncedWrite(); p; p = s.afterSyncedWrite()) {
        await p;
        expect(Date.now()).toBeLessThan(deadline);
        await new Promise((r) => setImmediate(r));
      }
      const before = s.stats.dirSyncs;
      for (let i = 0; i < 1000; i++) expect(s.afterSyncedWrite()).toBeUndefined();
      expect(s.stats.dirSyncs).toBe(before);
      // A new name makes the next check fsync.
      await mkdir(join(sub, 'new'));
      const p = s.afterSyncedWrite();
      expect(p).toBeInstanceOf(Promise);
      await p;
      expect(s.stats.dirSyncs).toBe(before + 1);
    } finally {
      s.close();
    }
  });
});
