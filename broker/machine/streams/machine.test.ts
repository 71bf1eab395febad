import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Reader, Writer } from '../bytes.js';
import type { StreamConfig } from './config.js';
import { DEFAULT_STREAM_CONFIG } from './config.js';
import type { StreamCommand, StreamMessage } from './commands.js';
import { decodeAppendedMessages, decodeStreamCommand, encodeStreamCommand } from './commands.js';
import { QueryError } from '../api.js';
import { StreamsMachine } from './machine.js';
import { RECENT_PER_PRODUCER } from '../producers.js';

const msg = (s: string, headers: [string, string][] = []): StreamMessage => ({ headers, body: new TextEncoder().encode(s) });
const cfg = (o: Partial<StreamConfig> = {}): StreamConfig => ({ ...DEFAULT_STREAM_CONFIG, ...o });

/** Applies commands at consecutive Raft indexes, as the log would, with the leader time `time`. */
class Harness {
  readonly m = new StreamsMachine();
  index = 0;
  time = 1000;
  apply(c: StreamCommand, time = this.time) {
    // Every command goes through the codec, as it does through the log.
    // The raw time: the machine must cope with a leader clock that goes back.
    this.time = Math.max(this.time, time);
    return this.m.apply({ index: ++this.index, term: 1, part: 0, time }, decodeStreamCommand(encodeStreamCommand(c))).reply;
  }
  append(stream: string, bodies: string[], opts: { producer?: string; seq?: number; time?: number } = {}) {
    return this.apply({ op: 'append', stream, producer: opts.producer ?? '', seq: opts.seq ?? 0, messages: bodies.map((b) => msg(b)) }, opts.time ?? this.time);
  }
  /** An entry that carries only time, as the registry applies it: a tick when a deadline passed. */
  tick(time: number): void {
    this.time = Math.max(this.time, time);
    this.index++;
    const d = this.m.nextDeadline();
    if (d !== undefined && d <= this.time) this.m.tick(this.time);
  }
}

describe('declaring streams', () => {
  it('creates once, accepts the same settings again, and names the setting that differs', () => {
    const h = new Harness();
    expect(h.apply({ op: 'declare', name: 'orders', config: cfg() })).toEqual({ ok: true, kind: 'declared', created: true });
    expect(h.apply({ op: 'declare', name: 'orders', config: cfg() })).toEqual({ ok: true, kind: 'declared', created: false });
    const r = h.apply({ op: 'declare', name: 'orders', config: cfg({ maxMessages: 5 }) });
    expect(r).toMatchObject({ ok: false, code: 'failed-precondition' });
    expect(!r.ok && r.message).toContain('maxMessages');
  });

  it.each([
    ['', 'must not be empty'],
    ['-leading-dash', 'must start with'],
    ['has space', 'may contain only'],
    ['x'.repeat(201), 'the limit is 200'],
  ])('refuses the name %j', (name, why) => {
    const r = new Harness().apply({ op: 'declare', name, config: cfg() });
    expect(r).toMatchObject({ ok: false, code: 'invalid-argument' });
    expect(!r.ok && r.message).toContain(why);
  });

  it('refuses inconsistent limits', () => {
    const r = new Harness().apply({ op: 'declare', name: 's', config: cfg({ maxBytes: 10, maxMessageBytes: 100 }) });
    expect(r).toMatchObject({ ok: false, code: 'invalid-argument' });
  });

  it('deletes, and reports an unknown stream as not found', () => {
    const h = new Harness();
    h.apply({ op: 'declare', name: 's', config: cfg() });
    expect(h.apply({ op: 'delete', name: 's' })).toEqual({ ok: true, kind: 'deleted' });
    expect(h.apply({ op: 'delete', name: 's' })).toMatchObject({ ok: false, code: 'not-found' });
    expect(h.append('s', ['x'])).toMatchObject({ ok: false, code: 'not-found' });
  });
});

