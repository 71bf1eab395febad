// What a client sees when the link between a follower and the leader fails,
// on a real three-node cluster whose nodes run under their own uids so one
// node's packets can be dropped (iptables, as deploy/chaos does):
//   * a client deadline carries through forwarding, and a forwarded append
//     whose deadline passed while the link was cut is never stored, also
//     when the held-up request reaches the leader after the link heals;
//   * every UNAVAILABLE and DEADLINE_EXCEEDED carries the x-quorumq-outcome
//     trailer, and a request that never left the follower says not-applied —
//     which the log then confirms.

import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadResponse__Output } from '../../proto/generated/quorumq/v1/ReadResponse.js';
import type { BrokerPool } from '../../broker/cli/client.js';
import { LocalCluster, waitFor } from './cluster.js';
import { Links } from './faults.js';
import { body, closeRawClients, rawClient } from './streams-client.js';

interface Answer {
  readonly code: string;
  readonly details: string;
  /** The x-quorumq-outcome trailer, when the answer came from a node. */
  readonly outcome: string | undefined;
  readonly ms: number;
}

/** One Append straight to `addr` with a deadline of `ms`. */
function append(addr: string, stream: string, value: string, ms: number): Promise<Answer> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    rawClient(addr).Append({ stream, messages: [{ body: body(value) }] }, { deadline: t0 + ms }, (err) => {
      resolve({
        code: grpc.status[err ? err.code : grpc.status.OK],
        details: err?.details ?? '',
        outcome: err?.metadata?.get('x-quorumq-outcome')[0]?.toString(),
        ms: Date.now() - t0,
      });
    });
  });
}

describe('outcomes and deadlines across a failing follower-to-leader link', () => {
  let c: LocalCluster;
  let links: Links;
  let pool: BrokerPool;

  /** The stream's bodies, read linearizably from the leader. */
  const stored = async (stream: string): Promise<string[]> => {
    const r = await pool.call<ReadResponse__Output>('Read', { stream, fromOffset: 0, maxMessages: 10_000 });
    return r.messages.map((m) => m.body.toString());
  };

  beforeAll(async () => {
    c = await LocalCluster.create(3, { ownUids: true });
    links = new Links(c);
    await c.startAll();
    await c.waitForLeader();
    pool = c.client([1, 2, 3], 10_000);
  }, 60_000);

  afterAll(async () => {
    links?.teardown();
    closeRawClients();
    await c?.destroy();
  });

  it('an append through a follower cut off from the leader ends at the client deadline and is never stored, even after the link heals', async () => {
    const leader = await c.waitForLeader();
    const f = [1, 2, 3].find((id) => id !== leader)!;
    await pool.call('DeclareStream', { name: 'deadline', settings: {} });
    await waitFor('the follower to have the stream', async () => (await append(c.node(f).client, 'deadline', 'first', 5000)).code === 'OK');

    links.cut(f, leader);
    let late: Answer;
    try {
      late = await append(c.node(f).client, 'deadline', 'late', 1000);
      // Hold the cut a while longer, as in the report: the request sits in the follower's socket.
      await new Promise((r) => setTimeout(r, 1500));
    } finally {
      links.heal();
    }
    expect(late.code).toBe('DEADLINE_EXCEEDED');
    expect(late.ms).toBeLessThan(1500);
    // The follower answered (before the client's own deadline), and it cannot know.
    expect(late.outcome).toBe('unknown');
    expect(late.details).toMatch(/may or may not have been applied/);

    // The link works again: a write through the same follower (behind the held-up one on the same connection).
    await waitFor('a write through the follower after the heal', async () => (await append(c.node(f).client, 'deadline', 'after', 3000)).code === 'OK', 30_000);
    const bodies = await stored('deadline');
    expect(bodies).toContain('after');
    expect(bodies).not.toContain('late');
  }, 60_000);

  it('a follower that cannot connect to the leader says the write was not applied, and it was not', async () => {
    const leader = await c.waitForLeader();
    const f = [1, 2, 3].find((id) => id !== leader)!;
    await pool.call('DeclareStream', { name: 'refused', settings: {} });
    await waitFor('the follower to have the stream', async () => (await append(c.node(f).client, 'refused', 'first', 5000)).code === 'OK');

    const answers: Array<Answer & { value: string }> = [];
    links.refuse(f, leader);
    try {
      let k = 0;
      await waitFor(
        'a forward refused at connect',
        async () => {
          const value = `r${k++}`;
          const a = { ...(await append(c.node(f).client, 'refused', value, 3000)), value };
          answers.push(a);
          return /cannot connect/.test(a.details);
        },
        20_000,
        50,
      );
    } finally {
      links.heal();
    }
    for (const a of answers.filter((x) => x.code !== 'OK')) {
      expect(['UNAVAILABLE', 'DEADLINE_EXCEEDED']).toContain(a.code);
      expect(['not-applied', 'unknown']).toContain(a.outcome);
      expect(a.details).not.toMatch(/Resolution note:\s*($|\))/);
    }
    const refused = answers.filter((a) => /cannot connect/.test(a.details));
    expect(refused.length).toBeGreaterThan(0);
    for (const a of refused) {
      expect(a).toMatchObject({ code: 'UNAVAILABLE', outcome: 'not-applied' });
      expect(a.details).toMatch(/never left node \d+, so it was not applied/);
      expect(a.details).not.toMatch(/unknown/);
    }
    await waitFor('a write through the follower after the heal', async () => (await append(c.node(f).client, 'refused', 'after', 3000)).code === 'OK', 30_000);
    const bodies = await stored('refused');
    for (const a of answers) if (a.outcome === 'not-applied') expect(bodies).not.toContain(a.value);
  }, 60_000);
});
