// `quorumq server` as an operator meets it: refusals with one-line errors and
// exit code 2, and a graceful SIGTERM on the leader that hands leadership over.

import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, LocalCluster, waitFor } from './cluster.js';

const clusters: LocalCluster[] = [];
async function cluster(n: number, opts: { clusterId?: string } = {}): Promise<LocalCluster> {
  const c = await LocalCluster.create(n, opts);
  clusters.push(c);
  return c;
}
afterAll(async () => {
  for (const c of clusters) await c.destroy();
});

function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n').filter((l) => !l.startsWith('{'));
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

describe('the server module run directly', () => {
  it('prints the server usage for --help, as `quorumq server --help` does', async () => {
    const { execFileSync } = await import('node:child_process');
    const main = CLI.replace(/cli\/main\.js$/, 'server/main.js');
    const direct = execFileSync(process.execPath, [main, '--help'], { encoding: 'utf8', timeout: 20_000 });
    const viaCli = execFileSync(process.execPath, [CLI, 'server', '--help'], { encoding: 'utf8', timeout: 20_000 });
    expect(direct.length).toBeGreaterThan(100);
    expect(direct).toBe(viaCli);
  });
});

describe('quorumq server refuses to start', () => {
  it('with an unknown member id', async () => {
    const c = await cluster(1);
    const r = await c.startNode(1, ['--id', '7']);
    expect(r.exitCode).toBe(2);
    expect(oneLine(r.stderr)).toMatch(/unknown member id 7/);
  });

  it('with a malformed value', async () => {
    const c = await cluster(1);
    const r = await c.startNode(1, ['--tick-ms', 'fast']);
    expect(r.exitCode).toBe(2);
    expect(oneLine(r.stderr)).toMatch(/--tick-ms must be an integer, got "fast"/);
  });

  it('when its address is in use', async () => {
    const c = await cluster(1);
    const [host, port] = c.node(1).client.split(':');
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(Number(port), host, () => r()));
    try {
      const r = await c.startNode(1);
      expect(r.exitCode).toBe(2);
      expect(oneLine(r.stderr)).toMatch(new RegExp(`cannot listen on ${c.node(1).client}: address already in use`));
    } finally {
      blocker.close();
    }
  });

  it("on another cluster's data", async () => {
    const a = await cluster(1, { clusterId: 'alpha' });
    expect((await a.startNode(1)).exitCode).toBeUndefined();
    expect(await a.stopNode(1, 'SIGTERM')).toBe(0);
    // Same data directory, another cluster id.
    const r = await a.startNode(1, ['--cluster-id', 'beta']);
    expect(r.exitCode).toBe(2);
    expect(oneLine(r.stderr)).toMatch(/belongs to cluster "alpha"/);
  });
});

describe('SIGTERM', () => {
  it('on the leader hands leadership over before exiting cleanly, and the cluster keeps serving', async () => {
    const c = await cluster(3);
    await c.startAll();
    const leader = await c.waitForLeader();
    const others = [1, 2, 3].filter((id) => id !== leader);
    const t0 = Date.now();
    expect(await c.stopNode(leader, 'SIGTERM')).toBe(0);
    const stopMs = Date.now() - t0;
    // Handed over, not timed out: a new leader is known at once (well under an election timeout).
    const next = await c.waitForLeader(5000, [leader]);
    expect(others).toContain(next);
    expect(c.logTail(leader, 50)).toMatch(/leadership transferred/);
    expect(stopMs).toBeLessThan(5000);
    const put = await c.client(others).call<{ index: number }>('Put', { key: 'after-term', value: Buffer.from('x') });
    expect(put.index).toBeGreaterThan(0);
    // And it restarts on its data.
    expect((await c.startNode(leader)).exitCode).toBeUndefined();
    await waitFor('the restarted node to be reachable', async () => (await c.status()).members.every((m) => m.reachable));
  });
});
