import { afterEach, describe, expect, it } from 'vitest';
import { NotLeaderError } from '../core/errors.js';
import { seededRandom } from '../core/testing/cluster.js';
import type { Entry, NodeId } from '../core/types.js';
import type { StateMachine } from './env.js';
import { ReplicaHost } from './replica-host.js';
import { MemoryGroupLog } from './testing/memory-group-log.js';
import { until } from './testing/until.js';
import { MemoryNetwork } from './testing/memory-transport.js';

/** Appends every command to a list; the result is the list's length. */
class ListMachine implements StateMachine<number> {
  items: string[] = [];
  apply(e: Entry): number {
    this.items.push(new TextDecoder().decode(e.data));
    return this.items.length;
  }
  snapshot(): Uint8Array {
    return new TextEncoder().encode(JSON.stringify(this.items));
  }
  restore(data: Uint8Array): void {
    this.items = JSON.parse(new TextDecoder().decode(data)) as string[];
  }
}

interface Member {
  host: ReplicaHost<number>;
  log: MemoryGroupLog;
  machine: ListMachine;
}

const hosts: ReplicaHost<number>[] = [];
afterEach(async () => {
  for (const h of hosts.splice(0)) await h.stop();
});

type MemberOpts = { snapshotEvery?: number; compactKeep?: number; commitNoticeMs?: number; heartbeatTicks?: number };

function cluster(ids: NodeId[], opts: MemberOpts = {}): { net: MemoryNetwork; members: Map<NodeId, Member> } {
  const net = new MemoryNetwork();
  const members = new Map<NodeId, Member>();
  for (const id of ids) members.set(id, member(net, id, new MemoryGroupLog(0, { voters: ids, learners: [] }), opts));
  return { net, members };
}

function member(net: MemoryNetwork, id: NodeId, log: MemoryGroupLog, opts: MemberOpts = {}): Member {
  const machine = new ListMachine();
  const transport = net.transport(id);
  const host = new ReplicaHost<number>({ id, group: 0, log, transport, machine, random: seededRandom(id), tickMs: 5, electionTicks: 10, heartbeatTicks: 2, ...opts });
  transport.listen({
    message: (m) => host.step(m),
    unreachable: (p) => host.reportUnreachable(p),
    snapshotDone: (_g, p, ok) => host.reportSnapshot(p, ok),
  });
  host.start();
  hosts.push(host);
  return { host, log, machine };
}

