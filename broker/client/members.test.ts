import { describe, expect, it } from 'vitest';
import { Members } from './members.js';

const status = (leader: number, term: number, ids = [1, 2, 3]) => ({ leader, term, members: ids.map((id) => ({ id, clientAddress: `n${id}:700${id}` })) });

describe('Members (leader tracking)', () => {
  it('sends writes to a seed until the leader is known, then straight to the leader', () => {
    const m = new Members(['seed:1']);
    expect(m.forWrite()).toBe('seed:1');
    expect(m.observeStatus(status(2, 5))).toEqual({ id: 2, address: 'n2:7002' });
    expect(m.forWrite()).toBe('n2:7002');
    expect(m.addresses()).toEqual(['n1:7001', 'n2:7002', 'n3:7003', 'seed:1']);
  });

  it('follows the leader a write response names, and reports changes only', () => {
    const m = new Members(['seed:1']);
    m.observeStatus(status(1, 3));
    expect(m.observeLeader(1)).toBeUndefined();
    expect(m.observeLeader(3)).toEqual({ id: 3, address: 'n3:7003' });
    expect(m.forWrite()).toBe('n3:7003');
    expect(m.observeLeader(0)).toBeUndefined();
    expect(m.leader).toBe(3);
  });

  it('forgets a leader that cannot be reached and writes elsewhere meanwhile', () => {
    const m = new Members(['seed:1']);
    m.observeStatus(status(2, 4));
    expect(m.failed('n2:7002')).toEqual({ id: 0, address: undefined });
    expect(m.leader).toBe(0);
    for (let i = 0; i < 6; i++) expect(m.forWrite()).not.toBe('n2:7002');
    // It answers again: back in the rotation.
    m.answered('n2:7002');
    expect(new Set(Array.from({ length: 8 }, () => m.forRead()))).toContain('n2:7002');
  });

  it('ignores a status from an older term and drops members that left', () => {
    const m = new Members(['seed:1']);
    m.observeStatus(status(2, 7));
    expect(m.observeStatus(status(1, 6))).toBeUndefined();
    expect(m.leader).toBe(2);
    m.observeStatus(status(2, 7, [1, 2]));
    expect(m.knows(3)).toBe(false);
    expect(m.addresses()).not.toContain('n3:7003');
  });

  it('spreads reads over the healthy members in turn', () => {
    const m = new Members(['n1:7001']);
    m.observeStatus(status(1, 1));
    m.failed('n3:7003');
    const seen = Array.from({ length: 6 }, () => m.forRead());
    expect(new Set(seen)).toEqual(new Set(['n1:7001', 'n2:7002']));
  });

  it('needs a seed', () => {
    expect(() => new Members([])).toThrow(/at least one server/);
  });
});
