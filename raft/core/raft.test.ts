// Scenario tests of the algorithm, named after the rules of the Raft paper
// (and the dissertation's PreVote, CheckQuorum and leadership transfer) that
// each one proves.

import { describe, expect, it } from 'vitest';
import { decodeConfChange } from './confchange.js';
import { ConfChangeInProgressError, InvalidConfChangeError, NotLeaderError, TransferInProgressError } from './errors.js';
import { MemoryStorage } from './memory-storage.js';
import { RaftLog } from './raft-log.js';
import { UNAVAILABLE } from './storage.js';
import { TestCluster, utf8 } from './testing/cluster.js';
import type { Entry } from './types.js';
import { ConfChangeType, EntryType } from './types.js';

function commitAll(c: TestCluster): void {
  // Propagate commit through a heartbeat round too.
  c.stabilize();
  const l = c.leader();
  if (l) {
    c.tick(l);
    c.stabilize();
  }
}

describe('leader election', () => {
  it('a cluster elects exactly one leader and the others follow it', () => {
    const c = new TestCluster([1, 2, 3]);
    const l = c.electLeader();
    const statuses = [1, 2, 3].map((id) => c.get(id).node.status());
    expect(statuses.filter((s) => s.role === 'leader')).toHaveLength(1);
    for (const s of statuses) expect(s.leader).toBe(l);
    expect(new Set(statuses.map((s) => s.term)).size).toBe(1);
  });

  it('a voter grants at most one vote per term and persists it before answering', () => {
    const c = new TestCluster([1, 2, 3], { preVote: false });
    c.get(1).node.campaign();
    c.processReady(1);
    const votes = c.queue.filter((m) => m.type === 'vote');
    expect(votes).toHaveLength(2);
    c.deliver();
    const rd = c.get(2).node.ready();
    expect(rd.hardState?.vote).toBe(1);
    expect(rd.messages).toHaveLength(0);
    expect(rd.persistedMessages.map((m) => m.type)).toEqual(['vote-resp']);
    expect(rd.mustSync).toBe(true);
  });

  it('a voter refuses a candidate whose log is less up to date than its own', () => {
    const c = new TestCluster([1, 2, 3]);
    const l = c.electLeader();
    c.get(l).node.propose(utf8('x'));
    const other = [1, 2, 3].find((id) => id !== l)!;
    c.isolate(other);
    commitAll(c);
    c.heal();
    // The isolated node (shorter log) campaigns without PreVote's protection.
    c.get(other).node.campaign();
    c.stabilize();
    expect(c.get(other).node.status().role).not.toBe('leader');
  });

  it('PreVote: a node returning from a partition does not depose a healthy leader', () => {
    const c = new TestCluster([1, 2, 3]);
    const l = c.electLeader();
    const other = [1, 2, 3].find((id) => id !== l)!;
    const term = c.get(l).node.status().term;
    c.isolate(other);
    for (let i = 0; i < 100; i++) {
      c.tick();
      c.stabilize();
    }
    // Pre-votes never succeed in isolation, so its term never moved.
    expect(c.get(other).node.status().term).toBe(term);
    c.heal();
    for (let i = 0; i < 20; i++) {
      c.tick();
      c.stabilize();
    }
    expect(c.leader()).toBe(l);
    expect(c.get(l).node.status().term).toBe(term);
  });

  it('CheckQuorum: a leader that has not heard from a majority for an election timeout steps down', () => {
    const c = new TestCluster([1, 2, 3]);
    const l = c.electLeader();
    c.isolate(l);
    for (let i = 0; i < 25; i++) {
      c.tick(l);
      c.stabilize();
    }
    expect(c.get(l).node.status().role).toBe('follower');
    expect(c.get(l).node.status().elections.checkQuorum).toBe(1);
  });

  it('counts the elections it starts by cause: timeouts, transfers, and its host\'s campaign()', () => {
    const c = new TestCluster([1, 2, 3]);
    const l = c.electLeader();
    const by = (id: number) => c.get(id).node.status().elections;
    // Whoever won started at least one election for want of a leader; nobody was asked or handed over to.
    expect([1, 2, 3].reduce((n, id) => n + by(id).timeout, 0)).toBeGreaterThanOrEqual(1);
    const target = [1, 2, 3].find((id) => id !== l)!;
    c.get(l).node.transferLeader(target);
    c.stabilize();
    expect(c.leader()).toBe(target);
    expect(by(target).transfer).toBe(1);
    const third = [1, 2, 3].find((id) => id !== l && id !== target)!;
    c.get(third).node.campaign();
    expect(by(third).manual).toBe(1);
    // A leader asked to campaign starts nothing.
    c.get(target).node.campaign();
    expect(by(target).manual).toBe(0);
  });

  it('a single-voter cluster elects itself and commits alone', () => {
    const c = new TestCluster([1]);
    expect(c.electLeader()).toBe(1);
    c.get(1).node.propose(utf8('solo'));
    c.stabilize();
    expect(c.appliedData(1)).toEqual(['solo']);
  });
});