const leaderOf = (members: Map<NodeId, Member>, except: NodeId[] = []): NodeId | undefined =>
  [...members.entries()].find(([id, m]) => !except.includes(id) && m.host.isLeader)?.[0];

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('the replica host', () => {
  it('elects a leader, replicates proposals and answers each with its result', async () => {
    const { members } = cluster([1, 2, 3]);
    const leader = await until(() => leaderOf(members), 'a leader');
    const h = members.get(leader)!.host;
    const results = await Promise.all(['a', 'b', 'c'].map((s) => h.propose(enc(s))));
    expect(results.map((r) => r.result)).toEqual([1, 2, 3]);
    await until(() => [...members.values()].every((m) => m.machine.items.length === 3), 'every node applied');
    for (const m of members.values()) expect(m.machine.items).toEqual(['a', 'b', 'c']);
  });

  it('persists before it acknowledges, and a burst of proposals shares few writes (group commit)', async () => {
    const { members } = cluster([1, 2, 3]);
    const leader = await until(() => leaderOf(members), 'a leader');
    const m = members.get(leader)!;
    const before = m.log.syncs;
    const N = 500;
    await Promise.all(Array.from({ length: N }, (_, i) => m.host.propose(enc(`v${i}`))));
    // Every proposal is durable on the leader, and far fewer syncs than entries were needed.
    expect(m.log.lastIndex()).toBeGreaterThanOrEqual(N);
    expect(m.log.syncs - before).toBeLessThan(N / 10);
  });

  it('refuses proposals on a follower with the leader hint', async () => {
    const { members } = cluster([1, 2, 3]);
    const leader = await until(() => leaderOf(members), 'a leader');
    const follower = [...members.keys()].find((id) => id !== leader)!;
    await until(() => members.get(follower)!.host.currentLeader === leader, 'the follower to know the leader');
    expect(() => members.get(follower)!.host.propose(enc('x'))).toThrow(NotLeaderError);
  });

  it('serves a linearizable read barrier on a follower', async () => {
    const { members } = cluster([1, 2, 3]);
    const leader = await until(() => leaderOf(members), 'a leader');
    const r = await members.get(leader)!.host.propose(enc('w'));
    const follower = [...members.keys()].find((id) => id !== leader)!;
    const fh = members.get(follower)!.host;
    await until(() => fh.currentLeader === leader, 'the follower to know the leader');
    const idx = await fh.readBarrier();
    expect(idx).toBeGreaterThanOrEqual(r.index);
    expect(fh.applied).toBeGreaterThanOrEqual(r.index);
    expect(members.get(follower)!.machine.items).toContain('w');
  });

  it('elects a new leader when the leader is cut off, and keeps committing', async () => {
    const { net, members } = cluster([1, 2, 3]);
    const old = await until(() => leaderOf(members), 'a leader');
    await members.get(old)!.host.propose(enc('before'));
    net.down.add(old);
    const next = await until(() => leaderOf(members, [old]), 'a new leader');
    expect(next).not.toBe(old);
    const r = await members.get(next)!.host.propose(enc('after'));
    expect(r.result).toBe(2);
    net.down.delete(old);
    await until(() => members.get(old)!.machine.items.length === 2, 'the old leader to catch up');
    expect(members.get(old)!.machine.items).toEqual(['before', 'after']);
  });

  it('snapshots, compacts, and brings a new member up from the snapshot', async () => {
    const { net, members } = cluster([1, 2, 3], { snapshotEvery: 50, compactKeep: 10 });
    const leader = await until(() => leaderOf(members), 'a leader');
    const lh = members.get(leader)!;
    await Promise.all(Array.from({ length: 200 }, (_, i) => lh.host.propose(enc(`v${i}`))));
    await until(() => lh.log.firstIndex() > 1, 'the leader to compact its log');
    // Node 4 starts empty and is added as a learner: the log it needs is gone, so it gets the snapshot.
    const m4 = member(net, 4, new MemoryGroupLog(0, { voters: [], learners: [] }));
    members.set(4, m4);
    await lh.host.proposeConfChange({ type: 1, node: 4 });
    await until(() => m4.machine.items.length === 200, 'node 4 to restore and catch up');
    expect(m4.machine.items[199]).toBe('v199');
    expect(m4.log.snapshot().meta.index).toBeGreaterThan(0);
  });

  it('keeps its followers quiet while its own disk stalls for longer than an election timeout', async () => {
    const { members } = cluster([1, 2, 3]);
    const leader = await until(() => leaderOf(members), 'a leader');
    const m = members.get(leader)!;
    const term = m.host.status().term;
    // Election timeout is 10-20 ticks of 5 ms; stall the leader's next write for 250 ms.
    m.log.stallNextMs = 250;
    const r = await m.host.propose(enc('slow'));
    expect(r.result).toBe(1);
    for (const x of members.values()) expect(x.host.status().term).toBe(term);
    expect(m.host.isLeader).toBe(true);
  });

  it('confirms a committed entry it already stored without waiting for the next write (applied while that write is in flight)', async () => {
    const { members } = cluster([1, 2, 3]);
    const leader = await until(() => leaderOf(members), 'a leader');
    const m = members.get(leader)!;
    const target = m.host.status().lastIndex + 1;
    // A commit index is written only along with entries, so have a proposal
    // arrive with the first acknowledgement of the target: the leader's next
    // Ready both commits the target and writes the new entry. Stall that write
    // far longer than a round trip (long enough that a loaded machine's
    // slowness cannot be mistaken for it): the confirm must not wait for it.
    const step = m.host.step.bind(m.host);
    let proposedNext = false;
    m.host.step = (msg) => {
      if (!proposedNext && msg.type === 'app-resp' && !msg.reject && msg.index >= target) {
        proposedNext = true;
        m.host.propose(enc('next')).catch(() => undefined);
      }
      step(msg);
    };
    const persist = m.log.persist.bind(m.log);
    let stalled = false;
    m.log.persist = async (req, sync) => {
      if (!stalled && req.hardState && req.hardState.commit >= target) {
        stalled = true;
        await new Promise((r) => setTimeout(r, 4000));
      }
      await persist(req, sync);
    };
    const t0 = Date.now();
    const r = await m.host.propose(enc('quick'));
    expect(r.index).toBe(target);
    expect(stalled).toBe(true);
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(m.machine.items).toContain('quick');
  });

  it('answers a proposal an old leader made before it was cut off once a newer leader\'s shorter log replaces it (outcome unknown), without waiting for the log to grow past it', async () => {
    const { net, members } = cluster([1, 2, 3]);
    const old = await until(() => leaderOf(members), 'a leader');
    await members.get(old)!.host.propose(enc('before'));
    net.down.add(old);
    // Three entries the others never see: the new leader's log ends below them.
    const outcomes: string[] = [];
    for (const v of ['x', 'y', 'z']) {
      members
        .get(old)!
        .host.propose(enc(v))
        .then(
          () => outcomes.push('applied'),
          (e: unknown) => outcomes.push((e as Error).name),
        );
    }
    const next = await until(() => leaderOf(members, [old]), 'a new leader');
    net.down.delete(old);
    await until(() => !members.get(old)!.host.isLeader && members.get(old)!.host.currentLeader === next, 'the old leader to follow the new one');
    // Nothing more is written: before, the three waited until entries reached their indexes.
    await until(() => outcomes.length === 3, 'the lost proposals to be answered');
    expect(outcomes).toEqual(['OutcomeUnknownError', 'OutcomeUnknownError', 'OutcomeUnknownError']);
  });

  /** Three members with heartbeats far apart (8 of 10 election ticks), so only appends carry a commit within the notice delay; one proposal applied. */
  async function noticeCluster(commitNoticeMs: number) {
    const { net, members } = cluster([1, 2, 3], { commitNoticeMs, heartbeatTicks: 8 });
    const leader = await until(() => leaderOf(members), 'a leader');
    const h = members.get(leader)!.host;
    await h.propose(enc('warm'));
    return { net, members, leader, h, from: net.sent.length };
  }

  it('holds a commit notice for the next append to carry: sequential proposals leave no notice of their own', async () => {
    const { net, members, leader, h, from } = await noticeCluster(1000);
    for (const v of ['a', 'b', 'c', 'd']) await h.propose(enc(v));
    const notices = net.sent.slice(from).filter((m) => m.from === leader && m.type === 'app' && m.noReply === true);
    expect(notices).toEqual([]);
    // The last commit reaches the followers anyway: by the next heartbeat, or the held notice.
    await until(() => [...members.values()].every((m) => m.machine.items.length === 5), 'every node applied the last proposal');
  });

  it('sends a held commit notice on its own once no append or heartbeat carried it within the delay', async () => {
    const { net, members, leader, h, from } = await noticeCluster(1);
    await h.propose(enc('alone'));
    await until(() => net.sent.slice(from).some((m) => m.from === leader && m.type === 'app' && m.noReply === true), 'a notice sent on its own');
    await until(() => [...members.values()].every((m) => m.machine.items.includes('alone')), 'every node applied it');
  });

  it('fails waiting proposals with an unknown outcome on stop, never as failed', async () => {
    const { net, members } = cluster([1, 2, 3]);
    const leader = await until(() => leaderOf(members), 'a leader');
    for (const id of members.keys()) if (id !== leader) net.down.add(id);
    const p = members.get(leader)!.host.propose(enc('lost?'));
    const settled = p.then(
      () => undefined,
      (e: unknown) => e,
    );
    await members.get(leader)!.host.stop();
    expect(await settled).toMatchObject({ name: 'OutcomeUnknownError' });
  });
});