describe('appending', () => {
  it('gives a batch contiguous offsets, all or nothing', () => {
    const h = new Harness();
    h.apply({ op: 'declare', name: 's', config: cfg({ maxMessageBytes: 4 }) });
    expect(h.append('s', ['a', 'b', 'c'])).toMatchObject({ ok: true, firstOffset: 0, count: 3 });
    // One oversized message refuses the whole batch.
    const r = h.append('s', ['d', 'too-long']);
    expect(r).toMatchObject({ ok: false, code: 'invalid-argument' });
    expect(!r.ok && r.message).toContain('maxMessageBytes is 4');
    expect(h.append('s', ['e'])).toMatchObject({ ok: true, firstOffset: 3, count: 1 });
    expect(h.m.info('s')).toMatchObject({ firstOffset: 0, lastOffset: 3, messages: 4, bytes: 4 });
  });

  it('stamps timestamps that never go backwards, even if the leader clock does', () => {
    const h = new Harness();
    h.apply({ op: 'declare', name: 's', config: cfg() });
    const a = h.append('s', ['a'], { time: 5000 });
    const b = h.append('s', ['b'], { time: 4000 });
    expect(a.ok && a.kind === 'appended' && b.ok && b.kind === 'appended' && b.timestamp >= a.timestamp).toBe(true);
  });

  it('refuses with RESOURCE_EXHAUSTED at a limit when the policy is reject', () => {
    const h = new Harness();
    h.apply({ op: 'declare', name: 's', config: cfg({ maxMessages: 2, discard: 'reject' }) });
    h.append('s', ['a', 'b']);
    const r = h.append('s', ['c']);
    expect(r).toMatchObject({ ok: false, code: 'resource-exhausted' });
    expect(h.m.info('s')?.messages).toBe(2);
  });
});

describe('idempotent producers', () => {
  it('returns the original offsets for a retry and stores nothing twice', () => {
    const h = new Harness();
    h.apply({ op: 'declare', name: 's', config: cfg() });
    const first = h.append('s', ['a', 'b'], { producer: 'p1', seq: 7 });
    h.append('s', ['other']);
    const retry = h.append('s', ['a', 'b'], { producer: 'p1', seq: 7 });
    expect(first).toMatchObject({ ok: true, firstOffset: 0, count: 2, duplicate: false });
    expect(retry).toMatchObject({ ok: true, firstOffset: 0, count: 2, duplicate: true });
    expect(h.m.info('s')?.messages).toBe(3);
  });

  it('refuses a gap and a reuse older than the remembered window', () => {
    const h = new Harness();
    h.apply({ op: 'declare', name: 's', config: cfg() });
    h.append('s', ['a'], { producer: 'p', seq: 0 });
    const gap = h.append('s', ['b'], { producer: 'p', seq: 2 });
    expect(gap).toMatchObject({ ok: false, code: 'failed-precondition' });
    expect(!gap.ok && gap.message).toContain('next expected is 1');
    for (let s = 1; s <= RECENT_PER_PRODUCER + 1; s++) h.append('s', ['x'], { producer: 'p', seq: s });
    const old = h.append('s', ['a'], { producer: 'p', seq: 0 });
    expect(old).toMatchObject({ ok: false, code: 'failed-precondition' });
  });

  it('refuses a sequence reused with other messages instead of answering duplicate and dropping them', () => {
    const h = new Harness();
    h.apply({ op: 'declare', name: 's', config: cfg() });
    h.append('s', ['a', 'b'], { producer: 'p', seq: 3 });
    const other = h.append('s', ['c'], { producer: 'p', seq: 3 });
    expect(other).toMatchObject({ ok: false, code: 'failed-precondition' });
    expect(!other.ok && other.message).toBe('producer "p" reused sequence 3 with other messages than the 2 stored at offset 0: a retry must resend the same messages; new messages need the next sequence (4)');
    const headers = h.apply({ op: 'append', stream: 's', producer: 'p', seq: 3, messages: [msg('a', [['k', 'v']]), msg('b')] });
    expect(headers).toMatchObject({ ok: false, code: 'failed-precondition' });
    expect(h.append('s', ['a', 'b'], { producer: 'p', seq: 3 })).toMatchObject({ ok: true, duplicate: true, firstOffset: 0, count: 2 });
    expect(h.m.info('s')?.messages).toBe(2);
  });

  it('keeps the checksums in its snapshot and still reads a version-1 snapshot (whose records match any retry)', () => {
    const h = new Harness();
    h.apply({ op: 'declare', name: 's', config: cfg() });
    h.append('s', ['a'], { producer: 'p', seq: 0 });
    const w = new Writer();
    h.m.writeSnapshot(w);
    const restored = new StreamsMachine();
    restored.readSnapshot(new Reader(w.finish()), 3);
    const at = { index: 10, term: 1, part: 0, time: 2000 };
    expect(restored.apply(at, { op: 'append', stream: 's', producer: 'p', seq: 0, messages: [msg('z')] }).reply).toMatchObject({ ok: false, code: 'failed-precondition' });

    // Version 1: the same layout without the checksum after each remembered sequence.
    const v1 = new Writer().u53(1000).u32(1).str('s').u53(1);
    v1.u53(0).u53(0).u53(0).u53(DEFAULT_STREAM_CONFIG.maxMessageBytes).u53(DEFAULT_STREAM_CONFIG.dedupWindowMs).u8(0);
    v1.u53(1).u53(0).u53(1).u53(1000).u32(1).u53(0).u53(2).u32(0).u53(1).u53(1000).u53(1);
    v1.u32(1).str('p').u53(0).u53(1000).u32(1).u53(0).u53(0).u53(1);
    v1.u32(0);
    const old = new StreamsMachine();
    old.readSnapshot(new Reader(v1.finish()), 1);
    expect(old.info('s')).toMatchObject({ messages: 1, producers: 1 });
    expect(old.apply(at, { op: 'append', stream: 's', producer: 'p', seq: 0, messages: [msg('z')] }).reply).toMatchObject({ ok: true, duplicate: true, firstOffset: 0 });
  });

  it('forgets a producer after the dedup window', () => {
    const h = new Harness();
    h.apply({ op: 'declare', name: 's', config: cfg({ dedupWindowMs: 1000 }) });
    h.append('s', ['a'], { producer: 'p', seq: 5, time: 1000 });
    h.tick(3000);
    expect(h.m.info('s')?.producers).toBe(0);
    // Unknown again: any sequence starts it afresh.
    expect(h.append('s', ['b'], { producer: 'p', seq: 0, time: 3001 })).toMatchObject({ ok: true, duplicate: false });
  });
});

