import { describe, expect, it } from 'vitest';
import type { Entry } from '../core/types.js';
import { OutcomeUnknownError, ProposalSupersededError, Proposals } from './proposals.js';

const entry = (index: number, term: number): Entry => ({ index, term, type: 0, data: new Uint8Array([1]) });

describe('pending proposals', () => {
  it('succeed when the entry applied at their index has their term', async () => {
    const p = new Proposals<string>();
    const [a] = p.add({ index: 5, term: 2 });
    p.applied(entry(5, 2), 'ok');
    await expect(a).resolves.toEqual({ index: 5, term: 2, result: 'ok' });
    expect(p.size).toBe(0);
  });

  it('fail as superseded when another term landed at their index', async () => {
    const p = new Proposals<string>();
    const [a] = p.add({ index: 5, term: 2 });
    p.applied(entry(5, 3), 'theirs');
    await expect(a).rejects.toBeInstanceOf(ProposalSupersededError);
  });

  it('give one promise per entry of a batch', async () => {
    const p = new Proposals<number>();
    const ps = p.add({ index: 10, term: 1 }, 3);
    for (let i = 10; i < 13; i++) p.applied(entry(i, 1), i * 2);
    expect((await Promise.all(ps)).map((r) => r.result)).toEqual([20, 22, 24]);
  });

  it('report an unknown outcome when a snapshot covers them, and only those', async () => {
    const p = new Proposals<string>();
    const [a, b] = [p.add({ index: 5, term: 2 })[0]!, p.add({ index: 9, term: 2 })[0]!];
    p.snapshotInstalled(7);
    await expect(a).rejects.toBeInstanceOf(OutcomeUnknownError);
    p.applied(entry(9, 2), 'ok');
    await expect(b).resolves.toMatchObject({ result: 'ok' });
  });

  it('report an unknown outcome for everything on failAll', async () => {
    const p = new Proposals<string>();
    const [a] = p.add({ index: 1, term: 1 });
    p.failAll('stopping');
    await expect(a).rejects.toThrow(/may or may not have been applied: stopping/);
  });
});
