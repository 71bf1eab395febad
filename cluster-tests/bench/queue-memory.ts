// `make bench ARGS="--only queue-memory"`: the queue machine's memory per
// queued message (the goal: <= 16 B for a ready plain message with
// 1 000 000 queued), and what a priority, a TTL and a group add. Each kind is
// measured in a fresh process (queue-memory-probe.ts) so that one kind's
// garbage does not count against the next.

import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { MemoryFigure } from './queue-memory-probe.js';
import { GROUPS, KINDS } from './queue-memory-probe.js';
import { progress } from './report.js';
import type { Workload } from './workload.js';

const run = promisify(execFile);
const PROBE = fileURLToPath(new URL('./queue-memory-probe.js', import.meta.url));
/** The backlog the goal names. */
const MESSAGES = 1_000_000;

export const queueMemoryWorkload: Workload = {
  name: 'queue-memory',
  describe: () =>
    `queue machine in-process, ${MESSAGES} ready 1 KiB messages (one per publish and entry) per kind: plain, priority (0-31 cycling), ttl (1 h each), groups (${GROUPS} keys round-robin); heap + array buffers per message after a full GC`,
  async run(_o, report) {
    for (const kind of KINDS) {
      const { stdout } = await run(process.execPath, ['--expose-gc', PROBE, kind, String(MESSAGES)], { maxBuffer: 1 << 20 });
      const f = JSON.parse(stdout.trim()) as MemoryFigure;
      progress(`queue-memory ${kind}: heap ${f.heapPerMsg} B/msg, array buffers ${f.arrayBuffersPerMsg} B/msg, published in ${f.publishMs} ms; snapshot ${f.snapshotBytesPerMsg} B/msg, written in ${f.snapshotWriteMs} ms, read in ${f.snapshotReadMs} ms`);
      report.record(`queue_memory_${kind}`, 'B/msg', [f.totalPerMsg]);
      report.record(`queue_memory_${kind}_heap`, 'B/msg', [f.heapPerMsg]);
      report.record(`queue_memory_${kind}_array_buffers`, 'B/msg', [f.arrayBuffersPerMsg]);
      report.record(`queue_snapshot_read_${kind}`, 'ms', [f.snapshotReadMs]);
    }
  },
};