describe('retention', () => {
  it('by count, bytes and age drops whole old batches and moves the first offset', () => {
    const h = new Harness();
    h.apply({ op: 'declare', name: 'c', config: cfg({ maxMessages: 3 }) });
    for (const b of ['a', 'b', 'c', 'd', 'e']) h.append('c', [b]);
    expect(h.m.info('c')).toMatchObject({ firstOffset: 2, lastOffset: 4, messages: 3 });

    h.apply({ op: 'declare', name: 'b', config: cfg({ maxBytes: 10, maxMessageBytes: 5 }) });
    for (let i = 0; i < 6; i++) h.append('b', ['xxxx']);
    expect(h.m.info('b')).toMatchObject({ firstOffset: 4, messages: 2, bytes: 8 });

    h.apply({ op: 'declare', name: 'a', config: cfg({ maxAgeMs: 1000 }) });
    h.append('a', ['old'], { time: 10_000 });
    h.append('a', ['new'], { time: 10_800 });
    h.tick(11_500);
    expect(h.m.info('a')).toMatchObject({ firstOffset: 1, messages: 1 });
  });

  it('answers a read below the first retained offset with OUT_OF_RANGE naming the first offset', () => {
    const h = new Harness();
    h.apply({ op: 'declare', name: 's', config: cfg({ maxMessages: 1 }) });
    h.append('s', ['a']);
    h.append('s', ['b']);
    try {
      h.m.readPlan('s', 0, 10);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(QueryError);
      expect((e as QueryError).code).toBe('out-of-range');
      expect((e as Error).message).toContain('first available offset is 1');
    }
  });

  it('reports the lowest Raft index still needed, across streams', () => {
    const h = new Harness();
    h.apply({ op: 'declare', name: 'x', config: cfg({ maxMessages: 1 }) }); // index 1
    h.apply({ op: 'declare', name: 'y', config: cfg() }); // index 2
    h.append('x', ['1']); // 3
    h.append('y', ['2']); // 4
    h.append('x', ['3']); // 5: drops index 3
    expect(h.m.firstLiveIndex()).toBe(4);
    // Every retained batch's entry, for sparse compaction: not 3, which retention dropped.
    expect([...h.m.liveIndexes()].sort((a, b) => a - b)).toEqual([4, 5]);
  });
});