/** One round, no tick: the leader's appends out, the followers' acknowledgements back, the leader's next Ready (its commit notices) queued. */
function appendRound(c: TestCluster, leader: number, followers: readonly number[]): void {
  c.processReady(leader);
  c.deliver();
  for (const f of followers) c.processReady(f);
  c.deliver();
  c.processReady(leader);
}

describe('log replication', () => {
  it('every proposal is applied on every node, in one order', () => {
    const c = new TestCluster([1, 2, 3, 4, 5]);
    const l = c.electLeader();
    for (let i = 0; i < 200; i++) c.get(l).node.propose(utf8(`m${i}`));
    commitAll(c);
    const want = [...Array(200)].map((_, i) => `m${i}`);
    for (const id of [1, 2, 3, 4, 5]) expect(c.appliedData(id)).toEqual(want);
  });

  it('a new commit index reaches followers with nothing else coming at once, and no follower writes it alone', () => {
    const c = new TestCluster([1, 2, 3]);
    const l = c.electLeader();
    commitAll(c);
    const followers = [1, 2, 3].filter((id) => id !== l);
    c.get(l).node.propose(utf8('a'));
    c.stabilize(); // no tick: appends, their answers, and the commit that follows them
    for (const id of [1, 2, 3]) expect(c.appliedData(id)).toEqual(['a']);
    // The followers applied 'a' without a write of the commit index that covers it.
    for (const id of followers) {
      expect(c.get(id).storage.initialState().hardState.commit).toBeLessThan(c.get(id).node.status().commit);
    }
    // Under load the commit rides on the appends that leave anyway: proposals in
    // one Ready leave in one append per follower, carrying the newest commit.
    c.get(l).node.propose(utf8('b'));
    const rd = c.get(l).node.ready();
    expect(rd.messages.filter((m) => m.type === 'app')).toHaveLength(2);
    c.get(l).node.advance(rd);
  });

  it('a commit notice to a follower that holds everything it was sent is not answered; a rejected one is', () => {
    const c = new TestCluster([1, 2, 3]);
    const l = c.electLeader();
    commitAll(c);
    const [f1, f2] = [1, 2, 3].filter((id) => id !== l) as [number, number];
    c.get(l).node.propose(utf8('a'));
    appendRound(c, l, [f1, f2]);
    const notices = c.queue.filter((m) => m.type === 'app');
    expect(notices.map((m) => m.to).sort()).toEqual([f1, f2].sort());
    for (const m of notices) expect(m.type === 'app' && m.entries.length === 0 && m.noReply === true).toBe(true);
    c.deliver();
    c.processReady(f1);
    c.processReady(f2);
    // The followers applied 'a' and sent nothing back.
    expect(c.queue).toEqual([]);
    for (const id of [1, 2, 3]) expect(c.appliedData(id)).toEqual(['a']);

    // A notice the follower cannot accept (its log lost the entry the notice builds on) is answered with a rejection.
    const m = notices.find((x) => x.to === f1)!;
    if (m.type !== 'app') throw new Error('unreachable');
    c.get(f1).node.step({ ...m, prevIndex: m.prevIndex + 5, commit: m.commit + 5 });
    c.processReady(f1);
    const answers = c.queue.filter((x) => x.type === 'app-resp');
    expect(answers).toHaveLength(1);
    expect(answers[0]!.type === 'app-resp' && answers[0]!.reject).toBe(true);
    c.stabilize();
    for (const id of [1, 2, 3]) expect(c.appliedData(id)).toEqual(['a']);
  });

  it('a follower still being probed gets an ordinary append with the commit, and answers it', () => {
    const c = new TestCluster([1, 2, 3]);
    const l = c.electLeader();
    commitAll(c);
    const [f1, f2] = [1, 2, 3].filter((id) => id !== l) as [number, number];
    // f2 misses an append: the leader does not know it holds everything.
    c.isolate(f2);
    c.get(l).node.propose(utf8('a'));
    c.stabilize();
    c.heal();
    c.get(l).node.propose(utf8('b'));
    appendRound(c, l, [f1, f2]);
    for (const m of c.queue.filter((x) => x.type === 'app' && x.to === f2)) expect(m.type === 'app' && m.noReply === true).toBe(false);
    commitAll(c);
    for (const id of [1, 2, 3]) expect(c.appliedData(id)).toEqual(['a', 'b']);
  });

  it('a committed membership change reaches every follower at once, the one it removes included', () => {
    const c = new TestCluster([1, 2, 3], { preVote: false });
    c.get(1).node.campaign();
    commitAll(c);
    const cc = c.get(1).node.proposeConfChange({ type: ConfChangeType.RemoveNode, node: 3 });
    c.stabilize(); // no tick
    expect(c.get(3).node.status().commit).toBeGreaterThanOrEqual(cc.index);
    expect(c.get(2).node.status().commit).toBeGreaterThanOrEqual(cc.index);
  });

  it('proposals between two Readys leave in one append per follower', () => {
    const c = new TestCluster([1, 2, 3]);
    const l = c.electLeader();
    commitAll(c);
    c.get(l).node.proposeBatch([utf8('a'), utf8('b')]);
    c.get(l).node.propose(utf8('c'));
    const rd = c.get(l).node.ready();
    const apps = rd.messages.filter((m) => m.type === 'app');
    expect(apps).toHaveLength(2);
    for (const m of apps) expect(m.type === 'app' && m.entries.length).toBe(3);
    // The leader's own copy is not durable yet, so nothing commits before advance.
    expect(rd.committedEntries).toHaveLength(0);
    c.get(l).node.advance(rd);
  });

  it('the leader does not count itself before its own entries are durable', () => {
    const c = new TestCluster([1, 2, 3]);
    const l = c.electLeader();
    commitAll(c);
    const before = c.get(l).node.status().commit;
    c.get(l).node.propose(utf8('p'));
    const rd = c.get(l).node.ready();
    // One follower acknowledges; without our own durable copy there is no majority of two... yet it is:
    // follower + leader would be a majority only after the leader persisted.
    const follower = [1, 2, 3].find((id) => id !== l)!;
    const app = rd.messages.find((m) => m.type === 'app' && m.to === follower)!;
    c.get(follower).node.step(app);
    c.processReady(follower);
    const ack = c.queue.find((m) => m.type === 'app-resp' && m.to === l)!;
    c.queue = [];
    c.get(l).node.step(ack);
    expect(c.get(l).node.status().commit).toBe(before);
    c.get(l).storage.append(rd.entries);
    c.get(l).node.advance(rd);
    expect(c.get(l).node.status().commit).toBe(before + 1);
  });

  it('fast backtracking: a follower with a long divergent suffix is repaired in a few round trips', () => {
    const c = new TestCluster([1, 2, 3]);
    const l = c.electLeader();
    commitAll(c);
    const victim = [1, 2, 3].find((id) => id !== l)!;
    const third = [1, 2, 3].find((id) => id !== l && id !== victim)!;
    // The old leader, cut off, appends 500 entries nobody else gets.
    c.isolate(l);
    for (let i = 0; i < 500; i++) c.get(l).node.propose(utf8(`lost${i}`));
    c.stabilize();
    // The others elect a new leader and commit other entries.
    for (let i = 0; i < 100 && c.leader() === l; i++) {
      c.tick(victim);
      c.tick(third);
      c.stabilize();
    }
    const nl = c.leader() === l ? [victim, third].find((id) => c.get(id).node.status().role === 'leader')! : c.leader();
    expect(nl).not.toBe(l);
    for (let i = 0; i < 20; i++) c.get(nl).node.propose(utf8(`kept${i}`));
    c.stabilize();
    c.heal();
    let rejections = 0;
    for (let round = 0; round < 30; round++) {
      c.tick(nl);
      for (const id of [1, 2, 3]) c.processReady(id);
      rejections += c.queue.filter((m) => m.type === 'app-resp' && m.reject).length;
      c.deliver();
    }
    commitAll(c);
    expect(rejections).toBeLessThanOrEqual(4);
    expect(c.appliedData(l)).toEqual(c.appliedData(nl));
    expect(c.appliedData(l).some((d) => d.startsWith('lost'))).toBe(false);
  });

  it('only entries of the current term are committed by counting replicas (figure 8)', () => {
    // A log holding an old-term entry on a majority: a leader of term 3 must not
    // commit index 2 (term 1) by counting, only together with an entry of term 3.
    const storage = new MemoryStorage({ voters: [1, 2, 3], learners: [] });
    const e = (index: number, term: number): Entry => ({ index, term, type: EntryType.Normal, data: utf8(`${term}/${index}`) });
    storage.append([e(1, 1), e(2, 1), e(3, 3)]);
    const log = new RaftLog(storage, 0);
    expect(log.maybeCommit(2, 3, false)).toBe(false);
    expect(log.committed).toBe(0);
    expect(log.maybeCommit(3, 3, false)).toBe(true);
    expect(log.committed).toBe(3);
    // The switch the simulation uses to prove its checker catches the violation.
    const unsafe = new RaftLog(storage, 0);
    expect(unsafe.maybeCommit(2, 3, true)).toBe(true);
  });
});

