// A healthy cluster on a loaded machine does not elect: three busy processes
// beside three nodes on two cores, while a client appends through a follower
// with many requests in flight, and no node starts an election or steps
// down for want of a quorum (quorumq_raft_elections_total on every node).

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalCluster, waitFor } from './cluster.js';
import { appendMany, body, closeRawClients } from './streams-client.js';

/** Election counts by cause, summed over the cluster, from each node's /metrics. */
async function elections(c: LocalCluster): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const id of c.nodes.keys()) {
    const text = await (await fetch(`http://${c.node(id).metrics}/metrics`)).text();
    for (const m of text.matchAll(/^quorumq_raft_elections_total\{cause="([a-z_]+)"[^}]*\} (\d+)$/gm)) out[m[1]!] = (out[m[1]!] ?? 0) + Number(m[2]);
  }
  return out;
}

describe('a healthy cluster on a loaded machine', () => {
  let c: LocalCluster;
  const hogs: ChildProcess[] = [];

  beforeAll(async () => {
    c = await LocalCluster.create(3);
    await c.startAll();
    await c.waitForLeader();
  }, 60_000);

  afterAll(async () => {
    for (const h of hogs) h.kill('SIGKILL');
    closeRawClients();
    await c?.destroy();
  });

  it('starts no election and no leader steps down while busy processes compete for the cores', async () => {
    const leader = await c.waitForLeader();
    const follower = [...c.nodes.keys()].find((id) => id !== leader)!;
    await c.client([leader], 10_000).call('DeclareStream', { name: 'load', settings: { maxMessages: 100_000 } });
    // Settled: every node knows the leader before the counts are taken.
    await waitFor('every node to know the leader', async () => (await c.status(follower)).members.every((m) => m.reachable));
    const before = await elections(c);
    const term = (await c.status(leader)).term;
    for (let i = 0; i < 3; i++) hogs.push(spawn(process.execPath, ['-e', 'const end = Date.now() + 60000; while (Date.now() < end) {}'], { stdio: 'ignore' }));
    const t0 = Date.now();
    let appended = 0;
    // About 12 s of appends through a follower, 128 in flight, 1 KiB each.
    while (Date.now() - t0 < 12_000) {
      const rs = await appendMany(c.node(follower).client, Array.from({ length: 2000 }, () => ({ stream: 'load', messages: [{ body: body('x'.repeat(1024)) }] })), 128);
      appended += rs.filter((r) => !r.errorCode).length;
    }
    for (const h of hogs.splice(0)) h.kill('SIGKILL');
    const after = await elections(c);
    expect(appended).toBeGreaterThan(0);
    expect({ timeout: (after.timeout ?? 0) - (before.timeout ?? 0), check_quorum: (after.check_quorum ?? 0) - (before.check_quorum ?? 0) }).toEqual({ timeout: 0, check_quorum: 0 });
    expect((await c.status(leader)).term).toBe(term);
  }, 90_000);
});
