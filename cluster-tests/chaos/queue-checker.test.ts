// The queue checker has teeth: a clean crafted history (with a requeue, a
// reject, a held delivery returned, an unconfirmed ack, a publish of unknown
// outcome, and a fault) is clean, and each planted anomaly is found.

import { describe, expect, it } from 'vitest';
import { partitionOf } from '../../proto/partition-hash.js';
import { partitionTag } from '../../broker/server/queues/partition-tags.js';
import type { HistoryEvent } from './history.js';
import { checkQueue, queueSummaryLine } from './queue-checker.js';
import type { DeadLetterState, QueueFinal, QueueNodeState } from './queue-checker.js';

/** A tiny queue history builder: time advances by 10 ms per event. */
class H {
  readonly events: HistoryEvent[] = [];
  private t = 1_000_000;
  private id = 0;
  private tag = 0;

  /** A publish of `value` (`<producer>:<seq>`), in `group` if given; returns the time of its outcome (its confirm). */
  publish(value: string, outcome: 'ok' | 'fail' | 'unknown' = 'ok', group?: string, extra: { priority?: number; ttlMs?: number; delayMs?: number } = {}): number {
    const id = ++this.id;
    const [producer, seq] = value.split(':');
    this.events.push({ type: 'invoke', id, proc: 'p', f: 'publish', time: (this.t += 10), node: 'n1', value, producer: producer!, seq: Number(seq), queue: 'q', ...(group ? { group } : {}), ...extra });
    this.events.push({ type: outcome, id, proc: 'p', f: 'publish', time: (this.t += 10), ...(outcome === 'ok' ? {} : { error: 'boom' }) });
    return this.t;
  }

  /** Let `ms` pass. */
  wait(ms: number): void {
    this.t += ms;
  }

  /** The recorder's clock now. */
  get now(): number {
    return this.t;
  }

  /** Open a Consume call; returns its id. */
  consume(proc = 'c1'): number {
    const id = ++this.id;
    this.events.push({ type: 'invoke', id, proc, f: 'consume', time: (this.t += 10), node: 'n2', queue: 'q', prefetch: 10 });
    return id;
  }

  /** Deliver values on a call ([value, acquired, the queue's time when it made the delivery]); returns their tags. */
  deliver(session: number, ...msgs: [string, number, number?][]): number[] {
    const ds = msgs.map(([v, acquired, at]) => (at === undefined ? ([++this.tag, v, acquired] as const) : ([++this.tag, v, acquired, at] as const)));
    this.events.push({ type: 'qdeliver', id: session, proc: this.procOf(session), time: (this.t += 10), deliveries: ds });
    return ds.map((d) => d[0]);
  }

  private readonly partTags = new Map<number, number>();

  /** Deliver values from one partition of a partitioned queue: wire tags carry the partition (partition-hash.ts). */
  deliverFrom(session: number, partition: number, ...msgs: [string, number, number?][]): number[] {
    const ds = msgs.map(([v, acquired, at]) => {
      const own = (this.partTags.get(partition) ?? 0) + 1;
      this.partTags.set(partition, own);
      const tag = partitionTag(own, partition);
      return at === undefined ? ([tag, v, acquired] as const) : ([tag, v, acquired, at] as const);
    });
    this.events.push({ type: 'qdeliver', id: session, proc: this.procOf(session), time: (this.t += 10), deliveries: ds });
    return ds.map((d) => d[0]);
  }

  /** Send a settle; returns a function that records its outcome. */
  settleSent(session: number, s: { ack?: number[]; requeue?: number[]; reject?: number[] }): (outcome: 'ok' | 'unknown', unknownTags?: number[]) => void {
    const id = ++this.id;
    const proc = this.procOf(session);
    this.events.push({ type: 'invoke', id, proc, f: 'settle', time: (this.t += 10), node: 'n2', session, ack: s.ack ?? [], requeue: s.requeue ?? [], reject: s.reject ?? [] });
    return (outcome, unknownTags = []) => this.events.push({ type: outcome, id, proc, f: 'settle', time: (this.t += 10), ...(outcome === 'ok' ? { unknownTags } : { error: 'call ended' }) });
  }

