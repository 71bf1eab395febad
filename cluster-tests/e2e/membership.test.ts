// Membership through the real CLI: add a fourth node (learner, promoted once
// caught up), transfer leadership to it, remove another node; status shows it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterStatusResponse__Output } from '../../proto/generated/quorumq/v1/ClusterStatusResponse.js';
import { LocalCluster, waitFor } from './cluster.js';

describe('membership through the CLI', () => {
  let c: LocalCluster;
  let servers: string;

  beforeAll(async () => {
    // Frequent snapshots, so the node added later has to be brought up from one.
    c = await LocalCluster.create(3, { timing: ['--snapshot-every', '100'] });
    await c.startAll();
    await c.waitForLeader();
    servers = [1, 2, 3].map((id) => c.node(id).client).join(',');
  }, 60_000);

  afterAll(async () => {
    await c?.destroy();
  });

  const status = async (): Promise<ClusterStatusResponse__Output> => {
    const r = await c.cli(['cluster', 'status', '--json', '--server', servers]);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as ClusterStatusResponse__Output;
  };

  it('shows members, roles, indexes and the leader, as a table and as JSON', async () => {
    const s = await status();
    expect(s.leader).toBeGreaterThan(0);
    expect(s.members.map((m) => m.id)).toEqual([1, 2, 3]);
    expect(s.members.filter((m) => m.role === 'LEADER')).toHaveLength(1);
    const t = await c.cli(['cluster', 'status', '--server', servers]);
    expect(t.stdout).toMatch(/ID\s+ROLE\s+VOTER\s+CLIENT/);
    expect(t.stdout).toMatch(/leader/);
  });

  it('writes through one node and reads from another with the CLI', async () => {
    const put = await c.cli(['put', 'color', 'blue', '--server', c.node(2).client]);
    expect(put.code, put.stderr).toBe(0);
    const get = await c.cli(['get', 'color', '--json', '--server', c.node(3).client]);
    expect(JSON.parse(get.stdout)).toMatchObject({ found: true, value: 'blue' });
  });

  it('adds a node as a learner and promotes it once caught up, then hands it leadership', async () => {
    // Some data first, so the new node has something to catch up on: one write
    // at a time, so each is its own entry and the log passes --snapshot-every
    // (concurrent writes share entries).
    const load = await c.cli(['load', '--count', '300', '--concurrency', '1', '--server', servers, '--json']);
    expect(load.code, load.stderr).toBe(0);
    const n4 = await c.allocate(4);
    const started = await c.startNode(4, ['--join']);
    expect(started.exitCode, started.stderr).toBeUndefined();
    const add = await c.cli(['cluster', 'add-node', '4', '--peer', n4.peer, '--client', n4.client, '--server', servers, '--json'], 60_000);
    expect(add.code, add.stderr + add.stdout).toBe(0);
    expect(JSON.parse(add.stdout).voters).toEqual([1, 2, 3, 4]);
    const all = `${servers},${n4.client}`;
    await waitFor('node 4 to serve the data (installed from a snapshot)', async () => {
      const r = await c.cli(['get', 'key-299', '--local', '--json', '--server', n4.client]);
      return r.code === 0 && JSON.parse(r.stdout).found === true;
    });
    expect(c.logTail(4, 500)).toMatch(/installed a snapshot from the leader/);
    const tr = await c.cli(['cluster', 'transfer-leader', '4', '--server', all]);
    expect(tr.code, tr.stderr).toBe(0);
    expect(tr.stdout).toMatch(/node 4 leads/);
    servers = all;
    const s = await status();
    expect(s.leader).toBe(4);
    expect(s.members.find((m) => m.id === 4)).toMatchObject({ voter: true, role: 'LEADER', clientAddress: n4.client });
  });

  it('removes a node, and refuses to add an existing member or remove a stranger', async () => {
    const rm = await c.cli(['cluster', 'remove-node', '1', '--server', servers, '--json']);
    expect(rm.code, rm.stderr).toBe(0);
    expect(JSON.parse(rm.stdout).voters).toEqual([2, 3, 4]);
    const again = await c.cli(['cluster', 'add-node', '2', '--peer', c.node(2).peer, '--server', servers]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/ALREADY_EXISTS: node 2 is already a voter/);
    const stranger = await c.cli(['cluster', 'remove-node', '42', '--server', servers]);
    expect(stranger.stderr).toMatch(/NOT_FOUND: node 42 is not a member/);
    const s = await status();
    expect(s.members.map((m) => m.id)).toEqual([2, 3, 4]);
  });
});

describe('adding a node while a node added earlier leads', () => {
  let c: LocalCluster | undefined;
  afterAll(async () => {
    await c?.destroy();
  });

  it('the newest node catches up from the start of the log, through memberships that do not name its leader', async () => {
    // Default snapshot settings: no snapshot is taken, so node 5 replays the log
    // from entry 1, where the members and address book are nodes 1-3 only.
    c = await LocalCluster.create(3);
    await c.startAll();
    await c.waitForLeader();
    let servers = [1, 2, 3].map((id) => c!.node(id).client).join(',');
    // 8 MiB first: node 5 is sent the log in many appends, and applies the old
    // memberships and address book long before the entries that add node 4.
    const load = await c.cli(['load', '--count', '2000', '--size', '4096', '--concurrency', '16', '--server', servers, '--json'], 60_000);
    expect(load.code, load.stderr).toBe(0);
    const add = async (id: number): Promise<void> => {
      const n = await c!.allocate(id);
      const started = await c!.startNode(id, ['--join']);
      expect(started.exitCode, started.stderr).toBeUndefined();
      const r = await c!.cli(['cluster', 'add-node', String(id), '--peer', n.peer, '--client', n.client, '--server', servers, '--json'], 60_000);
      expect(r.code, r.stderr + r.stdout).toBe(0);
      servers = `${servers},${n.client}`;
    };
    await add(4);
    const tr = await c.cli(['cluster', 'transfer-leader', '4', '--server', servers]);
    expect(tr.code, tr.stderr).toBe(0);
    await add(5);
    const put = await c.cli(['put', 'after', 'five', '--server', servers]);
    expect(put.code, put.stderr).toBe(0);
    await waitFor('node 5 to serve the newest write', async () => {
      const r = await c!.cli(['get', 'after', '--local', '--json', '--server', c!.node(5).client]);
      return r.code === 0 && JSON.parse(r.stdout).found === true;
    });
  }, 120_000);
});
