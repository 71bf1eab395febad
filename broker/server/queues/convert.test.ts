import { describe, expect, it } from 'vitest';
import { ClusterClock } from '../node/cluster-clock.js';
import { clusterNow, toQueueMessages } from './convert.js';

const message = (over: { delayMs?: number; deliverAtMs?: number }) => ({
  headers: [],
  body: Buffer.from('x'),
  priority: 0,
  ttlMs: 0,
  delayMs: over.delayMs ?? 0,
  messageId: '',
  group: '',
  deliverAtMs: over.deliverAtMs ?? 0,
});

describe('toQueueMessages', () => {
  it('turns deliver_at_ms into a delay from the cluster time it is given, whatever this node wall clock says', () => {
    const now = 1_800_000_000_000;
    const [m] = toQueueMessages([message({ deliverAtMs: now + 5_000 })], now);
    expect(m!.delayMs).toBe(5_000);
    // A time already past is due now; the later of delay_ms and deliver_at_ms wins.
    expect(toQueueMessages([message({ deliverAtMs: now - 1 })], now)[0]!.delayMs).toBe(0);
    expect(toQueueMessages([message({ deliverAtMs: now + 100, delayMs: 300 })], now)[0]!.delayMs).toBe(300);
  });

  it('reads the cluster time from the group clock: a node whose wall clock is two minutes ahead converts as the cluster does', () => {
    let wall = 1_800_000_000_000 + 120_000;
    let mono = 10_000;
    const clock = new ClusterClock({ wall: () => wall, mono: () => mono });
    // The leader's entries said 1 800 000 000 000 was the time a moment ago.
    clock.leaderKnown(3);
    clock.applied(1_800_000_000_000, 3);
    mono += 1_000;
    wall += 1_000;
    const now = clusterNow({ clock, machines: { now: 1_800_000_000_000 } as never });
    // 1 s of monotonic time later, slewed toward the wall by at most 200 ppm: not 2 minutes ahead.
    expect(now).toBeGreaterThanOrEqual(1_800_000_001_000);
    expect(now).toBeLessThanOrEqual(1_800_000_001_001);
    const [m] = toQueueMessages([message({ deliverAtMs: 1_800_000_011_000 })], now);
    expect(m!.delayMs).toBeGreaterThanOrEqual(9_999);
    expect(m!.delayMs).toBeLessThanOrEqual(10_000);
  });
});
