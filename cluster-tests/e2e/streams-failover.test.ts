// Streams when nodes fail: idempotent appends retried across a leader kill
// leave exactly one copy; a `local` read on a follower never shows an entry
// that is not committed; a subscriber that loses its node resumes on another
// with nothing missed or repeated.

import { afterEach, describe, expect, it } from 'vitest';
import type { AppendResponse__Output } from '../../proto/generated/quorumq/v1/AppendResponse.js';
import type { ReadResponse__Output } from '../../proto/generated/quorumq/v1/ReadResponse.js';
import type { ClusterStatusResponse__Output } from '../../proto/generated/quorumq/v1/ClusterStatusResponse.js';
import type { StreamMessage__Output } from '../../proto/generated/quorumq/v1/StreamMessage.js';
import { LocalCluster, waitFor } from './cluster.js';
import { appendMany, body, closeRawClients, subscribe } from './streams-client.js';

let c: LocalCluster | undefined;
afterEach(async () => {
  closeRawClients();
  for (const id of c ? [...c.nodes.keys()] : []) c!.node(id).proc?.kill('SIGCONT');
  await c?.destroy();
  c = undefined;
});

async function readAll(c: LocalCluster, via: number, stream: string, consistency: 'LOCAL' | 'LINEARIZABLE' = 'LINEARIZABLE'): Promise<StreamMessage__Output[]> {
  const out: StreamMessage__Output[] = [];
  const pool = c.client([via], 10_000);
  let from = 0;
  for (;;) {
    const r = await pool.call<ReadResponse__Output>('Read', { stream, fromOffset: from, maxMessages: 10_000, maxBytes: 4 << 20, consistency });
    out.push(...r.messages);
    if (r.messages.length === 0 || r.nextOffset >= r.endOffset) return out;
    from = r.nextOffset;
  }
}

