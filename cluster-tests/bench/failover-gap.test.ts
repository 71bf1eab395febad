import { describe, expect, it } from 'vitest';
import { failoverGap } from './failover-gap.js';

describe('failover gap', () => {
  const t0 = 1000;
  it('ignores confirms from before the kill and from the killed leader', () => {
    const confirms = [
      { at: 990, leader: 2 },
      { at: 1001, leader: 1 }, // the old leader's answer, already on its way
      { at: 1450, leader: 3 },
      { at: 1300, leader: 3 }, // out of order: the earliest counts
    ];
    expect(failoverGap(t0, 1, confirms, []).confirmMs).toBe(300);
  });

  it('counts a delivery only when the new leader must have made it', () => {
    const deliveries = [
      { at: 1002, sentAt: 980, redelivered: false }, // in flight at the kill
      { at: 1600, sentAt: 1500, redelivered: false }, // published after the kill
      { at: 1400, sentAt: 900, redelivered: true }, // returned by a lost consumer
      { at: 999, sentAt: 998, redelivered: true }, // before the kill
    ];
    expect(failoverGap(t0, 1, [], deliveries).deliveryMs).toBe(400);
  });

  it('says undefined while nothing counts yet', () => {
    expect(failoverGap(t0, 1, [{ at: 1100, leader: 1 }], [{ at: 1100, sentAt: 999, redelivered: false }])).toEqual({ confirmMs: undefined, deliveryMs: undefined });
  });
});