describe('messages while a write is in flight', () => {
  it('a leader keeps heartbeating and replicating while its own write is outstanding', () => {
    const c = new TestCluster([1, 2, 3]);
    const l = c.electLeader();
    commitAll(c);
    c.get(l).node.propose(utf8('first'));
    const rd = c.get(l).node.ready(); // its write is "slow": not advanced yet
    c.queue.push(...rd.messages);
    c.get(l).node.propose(utf8('second'));
    c.tick(l);
    const early = c.get(l).node.takeMessages();
    expect(early.some((m) => m.type === 'heartbeat')).toBe(true);
    const apps = early.filter((m) => m.type === 'app');
    expect(apps.length).toBe(2);
    for (const m of apps) expect(m.type === 'app' && m.entries.map((e) => new TextDecoder().decode(e.data))).toEqual(['second']);
    // Nothing that promises durability leaves early.
    for (const m of early) expect(['app', 'heartbeat', 'snap', 'timeout-now']).toContain(m.type);
    c.get(l).storage.append(rd.entries);
    c.get(l).node.advance(rd);
    c.queue.push(...early);
    commitAll(c);
    for (const id of [1, 2, 3]) expect(c.appliedData(id)).toEqual(['first', 'second']);
  });

  it('a follower has nothing to send early: its answers wait for its write', () => {
    const c = new TestCluster([1, 2, 3]);
    const l = c.electLeader();
    const f = [1, 2, 3].find((id) => id !== l)!;
    c.get(l).node.propose(utf8('x'));
    c.processReady(l);
    c.deliver();
    expect(c.get(f).node.takeMessages()).toEqual([]);
  });
});

