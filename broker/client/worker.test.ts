import { describe, expect, it } from 'vitest';
import { endedWithoutSettle, JOB_ID_HEADER, JOB_NAME_HEADER, jobMessage } from './worker.js';

describe('worker helpers', () => {
  it('a redelivery is a stall only when an earlier delivery ended with no settle (not a nack, reject or ack timeout)', () => {
    expect(endedWithoutSettle({ redelivered: false, acquired: 1, failed: 0 })).toBe(false);
    // Second delivery after one failure (nack or ack timeout): not a stall.
    expect(endedWithoutSettle({ redelivered: true, acquired: 2, failed: 1 })).toBe(false);
    // Second delivery, nothing failed: the first consumer went away.
    expect(endedWithoutSettle({ redelivered: true, acquired: 2, failed: 0 })).toBe(true);
    // Three deliveries, one failure: one of the other two ended unsettled.
    expect(endedWithoutSettle({ redelivered: true, acquired: 3, failed: 1 })).toBe(true);
  });

  it('a job travels as JSON with its name and id in headers; jobId is also the dedup message id', () => {
    const m = jobMessage('resize', { n: 1 }, { jobId: 'r-1', priority: 3, group: 'g', delayMs: 50, ttlMs: 9 }, 'r-1');
    expect(m).toEqual({ body: '{"n":1}', headers: { [JOB_NAME_HEADER]: 'resize', [JOB_ID_HEADER]: 'r-1' }, delayMs: 50, priority: 3, group: 'g', messageId: 'r-1', ttlMs: 9 });
    expect(jobMessage('x', undefined, {}, 'id').body).toBe('null');
    expect(jobMessage('x', 1, {}, 'id').messageId).toBeUndefined();
  });
});
