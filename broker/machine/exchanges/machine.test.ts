import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Reply } from '../api.js';
import { Reader, Writer } from '../bytes.js';
import { buildEntry, machineCommand } from '../envelope.js';
import { createMachines } from '../machines.js';
import type { MachineRegistry } from '../registry.js';
import type { QueueCommand, QueueMessage } from '../queues/commands.js';
import { encodeQueueCommand, publishedMessageIn, QUEUES_MACHINE_ID } from '../queues/commands.js';
import { DEFAULT_QUEUE_CONFIG } from '../queues/config.js';
import type { QueueEffect } from '../queues/machine.js';
import { QueuesMachine } from '../queues/machine.js';
import type { StreamCommand } from '../streams/commands.js';
import { appendedMessagesIn, encodeStreamCommand, STREAMS_MACHINE_ID } from '../streams/commands.js';
import { DEFAULT_STREAM_CONFIG } from '../streams/config.js';
import { StreamsMachine } from '../streams/machine.js';
import type { Binding, ExchangeCommand, ExchangeType, WriteOp } from './commands.js';
import { EXCHANGES_MACHINE_ID, encodeExchangeCommand } from './commands.js';
import type { ExchangeReply } from './machine.js';
import { ExchangesMachine } from './machine.js';
import { headersMatch } from './headers-match.js';
import { topicMatches } from './topic-trie.js';

const msg = (body: string, headers: [string, string][] = []): QueueMessage => ({ headers, body: new TextEncoder().encode(body), priority: 0, ttlMs: 0, delayMs: 0, id: '', group: '' });
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

/** A registry fed entries as the host feeds it; the entries kept, to read bodies back as a node does. */
class Cluster {
  r: MachineRegistry = createMachines();
  index = 0;
  time = 1000;
  readonly entries = new Map<number, Uint8Array>();
  readonly deliveries: QueueEffect[] = [];
  constructor() {
    this.r.attach(QUEUES_MACHINE_ID, (fx) => this.deliveries.push(...(fx as QueueEffect[])));
  }
  private run(cmd: Uint8Array): Reply {
    const data = buildEntry([cmd], (this.time += 10));
    this.entries.set(++this.index, data);
    return this.r.apply({ index: this.index, term: 1, data }).replies[0]!;
  }
  x(c: ExchangeCommand): ExchangeReply {
    return this.run(machineCommand(EXCHANGES_MACHINE_ID, encodeExchangeCommand(c))) as ExchangeReply;
  }
  q(c: QueueCommand): Reply {
    return this.run(machineCommand(QUEUES_MACHINE_ID, encodeQueueCommand(c)));
  }
  s(c: StreamCommand): Reply {
    return this.run(machineCommand(STREAMS_MACHINE_ID, encodeStreamCommand(c)));
  }
  get queues(): QueuesMachine {
    return this.r.get(QueuesMachine);
  }
  get streams(): StreamsMachine {
    return this.r.get(StreamsMachine);
  }
  get exchanges(): ExchangesMachine {
    return this.r.get(ExchangesMachine);
  }
  queue(name: string, config = DEFAULT_QUEUE_CONFIG): void {
    expect(this.q({ op: 'declare', name, config })).toMatchObject({ ok: true });
  }
  stream(name: string): void {
    expect(this.s({ op: 'declare', name, config: DEFAULT_STREAM_CONFIG })).toMatchObject({ ok: true });
  }
  exchange(name: string, type: ExchangeType, alternate = ''): void {
    expect(this.x({ op: 'declare', name, type, alternate })).toMatchObject({ ok: true });
  }
  bind(source: string, kind: Binding['kind'], target: string, key = '', args: [string, string][] = []): ExchangeReply {
    return this.x({ op: 'bind', binding: { source, kind, target, key, args } });
  }
  publish(exchange: string, key: string, ms: QueueMessage[], mandatory = false): ExchangeReply {
    return this.x({ op: 'write', producer: '', seq: 0, ops: [{ op: 'route', exchange, key, mandatory, messages: ms }] });
  }
  /** The bodies queue `name` holds, in id order, read from the log as a node reads them. */
  bodies(name: string): string[] {
    return [...this.queues.queue(name)!.places()].map((p) => text(publishedMessageIn(this.entries.get(p.raftIndex)!, p.part, p.slot).body));
  }
  /** The stream's messages read back through its read plan, as a node reads them. */
  streamBodies(name: string): string[] {
    const out: string[] = [];
    for (const sp of this.streams.readPlan(name, 0, 1000)) {
      const ms = appendedMessagesIn(this.entries.get(sp.raftIndex)!, sp.part);
      for (let k = sp.skip; k < sp.skip + sp.take; k++) out.push(text(ms[sp.slot + k]!.body));
    }
    return out;
  }
}

