// Names are data too. On a filesystem with strict POSIX semantics, creating,
// renaming or deleting a file is durable only once its directory is fsynced;
// an fsync of the file makes its bytes durable, not the name that leads to
// them. The LevelDB bundled with classic-level (1.20) fsyncs the directory
// only when it syncs a MANIFEST. Two holes follow:
//
// - a new database's first MANIFEST is never fsynced, and CURRENT is replaced
//   by a rename nobody fsyncs the directory after: a power cut in a new
//   cluster's first seconds leaves "no meta-nextfile entry in descriptor";
// - at a log switch (every write-buffer's worth of writes) LevelDB creates a
//   new NNNNNN.log and writes synced batches into it at once, but the new name
//   becomes durable only when the background flush ends with a MANIFEST sync,
//   ~0.6 s later: a cut in between loses confirmed writes, silently.
//
// - at that switch LevelDB closes the old log without an fsync: writes made
//   unsynced just before it (a snapshot's chunks, compaction deletes, an
//   unsynced append) sit in the old file's unsynced tail, while a synced write
//   just after it lands in the new file and is confirmed: a cut keeps the later
//   write and loses the earlier one (found by the power-loss nemesis as
//   "snapshot chunk 0 of 1 is missing" after a cut).
//
// So: after opening, every file of the data directory, the directory and its
// parents are fsynced once; and after every synced write, before it counts as
// durable, if the directory changed since it was last synced, every closed
// log file (all NNNNNN.log but the newest) not yet fsynced is fsynced, and
// then the directory.
// "Changed" is read from the directory's mtime and ctime (one fstat, ~1 µs),
// which every create, rename and delete in it moves. Timestamps are coarse (a
// clock tick), so a change in the same tick as the stamp we saw would not
// move it: a stamp is trusted as "clean" only once it is older than
// TRUST_MARGIN_NS (20 ms: two ticks of a 100 Hz coarse clock), and until then every synced write fsyncs the directory
// again. Outside a log switch (or a compaction's new table file) this costs
// one fstat per synced batch.

import { closeSync, fstatSync, fsync, openSync, readdirSync, statSync } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';

const TRUST_MARGIN_NS = 20_000_000n;

export interface DirSyncStats {
  /** Directory fsyncs made after synced writes (log switches, new tables). */
  dirSyncs: number;
  /** Closed LevelDB log files fsynced after a switch. */
  oldLogSyncs: number;
  /** Synced writes checked. */
  checks: number;
}

/** fsyncs one path (file or directory). */
export async function fsyncPath(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Makes everything in `dir` durable, names included: every regular file, the
 * directory, and its ancestors up to and including `upTo`'s parent (the
 * directories mkdir created, and the one that holds them).
 */
export async function syncDirectoryTree(dir: string, upTo: string = dir): Promise<void> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    try {
      if (statSync(p).isFile()) await fsyncPath(p);
    } catch (e) {
      // LevelDB's background work may delete an obsolete file meanwhile: nothing to keep.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  let d = dir;
  for (;;) {
    await fsyncPath(d);
    if (d === dirname(upTo) || d === dirname(d)) break;
    d = dirname(d);
  }
}

/** Watches one directory: fsyncs it after a synced write whenever its entries changed. */
export class DirSync {
  private fd: number | undefined;
  private clean: string | undefined;
  /** Closed log files already fsynced by us (LevelDB never writes to a log again once it switched away). */
  private readonly closedLogsSynced = new Set<string>();
  readonly stats: DirSyncStats = { dirSyncs: 0, oldLogSyncs: 0, checks: 0 };

  constructor(readonly dir: string) {
    this.fd = openSync(dir, 'r');
  }

  /**
   * Called after a synced write, before it counts as durable: undefined when
   * the directory is as it was at its last fsync (the common case, no await),
   * otherwise a promise that resolves once the directory is fsynced.
   */
  afterSyncedWrite(): Promise<void> | undefined {
    const fd = this.fd;
    if (fd === undefined) return undefined;
    this.stats.checks++;
    const st = fstatSync(fd, { bigint: true });
    const stamp = `${st.mtimeNs}:${st.ctimeNs}`;
    if (stamp === this.clean) return undefined;
    return this.syncChanged(fd, stamp, st.mtimeNs > st.ctimeNs ? st.mtimeNs : st.ctimeNs);
  }

  private async syncChanged(fd: number, stamp: string, newest: bigint): Promise<void> {
    const logs = (await readdir(this.dir))
      .filter((f) => /^\d+\.log$/.test(f))
      .sort((a, b) => Number(a.slice(0, -4)) - Number(b.slice(0, -4)));
    logs.pop(); // the current log: LevelDB fsyncs it on every synced write
    for (const f of logs) {
      if (this.closedLogsSynced.has(f)) continue;
      try {
        await fsyncPath(join(this.dir, f));
        this.stats.oldLogSyncs++;
      } catch (e) {
        // Flushed into a synced table and deleted meanwhile: nothing to keep.
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
      this.closedLogsSynced.add(f);
    }
    for (const f of this.closedLogsSynced) if (!logs.includes(f)) this.closedLogsSynced.delete(f);
    await new Promise<void>((resolve, reject) => fsync(fd, (e) => (e ? reject(e) : resolve())));
    this.stats.dirSyncs++;
    this.clean = BigInt(Date.now()) * 1_000_000n - newest > TRUST_MARGIN_NS ? stamp : undefined;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
