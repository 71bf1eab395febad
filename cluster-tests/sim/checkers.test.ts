// Each checker fires on a hand-made history that breaks its invariant, and
// stays quiet on the legal history next to it.

import { describe, expect, it } from 'vitest';
import type { Status } from '../../raft/core/api.js';
import { MemoryStorage } from '../../raft/core/memory-storage.js';
import type { Ready } from '../../raft/core/ready.js';
import type { ConfState, Entry, HardState, Message, NodeId, Role, Snapshot } from '../../raft/core/types.js';
import { App, encodeAppState } from './app.js';
import type { ViolationKind } from './checkers.js';
import { Checker } from './checkers.js';

const CONF: ConfState = { voters: [1, 2, 3], learners: [] };
const ent = (term: number, index: number, tag = 0): Entry => ({ term, index, type: 0, data: new Uint8Array([tag]) });

function status(id: NodeId, term: number, role: Role, commit = 0, applied = 0): Status {
  return { id, term, vote: 0, commit, applied, lastIndex: 0, leader: role === 'leader' ? id : 0, role, conf: CONF, peers: [], transferee: 0, quiesced: false, elections: { timeout: 0, transfer: 0, manual: 0, checkQuorum: 0 } };
}

function ready(p: { entries?: Entry[]; hardState?: HardState; snapshot?: Snapshot; messages?: Message[] }): Ready {
  return {
    softState: undefined,
    hardState: p.hardState,
    entries: p.entries ?? [],
    snapshot: p.snapshot,
    messages: p.messages ?? [],
    persistedMessages: [],
    committedEntries: [],
    readStates: [],
    mustSync: true,
  };
}

function fresh(): { c: Checker; disks: Map<NodeId, MemoryStorage> } {
  const c = new Checker(1);
  const disks = new Map<NodeId, MemoryStorage>();
  for (const id of [1, 2, 3]) {
    const d = new MemoryStorage(CONF);
    disks.set(id, d);
    c.loadFromDisk(id, d);
  }
  return { c, disks };
}

const kinds = (c: Checker): ViolationKind[] => c.violations.map((v) => v.kind);

