import { describe, expect, it } from 'vitest';
import { Inbox } from './inbox.js';

describe('Inbox', () => {
  it('yields pushed items in order to an async iterator and ends', async () => {
    const taken: number[] = [];
    const ib = new Inbox<number>((x) => taken.push(x));
    ib.push(1);
    setImmediate(() => {
      ib.push(2);
      ib.push(3);
      ib.end();
    });
    const got: number[] = [];
    for await (const x of ib) got.push(x);
    expect(got).toEqual([1, 2, 3]);
    expect(taken).toEqual([1, 2, 3]);
  });

  it('throws the error it ended with after the buffered items', async () => {
    const ib = new Inbox<number>();
    ib.push(1);
    ib.end(new Error('gone'));
    const got: number[] = [];
    await expect(
      (async () => {
        for await (const x of ib) got.push(x);
      })(),
    ).rejects.toThrow('gone');
    expect(got).toEqual([1]);
  });

  it('each runs at most `concurrency` handlers at once', async () => {
    const ib = new Inbox<number>();
    for (let i = 0; i < 10; i++) ib.push(i);
    ib.end();
    let running = 0;
    let peak = 0;
    const seen: number[] = [];
    await ib.each(
      async (x) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 2));
        seen.push(x);
        running--;
      },
      { concurrency: 3 },
    );
    expect(peak).toBe(3);
    expect(seen.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('drop removes buffered items that match', async () => {
    const ib = new Inbox<number>();
    [1, 2, 3, 4].forEach((x) => ib.push(x));
    ib.drop((x) => x % 2 === 0);
    ib.end();
    const got: number[] = [];
    for await (const x of ib) got.push(x);
    expect(got).toEqual([1, 3]);
  });
});