  settle(session: number, s: { ack?: number[]; requeue?: number[]; reject?: number[] }, unknownTags: number[] = []): void {
    this.settleSent(session, s)('ok', unknownTags);
  }

  end(session: number, outcome: 'ok' | 'fail' = 'ok'): void {
    this.events.push({ type: outcome, id: session, proc: this.procOf(session), f: 'consume', time: (this.t += 10) });
  }

  nemesis(kind: string, action: 'start' | 'stop'): void {
    this.events.push({ type: 'nemesis', time: (this.t += 10), kind, action, detail: kind });
  }

  private procOf(session: number): string {
    return (this.events.find((e) => e.type === 'invoke' && e.id === session) as { proc: string }).proc;
  }
}

const stats = (s: Partial<QueueNodeState['stats']>): QueueNodeState['stats'] => ({
  ready: 0, delayed: 0, unacked: 0, deadLettered: 0, published: 0, delivered: 0, redelivered: 0, acked: 0, failed: 0, expired: 0, deadLetterDropped: 0, bytes: 0, ...s,
});

const everyNode = (s: QueueNodeState, n = 3): QueueFinal => Object.fromEntries(Array.from({ length: n }, (_, i) => [`n${i + 1}`, s]));

/**
 * A clean run: a:1..a:3 published (a:3 with an unknown outcome that landed),
 * b:1 refused for good; g:1, g:2 in group g. a:1 is requeued then acked, a:2
 * rejected (dead-lettered), a:3 held then returned (the call ended) and acked
 * on another call with an unconfirmed ack; the group's messages one at a time.
 */
function clean(): { h: H; final: QueueNodeState } {
  const h = new H();
  h.publish('a:1');
  h.publish('a:2');
  h.nemesis('partition', 'start');
  h.publish('a:3', 'unknown');
  h.nemesis('partition', 'stop');
  h.publish('b:1', 'fail');
  h.publish('g:1', 'ok', 'g');
  h.publish('g:2', 'ok', 'g');
  const c1 = h.consume('c1');
  const [t1, t2] = h.deliver(c1, ['a:1', 1], ['a:2', 1], ['a:3', 1]);
  h.settle(c1, { requeue: [t1!], reject: [t2!] });
  const [t4] = h.deliver(c1, ['a:1', 2]);
  h.settle(c1, { ack: [t4!] });
  h.end(c1); // a:3 was held: it returns
  const c2 = h.consume('c2');
  const [t5] = h.deliver(c2, ['a:3', 2]);
  const [g1] = h.deliver(c2, ['g:1', 1]);
  h.settle(c2, { ack: [g1!] });
  const [g2] = h.deliver(c2, ['g:2', 1]);
  h.settle(c2, { ack: [g2!] });
  h.settleSent(c2, { ack: [t5!] })('unknown'); // the answer was lost; it was applied
  h.end(c2, 'fail');
  const dl: DeadLetterState[] = [{ value: 'a:2', reason: 'rejected', acquired: 1, failed: 1 }];
  return { h, final: { stats: stats({ published: 5, acked: 4, deadLettered: 1, delivered: 7, redelivered: 2, failed: 2 }), deadLetters: dl, deadTotal: 1 } };
}