describe('entries that are on disk, not in memory', () => {
  it('a restarted node reports no Ready for committed entries until they are loaded (it used to spin)', () => {
    const c = new TestCluster([1, 2, 3]);
    const l = c.electLeader();
    for (let i = 0; i < 5; i++) c.get(l).node.propose(utf8(`d${i}`));
    commitAll(c);
    const f = [1, 2, 3].find((id) => id !== l)!;
    // The follower restarts with nothing applied; its storage has the entries on "disk" only.
    const disk = c.get(f).storage;
    let loaded = false;
    const slow = Object.create(disk) as MemoryStorage;
    slow.entries = (lo: number, hi: number, max: number) => (loaded ? disk.entries(lo, hi, max) : UNAVAILABLE);
    const n = c.add(f, slow);
    expect(n.node.status().commit).toBeGreaterThan(0);
    expect(n.node.hasReady()).toBe(false);
    loaded = true;
    expect(n.node.hasReady()).toBe(true);
    expect(n.node.ready().committedEntries.length).toBeGreaterThan(0);
  });
});

describe('bugs found by the simulation', () => {
  it("a candidate below a voter's term learns that term from the refusal (seed 1591: no leader ever after)", () => {
    const c = new TestCluster([1, 2, 3], { preVote: false, checkQuorum: false });
    // Node 1, cut off, campaigns again and again: its term climbs.
    c.isolate(1);
    for (let i = 0; i < 5; i++) {
      c.get(1).node.campaign();
      c.stabilize();
    }
    const high = c.get(1).node.status().term;
    expect(high).toBe(5);
    c.heal();
    // Node 2 campaigns at a lower term and can only reach node 1.
    c.cut.add('2->3');
    c.cut.add('3->2');
    c.get(2).node.campaign();
    c.stabilize();
    expect(c.get(2).node.status().term).toBeGreaterThanOrEqual(high);
    expect(c.get(2).node.status().role).toBe('follower');
    // Its next campaign is above node 1's term, and node 1 (a less up-to-date log or equal) grants it.
    c.get(2).node.campaign();
    c.stabilize();
    expect(c.get(2).node.status().role).toBe('leader');
  });

  it('a candidate that applies its own removal stops campaigning (seed 524: it won and crashed in becomeLeader)', () => {
    const c = new TestCluster([1, 2, 3], { preVote: false });
    c.get(1).node.campaign();
    commitAll(c);
    const cc = c.get(1).node.proposeConfChange({ type: ConfChangeType.RemoveNode, node: 3 });
    // Replicate and commit; node 3 is driven only until it learns the commit
    // index, so its next Ready carries the committed removal, not yet applied.
    const n3 = c.get(3).node;
    for (let i = 0; i < 50 && n3.status().commit < cc.index; i++) {
      c.processReady(1);
      c.processReady(2);
      c.processReady(3);
      c.deliver();
      if (i % 5 === 4) c.tick(1);
    }
    expect(n3.status().commit).toBeGreaterThanOrEqual(cc.index);
    const rd = n3.ready();
    expect(rd.committedEntries.some((e) => e.type === EntryType.ConfChange)).toBe(true);
    // Its election timer fires while that Ready is being written...
    n3.campaign();
    expect(n3.status().role).toBe('candidate');
    // ...and then the removal is applied.
    c.get(3).storage.append(rd.entries);
    if (rd.hardState) c.get(3).storage.setHardState(rd.hardState);
    c.queue.push(...rd.messages, ...rd.persistedMessages);
    n3.advance(rd);
    expect(n3.status().role).toBe('follower');
    expect(() => c.stabilize()).not.toThrow();
    expect(n3.status().role).not.toBe('leader');
  });

  it('campaign() on a leader does nothing (it used to wedge it as a pre-candidate)', () => {
    const c = new TestCluster([1, 2, 3]);
    const l = c.electLeader();
    const term = c.get(l).node.status().term;
    c.get(l).node.campaign();
    expect(c.get(l).node.status().role).toBe('leader');
    c.stabilize();
    c.get(l).node.propose(utf8('still-leading'));
    commitAll(c);
    expect(c.appliedData(l)).toEqual(['still-leading']);
    expect(c.get(l).node.status().term).toBe(term);
  });

  it('a forwarded transfer to a non-voter is ignored, not thrown out of step()', () => {
    const c = new TestCluster([1, 2, 3]);
    const l = c.electLeader();
    const f = [1, 2, 3].find((id) => id !== l)!;
    c.get(f).node.transferLeader(99);
    expect(() => c.stabilize()).not.toThrow();
    expect(c.leader()).toBe(l);
  });

  it('an acknowledgement of entries replaced before they were written is never sent', () => {
    // Follower 2 takes entries 2..3 of term 1 from leader 1, then — before its
    // next Ready — a term-2 leader's append replaces them from index 2.
    const c = new TestCluster([1, 2, 3]);
    c.get(1).node.campaign();
    commitAll(c);
    const t1 = c.get(1).node.status().term;
    const e = (index: number, term: number, d: string): Entry => ({ index, term, type: EntryType.Normal, data: utf8(d) });
    c.get(2).node.step({ type: 'app', group: 0, from: 1, to: 2, term: t1, prevIndex: 1, prevTerm: t1, commit: 1, entries: [e(2, t1, 'a'), e(3, t1, 'b')] });
    c.get(2).node.step({ type: 'app', group: 0, from: 3, to: 2, term: t1 + 1, prevIndex: 1, prevTerm: t1, commit: 1, entries: [e(2, t1 + 1, 'c')] });
    const rd = c.get(2).node.ready();
    expect(rd.entries.map((x) => `${x.term}/${x.index}`)).toEqual([`${t1 + 1}/2`]);
    const acks = rd.persistedMessages.filter((m) => m.type === 'app-resp' && !m.reject);
    // Only the ack for what this Ready writes (index 2 of the new term) may leave.
    expect(acks.map((m) => m.type === 'app-resp' && `${m.to}:${m.index}`)).toEqual(['3:2']);
    c.get(2).node.advance(rd);
  });
});

