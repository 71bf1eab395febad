import { describe, expect, it } from 'vitest';
import type { NetworkConditions } from './network.js';
import { CALM, Network } from './network.js';
import { Rng } from './prng.js';

const net = (c: Partial<NetworkConditions> = {}, seed = 1): Network => new Network(Rng.seeded(seed), { ...CALM, ...c });
const IDS = [1, 2, 3, 4, 5];

describe('Network', () => {
  it('delivers within the delay bounds, in order on a FIFO link', () => {
    const n = net({ minDelay: 1, maxDelay: 30 });
    let last = 0;
    for (let t = 0; t < 500; t++) {
      const times = n.send(1, 2, t);
      expect(times).toHaveLength(1);
      const at = times[0]!;
      expect(at).toBeGreaterThanOrEqual(Math.max(t + 1, last));
      last = at;
    }
  });

  it('reorders when reordering is on', () => {
    const n = net({ minDelay: 1, maxDelay: 30, reorder: true });
    const times: number[] = [];
    for (let t = 0; t < 200; t++) times.push(n.send(1, 2, t)[0]!);
    const inversions = times.filter((x, i) => i > 0 && x < times[i - 1]!).length;
    expect(inversions).toBeGreaterThan(10);
  });

  it('drops and duplicates at the configured rates', () => {
    expect(net({ dropRate: 1 }).send(1, 2, 0)).toEqual([]);
    expect(net({ dupRate: 1 }).send(1, 2, 0)).toHaveLength(2);
    const n = net({ dropRate: 0.25 });
    let lost = 0;
    for (let i = 0; i < 4000; i++) if (n.send(1, 2, i).length === 0) lost++;
    expect(lost).toBeGreaterThan(850);
    expect(lost).toBeLessThan(1150);
    expect(n.stats.dropped).toBe(lost);
  });

  it('holds back some messages for long when asked', () => {
    const n = net({ maxDelay: 5, longDelayRate: 0.5, longDelayMax: 400, reorder: true });
    const late = Array.from({ length: 200 }, (_, i) => n.send(1, 2, 0)[0]! + i * 0).filter((t) => t > 5);
    expect(late.length).toBeGreaterThan(50);
  });

  it('symmetric split blocks both ways between the sides and nothing within them', () => {
    const n = net();
    n.split([1, 2], [3, 4, 5]);
    expect(n.isBlocked(1, 3)).toBe(true);
    expect(n.isBlocked(3, 1)).toBe(true);
    expect(n.isBlocked(1, 2)).toBe(false);
    expect(n.isBlocked(4, 5)).toBe(false);
    expect(n.send(1, 3, 0)).toEqual([]);
    expect(n.stats.blocked).toBe(1);
  });

  it('asymmetric cuts block one direction only', () => {
    const n = net();
    n.block(1, 2);
    expect(n.isBlocked(1, 2)).toBe(true);
    expect(n.isBlocked(2, 1)).toBe(false);
  });

  it('loses a message in flight when its link is cut before it arrives, and heals', () => {
    const n = net();
    expect(n.send(1, 2, 0)).toHaveLength(1);
    n.isolate(2, IDS);
    expect(n.arrives(1, 2)).toBe(false);
    n.heal();
    expect(n.arrives(1, 2)).toBe(true);
    expect(n.send(1, 2, 0)).toHaveLength(1);
  });

  it('isolates the leader in every direction', () => {
    const n = net();
    n.partitionBy('leader-isolated', IDS, 3);
    for (const o of [1, 2, 4, 5]) {
      expect(n.isBlocked(3, o)).toBe(true);
      expect(n.isBlocked(o, 3)).toBe(true);
      expect(n.isBlocked(o, o === 1 ? 2 : 1)).toBe(false);
    }
  });

  it('makes a leader deaf (it talks, nobody answers) or mute (it hears, nobody hears it)', () => {
    const n = net();
    n.partitionBy('leader-deaf', IDS, 1);
    expect(n.isBlocked(1, 2)).toBe(false);
    expect(n.isBlocked(2, 1)).toBe(true);
    n.partitionBy('leader-mute', IDS, 1);
    expect(n.isBlocked(1, 2)).toBe(true);
    expect(n.isBlocked(2, 1)).toBe(false);
  });

  it('puts the leader in a minority, and splits minority from majority', () => {
    for (let seed = 1; seed < 20; seed++) {
      const n = net({}, seed);
      n.partitionBy('leader-minority', IDS, 4);
      const withLeader = IDS.filter((x) => x === 4 || !n.isBlocked(4, x));
      expect(withLeader.length).toBeLessThanOrEqual(2);
      n.partitionBy('minority-majority', IDS, 0);
      const sides = IDS.map((x) => IDS.filter((y) => y === x || !n.isBlocked(x, y)).length).sort();
      expect(sides).toEqual([2, 2, 3, 3, 3]);
    }
  });

  it('keeps a bridge node connected to both halves', () => {
    for (let seed = 1; seed < 20; seed++) {
      const n = net({}, seed);
      n.partitionBy('bridge', IDS, 0);
      const bridge = IDS.find((x) => IDS.every((y) => !n.isBlocked(x, y) && !n.isBlocked(y, x)));
      expect(bridge).toBeDefined();
      const blockedPairs = IDS.flatMap((x) => IDS.filter((y) => n.isBlocked(x, y))).length;
      expect(blockedPairs).toBeGreaterThan(0);
    }
  });

  it('falls back to a symmetric split when a leader-relative kind has no leader', () => {
    const n = net();
    const desc = n.partitionBy('leader-isolated', IDS, 0);
    expect(desc.startsWith('split')).toBe(true);
  });

  it('is deterministic for a seed', () => {
    const run = (seed: number): number[] => {
      const n = net({ dropRate: 0.1, dupRate: 0.1, reorder: true, maxDelay: 50 }, seed);
      const out: number[] = [];
      for (let i = 0; i < 300; i++) out.push(...n.send(1 + (i % 3), 2, i), -1);
      return out;
    };
    expect(run(5)).toEqual(run(5));
    expect(run(5)).not.toEqual(run(6));
  });
});
