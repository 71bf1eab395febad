import { describe, expect, it } from 'vitest';
import { Rng, hashString } from './prng.js';
import { Scheduler } from './scheduler.js';

const draw = (r: Rng, n = 64): number[] => Array.from({ length: n }, () => r.nextU32());

describe('Rng', () => {
  it('gives the same sequence for the same seed and different ones for different seeds', () => {
    expect(draw(Rng.seeded(42))).toEqual(draw(Rng.seeded(42)));
    expect(draw(Rng.seeded(42))).not.toEqual(draw(Rng.seeded(43)));
    // Both halves of a large seed count.
    expect(draw(Rng.seeded(2 ** 40 + 1))).not.toEqual(draw(Rng.seeded(1)));
  });

  it('forks streams that do not depend on how much the parent has drawn', () => {
    const fresh = Rng.seeded(7);
    const used = Rng.seeded(7);
    draw(used, 1000);
    expect(draw(used.fork('net'))).toEqual(draw(fresh.fork('net')));
  });

  it('forks independent streams: drawing from one leaves the others unchanged', () => {
    const a = Rng.seeded(7);
    const net1 = a.fork('net');
    const wl1 = a.fork('workload');
    draw(net1, 500);
    const b = Rng.seeded(7);
    expect(draw(wl1)).toEqual(draw(b.fork('workload')));
  });

  it('gives different streams for different labels and different seeds', () => {
    const r = Rng.seeded(7);
    expect(draw(r.fork('a'))).not.toEqual(draw(r.fork('b')));
    expect(draw(r.fork('a'))).not.toEqual(draw(Rng.seeded(8).fork('a')));
    expect(draw(r.fork('a'))).not.toEqual(draw(r));
  });

  it('draws integers in range, roughly uniformly', () => {
    const r = Rng.seeded(1);
    const counts = new Array<number>(10).fill(0);
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < 100_000; i++) {
      const x = r.nextInt(10);
      min = Math.min(min, x);
      max = Math.max(max, x);
      counts[x]!++;
    }
    expect([min, max]).toEqual([0, 9]);
    expect(counts.every(Number.isInteger)).toBe(true);
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(600);
    for (let i = 0; i < 1000; i++) {
      const y = r.range(-3, 3);
      expect(y).toBeGreaterThanOrEqual(-3);
      expect(y).toBeLessThanOrEqual(3);
    }
  });

  it('shuffles into a permutation and respects zero weights', () => {
    const r = Rng.seeded(3);
    const xs = [1, 2, 3, 4, 5, 6, 7, 8];
    expect(r.shuffled(xs).sort()).toEqual(xs);
    for (let i = 0; i < 200; i++) expect(r.weighted([[0, 'never'], [1, 'always']])).toBe('always');
    expect(r.chance(0)).toBe(false);
    expect(r.chance(1)).toBe(true);
  });

  it('hashes labels stably', () => {
    expect(hashString('node/1')).toBe(hashString('node/1'));
    expect(hashString('node/1')).not.toBe(hashString('node/2'));
  });
});

describe('Scheduler', () => {
  it('runs events by virtual time, then in the order they were scheduled', () => {
    const s = new Scheduler<string>();
    s.at(5, 'c');
    s.at(1, 'a');
    s.at(5, 'd');
    s.at(3, 'b');
    s.at(5, 'e');
    const out: string[] = [];
    const times: number[] = [];
    for (let e = s.pop(); e !== undefined; e = s.pop()) {
      out.push(e);
      times.push(s.now());
    }
    expect(out).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(times).toEqual([1, 3, 5, 5, 5]);
  });

  it('never schedules into the past', () => {
    const s = new Scheduler<number>();
    s.at(10, 1);
    s.pop();
    s.at(4, 2);
    s.after(0, 3);
    expect(s.pop()).toBe(2);
    expect(s.now()).toBe(10);
    expect(s.pop()).toBe(3);
  });

  it('keeps heap order over many random events', () => {
    const r = Rng.seeded(9);
    const s = new Scheduler<number>();
    for (let i = 0; i < 2000; i++) s.at(r.nextInt(100), i);
    let lastT = -1;
    let lastSeq = -1;
    for (let e = s.pop(); e !== undefined; e = s.pop()) {
      const t = s.now();
      expect(t).toBeGreaterThanOrEqual(lastT);
      if (t === lastT) expect(e).toBeGreaterThan(lastSeq);
      lastT = t;
      lastSeq = e;
    }
  });
});