describe('linearizable reads', () => {
  it('ReadIndex on the leader returns the commit index after a heartbeat round', () => {
    const c = new TestCluster([1, 2, 3]);
    const l = c.electLeader();
    for (let i = 0; i < 5; i++) c.get(l).node.propose(utf8(`r${i}`));
    commitAll(c);
    const commit = c.get(l).node.status().commit;
    c.get(l).node.readIndex(utf8('ctx-1'));
    c.get(l).node.readIndex(utf8('ctx-2'));
    c.stabilize();
    const reads = c.get(l).reads;
    expect(reads.map((r) => new TextDecoder().decode(r.context))).toEqual(['ctx-1', 'ctx-2']);
    for (const r of reads) expect(r.index).toBeGreaterThanOrEqual(commit);
  });

  it('ReadIndex on a follower goes through the leader', () => {
    const c = new TestCluster([1, 2, 3]);
    const l = c.electLeader();
    commitAll(c);
    const f = [1, 2, 3].find((id) => id !== l)!;
    c.get(f).node.readIndex(utf8('f'));
    c.stabilize();
    expect(c.get(f).reads).toHaveLength(1);
    expect(c.get(f).reads[0]!.index).toBe(c.get(l).node.status().commit);
  });

  it('an isolated leader cannot confirm a read', () => {
    const c = new TestCluster([1, 2, 3]);
    const l = c.electLeader();
    commitAll(c);
    c.isolate(l);
    c.get(l).node.readIndex(utf8('stale?'));
    c.stabilize();
    expect(c.get(l).reads).toHaveLength(0);
  });

  it('a follower with no leader refuses a read with NotLeaderError', () => {
    const c = new TestCluster([1, 2, 3]);
    expect(() => c.get(1).node.readIndex(utf8('x'))).toThrow(NotLeaderError);
  });
});

