import { describe, expect, it } from 'vitest';
import { IdQueue } from './id-queue.js';

describe('IdQueue', () => {
  it('keeps FIFO order across growth, also when the ring has wrapped', () => {
    for (const extra of [0, 20, 100]) {
      const q = new IdQueue();
      const model: number[] = [];
      let next = 0;
      // Wrap the head past the end of the first buffer, then grow while wrapped.
      for (let i = 0; i < 12; i++) (q.push(next), model.push(next++));
      for (let i = 0; i < 10; i++) expect(q.shift()).toBe(model.shift());
      for (let i = 0; i < 12; i++) (q.push(next), model.push(next++));
      q.unshift(999);
      model.unshift(999);
      for (let i = 0; i < 40 + extra; i++) (q.push(next), model.push(next++));
      expect([...q]).toEqual(model);
      expect(q.length).toBe(model.length);
    }
  });
});