describe('exchanges machine', () => {
  it('routes by each type, and lands a fan-out in every queue and stream from one entry', () => {
    const c = new Cluster();
    for (const q of ['q1', 'q2', 'q3']) c.queue(q);
    c.stream('audit');
    c.exchange('d', 'direct');
    c.exchange('t', 'topic');
    c.exchange('f', 'fanout');
    c.exchange('h', 'headers');
    c.bind('d', 'queue', 'q1', 'red');
    c.bind('t', 'queue', 'q2', 'orders.*.eu');
    c.bind('t', 'queue', 'q3', 'orders.#');
    c.bind('f', 'queue', 'q1');
    c.bind('f', 'queue', 'q2');
    c.bind('f', 'stream', 'audit');
    c.bind('h', 'queue', 'q3', '', [['x-match', 'any'], ['kind', 'refund']]);
    expect(c.publish('d', 'red', [msg('d1')])).toMatchObject({ ok: true, ops: [{ queues: ['q1'], streams: [] }] });
    expect(c.publish('d', 'blue', [msg('nowhere')])).toMatchObject({ ok: true, ops: [{ queues: [], unroutable: 1 }] });
    expect(c.publish('t', 'orders.new.eu', [msg('t1')])).toMatchObject({ ops: [{ queues: ['q2', 'q3'] }] });
    expect(c.publish('t', 'orders', [msg('t2')])).toMatchObject({ ops: [{ queues: ['q3'] }] });
    expect(c.publish('f', 'any', [msg('f1'), msg('f2')])).toMatchObject({ ops: [{ queues: ['q1', 'q2'], streams: ['audit'] }] });
    expect(c.publish('h', '', [msg('h1', [['kind', 'refund']]), msg('h2', [['kind', 'sale']])])).toMatchObject({ ops: [{ queues: ['q3'], unroutable: 1 }] });
    expect(c.publish('', 'q2', [msg('default')])).toMatchObject({ ops: [{ queues: ['q2'] }] });
    expect(c.bodies('q1')).toEqual(['d1', 'f1', 'f2']);
    expect(c.bodies('q2')).toEqual(['t1', 'f1', 'f2', 'default']);
    expect(c.bodies('q3')).toEqual(['t1', 't2', 'h1']);
    expect(c.streamBodies('audit')).toEqual(['f1', 'f2']);
    expect(c.exchanges.info('h')).toMatchObject({ stats: { published: 2, routed: 1, unroutable: 1 }, bindings: [{ target: 'q3', matched: 1 }] });
    expect(c.exchanges.info('t')!.bindings.map((b) => b.matched)).toEqual([1, 2]);
  });

  it('a fan-out that one target refuses lands nowhere, and moves no counter', () => {
    const c = new Cluster();
    c.queue('big');
    c.queue('small', { ...DEFAULT_QUEUE_CONFIG, maxMessages: 1 });
    c.stream('s');
    c.exchange('f', 'fanout');
    for (const [k, t] of [['queue', 'big'], ['queue', 'small'], ['stream', 's']] as const) c.bind('f', k, t);
    expect(c.publish('f', '', [msg('1')])).toMatchObject({ ok: true });
    const snap = c.r.snapshot();
    expect(c.publish('f', '', [msg('2')])).toMatchObject({ ok: false, code: 'resource-exhausted', message: expect.stringContaining('"small"') });
    expect(c.bodies('big')).toEqual(['1']);
    expect(c.streamBodies('s')).toEqual(['1']);
    expect(c.exchanges.info('f')!.stats).toEqual({ published: 1, routed: 1, unroutable: 0 });
    // Nothing anywhere changed but time.
    const after = createMachines();
    after.restore(c.r.snapshot());
    const before = createMachines();
    before.restore(snap);
    expect(after.get(QueuesMachine).info('big')!.stats).toEqual(before.get(QueuesMachine).info('big')!.stats);
    expect(after.get(StreamsMachine).info('s')!.lastOffset).toBe(0);
  });

  it('mandatory fails naming exchange and key; the alternate exchange takes what routes nowhere; exchange-to-exchange bindings follow, cycles end', () => {
    const c = new Cluster();
    c.queue('lost');
    c.queue('eu');
    c.exchange('ae', 'fanout');
    c.exchange('main', 'direct', 'ae');
    c.exchange('plain', 'direct');
    c.exchange('region', 'topic');
    c.bind('ae', 'queue', 'lost');
    c.bind('main', 'exchange', 'region', 'eu');
    c.bind('region', 'queue', 'eu', '#');
    c.bind('region', 'exchange', 'main', '#'); // a cycle
    expect(c.publish('plain', 'k1', [msg('x')], true)).toMatchObject({ ok: false, code: 'failed-precondition', message: expect.stringMatching(/exchange "plain" routes key "k1" to no queue/) });
    expect(c.publish('main', 'us', [msg('to-ae')], true)).toMatchObject({ ok: true, ops: [{ queues: ['lost'] }] });
    expect(c.publish('main', 'eu', [msg('to-eu')])).toMatchObject({ ok: true, ops: [{ queues: ['eu'] }] });
    expect(c.bodies('lost')).toEqual(['to-ae']);
    expect(c.bodies('eu')).toEqual(['to-eu']);
    // Deleting a bound exchange is refused unless forced; forced, the bindings to it go too.
    expect(c.x({ op: 'delete', name: 'region', force: false })).toMatchObject({ ok: false, code: 'failed-precondition' });
    expect(c.x({ op: 'delete', name: 'region', force: true })).toMatchObject({ ok: true, bindings: 3 });
    expect(c.exchanges.info('main')!.bindings).toEqual([]);
  });

  it('a transaction publishes and acks all or none: a settle of a tag no longer held fails it whole', () => {
    const c = new Cluster();
    c.queue('in');
    c.queue('out');
    c.stream('log');
    expect(c.q({ op: 'publish', queue: 'in', producer: '', seq: 0, messages: [msg('a'), msg('b')] })).toMatchObject({ ok: true });
    expect(c.q({ op: 'subscribe', queue: 'in', consumer: 'w', node: 1, prefetch: 10, priority: 0 })).toMatchObject({ ok: true });
    const tags = c.deliveries.flatMap((e) => (e.kind === 'deliver' ? e.deliveries.map((d) => d.tag) : []));
    expect(tags).toHaveLength(2);
    const tx = (tag: number, body: string): WriteOp[] => [
      { op: 'queue', queue: 'out', messages: [msg(body)] },
      { op: 'stream', stream: 'log', messages: [msg(body)] },
      { op: 'settle', queue: 'in', consumer: 'w', outcome: 'ack', tags: [tag] },
    ];
    expect(c.x({ op: 'write', producer: 'p', seq: 1, ops: tx(tags[0]!, 'A') })).toMatchObject({ ok: true, duplicate: false, ops: [{ queues: ['out'] }, { streams: ['log'] }, { settled: 1 }] });
    // The same write again (a retry after a leader change) applies nothing twice.
    expect(c.x({ op: 'write', producer: 'p', seq: 1, ops: tx(tags[0]!, 'A') })).toMatchObject({ ok: true, duplicate: true });
    // Acking an already acked tag fails the whole transaction: its output is not published.
    expect(c.x({ op: 'write', producer: 'p', seq: 2, ops: tx(tags[0]!, 'A2') })).toMatchObject({ ok: false, code: 'failed-precondition', message: expect.stringContaining('not held') });
    expect(c.bodies('out')).toEqual(['A']);
    expect(c.streamBodies('log')).toEqual(['A']);
    expect(c.queues.info('in')!.stats).toMatchObject({ acked: 1, unacked: 1 });
    expect(c.x({ op: 'write', producer: 'p', seq: 2, ops: tx(tags[1]!, 'B') })).toMatchObject({ ok: true });
    expect(c.bodies('out')).toEqual(['A', 'B']);
    expect(c.queues.info('in')!.stats).toMatchObject({ acked: 2, unacked: 0 });
    // A message landed by a write is delivered with its body from the write's entry.
    expect(c.q({ op: 'subscribe', queue: 'out', consumer: 'r', node: 1, prefetch: 10, priority: 0 })).toMatchObject({ ok: true });
    const out = c.deliveries.filter((e) => e.kind === 'deliver' && e.queue === 'out').flatMap((e) => (e.kind === 'deliver' ? e.deliveries : []));
    expect(out.map((d) => text(publishedMessageIn(c.entries.get(d.raftIndex)!, d.part, d.slot).body))).toEqual(['A', 'B']);
  });

  it('routes dead letters through a dead-letter exchange into every queue it reaches, or keeps them when one is full; the original key stays in x-routing-key', () => {
    const c = new Cluster();
    c.exchange('in', 'direct');
    c.exchange('dlx', 'topic');
    c.queue('src', { ...DEFAULT_QUEUE_CONFIG, deadLetterExchange: 'dlx', deadLetterRoutingKey: 'dead.src' });
    c.queue('dq1');
    c.queue('dq2', { ...DEFAULT_QUEUE_CONFIG, maxMessages: 1 });
    c.bind('in', 'queue', 'src', 'orig');
    c.bind('dlx', 'queue', 'dq1', 'dead.#');
    c.bind('dlx', 'queue', 'dq2', 'dead.src');
    expect(c.publish('in', 'orig', [msg('m1'), msg('m2')])).toMatchObject({ ok: true, ops: [{ queues: ['src'] }] });
    expect(c.q({ op: 'subscribe', queue: 'src', consumer: 'k', node: 1, prefetch: 10, priority: 0 })).toMatchObject({ ok: true });
    const tags = c.deliveries.flatMap((e) => (e.kind === 'deliver' && e.queue === 'src' ? e.deliveries.map((d) => d.tag) : []));
    expect(c.q({ op: 'settle', queue: 'src', consumer: 'k', outcome: 'reject', delayMs: 0, tags: [tags[0]!] })).toMatchObject({ ok: true });
    expect(c.bodies('dq1')).toEqual(['m1']);
    expect(c.bodies('dq2')).toEqual(['m1']);
    const p = [...c.queues.queue('dq1')!.places()][0]!;
    expect(publishedMessageIn(c.entries.get(p.raftIndex)!, p.part, p.slot).headers).toEqual([['x-routing-key', 'orig']]);
    // dq2 is full: the second dead letter goes to neither, and stays in src's own store.
    expect(c.q({ op: 'settle', queue: 'src', consumer: 'k', outcome: 'reject', delayMs: 0, tags: [tags[1]!] })).toMatchObject({ ok: true });
    expect(c.bodies('dq1')).toEqual(['m1']);
    expect(c.queues.info('src')!.stats).toMatchObject({ deadLettered: 1, deadLetterMoved: 1 });
  });

  it('bindings die with their targets: a queue deleted and declared again is not bound until bound again', () => {
    const c = new Cluster();
    c.queue('q');
    c.stream('s');
    c.exchange('f', 'fanout');
    c.bind('f', 'queue', 'q');
    c.bind('f', 'stream', 's');
    expect(c.q({ op: 'delete', name: 'q' })).toMatchObject({ ok: true });
    c.queue('q');
    expect(c.publish('f', '', [msg('1')])).toMatchObject({ ok: true, ops: [{ queues: [], streams: ['s'] }] });
    expect(c.exchanges.info('f')!.bindings.map((b) => b.target)).toEqual(['s']);
    expect(c.x({ op: 'unbind', binding: { source: 'f', kind: 'queue', target: 'q', key: '', args: [] } })).toMatchObject({ ok: false, code: 'not-found' });
    expect(c.bind('f', 'queue', 'q')).toMatchObject({ ok: true, created: true });
    expect(c.publish('f', '', [msg('2')])).toMatchObject({ ok: true, ops: [{ queues: ['q'], streams: ['s'] }] });
    // Only live bindings hold an exchange back from deletion.
    c.s({ op: 'delete', name: 's' });
    c.q({ op: 'delete', name: 'q' });
    expect(c.x({ op: 'delete', name: 'f', force: false })).toMatchObject({ ok: true, bindings: 0 });
  });

  it('refuses bad declarations and bindings with the field and the rule', () => {
    const c = new Cluster();
    c.exchange('e', 'direct');
    expect(c.x({ op: 'declare', name: 'e', type: 'topic', alternate: '' })).toMatchObject({ ok: false, code: 'failed-precondition', message: expect.stringContaining('type is direct, not topic') });
    expect(c.x({ op: 'declare', name: 'bad name', type: 'topic', alternate: '' })).toMatchObject({ ok: false, code: 'invalid-argument', message: expect.stringContaining('exchange name') });
    expect(c.bind('e', 'queue', 'nope', 'k')).toMatchObject({ ok: false, code: 'not-found', message: 'queue "nope" does not exist' });
    c.queue('q');
    expect(c.bind('e', 'queue', 'q', 'k', [['x-match', 'some']])).toMatchObject({ ok: false, code: 'invalid-argument', message: expect.stringContaining('x-match') });
    expect(c.bind('e', 'queue', 'q', 'k')).toMatchObject({ ok: true, created: true });
    expect(c.bind('e', 'queue', 'q', 'k')).toMatchObject({ ok: true, created: false });
    expect(c.x({ op: 'unbind', binding: { source: 'e', kind: 'queue', target: 'q', key: 'other', args: [] } })).toMatchObject({ ok: false, code: 'not-found' });
    expect(c.publish('missing', 'k', [msg('x')])).toMatchObject({ ok: false, code: 'not-found', message: expect.stringContaining('exchange "missing"') });
  });

  it('routes as a naive router does, and two machines fed the same log hold byte-identical snapshots (property)', () => {
    const QUEUES = ['q0', 'q1', 'q2'];
    const EXCHANGES = ['x0', 'x1', 'x2', 'x3'];
    const word = fc.constantFrom('a', 'b', '*', '#');
    const keyOf = fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 3 }).map((w) => w.join('.'));
    const patternOf = fc.array(word, { maxLength: 3 }).map((w) => w.join('.'));
    const hdrs = fc.array(fc.tuple(fc.constantFrom('h1', 'h2', 'x-h'), fc.constantFrom('1', '2')), { maxLength: 2 });
    const op = fc.oneof(
      fc.record({ k: fc.constant('bind' as const), src: fc.constantFrom(...EXCHANGES), kind: fc.constantFrom('queue' as const, 'exchange' as const), q: fc.constantFrom(...QUEUES), x: fc.constantFrom(...EXCHANGES), key: fc.oneof(keyOf, patternOf), args: hdrs, xm: fc.constantFrom('all', 'any', 'all-with-x', 'any-with-x') }),
      fc.record({ k: fc.constant('unbind' as const), n: fc.nat() }),
      fc.record({ k: fc.constant('publish' as const), x: fc.constantFrom(...EXCHANGES, ''), key: fc.oneof(keyOf, fc.constantFrom(...QUEUES)), headers: hdrs }),
      fc.record({ k: fc.constant('snapshot' as const) }),
    );
    const types: ExchangeType[] = ['direct', 'topic', 'fanout', 'headers'];
    fc.assert(
      fc.property(fc.shuffledSubarray(types, { minLength: 4, maxLength: 4 }), fc.array(op, { maxLength: 40 }), (order, ops) => {
        const c = new Cluster();
        const twin = new Cluster();
        const both = (f: (k: Cluster) => void): void => {
          f(c);
          f(twin);
        };
        both((k) => QUEUES.forEach((q) => k.queue(q)));
        // x0..x3 get the four types in a random order; x3's alternate is x0.
        both((k) => EXCHANGES.forEach((x, i) => k.exchange(x, order[i]!, i === 3 ? 'x0' : '')));
        const typeOf = new Map(EXCHANGES.map((x, i) => [x, order[i]!]));
        const model: Binding[] = [];
        const same = (a: Binding, b: Binding): boolean => a.source === b.source && a.kind === b.kind && a.target === b.target && a.key === b.key && JSON.stringify(a.args) === JSON.stringify(b.args);
        const naive = (x: string, key: string, headers: [string, string][], out: Set<string>, seen: Set<string>): void => {
          seen.add(x);
          const before = out.size;
          if (x === '') {
            if (QUEUES.includes(key)) out.add(key);
            return;
          }
          const t = typeOf.get(x)!;
          for (const b of model) {
            if (b.source !== x) continue;
            const hit = t === 'direct' ? b.key === key : t === 'topic' ? topicMatches(b.key, key) : t === 'fanout' ? true : headersMatch(b.args, headers);
            if (!hit) continue;
            if (b.kind === 'queue') out.add(b.target);
            else if (!seen.has(b.target)) naive(b.target, key, headers, out, seen);
          }
          if (out.size === before && x === 'x3' && !seen.has('x0')) naive('x0', key, headers, out, seen);
        };
        for (const o of ops) {
          if (o.k === 'bind') {
            const b: Binding = { source: o.src, kind: o.kind, target: o.kind === 'queue' ? o.q : o.x, key: o.key, args: [['x-match', o.xm], ...o.args] };
            both((k) => expect(k.x({ op: 'bind', binding: b })).toMatchObject({ ok: true }));
            if (!model.some((m) => same(m, b))) model.push(b);
          } else if (o.k === 'unbind') {
            if (!model.length) continue;
            const b = model.splice(o.n % model.length, 1)[0]!;
            both((k) => expect(k.x({ op: 'unbind', binding: b })).toMatchObject({ ok: true }));
          } else if (o.k === 'snapshot') {
            // A restore rebuilds the indexes from the bindings: routing goes on the same.
            const s = c.r.snapshot();
            c.r = createMachines();
            c.r.restore(s);
            c.r.attach(QUEUES_MACHINE_ID, (fx) => c.deliveries.push(...(fx as QueueEffect[])));
          } else {
            const want = new Set<string>();
            naive(o.x, o.key, o.headers, want, new Set());
            const got = c.publish(o.x, o.key, [msg('m', o.headers)]);
            expect(twin.publish(o.x, o.key, [msg('m', o.headers)])).toEqual(got);
            expect(got).toMatchObject({ ok: true, ops: [{ queues: [...want].sort() }] });
          }
        }
        expect(c.r.snapshot()).toEqual(twin.r.snapshot());
      }),
      { numRuns: 100 },
    );
  });

  it('a write lands whole or changes nothing, whatever mix of publishes, routes and settles it holds (property)', () => {
    const target = fc.constantFrom('small', 'big');
    const op = fc.oneof(
      fc.record({ op: fc.constant('queue' as const), queue: target, n: fc.integer({ min: 1, max: 3 }) }),
      fc.record({ op: fc.constant('stream' as const), n: fc.integer({ min: 1, max: 3 }) }),
      fc.record({ op: fc.constant('route' as const), key: fc.constantFrom('a', 'b', 'none'), mandatory: fc.boolean(), n: fc.integer({ min: 1, max: 2 }) }),
      fc.record({ op: fc.constant('settle' as const), tag: fc.integer({ min: 1, max: 12 }) }),
    );
    const seen = { landed: 0, refused: 0 };
    fc.assert(
      fc.property(fc.array(fc.array(op, { minLength: 1, maxLength: 4 }), { maxLength: 12 }), (writes) => {
        const c = new Cluster();
        c.queue('small', { ...DEFAULT_QUEUE_CONFIG, maxMessages: 6 });
        c.queue('big');
        c.stream('s');
        c.exchange('x', 'direct');
        c.bind('x', 'queue', 'small', 'a');
        c.bind('x', 'queue', 'big', 'a');
        c.bind('x', 'stream', 's', 'b');
        expect(c.q({ op: 'publish', queue: 'big', producer: '', seq: 0, messages: Array.from({ length: 6 }, (_, i) => msg(`in${i}`)) })).toMatchObject({ ok: true });
        expect(c.q({ op: 'subscribe', queue: 'big', consumer: 'k', node: 1, prefetch: 6, priority: 0 })).toMatchObject({ ok: true });
        const state = () => JSON.stringify({ small: c.queues.info('small')!.stats, big: c.queues.info('big')!.stats, s: c.streams.info('s')!.lastOffset, x: c.exchanges.info('x') });
        let n = 0;
        for (const w of writes) {
          const ops: WriteOp[] = w.map((o) => {
            const ms = (k: number) => Array.from({ length: k }, () => msg(`m${n++}`));
            if (o.op === 'queue') return { op: 'queue', queue: o.queue, messages: ms(o.n) };
            if (o.op === 'stream') return { op: 'stream', stream: 's', messages: ms(o.n) };
            if (o.op === 'route') return { op: 'route', exchange: 'x', key: o.key, mandatory: o.mandatory, messages: ms(o.n) };
            return { op: 'settle', queue: 'big', consumer: 'k', outcome: 'ack', tags: [o.tag] };
          });
          const before = state();
          const beforeBig = c.queues.info('big')!.stats;
          const beforeSmall = c.queues.info('small')!.stats;
          const beforeS = c.streams.info('s')!.lastOffset;
          const r = c.x({ op: 'write', producer: '', seq: 0, ops });
          seen[r.ok ? 'landed' : 'refused']++;
          if (!r.ok) {
            expect(state()).toEqual(before);
            continue;
          }
          // Landed whole: every message in every target it named or was routed to, every settle done.
          let small = 0;
          let big = 0;
          let s = 0;
          let acks = 0;
          for (const o of ops) {
            if (o.op === 'queue') (o.queue === 'small' ? (small += o.messages.length) : (big += o.messages.length));
            else if (o.op === 'stream') s += o.messages.length;
            else if (o.op === 'route') {
              if (o.key === 'a') {
                small += o.messages.length;
                big += o.messages.length;
              } else if (o.key === 'b') s += o.messages.length;
            } else acks++;
          }
          expect(c.queues.info('small')!.stats.published - beforeSmall.published).toBe(small);
          expect(c.queues.info('big')!.stats.published - beforeBig.published).toBe(big);
          expect(c.queues.info('big')!.stats.acked - beforeBig.acked).toBe(acks);
          expect(c.streams.info('s')!.lastOffset - beforeS).toBe(s);
        }
      }),
      { numRuns: 150 },
    );
    // Both outcomes were exercised, many times.
    expect(seen.landed).toBeGreaterThan(100);
    expect(seen.refused).toBeGreaterThan(100);
  });

  it('a snapshot section reads back byte for byte', () => {
    const c = new Cluster();
    c.queue('q');
    c.exchange('t', 'topic', 'alt');
    c.bind('t', 'queue', 'q', 'a.#', [['note', 'x']]);
    c.x({ op: 'write', producer: 'p', seq: 7, ops: [{ op: 'route', exchange: 't', key: 'a.b', mandatory: true, messages: [msg('1')] }] });
    const w = new Writer();
    c.exchanges.writeSnapshot(w);
    const bytes = w.finish();
    const m = new ExchangesMachine();
    m.readSnapshot(new Reader(bytes));
    const w2 = new Writer();
    m.writeSnapshot(w2);
    expect(w2.finish()).toEqual(bytes);
    // Restored with its peers (the bound queue exists there too), the binding is live.
    const whole = createMachines();
    whole.restore(c.r.snapshot());
    expect(whole.get(ExchangesMachine).info('t')).toMatchObject({ alternate: 'alt', stats: { published: 1, routed: 1 }, bindings: [{ key: 'a.#', matched: 1 }] });
  });
});