describe('leadership transfer', () => {
  it('catches the target up, then hands over with TimeoutNow', () => {
    const c = new TestCluster([1, 2, 3]);
    const l = c.electLeader();
    const target = [1, 2, 3].find((id) => id !== l)!;
    c.isolate(target);
    for (let i = 0; i < 10; i++) c.get(l).node.propose(utf8(`t${i}`));
    commitAll(c);
    c.heal();
    c.get(l).node.transferLeader(target);
    expect(() => c.get(l).node.propose(utf8('during'))).toThrow(TransferInProgressError);
    c.stabilize();
    expect(c.leader()).toBe(target);
    expect(c.get(target).node.status().lastIndex).toBeGreaterThanOrEqual(11);
  });
});

describe('membership', () => {
  it('adds a learner that catches up without voting, then promotes it', () => {
    const c = new TestCluster([1, 2, 3]);
    const l = c.electLeader();
    for (let i = 0; i < 5; i++) c.get(l).node.propose(utf8(`a${i}`));
    commitAll(c);
    c.add(4, new MemoryStorage({ voters: [], learners: [] }));
    c.get(l).node.proposeConfChange({ type: ConfChangeType.AddLearner, node: 4 });
    commitAll(c);
    commitAll(c);
    expect(c.get(l).node.status().conf.learners).toEqual([4]);
    expect(c.appliedData(4)).toEqual(c.appliedData(l));
    expect(c.get(4).node.status().conf.learners).toEqual([4]);
    c.get(l).node.proposeConfChange({ type: ConfChangeType.AddVoter, node: 4 });
    commitAll(c);
    expect(c.get(l).node.status().conf.voters).toEqual([1, 2, 3, 4]);
    expect(c.get(4).node.status().conf.voters).toEqual([1, 2, 3, 4]);
  });

  it('refuses a second change while one is unapplied, and nonsense changes', () => {
    const c = new TestCluster([1, 2, 3]);
    const l = c.electLeader();
    commitAll(c);
    expect(() => c.get(l).node.proposeConfChange({ type: ConfChangeType.AddVoter, node: 2 })).toThrow(InvalidConfChangeError);
    c.get(l).node.proposeConfChange({ type: ConfChangeType.AddLearner, node: 9 });
    expect(() => c.get(l).node.proposeConfChange({ type: ConfChangeType.RemoveNode, node: 9 })).toThrow(ConfChangeInProgressError);
  });

  it('a new leader accepts no change before its own first entry is applied', () => {
    const c = new TestCluster([1, 2, 3]);
    c.get(1).node.campaign();
    // Elected, but the election entry is not committed and applied yet.
    for (let i = 0; i < 4; i++) {
      c.processReady(1);
      c.processReady(2);
      c.processReady(3);
      c.deliver();
    }
    if (c.get(1).node.status().role === 'leader' && c.get(1).node.status().applied < c.get(1).node.status().lastIndex) {
      expect(() => c.get(1).node.proposeConfChange({ type: ConfChangeType.AddLearner, node: 4 })).toThrow(ConfChangeInProgressError);
    }
    commitAll(c);
    expect(() => c.get(1).node.proposeConfChange({ type: ConfChangeType.AddLearner, node: 4 })).not.toThrow();
  });

  it('removes a voter; the rest keep committing, and a removed leader steps down', () => {
    const c = new TestCluster([1, 2, 3]);
    const l = c.electLeader();
    commitAll(c);
    c.get(l).node.proposeConfChange({ type: ConfChangeType.RemoveNode, node: l });
    commitAll(c);
    expect(c.get(l).node.status().role).toBe('follower');
    const rest = [1, 2, 3].filter((id) => id !== l);
    for (let i = 0; i < 100 && !rest.some((id) => c.get(id).node.status().role === 'leader'); i++) {
      for (const id of rest) c.tick(id);
      c.stabilize();
    }
    const nl = rest.find((id) => c.get(id).node.status().role === 'leader')!;
    expect(nl).toBeDefined();
    c.get(nl).node.propose(utf8('after'));
    commitAll(c);
    for (const id of rest) expect(c.appliedData(id)).toContain('after');
  });

  it('a membership entry carries the resulting configuration', () => {
    const c = new TestCluster([1, 2, 3]);
    const l = c.electLeader();
    commitAll(c);
    c.get(l).node.proposeConfChange({ type: ConfChangeType.AddLearner, node: 7 });
    commitAll(c);
    const cc = c.get(2).applied.find((e: Entry) => e.type === EntryType.ConfChange)!;
    expect(decodeConfChange(cc.data)).toEqual({ change: { type: ConfChangeType.AddLearner, node: 7 }, conf: { voters: [1, 2, 3], learners: [7] } });
  });
});

