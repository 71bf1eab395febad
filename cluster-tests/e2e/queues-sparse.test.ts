// Sparse compaction on a real cluster with default settings (issue 14): one
// old unacked message no longer keeps everything published after it on disk.
// Scaled to 96 MiB to stay fast in `make test`; cluster-tests/long runs the
// same scenario with 200 MiB (QUORUMQ_E2E_SPARSE_MB overrides both).

import { afterEach, describe, expect, it } from 'vitest';
import { LocalCluster } from './cluster.js';
import { DISK_BOUND, pinnedQueueScenario } from './pinned-queue.js';
import { closeRawClients } from './streams-client.js';

const MB = Number(process.env.QUORUMQ_E2E_SPARSE_MB ?? 96);

let c: LocalCluster | undefined;
afterEach(async () => {
  closeRawClients();
  await c?.destroy();
  c = undefined;
});

describe('sparse compaction', () => {
  it(`keeps disk near the live backlog while ${MB} MiB go through a queue behind one unacked message; the message survives a wiped member and a restart of every node`, async () => {
    c = await LocalCluster.create(3);
    await c.startAll();
    const figures = await pinnedQueueScenario(c, MB, (line) => console.log(line));
    // The bound must mean something: far less than what went through.
    expect(DISK_BOUND).toBeLessThan((MB << 20) * 0.75);
    expect(figures.sizes.every((b) => b < DISK_BOUND)).toBe(true);
  }, 300_000);
});
