// Rebalancing a partitioned queue's groups on a real cluster, as a user does it:
// a node killed and restarted leaves its groups' leadership on the others
// until `quorumq cluster rebalance` spreads them back one per node, with no
// message lost; a fourth node added joins every data group (a learner, then
// a voter, in each group's own Raft membership); a node removed leaves every
// data group, the queue keeps serving, and after a rebalance the new node
// leads a group of its own.

import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterStatusResponse__Output } from '../../proto/generated/quorumq/v1/ClusterStatusResponse.js';
import type { BrokerPool } from '../../broker/cli/client.js';
import { LocalCluster, waitFor } from './cluster.js';
import { Consumer } from './queues-client.js';
import { body, closeRawClients } from './streams-client.js';

interface RebalanceResult {
  done: boolean;
  moves: Array<{ group: number; from: number; to: number }>;
  nodes: Array<{ id: number; before: number; planned: number; after: number }>;
}

describe('rebalancing a partitioned queue\'s leaders and replicas', () => {
  let c: LocalCluster;
  const consumers: Consumer[] = [];
  const servers = (ids: number[]): string => ids.map((id) => c.node(id).client).join(',');

  /** Data groups led per node, every node of `ids` listed. */
  const leaders = (st: ClusterStatusResponse__Output, ids: number[]): number[] => ids.map((id) => st.groups.filter((g) => g.leader === id).length);

  /** Publish, again while a partition's group has no leader (nothing was applied then). */
  const publish = async (pool: BrokerPool, tags: string[]): Promise<void> => {
    const until = Date.now() + 30_000;
    for (;;) {
      try {
        expect((await pool.call<{ count: number }>('Publish', { queue: 'orders', messages: tags.map((t) => ({ body: body(t) })) })).count).toBe(tags.length);
        return;
      } catch (e) {
        const err = e as grpc.ServiceError;
        const notApplied = err.metadata?.get('x-quorumq-outcome')[0] === 'not-applied' || /not applied/.test(err.details ?? '');
        if (err.code !== grpc.status.UNAVAILABLE || !notApplied || Date.now() > until) throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };

  /** Consume and ack until `want` messages came, through node `via`; the bodies, sorted. */
  const consumeAll = async (via: number, want: number): Promise<string[]> => {
    const k = new Consumer(c.node(via).client, 'orders', 50);
    consumers.push(k);
    let acked = 0;
    while (acked < want) {
      await waitFor(`delivery ${acked + 1} of ${want}`, () => k.deliveries.length > acked || k.error !== undefined || k.ended !== undefined, 30_000);
      expect(k.error ?? k.ended).toBeUndefined();
      const fresh = k.deliveries.slice(acked).map((x) => Number(x.tag));
      acked += fresh.length;
      expect(await k.settle({ ack: fresh })).toEqual([]);
    }
    k.cancel();
    return k.bodies().sort();
  };

  const rebalance = async (ids: number[]): Promise<RebalanceResult> => {
    const r = await c.cli(['cluster', 'rebalance', '--json', '--server', servers(ids)], 150_000);
    expect(r.code, r.stderr).toBe(0);
    // Progress goes to stderr, the result to stdout.
    expect(r.stderr).toMatch(/groups led by their planned node/);
    return JSON.parse(r.stdout) as RebalanceResult;
  };

  beforeAll(async () => {
    c = await LocalCluster.create(3);
    await c.startAll();
    await c.waitForLeader();
  }, 60_000);

  afterAll(async () => {
    for (const k of consumers) k.cancel();
    closeRawClients();
    await c?.destroy();
  });

  it('after a node is killed and restarted, rebalance spreads the leaders back to one per node and no message is lost', async () => {
    const d = await c.cli(['queue', 'declare', 'orders', '--partitions', '3', '--server', servers([1, 2, 3])]);
    expect(d.code, d.stderr).toBe(0);
    await waitFor('a leader per group on three different nodes', async () => new Set((await c.status()).groups.map((g) => g.leader)).size === 3 && !(await c.status()).groups.some((g) => !g.leader), 30_000);
    const pool = c.client([1, 2, 3], 10_000);
    await publish(pool, Array.from({ length: 30 }, (_, i) => `a${String(i).padStart(2, '0')}`));

    // Node 3 dies: the group it led elects a leader among 1 and 2, which then lead all three.
    expect(await c.stopNode(3, 'SIGKILL')).toBe('SIGKILL');
    await waitFor(
      'every group led by node 1 or 2',
      async () => {
        const st = await c.status(1);
        return st.groups.every((g) => g.leader === 1 || g.leader === 2) ? st : undefined;
      },
      30_000,
    );
    const piled = leaders(await c.status(1), [1, 2, 3]);
    expect(piled[2]).toBe(0);
    expect(Math.max(...piled)).toBe(2);
    await publish(c.client([1, 2], 10_000), Array.from({ length: 30 }, (_, i) => `b${String(i).padStart(2, '0')}`));

    const back = await c.startNode(3);
    expect(back.exitCode, back.stderr).toBeUndefined();
    await waitFor('node 3 hosts its three groups again', async () => (await c.status(1)).members.find((m) => m.id === 3)?.groups === 4, 30_000);
    const r = await rebalance([1, 2, 3]);
    expect(r.done).toBe(true);
    expect(r.nodes.map((n) => [n.id, n.after])).toEqual([
      [1, 1],
      [2, 1],
      [3, 1],
    ]);
    // As `cluster status` shows it.
    const human = await c.cli(['cluster', 'status', '--server', servers([1, 2, 3])]);
    expect(human.stdout).toMatch(/leaders per node: 1:1 2:1 3:1/);

    const got = await consumeAll(1, 60);
    expect(got).toEqual([...Array.from({ length: 30 }, (_, i) => `a${String(i).padStart(2, '0')}`), ...Array.from({ length: 30 }, (_, i) => `b${String(i).padStart(2, '0')}`)].sort());
  }, 180_000);

  it('a fourth node joins every data group; a removed node leaves them all, the queue keeps serving, and the new node leads after a rebalance', async () => {
    const n4 = await c.allocate(4);
    const started = await c.startNode(4, ['--join']);
    expect(started.exitCode, started.stderr).toBeUndefined();
    const add = await c.cli(['cluster', 'add-node', '4', '--peer', n4.peer, '--client', n4.client, '--server', servers([1, 2, 3])], 60_000);
    expect(add.code, add.stderr).toBe(0);
    await waitFor(
      'node 4 a voter of every data group',
      async () => {
        const st = await c.status(1);
        return st.groups.length === 3 && st.groups.every((g) => g.members.join() === '1,2,3,4' && g.voters.join() === '1,2,3,4') ? st : undefined;
      },
      60_000,
    );
    await publish(c.client([4], 10_000), Array.from({ length: 10 }, (_, i) => `c${i}`));

    const rm = await c.cli(['cluster', 'remove-node', '1', '--server', servers([2, 3, 4])], 60_000);
    expect(rm.code, rm.stderr).toBe(0);
    await waitFor(
      'node 1 out of every data group',
      async () => {
        const st = await c.status(2);
        return st.groups.every((g) => g.members.join() === '2,3,4' && g.voters.join() === '2,3,4' && g.leader !== 1 && g.leader !== 0) ? st : undefined;
      },
      60_000,
    ).catch(async (e: Error) => {
      throw new Error(`${e.message}; status: ${JSON.stringify((await c.status(2)).groups)}\nnode 1:\n${c.logTail(1, 30)}\nnode 2:\n${c.logTail(2, 30)}`);
    });
    // Node 1 is gone for good: the groups' quorums are among 2, 3 and 4.
    await c.stopNode(1, 'SIGKILL');
    await publish(c.client([2, 3, 4], 10_000), Array.from({ length: 10 }, (_, i) => `d${i}`));

    const r = await rebalance([2, 3, 4]);
    expect(r.done).toBe(true);
    expect(r.nodes.filter((n) => n.id !== 1).map((n) => [n.id, n.after])).toEqual([
      [2, 1],
      [3, 1],
      [4, 1],
    ]);
    expect(leaders(await c.status(4), [2, 3, 4])).toEqual([1, 1, 1]);
    const got = await consumeAll(4, 20);
    expect(got).toEqual([...Array.from({ length: 10 }, (_, i) => `c${i}`), ...Array.from({ length: 10 }, (_, i) => `d${i}`)].sort());
  }, 240_000);
});
