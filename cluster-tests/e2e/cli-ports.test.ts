// The quorumq command against the wrong port of a real node: the peer port
// (gRPC, Raft service only) and the metrics port (HTTP/1.1) are named as such
// instead of "UNIMPLEMENTED: The server does not implement the method ..." and
// "UNAVAILABLE: No connection established. Last error: Protocol error";
// a list that starts with a wrong port still reaches the client port after it;
// and `quorumq --version` prints the package's version.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalCluster } from './cluster.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/dist\/?$/, '');
let c: LocalCluster;

beforeAll(async () => {
  c = await LocalCluster.create(1, { clusterId: 'ports' });
  await c.startAll();
  await c.waitForLeader();
});
afterAll(async () => {
  await c?.destroy();
});

describe('quorumq pointed at a port that is not a client port', () => {
  it('the peer port: named as a peer (Raft) port of its cluster, exit 1, also in --json', async () => {
    const peer = c.node(1).peer;
    const r = await c.cli(['cluster', 'status', '--server', peer]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`quorumq: ${peer} is not a quorumq client port: it is a peer (Raft) port of cluster "ports"; use a node's client port (7001 by default)`);
    expect(r.stderr).not.toMatch(/UNIMPLEMENTED/);
    const j = await c.cli(['append', 'orders', 'x', '--server', peer, '--json']);
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout)).toMatchObject({ error: expect.stringMatching(new RegExp(`^${peer} is not a quorumq client port`)), server: peer });
  });

  it('the metrics port: named as a metrics port, for unary calls and for a subscription', async () => {
    const metrics = c.node(1).metrics;
    const want = `quorumq: ${metrics} is not a quorumq client port: it is a node's metrics port (HTTP: /metrics, /healthz, /readyz)`;
    const r = await c.cli(['get', 'k', '--server', metrics]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(want);
    expect(r.stderr).not.toMatch(/Protocol error/);
    // --follow does not retry a port that does not speak gRPC.
    const f = await c.cli(['read', 'orders', '--follow', '--server', metrics]);
    expect(f.code).toBe(1);
    expect(f.stderr.trim()).toBe(want);
  });

  it('a wrong port first in --server: the next server answers', async () => {
    const n = c.node(1);
    const r = await c.cli(['put', 'k', 'v', '--server', `${n.peer},${n.metrics},${n.client}`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const g = await c.cli(['get', 'k', '--server', `${n.peer},${n.client}`, '--json']);
    expect(JSON.parse(g.stdout)).toMatchObject({ key: 'k', found: true, value: 'v' });
  });
});

describe('quorumq --version', () => {
  it('prints the version of package.json', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const r = await c.cli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`quorumq ${pkg.version}\n`);
  });
});
