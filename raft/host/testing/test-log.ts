// The host tests' log: the production in-memory log (log/memory-wal.ts, the
// one the simulation runs too) on a disk whose writes complete on a later
// macrotask, like a real disk, so the host's group commit and ordering are
// exercised; it counts writes and can stall the next one. Nothing survives
// the process.

import type { ConfState, GroupId } from '../../core/types.js';
import type { MemoryDisk, MemoryWrite } from '../../../log/memory-wal.js';
import { MemoryGroupLog } from '../../../log/memory-wal.js';

export class TestDisk implements MemoryDisk {
  persists = 0;
  syncs = 0;
  /** Make the next write take this long (a stalled disk). */
  stallNextMs = 0;

  async write(_group: GroupId, w: MemoryWrite): Promise<void> {
    const stall = this.stallNextMs;
    this.stallNextMs = 0;
    if (stall > 0) await new Promise((r) => setTimeout(r, stall));
    else await new Promise((r) => setImmediate(r));
    if (w.op !== 'persist') return;
    this.persists++;
    if (w.sync) this.syncs++;
  }
}

export class TestLog extends MemoryGroupLog {
  readonly testDisk: TestDisk;

  constructor(group: GroupId, conf: ConfState, disk = new TestDisk()) {
    super(group, disk);
    this.testDisk = disk;
    // A formatted disk: the initial membership is known before the first write.
    this.replay({ op: 'conf', conf });
  }

  get syncs(): number {
    return this.testDisk.syncs;
  }

  set stallNextMs(ms: number) {
    this.testDisk.stallNextMs = ms;
  }
}
