// Sparse compaction on a real cluster with default settings (issue 14): one
// old unacked message no longer keeps everything published after it on disk.
// Scaled to 72 MiB (two snapshots' worth of entries at the default 32 MiB
// trigger) to stay fast in `make test`; cluster-tests/long runs the same
// scenario with 200 MiB (QUORUMQ_E2E_SPARSE_MB overrides this one).

import { afterEach, describe, expect, it } from 'vitest';
import { LocalCluster } from './cluster.js';
import { pinnedQueueScenario } from './pinned-queue.js';
import { closeRawClients } from './streams-client.js';

const MB = Number(process.env.QUORUMQ_E2E_SPARSE_MB ?? 72);

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
    // Every data directory ends below 3/4 of what went through (54 MiB), where
    // compaction up to the oldest live entry would keep all of it.
    const figures = await pinnedQueueScenario(c, MB, (line) => console.log(line));
    expect(figures.sizes.every((b) => b < 0.75 * MB * (1 << 20))).toBe(true);
  }, 600_000);
});