describe('appends that share a Raft entry', () => {
  it('are separate batches: each is found by its position and retained on its own', () => {
    const m = new StreamsMachine();
    const meta = (index: number, part: number) => ({ index, term: 1, part, time: 1000 });
    m.apply(meta(1, 0), { op: 'declare', name: 's', config: cfg({ maxMessages: 3 }) });
    const app = (index: number, part: number, body: string) => m.apply(meta(index, part), { op: 'append', stream: 's', producer: '', seq: 0, messages: [msg(body)] });
    const outs = [app(2, 0, 'a'), app(2, 1, 'b'), app(2, 2, 'c'), app(2, 3, 'd')];
    expect(outs.map((o) => o.reply)).toMatchObject([{ firstOffset: 0 }, { firstOffset: 1 }, { firstOffset: 2 }, { firstOffset: 3 }]);
    // A limit of 3 drops one message, not the whole entry's worth.
    expect(m.info('s')).toMatchObject({ firstOffset: 1, messages: 3 });
    expect(m.readPlan('s', 1, 10).map((sp) => [sp.raftIndex, sp.part, sp.skip, sp.take])).toEqual([
      [2, 1, 0, 1],
      [2, 2, 0, 1],
      [2, 3, 0, 1],
    ]);
    // Every node is told where each batch is, so its read cache can keep the decoded messages.
    expect(outs[3]!.effects).toEqual([{ on: 'every-node', effect: { kind: 'appended', index: 2, part: 3, messages: [msg('d')] } }]);
  });
});

describe('time', () => {
  it('asks for a tick only while something can expire, and the tick expires it', () => {
    const h = new Harness();
    h.apply({ op: 'declare', name: 's', config: cfg({ maxAgeMs: 1000 }) });
    expect(h.m.nextDeadline()).toBeUndefined();
    h.append('s', ['a'], { time: 5000 });
    expect(h.m.nextDeadline()).toBe(6001);
    h.tick(6000);
    expect(h.m.info('s')?.messages).toBe(1);
    h.tick(6001);
    expect(h.m.info('s')?.messages).toBe(0);
    expect(h.m.nextDeadline()).toBeUndefined();
    h.append('s', ['b'], { producer: 'p', seq: 1, time: 7000 });
    // The dedup window (2 min by default) or the message's age, whichever comes first.
    expect(h.m.nextDeadline()).toBe(8001);
  });
});

describe('reading', () => {
  it('plans spans across batches with skip and take', () => {
    const h = new Harness();
    h.apply({ op: 'declare', name: 's', config: cfg() }); // 1
    h.append('s', ['a', 'b', 'c']); // 2: offsets 0-2
    h.append('s', ['d']); // 3: offset 3
    h.append('s', ['e', 'f']); // 4: offsets 4-5
    expect(h.m.readPlan('s', 1, 4).map((s) => [s.raftIndex, s.skip, s.take])).toEqual([
      [2, 1, 2],
      [3, 0, 1],
      [4, 0, 1],
    ]);
    expect(h.m.readPlan('s', 6, 10)).toEqual([]);
    expect(h.m.offsetAtTime('s', 0)).toBe(0);
  });

  it('decodes an append entry back into its messages, headers included', () => {
    const data = encodeStreamCommand({ op: 'append', stream: 's', producer: '', seq: 0, messages: [msg('hi', [['k', 'v']])] });
    expect(decodeAppendedMessages(data)).toEqual([msg('hi', [['k', 'v']])]);
  });

  it('keeps named consumers offsets, within the stream', () => {
    const h = new Harness();
    h.apply({ op: 'declare', name: 's', config: cfg() });
    h.append('s', ['a', 'b']);
    expect(h.apply({ op: 'commit-offset', stream: 's', consumer: 'billing', offset: 2 })).toMatchObject({ ok: true });
    expect(h.m.consumerOffset('s', 'billing')).toBe(2);
    expect(h.apply({ op: 'commit-offset', stream: 's', consumer: 'billing', offset: 3 })).toMatchObject({ ok: false, code: 'out-of-range' });
  });
});

