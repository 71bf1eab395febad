// "Check this group's whole log at its next open": one small file per group
// in the data directory, written when the running node met damage it could
// not repair in place.
//
// Why it exists: a restart checks fully only what it replays (verifyOnOpen
// 'replay': the entries above the checkpoint and above the commit index), so
// open time follows the replayed tail, not the log's length (a full check of
// 1 GiB of entries took ~14 s). Older entries are checked whenever they are
// read; damage found then cannot be repaired while the core runs on the log,
// so the read fails (as it always did) and leaves this mark, and the next open
// checks every entry and repairs what is repairable, exactly as a full check
// at every open did. A log write that fails (LevelDB may have met a damaged
// table while compacting) marks every open group too.
//
// A file, not a LevelDB key: it must be writable when LevelDB refuses writes.
// LevelDB ignores file names it does not know. A lost mark costs nothing but
// time: the damage is met again on the next read and marked again.

import { closeSync, existsSync, fsyncSync, openSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GroupId } from '../raft/core/types.js';
import type { Logger } from 'pino';

export class FullCheckMarks {
  /** Marks written by this process (one write each is enough). */
  private readonly written = new Set<GroupId>();

  constructor(
    private readonly dir: string,
    private readonly logger: Logger | undefined,
  ) {}

  private path(group: GroupId): string {
    return join(this.dir, `FULL-CHECK-${group}`);
  }

  has(group: GroupId): boolean {
    return existsSync(this.path(group));
  }

  /** Durably asks for a full check of `group` at its next open; never throws. */
  mark(group: GroupId, reason: string): void {
    if (this.written.has(group)) return;
    this.written.add(group);
    try {
      writeFileSync(this.path(group), `${new Date().toISOString()} ${reason}\n`, { flush: true });
      this.syncDir();
      this.logger?.warn({ group, reason }, 'damage met while running: the next open checks every entry of this group and repairs what it can');
    } catch (e) {
      this.logger?.error({ group, err: e }, 'could not record that the next open must check the whole log');
    }
  }

  /** After a full check at open passed (or repaired): the mark has done its work. */
  clear(group: GroupId): void {
    if (!this.has(group)) return;
    unlinkSync(this.path(group));
    this.syncDir();
  }

  private syncDir(): void {
    const fd = openSync(this.dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}
