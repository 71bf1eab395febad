import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PlacementCache, mergePlacements, type PartitionRoute, type QueuePlacement } from './placement.js';

const route = (partition: number, group: number, leader: number, term = 1): PartitionRoute => ({
  partition,
  group,
  members: [1, 2, 3],
  leader,
  address: leader ? `n${leader}:1` : undefined,
  term,
});
/** Queue `q` in groups base+0.. with leaders 1, 2, 3, ... */
const placed = (q: string, n: number, base: number): QueuePlacement => ({ queue: q, partitions: Array.from({ length: n }, (_, p) => route(p, base + p, (p % 3) + 1)) });

describe('placement cache', () => {
  it('answers a placement until its lifetime ends, then forgets it (the next publish looks it up again)', () => {
    const c = new PlacementCache({ ttlMs: 1000 });
    c.put(placed('orders', 3, 1), 0);
    expect(c.get('orders', 999)?.partitions.map((r) => r.address)).toEqual(['n1:1', 'n2:1', 'n3:1']);
    expect(c.leaderAddress('orders', 2)).toBe('n3:1');
    expect(c.get('orders', 1000)).toBeUndefined();
    expect(c.size).toBe(0);
    // Its groups are forgotten too: an answer about them is no news.
    expect(c.observeLeader(1, 2, 'n2:1')).toBe(false);
  });

  it('a publish answer naming another leader for a cached group redirects later publishes (the refresh on a redirect)', () => {
    const c = new PlacementCache();
    c.put(placed('orders', 3, 7), 0);
    expect(c.observeLeader(8, 2, 'n2:1')).toBe(false); // already known
    expect(c.observeLeader(8, 3, 'n3:1')).toBe(true);
    expect(c.leaderAddress('orders', 1)).toBe('n3:1');
    expect(c.get('orders', 1)!.partitions[1]).toMatchObject({ group: 8, leader: 3, address: 'n3:1' });
    // A leader whose address the client does not know: publishes go through any node until a lookup.
    expect(c.observeLeader(9, 4, undefined)).toBe(true);
    expect(c.leaderAddress('orders', 2)).toBeUndefined();
    expect(c.incomplete('orders')).toBe(true);
    // Groups of no cached queue, and "no leader", change nothing.
    expect(c.observeLeader(99, 1, 'n1:1')).toBe(false);
    expect(c.observeLeader(7, 0, undefined)).toBe(false);
  });

  it('a failed address is no partition leader any more, in every queue it led, until relearnt', () => {
    const c = new PlacementCache();
    c.put(placed('a', 3, 1), 0);
    c.put(placed('b', 2, 4), 0);
    c.put(placed('plain', 0, 0), 0);
    expect(c.failed('n2:1').sort()).toEqual(['a', 'b']);
    expect(c.get('a', 1)!.partitions.map((r) => r.address)).toEqual(['n1:1', undefined, 'n3:1']);
    expect(c.get('b', 1)!.partitions.map((r) => r.address)).toEqual(['n1:1', undefined]);
    expect(c.failed('n2:1')).toEqual([]);
    expect(c.incomplete('a')).toBe(true);
    expect(c.incomplete('plain')).toBe(false);
    expect(c.observeLeader(2, 3, 'n3:1')).toBe(true);
    expect(c.leaderAddress('a', 1)).toBe('n3:1');
  });

  it('invalidate drops a queue and its groups; a new placement replaces the old groups', () => {
    const c = new PlacementCache();
    c.put(placed('a', 2, 1), 0);
    c.invalidate('a');
    expect(c.get('a', 0)).toBeUndefined();
    expect(c.observeLeader(1, 3, 'n3:1')).toBe(false);
    c.put(placed('a', 2, 1), 0);
    c.put(placed('a', 2, 10), 0);
    expect(c.observeLeader(1, 3, 'n3:1')).toBe(false);
    expect(c.observeLeader(10, 3, 'n3:1')).toBe(true);
  });

  it('refuses bounds that are not positive', () => {
    expect(() => new PlacementCache({ maxQueues: 0 })).toThrow(/maxQueues must be an integer >= 1/);
    expect(() => new PlacementCache({ ttlMs: 0 })).toThrow(/ttlMs must be > 0/);
  });

  it('keeps at most maxQueues, dropping the least recently used, with expiry, as a naive model does', () => {
    type Op = { kind: 'put' | 'get' | 'invalidate'; q: number; dt: number };
    const op = fc.record({ kind: fc.constantFrom<Op['kind']>('put', 'get', 'invalidate'), q: fc.integer({ min: 0, max: 6 }), dt: fc.integer({ min: 0, max: 400 }) });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(op, { maxLength: 60 }), (max, ops) => {
        const c = new PlacementCache({ maxQueues: max, ttlMs: 1000 });
        // The model: [queue, expires] in use order, oldest first.
        let model: Array<[string, number]> = [];
        let now = 0;
        for (const o of ops) {
          now += o.dt;
          const q = `q${o.q}`;
          const at = model.findIndex(([n]) => n === q);
          if (o.kind === 'put') {
            c.put(placed(q, 2, o.q * 10 + 1), now);
            if (at >= 0) model.splice(at, 1);
            model.push([q, now + 1000]);
            if (model.length > max) model = model.slice(model.length - max);
          } else if (o.kind === 'get') {
            const got = c.get(q, now);
            const live = at >= 0 && now < model[at]![1];
            expect(got !== undefined).toBe(live);
            if (at >= 0) {
              const e = model.splice(at, 1)[0]!;
              if (live) model.push(e);
            }
          } else {
            c.invalidate(q);
            if (at >= 0) model.splice(at, 1);
          }
          expect(c.size).toBe(model.length);
          expect(c.size).toBeLessThanOrEqual(max);
        }
        // Every queue the model holds unexpired, the cache answers with its own groups.
        for (const [q, exp] of model) if (now < exp) expect(c.get(q, now)?.partitions[0]!.group).toBe(Number(q.slice(1)) * 10 + 1);
      }),
    );
  });
});

describe('merging several nodes\' answers', () => {
  it('takes each partition\'s leader from the answer with the highest term that knows one', () => {
    const a: QueuePlacement = { queue: 'q', partitions: [route(0, 1, 1, 5), { ...route(1, 2, 0, 0) }, route(2, 3, 3, 2)] };
    const b: QueuePlacement = { queue: 'q', partitions: [route(0, 1, 2, 4), route(1, 2, 2, 3), route(2, 3, 1, 3)] };
    const m = mergePlacements([a, b])!;
    expect(m.partitions.map((r) => r.leader)).toEqual([1, 2, 1]);
    expect(mergePlacements([])).toBeUndefined();
    // An answer from a node that does not know the queue as partitioned does not hide one that does.
    expect(mergePlacements([{ queue: 'q', partitions: [] }, b])!.partitions).toHaveLength(3);
  });
});