describe('streams across failures', () => {
  it('an idempotent producer retrying across a leader kill leaves exactly one copy of every message', async () => {
    c = await LocalCluster.create(3);
    await c.startAll();
    const leader = await c.waitForLeader();
    const all = c.client([1, 2, 3], 1500);
    await all.call('DeclareStream', { name: 'pay', settings: {} });

    // A producer that retries every sequence until it is confirmed, on any node, on any error.
    const N = 300;
    const confirmed = new Map<number, AppendResponse__Output>();
    let duplicates = 0;
    let retries = 0;
    let killAt = 100;
    let killed: Promise<unknown> | undefined;
    const pools = [1, 2, 3].map((id) => c!.client([id], 1000));
    for (let seq = 1; seq <= N; seq++) {
      for (let attempt = 0; ; attempt++) {
        // The kill lands while this sequence's first attempt is at the leader: stored or not, the client cannot tell.
        const atKill = seq === killAt && attempt === 0;
        const pool = atKill ? pools[leader - 1]! : pools[(seq + attempt) % 3]!;
        if (atKill) setTimeout(() => (killed = c!.stopNode(leader, 'SIGKILL')), 2);
        try {
          const r = await pool.call<AppendResponse__Output>('Append', { stream: 'pay', producerId: 'p1', sequence: seq, messages: [{ body: body(`pay-${seq}`) }] }, 1000);
          if (r.duplicate) duplicates++;
          confirmed.set(seq, r);
          break;
        } catch (e) {
          retries++;
          if (attempt > 200) throw e;
          await new Promise((r) => setTimeout(r, 20));
        }
      }
      if (seq === killAt) killAt = -1;
    }
    await killed;
    // Deliberate retries of confirmed sequences on the new leader: the original offsets, nothing stored.
    const newLeader = await c.waitForLeader(20_000, [leader]);
    const viaNew = c.client([newLeader], 5000);
    for (const seq of [1, 99, 100, N]) {
      const r = await viaNew.call<AppendResponse__Output>('Append', { stream: 'pay', producerId: 'p1', sequence: seq, messages: [{ body: body(`pay-${seq}`) }] });
      expect(r).toMatchObject({ duplicate: true, firstOffset: confirmed.get(seq)!.firstOffset, count: 1 });
    }
    // A gap and a reuse beyond the window are clear errors.
    await expect(viaNew.call('Append', { stream: 'pay', producerId: 'p1', sequence: N + 5, messages: [{ body: body('gap') }] })).rejects.toMatchObject({
      details: expect.stringMatching(/next expected is 301: sequences must not skip/),
    });
    const msgs = await readAll(c, newLeader, 'pay');
    const bodies = msgs.map((m) => m.body.toString());
    console.log(`idempotent producer across a leader kill: ${retries} failed attempts retried, ${duplicates} retries answered as duplicates`);
    expect(bodies).toEqual(Array.from({ length: N }, (_, i) => `pay-${i + 1}`));
    expect(msgs.map((m) => m.offset)).toEqual(Array.from({ length: N }, (_, i) => i));
    for (const [seq, r] of confirmed) expect(r.firstOffset).toBe(seq - 1);
  }, 120_000);

  it('a local read on a follower never returns an entry that is not committed', async () => {
    c = await LocalCluster.create(3);
    await c.startAll();
    const leader = await c.waitForLeader();
    const [a, b] = [1, 2, 3].filter((id) => id !== leader) as [number, number];
    await c.client([leader]).call('DeclareStream', { name: 'ledger', settings: {} });
    // B is frozen: every commit now needs A's acknowledgement.
    c.node(b).proc!.kill('SIGSTOP');
    const viaA = c.client([a], 2000);
    const load = appendMany(c.node(leader).client, Array.from({ length: 4000 }, (_, i) => ({ stream: 'ledger', messages: [{ body: body(`e${i}`) }] })), 64).catch(() => []);
    const seen: StreamMessage__Output[][] = [];
    let statusAtFreeze: ClusterStatusResponse__Output | undefined;
    // Freeze the leader in the middle of the load: A is left with entries it may hold but cannot know are committed.
    await waitFor('some appends to land on A', async () => {
      const r = await viaA.call<ReadResponse__Output>('Read', { stream: 'ledger', fromOffset: 0, maxMessages: 1, consistency: 'LOCAL' });
      return r.endOffset > 500;
    });
    c.node(leader).proc!.kill('SIGSTOP');
    statusAtFreeze = await c.status(a);
    const self = statusAtFreeze.members.find((m) => m.id === a)!;
    for (let i = 0; i < 3; i++) seen.push(await readAll(c, a, 'ledger', 'LOCAL'));
    const atFreeze = await c.client([a]).call<ClusterStatusResponse__Output>('ClusterStatus', {});
    const aView = atFreeze.members.find((m) => m.id === a)!;
    console.log(`follower ${a} with the leader frozen: last index ${aView.lastIndex}, commit ${aView.commit}, applied ${aView.applied}; local read returned ${seen[0]!.length} messages`);
    expect(aView.applied).toBeLessThanOrEqual(aView.commit);
    expect(self.applied).toBeLessThanOrEqual(self.commit);
    // Everyone back; the cluster settles; whatever A served locally is in the committed stream, identically.
    c.node(leader).proc!.kill('SIGCONT');
    c.node(b).proc!.kill('SIGCONT');
    await load;
    await c.waitForLeader();
    const final = await readAll(c, b, 'ledger');
    for (const s of seen) {
      expect(s.length).toBeLessThanOrEqual(final.length);
      expect(s.map((m) => [m.offset, m.body.toString()])).toEqual(final.slice(0, s.length).map((m) => [m.offset, m.body.toString()]));
    }
    expect(final.map((m) => m.body.toString())).toEqual(final.map((_, i) => `e${i}`));
  }, 120_000);

  it('a subscriber that loses its node resumes on another from its last offset with nothing missed or repeated', async () => {
    c = await LocalCluster.create(3);
    await c.startAll();
    const leader = await c.waitForLeader();
    const [a, b] = [1, 2, 3].filter((id) => id !== leader) as [number, number];
    const viaLeader = c.client([leader], 5000);
    await viaLeader.call('DeclareStream', { name: 'ticks', settings: {} });
    const N = 2000;
    let stop = false;
    const producer = (async () => {
      for (let i = 0; i < N && !stop; i += 20) {
        await viaLeader.call('Append', { stream: 'ticks', messages: Array.from({ length: 20 }, (_, k) => ({ body: body(`t${i + k}`) })) });
      }
    })();
    const got: StreamMessage__Output[] = [];
    const s1 = subscribe(c.node(a).client, { stream: 'ticks', start: 'START_FIRST', credit: 1_000_000 });
    await waitFor('the first subscriber to get some messages', () => s1.messages.length >= 200);
    await c.stopNode(a, 'SIGKILL');
    await s1.closed;
    expect(s1.error).toBeDefined();
    got.push(...s1.messages);
    const resumeAt = got[got.length - 1]!.offset + 1;
    const s2 = subscribe(c.node(b).client, { stream: 'ticks', start: 'START_AT_OFFSET', offset: resumeAt, credit: 1_000_000 });
    await producer.finally(() => (stop = true));
    await waitFor('the second subscriber to reach the end', () => s2.messages.length > 0 && s2.messages[s2.messages.length - 1]!.offset === N - 1, 30_000);
    s2.cancel();
    got.push(...s2.messages);
    expect(got.map((m) => m.offset)).toEqual(Array.from({ length: N }, (_, i) => i));
    expect(got.map((m) => m.body.toString())).toEqual(Array.from({ length: N }, (_, i) => `t${i}`));
  }, 120_000);
});
