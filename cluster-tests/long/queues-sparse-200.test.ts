// The full-size sparse-compaction run of issue 14, not part of `make test`
// (on a loaded two-core machine 200 MiB of publishes takes minutes): one old
// unacked message, 200 MiB published and acked behind it, default settings.
// Run: make sparse-long (SPARSE_MIB=1024 for issue 19's 1 GiB figure), or
// npx tsc -p tsconfig.json && SPARSE_MIB=200 npx vitest run cluster-tests/long/queues-sparse-200.test.ts

import { afterEach, describe, expect, it } from 'vitest';
import { LocalCluster } from '../e2e/cluster.js';
import { DISK_BOUND, pinnedQueueScenario } from '../e2e/pinned-queue.js';
import { closeRawClients } from '../e2e/streams-client.js';

let c: LocalCluster | undefined;
afterEach(async () => {
  closeRawClients();
  await c?.destroy();
  c = undefined;
});

const MIB = Number(process.env.SPARSE_MIB || 200);

describe('sparse compaction at full size', () => {
  it(`keeps every data directory under the bound while ${MIB} MiB go through a queue behind one unacked message`, async () => {
    c = await LocalCluster.create(3);
    await c.startAll();
    const figures = await pinnedQueueScenario(c, MIB, (line) => console.log(line));
    expect(figures.sizes.every((b) => b < DISK_BOUND)).toBe(true);
  }, Math.max(1_800_000, MIB * 12_000));
});
