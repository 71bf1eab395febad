import { describe, expect, it } from 'vitest';
import { committedIndex, hasQuorum, majority, voteResult } from './quorum.js';
import { Inflights } from './tracker/inflights.js';
import { Progress } from './tracker/progress.js';

describe('quorum math', () => {
  it.each([
    [1, 1],
    [2, 2],
    [3, 2],
    [4, 3],
    [5, 3],
  ])('majority of %i is %i', (n, q) => expect(majority(n)).toBe(q));

  it.each([
    [[1], [5], 5],
    [[1, 2, 3], [5, 3, 1], 3],
    [[1, 2, 3], [0, 0, 7], 0],
    [[1, 2, 3, 4], [4, 4, 2, 1], 2],
    [[1, 2, 3, 4, 5], [9, 8, 7, 1, 1], 7],
    [[], [], 0],
  ])('voters %j with matches %j commit %i', (voters, matches, want) => {
    const m = new Map(voters.map((v, i) => [v, matches[i]!]));
    expect(committedIndex(voters, (id) => m.get(id)!)).toBe(want);
  });

  it('counts votes: won, lost and pending', () => {
    const v = [1, 2, 3, 4, 5];
    expect(voteResult(v, new Map([[1, true], [2, true], [3, true]]))).toBe('won');
    expect(voteResult(v, new Map([[1, true], [2, false], [3, false], [4, false]]))).toBe('lost');
    expect(voteResult(v, new Map([[1, true], [2, true], [3, false], [4, false]]))).toBe('pending');
    expect(hasQuorum([1, 2, 3], (id) => id !== 3)).toBe(true);
    expect(hasQuorum([1, 2, 3], (id) => id === 1)).toBe(false);
  });
});

describe('in-flight window', () => {
  it('fills, frees up to an index, and wraps around', () => {
    const f = new Inflights(3);
    f.add(10);
    f.add(20);
    f.add(30);
    expect(f.full()).toBe(true);
    expect(() => f.add(40)).toThrow(RangeError);
    f.freeLE(20);
    expect(f.count).toBe(1);
    f.add(40);
    f.add(50);
    expect(f.full()).toBe(true);
    f.freeLE(45);
    expect(f.count).toBe(1);
    f.freeFirst();
    expect(f.count).toBe(0);
  });
});

describe('follower progress', () => {
  it('probes one message at a time, then pipelines until the window is full', () => {
    const p = new Progress(11, 2, false);
    expect(p.isPaused()).toBe(false);
    p.sentEntries(15, 5);
    expect(p.isPaused()).toBe(true);
    expect(p.maybeUpdate(15)).toBe(true);
    p.becomeReplicate();
    expect(p.next).toBe(16);
    p.sentEntries(20, 5);
    p.sentEntries(25, 5);
    expect(p.isPaused()).toBe(true);
    p.inflights.freeLE(20);
    expect(p.isPaused()).toBe(false);
  });

  it('ignores a stale rejection and backs off to the hint on a fresh one', () => {
    const p = new Progress(50, 4, false);
    expect(p.maybeDecrTo(30, 10)).toBe(false); // not the probe we sent
    expect(p.maybeDecrTo(49, 10)).toBe(true);
    expect(p.next).toBe(11);
    p.match = 20;
    p.becomeReplicate();
    expect(p.maybeDecrTo(15, 0)).toBe(false); // below match: stale
    expect(p.maybeDecrTo(25, 0)).toBe(true);
    expect(p.next).toBe(21);
  });

  it('starts over from the hint when a follower rejects the probe at its own match index (it discarded damaged entries)', () => {
    const p = new Progress(66, 4, false);
    p.match = 65;
    p.becomeReplicate();
    // An append after 65 is rejected with "my log ends at 43": back to probing at match + 1.
    expect(p.maybeDecrTo(70, 43)).toBe(true);
    p.becomeProbe();
    expect(p.next).toBe(66);
    // The probe at 65 is rejected too: the follower no longer has what it acknowledged.
    expect(p.maybeDecrTo(65, 43)).toBe(true);
    expect(p.match).toBe(43);
    expect(p.next).toBe(44);
  });
});
