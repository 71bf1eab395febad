import { describe, expect, it } from 'vitest';
import { atTurnEnd } from './turn-end.js';

describe('atTurnEnd', () => {
  it('runs what one turn queued, and what those callbacks queue, in one deferral, in order', async () => {
    const seen: string[] = [];
    atTurnEnd(() => {
      seen.push('batcher');
      // The host's Ready, queued by a proposal made while flushing...
      atTurnEnd(() => {
        seen.push('ready');
        // ...and the transport's flush, queued by the Ready's messages.
        atTurnEnd(() => seen.push('transport'));
      });
    });
    atTurnEnd(() => seen.push('second'));
    // A plain setImmediate queued now runs after the whole chain: it all ran in one loop iteration.
    await new Promise<void>((r) => setImmediate(() => r()));
    expect(seen).toEqual(['batcher', 'second', 'ready', 'transport']);
  });

  it('runs nothing synchronously', () => {
    let ran = false;
    atTurnEnd(() => (ran = true));
    expect(ran).toBe(false);
  });
});
