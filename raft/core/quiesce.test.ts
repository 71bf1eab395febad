// Quiescence (raft.ts `quiesced`): an idle group goes quiet, anything that
// needs it wakes it, a quiet follower whose leader's node went silent
// campaigns, and a woken leader that lost its quorum steps down.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Config } from './config.js';
import { TestCluster, utf8 } from './testing/cluster.js';
import type { NodeId } from './types.js';
import { ConfChangeType } from './types.js';
import { MemoryStorage } from './memory-storage.js';

const Q: Partial<Config> = { quiesce: true, electionTicks: 10, heartbeatTicks: 2 };

/** A 3-node cluster with a leader, everything committed and applied everywhere. */
function settled(overrides: Partial<Config> = Q, ids: NodeId[] = [1, 2, 3]): { c: TestCluster; l: NodeId; others: NodeId[] } {
  const c = new TestCluster(ids, overrides);
  const l = c.electLeader();
  c.stabilize();
  return { c, l, others: ids.filter((x) => x !== l) };
}

/** Tick every node `n` times, stabilizing after each tick. */
function idle(c: TestCluster, n: number): void {
  for (let i = 0; i < n; i++) {
    c.tick();
    c.stabilize();
  }
}

const quiet = (c: TestCluster, id: NodeId): boolean => c.get(id).node.status().quiesced;

/** A settled cluster after one write, idled until a follower `f` went quiet; `st` is its status then. */
function quietAfterWrite() {
  const { c, l, others } = settled();
  c.get(l).node.propose(utf8('x'));
  c.stabilize();
  idle(c, 12);
  const f = others[0]!;
  expect(quiet(c, f)).toBe(true);
  return { c, l, f, st: c.get(f).node.status() };
}