// A naive model: every message as an object in an array, retention by count.
describe('against a naive model (property)', () => {
  const command = fc.oneof(
    fc.record({ kind: fc.constant('append' as const), n: fc.integer({ min: 1, max: 4 }), producer: fc.constantFrom('', 'p', 'q'), retry: fc.boolean() }),
    fc.record({ kind: fc.constant('tick' as const), dt: fc.integer({ min: 0, max: 500 }) }),
    fc.record({ kind: fc.constant('read' as const), from: fc.integer({ min: 0, max: 60 }), max: fc.integer({ min: 1, max: 10 }) }),
  );

  it('offsets, retention, dedup and reads agree; a snapshot restores the same state', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 80 }), fc.integer({ min: 1, max: 12 }), (cmds, maxMessages) => {
        const h = new Harness();
        h.apply({ op: 'declare', name: 's', config: cfg({ maxMessages: maxMessages + 4 }) });
        const model: { offset: number; raftIndex: number; slot: number }[] = [];
        let next = 0;
        const seqs = new Map<string, number>();
        /** A retry resends the messages of the producer's last append. */
        const lastN = new Map<string, number>();
        const firstOf = new Map<string, number>();
        let time = 1000;
        for (const c of cmds) {
          if (c.kind === 'append') {
            const last = seqs.get(c.producer);
            const seq = c.producer && c.retry && last !== undefined ? last : (last ?? -1) + 1;
            const isRetry = c.producer && c.retry && last !== undefined;
            const n = isRetry ? lastN.get(c.producer)! : c.n;
            const r = h.append('s', Array.from({ length: n }, (_, i) => `m${i}`), { producer: c.producer, seq, time });
            expect(r.ok).toBe(true);
            if (!r.ok || r.kind !== 'appended') continue;
            if (c.producer && c.retry && last !== undefined) {
              expect(r.duplicate).toBe(true);
              expect(r.firstOffset).toBe(firstOf.get(c.producer));
              continue;
            }
            expect(r.firstOffset).toBe(next);
            for (let i = 0; i < n; i++) model.push({ offset: next + i, raftIndex: h.index, slot: i });
            next += n;
            if (c.producer) {
              lastN.set(c.producer, n);
              seqs.set(c.producer, seq);
              firstOf.set(c.producer, r.firstOffset);
            }
            // Whole batches leave from the front while over the limit.
            while (model.length > maxMessages + 4) {
              const ri = model[0]!.raftIndex;
              while (model.length && model[0]!.raftIndex === ri) model.shift();
            }
          } else if (c.kind === 'tick') {
            time += c.dt;
            h.tick(time);
          } else {
            const first = model.length ? model[0]!.offset : next;
            if (c.from < first) {
              expect(() => h.m.readPlan('s', c.from, c.max)).toThrow(QueryError);
              continue;
            }
            const got = h.m.readPlan('s', c.from, c.max).flatMap((s) => Array.from({ length: s.take }, (_, i) => [s.raftIndex, s.skip + i]));
            const want = model.filter((m) => m.offset >= c.from).slice(0, c.max).map((m) => [m.raftIndex, m.slot]);
            expect(got).toEqual(want);
          }
        }
        const w = new Writer();
        h.m.writeSnapshot(w);
        const bytes = w.finish();
        const restored = new StreamsMachine();
        restored.readSnapshot(new Reader(bytes));
        const w2 = new Writer();
        restored.writeSnapshot(w2);
        expect(w2.finish()).toEqual(bytes);
        expect(restored.info('s')).toEqual(h.m.info('s'));
      }),
      { numRuns: 300, seed: 42 },
    );
  });
});
