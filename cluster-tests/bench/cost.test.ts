import { describe, expect, it } from 'vitest';
import { costBetween, cpuSecondsBetween, merge, metricSum } from './cost.js';
import type { Counters } from './cost.js';

const c = (cpuSeconds: number, logWrites: number, peerMessages: number, leaderChanges: number): Counters => ({ cpuSeconds, logWrites, peerMessages, leaderChanges });

describe('phase cost', () => {
  it('sums what every server used, per message', () => {
    const first = new Map([[10, c(1, 100, 1000, 2)], [11, c(2, 50, 500, 2)]]);
    const last = new Map([[10, c(1.5, 300, 1400, 2)], [11, c(2.25, 150, 700, 2)]]);
    const cost = costBetween(first, last, 1000);
    expect(cost.serverCpuUs).toBeCloseTo(750); // 0.75 s over 1000 messages
    expect(cost.logWrites).toBeCloseTo(0.3);
    expect(cost.peerMessages).toBeCloseTo(0.6);
    expect(cost.leaderChanges).toBe(0);
  });

  it('keeps a killed server\'s last sample and counts a restarted one from 0', () => {
    const first = new Map([[10, c(1, 0, 0, 1)], [11, c(1, 0, 0, 1)], [12, c(1, 0, 0, 1)]]);
    // Node 10 (the leader) sampled just before it was killed...
    const beforeKill = merge(first, new Map([[10, c(1.5, 0, 0, 1)], [11, c(1.2, 0, 0, 1)], [12, c(1.2, 0, 0, 1)]]));
    // ...then gone; it came back as pid 20, which saw one leader change; the survivors saw one each.
    const last = merge(beforeKill, new Map([[11, c(1.4, 0, 0, 2)], [12, c(1.4, 0, 0, 2)], [20, c(0.3, 0, 0, 1)]]));
    const cost = costBetween(first, last, 100);
    expect(cost.serverCpuUs).toBeCloseTo(((0.5 + 0.4 + 0.4 + 0.3) * 1e6) / 100);
    expect(cost.leaderChanges).toBe(3);
  });

  it('says what CPU each server used, a server started since from 0', () => {
    const first = new Map([[10, c(1, 0, 0, 0)], [11, c(2, 0, 0, 0)]]);
    const last = new Map([[10, c(1.5, 0, 0, 0)], [11, c(2.25, 0, 0, 0)], [20, c(0.3, 0, 0, 0)]]);
    const cpu = cpuSecondsBetween(first, last);
    expect([...cpu.keys()]).toEqual([10, 11, 20]);
    expect(cpu.get(10)).toBeCloseTo(0.5);
    expect(cpu.get(11)).toBeCloseTo(0.25);
    expect(cpu.get(20)).toBeCloseTo(0.3);
  });

  it('never divides by zero messages', () => {
    const cost = costBetween(new Map(), new Map([[1, c(1, 1, 1, 0)]]), 0);
    expect(cost.serverCpuUs).toBe(1e6);
  });

  it('reads a metric summed over its label sets', () => {
    const page = ['# HELP quorumq_transport_messages_sent x', 'quorumq_transport_messages_sent{peer="2"} 7', 'quorumq_transport_messages_sent{peer="3"} 5', 'quorumq_transport_other 100'].join('\n');
    expect(metricSum(page, 'quorumq_transport_messages_sent')).toBe(12);
  });
});
