import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TermRuns } from './term-runs.js';

/** A naive model: one term per index, index 0 standing for the entry before the log. */
class Naive {
  terms: number[];
  constructor(
    public prevIndex: number,
    prevTerm: number,
  ) {
    this.terms = [prevTerm];
  }
  get last(): number {
    return this.prevIndex + this.terms.length - 1;
  }
  term(i: number): number {
    return this.terms[i - this.prevIndex]!;
  }
}

describe('TermRuns', () => {
  it('answers every term like a per-index array, through appends, truncations, compactions and resets', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('append' as const), back: fc.nat(20), n: fc.integer({ min: 1, max: 30 }), bump: fc.nat(2) }),
      fc.record({ kind: fc.constant('compact' as const), at: fc.nat(1000) }),
      fc.record({ kind: fc.constant('reset' as const), ahead: fc.nat(50) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const runs = new TermRuns(0, 0);
        let model = new Naive(0, 0);
        // Mirror of the persisted run keys, kept up to date through the change callbacks.
        const stored = new Map<number, number>();
        const changes = { added: (s: number, t: number) => stored.set(s, t), removed: (s: number) => stored.delete(s) };
        let term = 1;
        for (const o of ops) {
          if (o.kind === 'append') {
            term += o.bump;
            const at = Math.max(model.prevIndex + 1, model.last + 1 - o.back);
            runs.truncateFrom(at, changes);
            model.terms.length = at - model.prevIndex;
            for (let i = at; i < at + o.n; i++) {
              runs.push(i, term, changes);
              model.terms.push(term);
            }
          } else if (o.kind === 'compact') {
            const to = model.prevIndex + (o.at % (model.last - model.prevIndex + 1));
            runs.compact(to, model.term(to), changes);
            model.terms = model.terms.slice(to - model.prevIndex);
            model.prevIndex = to;
          } else {
            term++;
            const at = model.last + o.ahead;
            runs.reset(at, term, changes);
            model = new Naive(at, term);
          }
          for (let i = model.prevIndex; i <= model.last; i++) expect(runs.term(i)).toBe(model.term(i));
          // The persisted runs alone, loaded into a fresh instance, give the same answers.
          const loaded = new TermRuns(model.prevIndex, model.term(model.prevIndex));
          loaded.load([...stored.entries()].sort((a, b) => a[0] - b[0]));
          for (let i = model.prevIndex; i <= model.last; i++) expect(loaded.term(i)).toBe(model.term(i));
          expect(runs.runs()).toEqual([...stored.entries()].sort((a, b) => a[0] - b[0]));
        }
      }),
    );
  });

  it('stays small: one run per term change', () => {
    const runs = new TermRuns(0, 0);
    const none = { added: () => undefined, removed: () => undefined };
    for (let i = 1; i <= 100_000; i++) runs.push(i, 1 + Math.floor(i / 25_000), none);
    expect(runs.count).toBe(5);
    expect(runs.term(24_999)).toBe(1);
    expect(runs.term(25_000)).toBe(2);
    expect(runs.term(100_000)).toBe(5);
  });
});