describe('queue chaos checker', () => {
  it('finds nothing wrong in a clean history, and counts redeliveries and recovered unknowns', () => {
    const { h, final } = clean();
    const r = checkQueue(h.events, everyNode(final));
    expect(r.examples).toEqual({});
    expect(r.violations).toBe(0);
    expect(r).toMatchObject({ lost: 0, unexpected: 0, redeliveredAfterAck: 0, groupOrder: 0, conservation: 0, divergence: 0, undrained: 0, redeliveries: 2, recovered: 1 });
    expect(r.publishes).toEqual({ invoked: 6, ok: 4, fail: 1, unknown: 1 });
    expect(r.nemesis).toEqual({ partition: 1 });
    expect(queueSummaryLine(r)).toMatch(/^chaos: \d+ ops, lost=0 unexpected=0 redelivered-after-ack=0 group-order=0 priority-inversions=0 expired-delivered=0 early-delivered=0 time-regressions=0 time-ahead=0 conservation=0 divergence=0 undrained=0 /);
  });

  it('finds a confirmed publish never acked nor dead-lettered (delivered but only requeued, or never delivered)', () => {
    const { h, final } = clean();
    h.publish('z:1');
    h.publish('y:1');
    const c = h.consume('c3');
    const [t] = h.deliver(c, ['z:1', 1]);
    h.settle(c, { requeue: [t!] });
    h.end(c);
    // The node drained: the two are nowhere.
    const r = checkQueue(h.events, everyNode({ ...final, stats: { ...final.stats, published: 7 } }));
    expect(r.lost).toBe(2);
    expect(r.undrained).toBe(0);
    expect(r.examples.lost!.join('\n')).toMatch(/"z:1" confirmed .* delivered 1 time\(s\) \(c3 acquired 1 requeue confirmed\)/);
    expect(r.examples.lost!.join('\n')).toMatch(/"y:1" confirmed .* never delivered/);
    // One still queued after the drain: one of the two may be it, the other is lost.
    const one = checkQueue(h.events, everyNode({ ...final, stats: { ...final.stats, published: 7, ready: 1 } }));
    expect(one.lost).toBe(1);
    expect(one.undrained).toBe(1);
  });

  it('does not call lost what a dead-letter listing cut short may hold, and still finds what lies beyond it', () => {
    const { h, final } = clean();
    h.publish('z:1');
    h.publish('y:1');
    // Two more dead letters than listed: either may be one of them.
    const cut = checkQueue(h.events, everyNode({ ...final, stats: { ...final.stats, published: 7, deadLettered: 3 }, deadTotal: 3 }));
    expect(cut.lost).toBe(0);
    const short = checkQueue(h.events, everyNode({ ...final, stats: { ...final.stats, published: 7, deadLettered: 2 }, deadTotal: 2 }));
    expect(short.lost).toBe(1);
  });

  it('calls confirmed publishes that a slow drain left queued undrained, not lost', () => {
    const { h, final } = clean();
    h.publish('z:1');
    h.publish('y:1');
    const r = checkQueue(h.events, everyNode({ ...final, stats: { ...final.stats, published: 7, ready: 2 } }));
    expect(r.lost).toBe(0);
    expect(r.undrained).toBe(2);
    expect(r.violations).toBeGreaterThan(0);
    expect(r.examples.undrained!.join('\n')).toMatch(/"y:1" confirmed .* never delivered, and is not dead-lettered: perhaps among the 2 still queued/);
  });

  it('finds an ack answered "not held" that took effect (the consumer was told a lie), without calling the message lost', () => {
    const { h, final } = clean();
    h.publish('k:1');
    const c = h.consume('c3');
    const [t] = h.deliver(c, ['k:1', 1]);
    h.settle(c, { ack: [t!] }, [t!]);
    const r = checkQueue(h.events, everyNode({ ...final, stats: { ...final.stats, published: 6, acked: 5 } }));
    expect(r.lost).toBe(0);
    expect(r.ackedDespiteUnknownTag).toBe(1);
    expect(r.violations).toBe(1);
    expect(r.examples.ackedDespiteUnknownTag![0]).toMatch(/"k:1": c3's ack \(acquisition 1\) was answered "not held"/);
  });

  it('finds a confirmed rejected message missing from the dead letters as lost', () => {
    const { h, final } = clean();
    const r = checkQueue(h.events, everyNode({ ...final, deadLetters: [], deadTotal: 0, stats: { ...final.stats, deadLettered: 0, acked: 5 } }));
    expect(r.lost).toBe(1);
    expect(r.examples.lost![0]).toMatch(/"a:2"/);
  });

  it('finds a value delivered or dead-lettered that nobody published, and a refused publish that was stored', () => {
    const { h, final } = clean();
    const c = h.consume('c3');
    const [t1, t2] = h.deliver(c, ['ghost:1', 1], ['b:1', 1]);
    h.settle(c, { ack: [t1!, t2!] });
    const dl = [...final.deadLetters, { value: 'ghost:9', reason: 'rejected', acquired: 1, failed: 1 }];
    const r = checkQueue(h.events, everyNode({ ...final, deadLetters: dl, deadTotal: 2, stats: { ...final.stats, published: 8, acked: 6, deadLettered: 2 } }));
    expect(r.unexpected).toBe(2);
    expect(r.failedPresent).toBe(1);
    expect(r.examples.unexpected!.join('\n')).toMatch(/"ghost:9" was dead-lettered but never published/);
  });

  it('finds a message delivered again after its ack was confirmed, and not one whose ack named an unknown tag', () => {
    const { h, final } = clean();
    h.publish('r:1');
    h.publish('s:1');
    const c = h.consume('c3');
    const [t1, t2] = h.deliver(c, ['r:1', 1], ['s:1', 1]);
    h.settle(c, { ack: [t1!, t2!] }, [t2!]); // s:1's tag was no longer held: that ack did nothing
    const [, t4] = h.deliver(c, ['r:1', 2], ['s:1', 2]);
    h.settle(c, { ack: [t4!] });
    const r = checkQueue(h.events, everyNode({ ...final, stats: { ...final.stats, published: 7, acked: 6 } }));
    expect(r.redeliveredAfterAck).toBe(1);
    expect(r.examples.redeliveredAfterAck![0]).toMatch(/"r:1" was acked \(acquisition 1, confirmed\) and delivered again/);
    expect(r.violations).toBe(1);
  });

  it('finds two messages of a group held at once, and a group message delivered after a later one', () => {
    const h = new H();
    h.publish('g:1', 'ok', 'g');
    h.publish('g:2', 'ok', 'g');
    h.publish('g:3', 'ok', 'g');
    h.publish('u:1'); // no group: never judged for order
    h.publish('u:2');
    const c = h.consume('c1');
    const c2 = h.consume('c2');
    const [g1] = h.deliver(c, ['g:1', 1]);
    const [g2] = h.deliver(c2, ['g:2', 1]); // g:1 still held by c1
    const [u2, u1] = h.deliver(c2, ['u:2', 1], ['u:1', 1]);
    h.settle(c, { ack: [g1!] });
    h.settle(c2, { ack: [g2!, u1!, u2!] });
    const [g3] = h.deliver(c, ['g:3', 1]);
    h.settle(c, { ack: [g3!] });
    let r = checkQueue(h.events, everyNode({ stats: stats({ published: 5, acked: 5 }), deadLetters: [], deadTotal: 0 }));
    expect(r.groupOrder).toBe(1);
    expect(r.examples.groupOrder![0]).toMatch(/"g:2" was delivered to c2 while "g:1" was still held by c1/);

    const h2 = new H();
    h2.publish('g:1', 'ok', 'g');
    h2.publish('g:2', 'ok', 'g');
    const k = h2.consume('c1');
    const [b] = h2.deliver(k, ['g:2', 1]);
    h2.settle(k, { ack: [b!] });
    const [a] = h2.deliver(k, ['g:1', 1]);
    h2.settle(k, { ack: [a!] });
    r = checkQueue(h2.events, everyNode({ stats: stats({ published: 2, acked: 2 }), deadLetters: [], deadTotal: 0 }));
    expect(r.groupOrder).toBe(1);
    expect(r.examples.groupOrder![0]).toMatch(/"g:1" was delivered after "g:2"/);
  });

  it('does not judge group order by deliveries whose settle was not confirmed (a stale delivery from a paused node)', () => {
    const h = new H();
    h.publish('g:1', 'ok', 'g');
    h.publish('g:2', 'ok', 'g');
    const c1 = h.consume('c1');
    const c2 = h.consume('c2');
    const [b] = h.deliver(c2, ['g:1', 2]);
    h.settle(c2, { ack: [b!] });
    const [c] = h.deliver(c2, ['g:2', 1]);
    h.settle(c2, { ack: [c!] });
    const [stale] = h.deliver(c1, ['g:1', 1]); // made before the return, received late
    h.settle(c1, { ack: [stale!] }, [stale!]);
    const r = checkQueue(h.events, everyNode({ stats: stats({ published: 2, acked: 2 }), deadLetters: [], deadTotal: 0 }));
    expect(r.violations).toBe(0);
  });

  it('finds conservation broken: a message acked and dead-lettered, counters that do not add up, and a stored message never seen', () => {
    const { h, final } = clean();
    // a:1 (acked) also in the dead letters.
    let r = checkQueue(h.events, everyNode({ ...final, deadLetters: [...final.deadLetters, { value: 'a:1', reason: 'rejected', acquired: 2, failed: 1 }], deadTotal: 2, stats: { ...final.stats, deadLettered: 2, published: 6 } }));
    expect(r.conservation).toBeGreaterThanOrEqual(1);
    expect(r.examples.conservation!.join('\n')).toMatch(/"a:1" ended 2 times/);
    // One node's counters do not add up.
    r = checkQueue(h.events, { n1: final, n2: final, n3: { ...final, stats: { ...final.stats, published: 6 } } });
    expect(r.conservation).toBe(1);
    expect(r.examples.conservation![0]).toMatch(/node n3: published=6 but acked 4/);
    // Every node stored a sixth message that nobody ever saw (counters add up: it was acked by no one in the history).
    r = checkQueue(h.events, everyNode({ ...final, stats: { ...final.stats, published: 6, acked: 5 } }));
    expect(r.conservation).toBe(2);
    expect(r.examples.conservation!.join('\n')).toMatch(/stored 6 messages .* yet 5 distinct messages/);
    expect(r.examples.conservation!.join('\n')).toMatch(/counts 5 acks; the history has 3 messages acked for sure and 4 maybe/);
  });

  it('finds members whose final queue states differ, and a member that could not be read', () => {
    const { h, final } = clean();
    const other = { ...final, deadLetters: [{ ...final.deadLetters[0]!, reason: 'delivery-limit' }] };
    let r = checkQueue(h.events, { n1: final, n2: final, n3: other });
    expect(r.divergence).toBe(1);
    expect(r.examples.divergence![0]).toMatch(/node n3's dead letters differ from node n1's/);
    r = checkQueue(h.events, { n1: final, n2: { ...final, stats: { ...final.stats, delivered: 8 } }, n3: { error: 'UNAVAILABLE' } });
    expect(r.divergence).toBe(2);
    expect(r.examples.divergence!.join('\n')).toMatch(/node n2 has delivered=8, node n1 7/);
    expect(r.examples.divergence!.join('\n')).toMatch(/node n3 did not return its queue state: UNAVAILABLE/);
  });
  /**
   * Priorities and TTLs, clean: lo:1 (priority 0) handed out after hi:1
   * (priority 5); hi:2 confirmed only after lo:2 was handed out (it was not
   * stored yet); hi:3 already in another consumer's window when lo:3 went; a
   * grouped message ignores priorities; t:1 (TTL 500) handed out 1 ms before
   * its latest possible expiry; a delivery without the queue's time is not judged.
   */
  function prioritiesAndTtl(): { h: H; final: QueueNodeState } {
    const h = new H();
    h.publish('lo:1');
    const hi1 = h.publish('hi:1', 'ok', undefined, { priority: 5 });
    const lo2 = h.publish('lo:2');
    const hi3 = h.publish('hi:3', 'ok', undefined, { priority: 7 });
    h.publish('lo:3');
    h.publish('g:1', 'ok', 'g');
    const t1 = h.publish('t:1', 'ok', undefined, { ttlMs: 500 });
    const c1 = h.consume('c1');
    const c2 = h.consume('c2');
    const [a, b] = h.deliver(c1, ['hi:1', 1, hi1 + 1], ['lo:1', 1, hi1 + 2]);
    const [e] = h.deliver(c1, ['lo:2', 1, lo2 + 1]); // made before hi:2 was even published
    const [c] = h.deliver(c2, ['hi:3', 1, hi3 + 1]);
    const [d] = h.deliver(c1, ['lo:3', 1, hi3 + 2]);
    const hi2 = h.publish('hi:2', 'ok', undefined, { priority: 9 });
    const [f] = h.deliver(c2, ['hi:2', 1, hi2 + 1]);
    const [g] = h.deliver(c2, ['g:1', 1, h.now]); // hi:2 was ready then: a group takes its turn regardless
    h.wait(500);
    const [k] = h.deliver(c2, ['t:1', 1, t1 + 499]);
    h.settle(c1, { ack: [a!, b!, d!, e!] });
    h.settle(c2, { ack: [c!, f!, g!, k!] });
    return { h, final: { stats: stats({ published: 8, acked: 8, delivered: 8 }), deadLetters: [], deadTotal: 0 } };
  }

  it('finds no priority inversion nor expired delivery in a clean history with priorities and TTLs, and judges them', () => {
    const { h, final } = prioritiesAndTtl();
    const r = checkQueue(h.events, everyNode(final));
    expect(r.examples).toEqual({});
    expect(r.violations).toBe(0);
    expect(r.judged).toEqual({ priority: 7, ttl: 1 });
    expect(queueSummaryLine(r)).toMatch(/ judged priority=7 ttl=1 /);
  });

  it('finds a lower-priority message handed out while a higher-priority one was certainly ready', () => {
    const { h, final } = prioritiesAndTtl();
    const hi = h.publish('hi:4', 'ok', undefined, { priority: 3 });
    h.publish('lo:4', 'ok', undefined, { priority: 2 });
    const c = h.consume('c3');
    h.wait(100);
    const [x] = h.deliver(c, ['lo:4', 1, hi + 50]);
    const [y] = h.deliver(c, ['hi:4', 1, hi + 51]);
    h.settle(c, { ack: [x!, y!] });
    const r = checkQueue(h.events, everyNode({ ...final, stats: { ...final.stats, published: 10, acked: 10, delivered: 10 } }));
    expect(r.priorityInversions).toBe(1);
    expect(r.violations).toBe(1);
    expect(r.examples.priorityInversions![0]).toMatch(/"lo:4" \(priority 2\) was handed to c3 at .* while "hi:4" \(priority 3, confirmed at/);
    // The same history with a clock-jump nemesis: not judged (the rule needs one clock).
    const jumped = new H();
    jumped.nemesis('clock-jump', 'start');
    const r2 = checkQueue([...jumped.events, ...h.events], everyNode({ ...final, stats: { ...final.stats, published: 10, acked: 10, delivered: 10 } }));
    expect(r2.priorityInversions).toBe(0);
    expect(r2.judged).toEqual({ priority: 0, ttl: 0 });
  });

  it('finds a message handed out at or after its TTL had certainly passed, and not one a millisecond before', () => {
    const { h, final } = prioritiesAndTtl();
    const c0 = h.publish('t:2', 'ok', undefined, { ttlMs: 100 });
    const c1 = h.publish('t:3', 'ok', undefined, { ttlMs: 100 });
    const c = h.consume('c3');
    h.wait(200);
    const [x, y] = h.deliver(c, ['t:2', 1, c0 + 100], ['t:3', 1, c1 + 99]);
    h.settle(c, { ack: [x!, y!] });
    const r = checkQueue(h.events, everyNode({ ...final, stats: { ...final.stats, published: 10, acked: 10, delivered: 10 } }));
    expect(r.expiredDelivered).toBe(1);
    expect(r.violations).toBe(1);
    expect(r.examples.expiredDelivered![0]).toMatch(/"t:2" \(TTL 100 ms, confirmed at .*\) was handed to c3 at .*, 0 ms after it had certainly expired/);
  });
  it('finds a delayed message received before its delay passed, the queue\'s time going back, and the queue\'s time ahead of real time', () => {
    const { h, final } = prioritiesAndTtl();
    h.publish('d:1', 'ok', undefined, { delayMs: 1000 });
    const sent = (h.events.at(-2) as { time: number }).time;
    h.publish('d:2', 'ok', undefined, { delayMs: 100 });
    const c = h.consume('c3');
    h.wait(500);
    const at = h.now;
    const [x] = h.deliver(c, ['d:1', 1, at]); // 500 ms after its send: 500 ms early
    h.wait(100);
    const [y] = h.deliver(c, ['d:2', 1, at - 5]); // a later tag, an earlier time
    const [z] = h.deliver(c, ['lo:9', 1, h.now + 1000]); // by the queue's time, made a second after it was received
    h.settle(c, { ack: [x!, y!, z!] });
    h.publish('lo:9');
    const r = checkQueue(h.events, everyNode({ ...final, stats: { ...final.stats, published: 11, acked: 11, delivered: 11 } }));
    expect(r.earlyDelivered).toBe(1);
    expect(r.examples.earlyDelivered![0]).toBe(`"d:1" (delay 1000 ms, sent at ${new Date(sent).toISOString()}) was received by c3 450 ms early`);
    expect(r.timeRegressions).toBe(1);
    expect(r.examples.timeRegressions![0]).toMatch(/tag \d+ \("d:2"\) was handed out at .*, 5 ms before tag \d+ \("d:1"\)/);
    expect(r.timeAhead).toBe(1);
    expect(r.examples.timeAhead![0]).toMatch(/"lo:9" was handed to c3 at .* by the queue's time, \d+ ms after the client received it/);
    expect(r.violations).toBe(3);
  });

  it('does not count a delayed message as ready for priority order (it waits for a time entry after its delay), and passes one received after its delay', () => {
    const { h, final } = prioritiesAndTtl();
    const hi = h.publish('hi:5', 'ok', undefined, { priority: 8, delayMs: 1000 });
    h.publish('lo:5');
    const c = h.consume('c3');
    h.wait(1500);
    const [x] = h.deliver(c, ['lo:5', 1, hi + 1050]); // hi:5's delay passed, but no time entry made it ready yet
    const [y] = h.deliver(c, ['hi:5', 1, hi + 1060]);
    h.settle(c, { ack: [x!, y!] });
    const r = checkQueue(h.events, everyNode({ ...final, stats: { ...final.stats, published: 10, acked: 10, delivered: 10 } }));
    expect(r.examples).toEqual({});
    expect(r.violations).toBe(0);
  });

  describe('on a partitioned queue (3 partitions)', () => {
    /** A group key of each partition. */
    const keyOf = (p: number): string => {
      for (let i = 0; ; i++) if (partitionOf(`k${i}`, 3) === p) return `k${i}`;
    };
    const [k0, k1, k2] = [keyOf(0), keyOf(1), keyOf(2)];

    /**
     * Clean: a group key in each partition delivered in order by its own
     * partition; ungrouped messages spread. Partition 1 hands out a priority-0
     * message while partition 2 holds a ready priority-9 one, and partition 0's
     * later tags carry earlier times than partition 2's: both are fine across
     * partitions (each is its own queue with its own log and tags).
     */
    function partitioned(): { h: H; final: QueueNodeState } {
      const h = new H();
      h.publish(`${k0}:1`, 'ok', k0);
      h.publish(`${k0}:2`, 'ok', k0);
      h.publish(`${k1}:1`, 'ok', k1);
      h.publish(`${k2}:1`, 'ok', k2);
      const hi = h.publish('hi:1', 'ok', undefined, { priority: 9 });
      h.publish('lo:1');
      const c = h.consume('c1');
      h.wait(100);
      const [lo] = h.deliverFrom(c, 1, ['lo:1', 1, hi + 50]);
      const [hiT] = h.deliverFrom(c, 2, ['hi:1', 1, hi + 60]);
      const [a1] = h.deliverFrom(c, 0, [`${k0}:1`, 1, hi + 40]);
      h.settle(c, { ack: [lo!, hiT!, a1!] });
      const [a2] = h.deliverFrom(c, 0, [`${k0}:2`, 1, hi + 55]);
      const [b1] = h.deliverFrom(c, 1, [`${k1}:1`, 1, hi + 70]);
      const [c1] = h.deliverFrom(c, 2, [`${k2}:1`, 1, hi + 70]);
      h.settle(c, { ack: [a2!, b1!, c1!] });
      return { h, final: { stats: stats({ published: 6, acked: 6, delivered: 6 }), deadLetters: [], deadTotal: 0 } };
    }

    it('finds nothing wrong in a clean history, judging priority order and the queue\'s time within each partition only', () => {
      const { h, final } = partitioned();
      const r = checkQueue(h.events, everyNode(final), { partitions: 3 });
      expect(r.examples).toEqual({});
      expect(r.violations).toBe(0);
      expect(r).toMatchObject({ partitions: 3, misrouted: 0, priorityInversions: 0, timeRegressions: 0 });
      expect(r.judged.priority).toBe(2);
      expect(queueSummaryLine(r)).toMatch(/ time-ahead=0 partitions=3 misrouted=0 conservation=0 /);
      // Read as one queue, the same history breaks priority order and goes back in time: what holds only per partition.
      const one = checkQueue(h.events, everyNode(final));
      expect(one.priorityInversions).toBe(1);
      expect(one.timeRegressions).toBeGreaterThan(0);
    });

    it('finds a confirmed publish lost in one partition', () => {
      const { h, final } = partitioned();
      h.publish(`${k1}:2`, 'ok', k1);
      h.publish('u:9');
      const r = checkQueue(h.events, everyNode({ ...final, stats: { ...final.stats, published: 8 } }), { partitions: 3 });
      expect(r.lost).toBe(2);
      expect(r.examples.lost!.join('\n')).toMatch(new RegExp(`"${k1}:2" confirmed .* never delivered`));
    });

    it('finds a message stored in two partitions (delivered and acked by both)', () => {
      const { h, final } = partitioned();
      h.publish('u:1');
      const c = h.consume('c2');
      const [x] = h.deliverFrom(c, 0, ['u:1', 1]);
      const [y] = h.deliverFrom(c, 2, ['u:1', 1]);
      h.settle(c, { ack: [x!, y!] });
      const r = checkQueue(h.events, everyNode({ ...final, stats: { ...final.stats, published: 8, acked: 8, delivered: 8 } }), { partitions: 3 });
      expect(r.conservation).toBeGreaterThanOrEqual(2);
      expect(r.examples.conservation!.join('\n')).toMatch(/"u:1" ended 2 times \(2 confirmed ack\(s\) of different acquisitions/);
      expect(r.examples.conservation!.join('\n')).toMatch(/stored 8 messages .* yet 7 distinct messages/);
    });

    it('finds a group key\'s order broken within its partition, and a grouped message from another partition', () => {
      const { h, final } = partitioned();
      h.publish(`${k2}:2`, 'ok', k2);
      h.publish(`${k2}:3`, 'ok', k2);
      h.publish(`${k1}:2`, 'ok', k1);
      const c = h.consume('c2');
      const [x] = h.deliverFrom(c, 2, [`${k2}:3`, 1]);
      h.settle(c, { ack: [x!] });
      const [y] = h.deliverFrom(c, 2, [`${k2}:2`, 1]);
      h.settle(c, { ack: [y!] });
      const [z] = h.deliverFrom(c, 0, [`${k1}:2`, 1]);
      h.settle(c, { ack: [z!] });
      const r = checkQueue(h.events, everyNode({ ...final, stats: { ...final.stats, published: 9, acked: 9, delivered: 9 } }), { partitions: 3 });
      expect(r.groupOrder).toBe(1);
      expect(r.examples.groupOrder![0]).toMatch(new RegExp(`group ${k2}: "${k2}:2" was delivered after "${k2}:3"`));
      expect(r.misrouted).toBe(1);
      expect(r.examples.misrouted![0]).toMatch(new RegExp(`"${k1}:2" of group ${k1} \\(partition 1 of 3\\) was delivered to c2 by partition 0`));
      expect(r.violations).toBe(2);
    });

    it('still finds a priority inversion and the queue\'s time going back within one partition', () => {
      const { h, final } = partitioned();
      const hi = h.publish('hi:2', 'ok', undefined, { priority: 5 });
      h.publish('lo:2');
      h.publish('mid:3', 'ok', undefined, { priority: 5 });
      const c = h.consume('c2');
      h.wait(100);
      const [x] = h.deliverFrom(c, 1, ['lo:2', 1, hi + 50]);
      const [y] = h.deliverFrom(c, 1, ['hi:2', 1, hi + 60]);
      const [z] = h.deliverFrom(c, 1, ['mid:3', 1, hi + 55]);
      h.settle(c, { ack: [x!, y!, z!] });
      const r = checkQueue(h.events, everyNode({ ...final, stats: { ...final.stats, published: 9, acked: 9, delivered: 9 } }), { partitions: 3 });
      expect(r.priorityInversions).toBe(1);
      expect(r.examples.priorityInversions![0]).toMatch(/"lo:2" \(priority 0\) was handed to c2 .* while "hi:2" \(priority 5/);
      expect(r.timeRegressions).toBe(1);
      expect(r.examples.timeRegressions![0]).toMatch(/\("mid:3"\) was handed out at .*, 5 ms before tag \d+ \("hi:2"\)/);
    });
  });
});