describe('snapshots', () => {
  it('a follower behind the compacted log receives the snapshot, then the tail', () => {
    const c = new TestCluster([1, 2, 3]);
    const l = c.electLeader();
    const lagger = [1, 2, 3].find((id) => id !== l)!;
    c.isolate(lagger);
    for (let i = 0; i < 50; i++) c.get(l).node.propose(utf8(`s${i}`));
    commitAll(c);
    const st = c.get(l).node.status();
    const ls = c.get(l).storage;
    ls.createSnapshot(st.applied, st.conf, utf8(`state@${st.applied}`));
    ls.compact(st.applied);
    c.get(l).node.propose(utf8('tail'));
    commitAll(c);
    c.heal();
    let snaps = 0;
    for (let i = 0; i < 10; i++) {
      c.tick(l);
      for (const id of [1, 2, 3]) c.processReady(id);
      snaps += c.queue.filter((m) => m.type === 'snap').length;
      c.deliver();
    }
    commitAll(c);
    expect(snaps).toBe(1);
    expect(c.get(lagger).storage.snapshot().meta.index).toBe(st.applied);
    expect(c.appliedData(lagger)).toEqual(['tail']);
    expect(c.get(lagger).node.status().commit).toBe(c.get(l).node.status().commit);
  });

  it('a snapshot that arrives while a Ready is being persisted does not break advance', () => {
    const c = new TestCluster([1, 2, 3]);
    const l = c.electLeader();
    const f = [1, 2, 3].find((id) => id !== l)!;
    c.isolate(f);
    for (let i = 0; i < 20; i++) c.get(l).node.propose(utf8(`x${i}`));
    commitAll(c);
    const st = c.get(l).node.status();
    c.get(l).storage.createSnapshot(st.applied, st.conf, utf8('state'));
    // The follower takes an old append into a Ready and, before it is advanced, receives the snapshot.
    c.get(f).node.step({ type: 'app', group: 0, from: l, to: f, term: st.term, prevIndex: 1, prevTerm: st.term, commit: 1, entries: [] });
    const fApp = { type: 'app' as const, group: 0, from: l, to: f, term: st.term, prevIndex: 1, prevTerm: st.term, commit: 1,
      entries: [{ term: st.term, index: 2, type: EntryType.Normal, data: utf8('x0') }] };
    c.get(f).node.step(fApp);
    const rd = c.get(f).node.ready();
    expect(rd.entries.length).toBe(1);
    c.get(f).node.step({ type: 'snap', group: 0, from: l, to: f, term: st.term, snapshot: c.get(l).storage.snapshot() });
    c.get(f).storage.append(rd.entries);
    expect(() => c.get(f).node.advance(rd)).not.toThrow();
    c.heal();
    commitAll(c);
    expect(c.get(f).node.status().commit).toBe(c.get(l).node.status().commit);
  });

  it('a node restarted from its storage keeps its term, vote and log', () => {
    const c = new TestCluster([1, 2, 3]);
    const l = c.electLeader();
    for (let i = 0; i < 5; i++) c.get(l).node.propose(utf8(`k${i}`));
    commitAll(c);
    const f = [1, 2, 3].find((id) => id !== l)!;
    const before = c.get(f).node.status();
    const restarted = c.add(f, c.get(f).storage);
    const after = restarted.node.status();
    expect(after.term).toBe(before.term);
    expect(after.lastIndex).toBe(before.lastIndex);
    // The commit index is written only along with entries, so it may lag; the leader tells it again.
    expect(after.commit).toBeLessThanOrEqual(before.commit);
    // Everything committed is handed out again to rebuild the state machine.
    commitAll(c);
    expect(c.appliedData(f)).toEqual(['k0', 'k1', 'k2', 'k3', 'k4']);
  });

  it('a node restarted from a checkpoint applied beyond its stored commit index takes that as committed', () => {
    const c = new TestCluster([1, 2, 3]);
    const l = c.electLeader();
    commitAll(c);
    const f = [1, 2, 3].find((id) => id !== l)!;
    c.get(l).node.propose(utf8('a'));
    c.stabilize();
    c.get(l).node.propose(utf8('b'));
    c.stabilize(); // the follower applied 'a' (its commit came with 'b'), and 'b' is committed on the leader only
    c.tick(l);
    c.stabilize(); // now the follower applied 'b' too, but its stored commit index is older
    const applied = c.get(f).node.status().applied;
    const stored = c.get(f).storage.initialState().hardState.commit;
    expect(stored).toBeLessThan(applied);
    const restarted = c.add(f, c.get(f).storage, applied);
    expect(restarted.node.status().commit).toBe(applied);
    // Nothing applied before the restart is handed out again.
    commitAll(c);
    expect(c.appliedData(f)).toEqual([]);
  });
});