describe('quiescence', () => {
  it('an idle group goes quiet with one marked heartbeat, then sends nothing however long it idles', () => {
    const { c, l, others } = settled();
    c.get(l).node.propose(utf8('x'));
    c.stabilize();
    // Let the commit reach everyone and the heartbeat point come round.
    const sent: string[] = [];
    for (let i = 0; i < 6 && !quiet(c, l); i++) {
      c.tick(l);
      for (const id of c.nodes.keys()) c.processReady(id);
      for (const m of c.queue) if (m.type === 'heartbeat') sent.push(`${m.to}:${m.quiesce === true}`);
      c.stabilize();
    }
    expect(quiet(c, l)).toBe(true);
    for (const f of others) expect(quiet(c, f)).toBe(true);
    expect(sent.filter((s) => s.endsWith(':true')).sort()).toEqual(others.map((f) => `${f}:true`).sort());
    // Hundreds of election timeouts: no message, no Ready, no election.
    const term = c.get(l).node.status().term;
    for (let i = 0; i < 500; i++) {
      c.tick();
      for (const id of c.nodes.keys()) expect(c.get(id).node.hasReady()).toBe(false);
    }
    expect(c.queue).toHaveLength(0);
    for (const id of c.nodes.keys()) expect(c.get(id).node.status()).toMatchObject({ term, leader: l });
  });

  it('a quiet follower stays quiet for a commit notice that tells it nothing new (one sent before the quiesce heartbeat and delivered after it)', () => {
    const { c, l, f, st } = quietAfterWrite();
    // A late notice: empty, unanswered, with the commit index the follower already has.
    c.get(f).node.step({ type: 'app', group: 0, from: l, to: f, term: st.term, prevIndex: st.commit, prevTerm: st.term, entries: [], commit: st.commit, noReply: true });
    expect(quiet(c, f)).toBe(true);
    c.processReady(f);
    expect(c.queue).toHaveLength(0);
    // One that carries something new still wakes it.
    c.get(f).node.step({ type: 'app', group: 0, from: l, to: f, term: st.term, prevIndex: st.commit, prevTerm: st.term, entries: [], commit: st.commit + 1, noReply: true });
    expect(quiet(c, f)).toBe(false);
  });

  it('a quiet learner stays quiet when its leader\'s node looks silent (it never campaigns), and wakes for a new leader (sim seed 1872)', () => {
    const { c, l } = settled();
    c.get(l).node.proposeConfChange({ type: ConfChangeType.AddLearner, node: 4 });
    c.stabilize();
    c.add(4, new MemoryStorage({ voters: [], learners: [] }));
    idle(c, 30);
    expect(c.get(4).node.status().conf.learners).toEqual([4]);
    expect(quiet(c, l)).toBe(true);
    expect(quiet(c, 4)).toBe(true);
    c.get(4).node.wake(true);
    expect(quiet(c, 4)).toBe(true);
    // A voter in the same position wakes and campaigns.
    const v = [1, 2, 3].find((id) => id !== l)!;
    c.get(v).node.wake(true);
    expect(quiet(c, v)).toBe(false);
  });

  it('a quiet follower answers a late heartbeat that tells it nothing new without waking, and wakes for one confirming a read (sim seed 1412)', () => {
    const { c, l, f, st } = quietAfterWrite();
    c.get(f).node.step({ type: 'heartbeat', group: 0, from: l, to: f, term: st.term, commit: st.commit - 1, context: new Uint8Array(0) });
    expect(quiet(c, f)).toBe(true);
    c.processReady(f);
    expect(c.queue.map((m) => m.type)).toEqual(['heartbeat-resp']);
    // The quiet leader takes the answer without waking.
    c.deliver();
    expect(quiet(c, l)).toBe(true);
    c.get(f).node.step({ type: 'heartbeat', group: 0, from: l, to: f, term: st.term, commit: st.commit, context: utf8('read') });
    expect(quiet(c, f)).toBe(false);
  });

  it('is off by default: an idle leader keeps heartbeating', () => {
    const { c, l } = settled({ electionTicks: 10, heartbeatTicks: 2 });
    idle(c, 30);
    expect(quiet(c, l)).toBe(false);
    c.tick(l, 2);
    c.processReady(l);
    expect(c.queue.some((m) => m.type === 'heartbeat' && m.quiesce !== true)).toBe(true);
  });

  it('a proposal wakes the leader: a plain heartbeat leaves at once, followers wake, the entry commits everywhere, then the group goes quiet again', () => {
    const { c, l, others } = settled();
    idle(c, 10);
    expect(quiet(c, l)).toBe(true);
    c.get(l).node.propose(utf8('wake'));
    expect(quiet(c, l)).toBe(false);
    c.processReady(l);
    expect(c.queue.filter((m) => m.type === 'heartbeat' && !m.quiesce).map((m) => m.to).sort()).toEqual([...others].sort());
    c.stabilize();
    for (const f of others) expect(quiet(c, f)).toBe(false);
    idle(c, 10);
    for (const id of c.nodes.keys()) {
      expect(c.appliedData(id)).toContain('wake');
      expect(quiet(c, id)).toBe(true);
    }
  });

  it('a read on a quiet follower wakes it and its leader and is confirmed by a quorum', () => {
    const { c, l, others } = settled();
    idle(c, 10);
    const f = others[0]!;
    c.get(f).node.readIndex(utf8('r1'));
    expect(quiet(c, f)).toBe(false);
    c.stabilize();
    expect(quiet(c, l)).toBe(false);
    expect(c.get(f).reads.map((r) => new TextDecoder().decode(r.context))).toEqual(['r1']);
  });

  it('does not go quiet while a follower lags, a read is pending, a transfer runs or an entry is unapplied', () => {
    // A follower cut off: its match stays behind, the leader keeps ticking.
    const a = settled();
    a.c.isolate(a.others[0]!);
    a.c.get(a.l).node.propose(utf8('x'));
    idle(a.c, 8);
    expect(quiet(a.c, a.l)).toBe(false);
    // ... and goes quiet once the follower caught up.
    a.c.heal();
    idle(a.c, 8);
    expect(quiet(a.c, a.l)).toBe(true);

    // A read whose heartbeat round cannot complete.
    const b = settled();
    b.c.isolate(b.others[0]!);
    b.c.isolate(b.others[1]!);
    b.c.get(b.l).node.readIndex(utf8('r'));
    for (let i = 0; i < 4; i++) {
      b.c.tick(b.l);
      b.c.stabilize();
    }
    expect(quiet(b.c, b.l)).toBe(false);

    // A transfer in progress to a follower that does not answer.
    const t = settled();
    t.c.isolate(t.others[0]!);
    t.c.get(t.l).node.propose(utf8('y'));
    t.c.stabilize();
    t.c.get(t.l).node.transferLeader(t.others[0]!);
    for (let i = 0; i < 4; i++) {
      t.c.tick(t.l);
      t.c.stabilize();
    }
    expect(quiet(t.c, t.l)).toBe(false);
    expect(t.c.get(t.l).node.status().transferee).toBe(t.others[0]);
  });

  it("a lost quiesce heartbeat leaves that follower ticking: its campaign wakes the leader, which keeps its term and leads on", () => {
    const { c, l, others } = settled();
    const [f1, f2] = others as [NodeId, NodeId];
    // Drop the leader's messages to f1 only while it goes quiet.
    c.cut.add(`${l}->${f1}`);
    idle(c, 4);
    expect(quiet(c, l)).toBe(true);
    expect(quiet(c, f2)).toBe(true);
    expect(quiet(c, f1)).toBe(false);
    c.heal();
    const term = c.get(l).node.status().term;
    // f1 times out, pre-votes; the quiet leader wakes and heartbeats; f1 follows it again.
    idle(c, 40);
    expect(c.leader()).toBe(l);
    expect(c.get(l).node.status().term).toBe(term);
    for (const id of [l, f1, f2]) expect(quiet(c, id)).toBe(true);
  });

  it("quiet followers woken because the leader's node is silent elect a new leader (PreVote passes: their lease ran out)", () => {
    const { c, l, others } = settled();
    idle(c, 10);
    c.isolate(l);
    // Without a wake, time stands still for them: no election ever.
    idle(c, 100);
    expect(c.leader()).toBe(l);
    for (const f of others) c.get(f).node.wake(true);
    let elected: NodeId = 0;
    for (let i = 0; i < 2 * 10 + 5 && !elected; i++) {
      c.tick();
      c.stabilize();
      elected = others.find((f) => c.get(f).node.status().role === 'leader') ?? 0;
    }
    expect(elected).not.toBe(0);
    expect(c.get(elected).node.status().term).toBeGreaterThan(c.get(l).node.status().term);
  });

  it('a quiet follower woken by a candidate\'s message (not for silence) still elects a leader with it', () => {
    const { c, l, others } = settled();
    idle(c, 10);
    c.isolate(l);
    const [f1, f2] = others as [NodeId, NodeId];
    // Only f1 saw the leader's node go silent; f2 is woken by f1's pre-vote
    // and, its election timer running again, joins within a timeout or two.
    c.get(f1).node.wake(true);
    let elected: NodeId | undefined;
    for (let i = 0; i < 80 && !elected; i++) {
      c.tick();
      c.stabilize();
      elected = others.find((f) => c.get(f).node.status().role === 'leader');
    }
    expect(elected).toBeDefined();
    expect(quiet(c, f2)).toBe(false);
  });

  it('a quiet leader cut off from its followers and woken by a proposal steps down within one election timeout (CheckQuorum)', () => {
    const { c, l } = settled();
    idle(c, 10);
    c.isolate(l);
    c.get(l).node.propose(utf8('lost'));
    let ticks = 0;
    while (c.get(l).node.status().role === 'leader' && ticks < 100) {
      c.tick(l);
      c.stabilize();
      ticks++;
    }
    expect(c.get(l).node.status().role).toBe('follower');
    expect(ticks).toBeLessThanOrEqual(10);
    expect(c.get(l).node.status().elections.checkQuorum).toBe(1);
  });

  it('lease reads: a woken quiet leader does not answer alone; it needs a quorum first', () => {
    const { c, l } = settled({ ...Q, readOnly: 'lease' });
    // A fresh leader's lease holds: answered alone, even isolated.
    c.get(l).node.readIndex(utf8('fresh'));
    c.processReady(l);
    expect(c.get(l).reads.map((r) => new TextDecoder().decode(r.context))).toEqual(['fresh']);
    idle(c, 10);
    expect(quiet(c, l)).toBe(true);
    c.isolate(l);
    c.get(l).node.readIndex(utf8('stale?'));
    for (let i = 0; i < 5; i++) {
      c.tick(l);
      c.stabilize();
    }
    expect(c.get(l).reads).toHaveLength(1);
    // With the quorum back, the read is confirmed by a heartbeat round.
    c.heal();
    c.tick(l, 2);
    c.stabilize();
    expect(c.get(l).reads.map((r) => new TextDecoder().decode(r.context))).toEqual(['fresh', 'stale?']);
  });

  it('a removed member that never learned it keeps campaigning: its vote requests do not wake the quiet group', () => {
    const { c, l, others } = settled({ ...Q }, [1, 2, 3, 4]);
    const gone = others[0]!;
    c.isolate(gone);
    c.get(l).node.proposeConfChange({ type: 2, node: gone });
    idle(c, 12);
    expect(c.get(l).node.status().conf.voters).not.toContain(gone);
    for (const id of [1, 2, 3, 4].filter((x) => x !== gone)) expect(quiet(c, id)).toBe(true);
    c.heal();
    // The removed node still counts itself a voter and pre-votes every timeout; the group stays quiet.
    let heartbeats = 0;
    for (let i = 0; i < 60; i++) {
      c.tick();
      for (const id of c.nodes.keys()) c.processReady(id);
      heartbeats += c.queue.filter((m) => m.type === 'heartbeat' && m.from === l).length;
      c.stabilize();
    }
    expect(c.get(gone).node.status().elections.timeout).toBeGreaterThan(1);
    expect(heartbeats).toBe(0);
    for (const id of [1, 2, 3, 4].filter((x) => x !== gone)) expect(quiet(c, id)).toBe(true);
    expect(c.leader()).toBe(l);
  });

  it('a follower holding a stale uncommitted tail past the leader\'s log still goes quiet', () => {
    const { c, l, others } = settled();
    const f = others[0]!;
    // Entries of this term the leader will never send again: appended straight into f's log.
    const s = c.get(l).node.status();
    c.get(f).node.step({ type: 'app', group: 0, from: l, to: f, term: s.term, prevIndex: s.lastIndex, prevTerm: s.term, entries: [{ term: s.term, index: s.lastIndex + 1, type: 0, data: utf8('stale') }], commit: s.commit });
    c.processReady(f);
    c.queue = [];
    expect(c.get(f).node.status().lastIndex).toBe(s.lastIndex + 1);
    idle(c, 10);
    expect(quiet(c, l)).toBe(true);
    expect(quiet(c, f)).toBe(true);
  });

  it('a message from a newer term wakes a quiet member and is handled as usual', () => {
    const { c, l, others } = settled();
    idle(c, 10);
    const f = others[0]!;
    c.get(f).node.campaign();
    expect(quiet(c, f)).toBe(false);
    c.stabilize();
    // The other members still hear from their live leader: the campaign is refused and nothing changes.
    expect(c.leader()).toBe(l);
  });

  it('property: whatever happened before, once the network is whole an idle group goes quiet with one leader and every entry everywhere; a proposal then commits everywhere', () => {
    type Op = { k: 'tick'; id: number } | { k: 'propose'; n: number } | { k: 'isolate'; id: number } | { k: 'heal' } | { k: 'drop' } | { k: 'wake'; id: number; silent: boolean } | { k: 'read'; id: number };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ k: fc.constant('tick' as const), id: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ k: fc.constant('propose' as const), n: fc.integer({ min: 0, max: 99 }) }),
      fc.record({ k: fc.constant('isolate' as const), id: fc.integer({ min: 1, max: 3 }) }),
      fc.constant({ k: 'heal' as const }),
      fc.constant({ k: 'drop' as const }),
      fc.record({ k: fc.constant('wake' as const), id: fc.integer({ min: 1, max: 3 }), silent: fc.boolean() }),
      fc.record({ k: fc.constant('read' as const), id: fc.integer({ min: 1, max: 3 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), (ops) => {
        const c = new TestCluster([1, 2, 3], { ...Q });
        for (const o of ops) {
          switch (o.k) {
            case 'tick':
              c.tick(o.id === 0 ? undefined : o.id);
              break;
            case 'propose': {
              const l = c.leader();
              if (l) {
                try {
                  c.get(l).node.propose(utf8(`p${o.n}`));
                } catch {
                  /* refused: not counted */
                }
              }
              break;
            }
            case 'isolate':
              c.isolate(o.id);
              break;
            case 'heal':
              c.heal();
              break;
            case 'drop':
              c.queue = [];
              break;
            case 'wake':
              c.get(o.id).node.wake(o.silent);
              break;
            case 'read':
              try {
                c.get(o.id).node.readIndex(utf8('r'));
              } catch {
                /* no leader known */
              }
              break;
          }
          for (const id of c.nodes.keys()) c.processReady(id);
          c.deliver();
        }
        // Heal and let time pass. Quiet followers of a leader that is no
        // longer there are woken as the driver would (its node is silent).
        c.heal();
        for (let i = 0; i < 400; i++) {
          const l = c.leader();
          for (const id of c.nodes.keys()) {
            const s = c.get(id).node.status();
            if (s.quiesced && s.role !== 'leader' && (s.leader === 0 || c.get(s.leader).node.status().role !== 'leader')) c.get(id).node.wake(true);
          }
          if (l && [1, 2, 3].every((id) => quiet(c, id))) break;
          c.tick();
          c.stabilize();
        }
        const l = c.leader();
        expect(l).not.toBe(0);
        const leaders = [1, 2, 3].filter((id) => c.get(id).node.status().role === 'leader');
        expect(leaders).toEqual([l]);
        const last = c.get(l).node.status().lastIndex;
        for (const id of [1, 2, 3]) {
          const s = c.get(id).node.status();
          expect(s.quiesced).toBe(true);
          expect(s.applied).toBe(last);
          expect(s.leader).toBe(l);
        }
        c.get(l).node.propose(utf8('after'));
        c.stabilize();
        c.tick(l, 2);
        c.stabilize();
        for (const id of [1, 2, 3]) expect(c.appliedData(id)).toContain('after');
      }),
      { numRuns: 150 },
    );
  });
});