describe('checkers', () => {
  it('two-leaders: two nodes leading one term', () => {
    const { c } = fresh();
    c.onStatus(1, 1, status(1, 3, 'leader'));
    c.onStatus(2, 1, status(2, 4, 'leader'));
    expect(kinds(c)).toEqual([]);
    c.onStatus(3, 1, status(3, 4, 'leader'));
    expect(kinds(c)).toEqual(['two-leaders']);
  });

  it('double-vote: one voter granting two candidates in a term', () => {
    const { c } = fresh();
    const grant = (to: NodeId, term: number): Message => ({ type: 'vote-resp', group: 0, from: 3, to, term, preVote: false, reject: false });
    c.onSend(3, grant(1, 5), undefined);
    c.onSend(3, grant(2, 6), undefined);
    c.onSend(3, { type: 'vote-resp', group: 0, from: 3, to: 2, term: 5, preVote: true, reject: false }, undefined);
    expect(kinds(c)).not.toContain('double-vote');
    c.onSend(3, grant(2, 5), undefined);
    expect(kinds(c)).toContain('double-vote');
  });

  it('promise-not-durable: a vote or an acknowledgement sent before it is on disk', () => {
    const { c, disks } = fresh();
    const d = disks.get(2)!;
    d.setHardState({ term: 4, vote: 1, commit: 0 });
    d.append([ent(1, 1), ent(1, 2)]);
    c.onSend(2, { type: 'vote-resp', group: 0, from: 2, to: 1, term: 4, preVote: false, reject: false }, d);
    c.onSend(2, { type: 'app-resp', group: 0, from: 2, to: 1, term: 4, index: 2, reject: false, hintIndex: 0, hintTerm: 0 }, d);
    expect(kinds(c)).toEqual([]);
    c.onSend(2, { type: 'app-resp', group: 0, from: 2, to: 1, term: 4, index: 3, reject: false, hintIndex: 0, hintTerm: 0 }, d);
    c.onSend(2, { type: 'vote-resp', group: 0, from: 2, to: 3, term: 5, preVote: false, reject: false }, d);
    expect(kinds(c)).toEqual(['promise-not-durable', 'promise-not-durable']);
  });

  it('log-matching: the same index and term with different histories', () => {
    const { c } = fresh();
    c.onHandOut(1, ready({ entries: [ent(1, 1, 7), ent(1, 2)] }), status(1, 1, 'follower'));
    c.onHandOut(2, ready({ entries: [ent(1, 1, 7), ent(1, 2)] }), status(2, 1, 'follower'));
    expect(kinds(c)).toEqual([]);
    c.onHandOut(3, ready({ entries: [ent(1, 1, 8), ent(1, 2)] }), status(3, 1, 'follower'));
    expect(kinds(c)).toContain('log-matching');
  });

  it('committed-lost: a node overwriting an entry at or below its commit index, or committing past its log', () => {
    const { c } = fresh();
    c.onHandOut(1, ready({ entries: [ent(1, 1), ent(1, 2)], hardState: { term: 1, vote: 0, commit: 1 } }), status(1, 1, 'follower'));
    c.onHandOut(1, ready({ entries: [ent(2, 2)] }), status(1, 2, 'follower'));
    expect(kinds(c)).toEqual([]);
    c.onHandOut(1, ready({ entries: [ent(3, 1)] }), status(1, 3, 'follower'));
    expect(kinds(c)).toEqual(['committed-lost']);
    c.onHandOut(2, ready({ entries: [ent(1, 1)], hardState: { term: 1, vote: 0, commit: 5 } }), status(2, 1, 'follower'));
    expect(kinds(c)).toEqual(['committed-lost', 'committed-lost']);
  });

  it('state-machine-safety: two replicas applying different entries at one index', () => {
    const { c } = fresh();
    const a = new App();
    const b = new App();
    c.onApply(1, ent(1, 1, 1), a.apply(ent(1, 1, 1)));
    c.onApply(2, ent(1, 1, 1), b.apply(ent(1, 1, 1)));
    expect(kinds(c)).toEqual([]);
    const x = new App();
    c.onApply(3, ent(2, 1, 2), x.apply(ent(2, 1, 2)));
    expect(kinds(c)).toEqual(['state-machine-safety']);
  });

  it('state-machine-safety: a snapshot whose state disagrees with what was applied', () => {
    const { c } = fresh();
    const a = new App();
    c.onApply(1, ent(1, 1), a.apply(ent(1, 1)));
    const good: Snapshot = { meta: { index: 1, term: 1, conf: CONF }, data: a.snapshotData() };
    c.onHandOut(2, ready({ snapshot: good }), status(2, 1, 'follower'));
    expect(kinds(c)).toEqual([]);
    const bad: Snapshot = { meta: { index: 1, term: 1, conf: CONF }, data: encodeAppState({ index: 1, hash: 12345, normalEntries: 1 }) };
    c.onHandOut(3, ready({ snapshot: bad }), status(3, 1, 'follower'));
    expect(kinds(c)).toContain('state-machine-safety');
  });

  it('leader-completeness: a leader missing an entry committed in an earlier term', () => {
    const { c } = fresh();
    // Node 1 commits 1..2 in term 1.
    c.onHandOut(1, ready({ entries: [ent(1, 1), ent(1, 2)], hardState: { term: 1, vote: 1, commit: 2 } }), status(1, 1, 'leader'));
    // Node 2 leads term 2 with the same log: fine.
    c.onHandOut(2, ready({ entries: [ent(1, 1), ent(1, 2), ent(2, 3)] }), status(2, 2, 'leader'));
    expect(kinds(c)).toEqual([]);
    // Node 3 leads term 3 with only entry 1.
    c.onHandOut(3, ready({ entries: [ent(1, 1), ent(3, 2)] }), status(3, 3, 'leader'));
    expect(kinds(c)).toContain('leader-completeness');
  });

  it('commit, applied and term never go back on a live node; they may after a restart', () => {
    const { c } = fresh();
    c.onStatus(1, 1, status(1, 3, 'follower', 5, 4));
    c.onStatus(1, 2, status(1, 3, 'follower', 2, 0));
    expect(kinds(c)).toEqual([]);
    c.onStatus(1, 2, status(1, 2, 'follower', 1, 0));
    expect(kinds(c)).toEqual(['term-regressed', 'commit-regressed']);
  });

  it('vote-changed and durable regressions across writes', () => {
    const { c, disks } = fresh();
    const d = disks.get(1)!;
    d.setHardState({ term: 3, vote: 2, commit: 4 });
    c.onPersisted(1, { term: 3, vote: 0, commit: 4 }, d);
    expect(kinds(c)).toEqual([]);
    c.onPersisted(1, { term: 3, vote: 3, commit: 5 }, d);
    expect(kinds(c)).toEqual(['commit-regressed', 'vote-changed']);
  });

  it('stale-read: an answer below the commit index known when the read was asked', () => {
    const { c } = fresh();
    c.onStatus(1, 1, status(1, 2, 'leader', 7, 7));
    c.onReadAsked(2, 'r1');
    c.onReadAsked(2, 'r2');
    expect(c.onReadAnswered(2, { index: 7, context: new Uint8Array() }, 'r1')).toBe(true);
    expect(kinds(c)).toEqual([]);
    c.onReadAnswered(2, { index: 6, context: new Uint8Array() }, 'r2');
    expect(kinds(c)).toEqual(['stale-read']);
  });

  it('lost-write: a confirmed proposal that is not the committed entry', () => {
    const { c } = fresh();
    const a = new App();
    c.onApply(1, ent(2, 1), a.apply(ent(2, 1)));
    c.onConfirmed(1, 1, 2);
    expect(kinds(c)).toEqual([]);
    c.onConfirmed(1, 1, 3);
    expect(kinds(c)).toEqual(['lost-write']);
  });
});
