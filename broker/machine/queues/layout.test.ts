// The message table's and the id ring's layout against plain arrays: what
// the queue reads back is what it wrote, whatever the chunking, the run
// encoding or the version of the snapshot it came through.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Reader, Writer } from '../bytes.js';
import type { QueueMessage } from './commands.js';
import { DEFAULT_QUEUE_CONFIG } from './config.js';
import { IdQueue } from './id-queue.js';
import { QueuesMachine } from './machine.js';
import { CHUNK, MessageTable, MsgState } from './message-table.js';

describe('IdQueue (run-length encoded ring)', () => {
  it('is a FIFO with push to the back and unshift to the front, as an array is', () => {
    const op = fc.oneof(
      fc.record({ k: fc.constant('push' as const), d: fc.constantFrom(1, 1, 1, 2, 5) }),
      fc.record({ k: fc.constant('unshift' as const), d: fc.constantFrom(1, 1, 3) }),
      fc.record({ k: fc.constant('shift' as const) }),
      fc.record({ k: fc.constant('clear' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const q = new IdQueue();
        let model: number[] = [];
        let next = 1_000;
        for (const o of ops) {
          if (o.k === 'push') {
            next += o.d;
            q.push(next);
            model.push(next);
          } else if (o.k === 'unshift') {
            const id = model.length ? model[0]! - o.d : next;
            if (id < 0) continue;
            q.unshift(id);
            model.unshift(id);
          } else if (o.k === 'shift') expect(q.shift()).toBe(model.shift());
          else {
            q.clear();
            model = [];
          }
          expect(q.length).toBe(model.length);
          expect(q.peek()).toBe(model[0]);
        }
        expect([...q]).toEqual(model);
        // Through a snapshot's runs, and appended run by run: the same ids.
        const w = new Writer();
        q.writeRuns(w);
        const back = new IdQueue();
        back.readRuns(new Reader(w.finish()));
        expect([...back]).toEqual(model);
        const again = new IdQueue();
        for (const [first, count] of q.runs()) again.pushRun(first, count);
        again.pushRun(next + 1, 3);
        expect([...again]).toEqual([...model, next + 1, next + 2, next + 3]);
        expect(again.length).toBe(model.length + 3);
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it('keeps a million consecutive ids in a few slots, and ids beyond 2^32', () => {
    const q = new IdQueue();
    const base = 2 ** 40;
    for (let i = 0; i < 1_000_000; i++) q.push(base + i);
    expect(q.length).toBe(1_000_000);
    expect(q.shift()).toBe(base);
    q.unshift(base);
    q.unshift(base - 7);
    expect([...q].slice(0, 3)).toEqual([base - 7, base, base + 1]);
    expect((q as unknown as { buf: Float64Array }).buf.length).toBeLessThanOrEqual(8);
  });
});

describe('MessageTable (chunked columns)', () => {
  it('reads back every place and column, keeps far places, and drops a chunk once all of it is gone', () => {
    const t = new MessageTable();
    const ids = Array.from({ length: CHUNK * 2 + 10 }, () => t.alloc());
    for (const id of ids) {
      t.setState(id, MsgState.Ready);
      // Every 1000th is far from the chunk's first index, or has a part or slot past 16 bits.
      const far = id % 1000 === 999;
      t.setPlace(id, far ? 2 ** 45 + id : 100 + id, far ? 70_000 : id % 7, far ? 65_535 : id % 5, id * 3);
      if (id % 3 === 0) t.set('priority', id, id % 32);
    }
    for (const id of ids) {
      const far = id % 1000 === 999;
      expect([t.raftIndex(id), t.part(id), t.slot(id), t.bytes(id)]).toEqual(far ? [2 ** 45 + id, 70_000, 65_535, id * 3] : [100 + id, id % 7, id % 5, id * 3]);
      expect(t.get('priority', id)).toBe(id % 3 === 0 ? id % 32 : 0);
      expect(t.get('expiresAt', id)).toBe(0);
    }
    const chunks = (): number => (t as unknown as { chunks: Map<number, unknown> }).chunks.size;
    expect(chunks()).toBe(3);
    for (let id = 0; id < CHUNK; id++) t.release(id);
    expect(chunks()).toBe(2);
    expect(t.live).toBe(CHUNK + 10);
    expect(t.nextHeld(0)).toBe(CHUNK);
    expect([...t.ids()]).toEqual(ids.slice(CHUNK));
    const w = new Writer();
    t.write(w);
    const r = new MessageTable();
    r.read(new Reader(w.finish()));
    expect([...r.ids()].map((id) => [id, r.raftIndex(id), r.part(id), r.slot(id), r.bytes(id), r.get('priority', id)])).toEqual(
      [...t.ids()].map((id) => [id, t.raftIndex(id), t.part(id), t.slot(id), t.bytes(id), t.get('priority', id)]),
    );
    expect(r.size).toBe(t.size);
  });
});

describe('queues: a version-3 snapshot (reused row ids) read into the chunked table', () => {
  const msg = (body: string, o: Partial<QueueMessage> = {}): QueueMessage => ({ headers: [], body: new TextEncoder().encode(body), priority: 0, ttlMs: 0, delayMs: 0, id: '', group: '', ...o });

  it('delivers the same messages, in the same order, with the same counters', () => {
    const run = (restoreAs: number | undefined): string[] => {
      let m = new QueuesMachine();
      let index = 0;
      const time = 1000;
      const got: string[] = [];
      const apply = (c: Parameters<QueuesMachine['apply']>[1]): void => {
        const out = m.apply({ index: ++index, term: 1, part: 0, time }, c);
        for (const f of out.effects ?? []) if (f.effect.kind === 'deliver') for (const d of f.effect.deliveries) got.push(`${d.tag}@${d.raftIndex}:${d.slot} p${d.priority} a${d.acquired} f${d.failed}`);
      };
      apply({ op: 'declare', name: 'q', config: DEFAULT_QUEUE_CONFIG });
      for (let i = 0; i < 12; i++) apply({ op: 'publish', queue: 'q', producer: '', seq: 0, messages: [msg(`a${i}`, { priority: i % 3 }), msg(`b${i}`, { group: i % 2 ? 'g' : '' })] });
      apply({ op: 'subscribe', queue: 'q', consumer: 'c', node: 1, prefetch: 6, priority: 0 });
      const tags = got.map((s) => Number(s.split('@')[0]));
      // Holes in the ids: some acked, one requeued (back at the front), one rejected (a dead letter).
      apply({ op: 'settle', queue: 'q', consumer: 'c', outcome: 'ack', delayMs: 0, tags: [tags[0]!, tags[2]!, tags[3]!] });
      apply({ op: 'settle', queue: 'q', consumer: 'c', outcome: 'requeue', delayMs: 0, tags: [tags[1]!] });
      apply({ op: 'settle', queue: 'q', consumer: 'c', outcome: 'reject', delayMs: 0, tags: [tags[4]!] });
      if (restoreAs !== undefined) {
        const w = new Writer();
        m.writeSnapshot(w, restoreAs);
        const r = new QueuesMachine();
        r.readSnapshot(new Reader(w.finish()), restoreAs);
        m = r;
      }
      const from = got.length;
      apply({ op: 'dlq-replay', queue: 'q', max: 10 });
      // Ack what the consumer holds until nothing more comes.
      const acked = new Set([tags[0], tags[2], tags[3]]);
      for (let done = 0; done < got.length; ) {
        const held = got.slice(done).map((s) => Number(s.split('@')[0])).filter((tag) => !acked.has(tag) && tag !== tags[1] && tag !== tags[4]);
        done = got.length;
        apply({ op: 'settle', queue: 'q', consumer: 'c', outcome: 'ack', delayMs: 0, tags: held });
      }
      expect(m.info('q')!.stats).toMatchObject({ ready: 0, unacked: 0, deadLettered: 0 });
      expect(m.firstLiveIndex()).toBeUndefined();
      return got.slice(from);
    };
    const straight = run(undefined);
    expect(straight.length).toBe(15);
    expect(run(4)).toEqual(straight);
    expect(run(3)).toEqual(straight);
    expect(run(2)).toEqual(straight);
  });
});
