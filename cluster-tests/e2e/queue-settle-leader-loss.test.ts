// A consumer's settle when leadership moves from under it, on a real
// three-node cluster. The consumer is attached to the leader, which proposes
// its settle itself; the leader is then cut off (iptables, both directions),
// the others elect a new leader whose log ends below that proposal, and the
// link heals before anything else is written. The settle must still end with
// an answer within its deadline: before, the old leader waited for an entry
// to be applied at the proposal's index, which in a quiet cluster (the
// consumer, its settle unconfirmed, has no room for more) did not come for as
// long as the call lasted (the pinned-queue scenario: over 60 s).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemberStatus__Output } from '../../proto/generated/quorumq/v1/MemberStatus.js';
import type { QueueInfoResponse__Output } from '../../proto/generated/quorumq/v1/QueueInfoResponse.js';
import type { BrokerPool } from '../../broker/cli/client.js';
import { LocalCluster, waitFor } from './cluster.js';
import { Links } from './faults.js';
import { Consumer } from './queues-client.js';
import { body, closeRawClients, rawClient } from './streams-client.js';

describe('a settle proposed by a leader that loses leadership', () => {
  let c: LocalCluster;
  let links: Links;
  let pool: BrokerPool;
  let k: Consumer | undefined;

  beforeAll(async () => {
    c = await LocalCluster.create(3, { ownUids: true });
    links = new Links(c);
    await c.startAll();
    await c.waitForLeader();
    pool = c.client([1, 2, 3], 10_000);
  }, 60_000);

  afterAll(async () => {
    links?.teardown();
    k?.cancel();
    closeRawClients();
    await c?.destroy();
  });

  it('is answered within its deadline (sent on to the new leader: the ack takes effect, and says so)', async () => {
    const old = await c.waitForLeader();
    const others = [1, 2, 3].filter((id) => id !== old);
    await pool.call('DeclareQueue', { name: 'held', settings: {} });
    await pool.call('Publish', { queue: 'held', messages: [{ body: body('m0') }, { body: body('m1') }] });
    k = new Consumer(c.node(old).client, 'held', 1);
    await waitFor('the first delivery', () => k!.deliveries.length === 1);
    const lastIndex = async (): Promise<number> => Number((await c.status(old)).members.find((m: MemberStatus__Output) => m.id === old)!.lastIndex);
    const before = await lastIndex();

    for (const o of others) {
      links.cut(old, o);
      links.cut(o, old);
    }
    try {
      // An entry of its own first (a publish it will never commit), so that the
      // settle's entry lies beyond the end of the new leader's log.
      rawClient(c.node(old).client).Publish({ queue: 'held', messages: [{ body: body('lost?') }] }, { deadline: Date.now() + 20_000 }, () => undefined);
      // Both must reach the old leader before it notices it lost its quorum
      // (an election timeout): no condition can be awaited through a node cut
      // off, so a short pause orders them, and the log check below proves it.
      await new Promise((r) => setTimeout(r, 100));
      const answer = k.settle({ ack: [k.deliveries[0]!.tag] }, 25_000).then(
        (unknown) => ({ unknown }),
        (e: unknown) => ({ error: (e as Error).message }),
      );
      await waitFor('the old leader to propose the publish and the settle in two entries', async () => ((await lastIndex()) >= before + 2 ? true : undefined));
      await waitFor(
        'a new leader among the others',
        async () => {
          const s = await c.status(others[0]);
          return s.leader && s.leader !== old ? s.leader : undefined;
        },
        20_000,
      );
      links.heal();
      // Answered well within the 30 s a settle may take on the server, though nothing else is written.
      expect(await answer).toEqual({ unknown: [] });
    } finally {
      links.heal();
    }
    expect(k.error).toBeUndefined();
    // The ack took effect: the next message comes, and m0 is not delivered again.
    await waitFor('the next delivery', () => k!.deliveries.length === 2, 20_000);
    expect(k.bodies()).toEqual(['m0', 'm1']);
    const info = await pool.call<QueueInfoResponse__Output>('QueueInfo', { name: 'held' });
    expect(Number(info.acked)).toBe(1);
  }, 120_000);
});
