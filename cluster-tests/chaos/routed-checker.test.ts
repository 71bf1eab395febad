// The routed checker has teeth: a clean crafted history (a fan-out publish of
// unknown outcome that landed everywhere, one refused that landed nowhere, a
// redelivery in a drain, a transaction of unknown outcome) is clean, and each
// planted anomaly is found.

import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from './history.js';
import { checkRouted, routedSummaryLine } from './routed-checker.js';
import type { Drained, RoutedFinal, RoutedQueueFinal } from './routed-checker.js';

class H {
  readonly events: HistoryEvent[] = [];
  private t = 1_000_000;
  private id = 0;

  publish(value: string, where: { exchange: string } | { queue: string }, outcome: 'ok' | 'fail' | 'unknown' = 'ok'): void {
    const id = ++this.id;
    const [producer, seq] = value.split(':');
    this.events.push({ type: 'invoke', id, proc: 'p', f: 'publish', time: (this.t += 10), value, producer: producer!, seq: Number(seq), ...where });
    this.events.push({ type: outcome, id, proc: 'p', f: 'publish', time: (this.t += 10) });
  }

  transact(values: string[], outcome: 'ok' | 'fail' | 'unknown'): void {
    const id = ++this.id;
    this.events.push({ type: 'invoke', id, proc: 't', f: 'transact', time: (this.t += 10), queue: 'src', values });
    this.events.push({ type: outcome, id, proc: 't', f: 'transact', time: (this.t += 10) });
  }
}

const FAN = { exchange: 'fan' };
const SRC = { queue: 'src' };

/** A drained queue: the same counters on every node, `published` stored. */
const drainedQueue = (drained: Drained[], published = new Set(drained.map((d) => d[0])).size): RoutedQueueFinal => {
  const s = { published, ready: 0, delayed: 0, unacked: 0, deadLettered: 0 };
  return { drained, nodes: { n1: s, n2: s, n3: s } };
};

/**
 * f0:1 confirmed, f0:2 unknown (landed), f1:1 unknown (landed nowhere), f2:1
 * refused; s0:1, s0:2 confirmed and moved (s0:2's transaction of unknown
 * outcome was applied), s0:3 unknown and never stored; x0:1 delivered twice
 * in the drain (its first ack lost: acquired 2).
 */
function clean(): { h: H; final: RoutedFinal } {
  const h = new H();
  h.publish('f0:1', FAN);
  h.publish('f0:2', FAN, 'unknown');
  h.publish('f1:1', FAN, 'unknown');
  h.publish('f2:1', FAN, 'fail');
  h.publish('s0:1', SRC);
  h.publish('s0:2', SRC);
  h.publish('s0:3', SRC, 'unknown');
  h.transact(['s0:1'], 'ok');
  h.transact(['s0:2'], 'unknown');
  const fan = (): RoutedQueueFinal => drainedQueue([['f0:1', 1], ['f0:2', 1]]);
  return {
    h,
    final: { fanout: { a: fan(), b: fan(), c: fan() }, destination: drainedQueue([['x0:1', 1], ['x0:2', 1], ['x0:1', 2]]), source: drainedQueue([], 2) },
  };
}

describe('routed chaos checker', () => {
  it('finds nothing wrong in a clean history', () => {
    const { h, final } = clean();
    const r = checkRouted(h.events, final);
    expect(r.examples).toEqual({});
    expect(r.violations).toBe(0);
    expect(r.recovered).toBe(1);
    expect(r.fanoutPublishes).toEqual({ invoked: 4, ok: 1, fail: 1, unknown: 2 });
    expect(r.transactions).toEqual({ invoked: 2, ok: 1, fail: 0, unknown: 1 });
    expect(routedSummaryLine(r)).toMatch(/^chaos: \d+ ops, fanout-partial=0 fanout-lost=0 fanout-duplicates=0 transform-lost=0 transform-duplicates=0 unexpected=0 undrained=0 divergence=0 /);
  });

  it('finds a fan-out publish that landed in some bound queues only, and a confirmed one in none', () => {
    const { h, final } = clean();
    const partial = { ...final, fanout: { ...final.fanout, c: drainedQueue([['f0:1', 1]]) } };
    let r = checkRouted(h.events, partial);
    expect(r.fanoutPartial).toBe(1);
    expect(r.examples.fanoutPartial![0]).toBe('"f0:2" (publish unknown) landed in a, b but not in c');
    const none = drainedQueue([['f0:2', 1]]);
    r = checkRouted(h.events, { ...final, fanout: { a: none, b: none, c: none } });
    expect(r.fanoutLost).toBe(1);
    expect(r.examples.fanoutLost![0]).toBe('"f0:1" was confirmed but is in none of a, b, c');
    expect(r.violations).toBe(1);
  });

  it('finds a fan-out value stored twice in one queue, by a second first delivery and by the counters', () => {
    const { h, final } = clean();
    let r = checkRouted(h.events, { ...final, fanout: { ...final.fanout, b: drainedQueue([['f0:1', 1], ['f0:2', 1], ['f0:1', 1]], 3) } });
    expect(r.fanoutDuplicates).toBe(1);
    expect(r.examples.fanoutDuplicates![0]).toMatch(/"f0:1" was stored 2 times in queue b/);
    // The second copy's first delivery went unseen (its call ended): the counters still tell.
    r = checkRouted(h.events, { ...final, fanout: { ...final.fanout, b: drainedQueue([['f0:1', 1], ['f0:2', 1], ['f0:1', 2]], 3) } });
    expect(r.fanoutDuplicates).toBe(1);
    expect(r.examples.fanoutDuplicates![0]).toBe('queue b stored 3 messages and is drained, yet the drain found 2 distinct values');
  });

  it('finds a transformed value twice in the destination, and a confirmed source value never transformed', () => {
    const { h, final } = clean();
    let r = checkRouted(h.events, { ...final, destination: drainedQueue([['x0:1', 1], ['x0:2', 1], ['x0:2', 1]], 3) });
    expect(r.transformDuplicates).toBe(1);
    expect(r.examples.transformDuplicates![0]).toMatch(/"x0:2" was stored 2 times in queue destination/);
    r = checkRouted(h.events, { ...final, destination: drainedQueue([['x0:1', 1]]) });
    expect(r.transformLost).toBe(1);
    expect(r.examples.transformLost![0]).toBe('"s0:2" was confirmed in the source queue but "x0:2" never reached the destination');
    expect(r.violations).toBe(1);
  });

  it('finds values nobody published or whose publish was refused, leftovers, dead letters and diverging counters', () => {
    const { h, final } = clean();
    const fan = drainedQueue([['f0:1', 1], ['f0:2', 1], ['f2:1', 1]]);
    let r = checkRouted(h.events, { ...final, fanout: { a: fan, b: fan, c: fan }, destination: drainedQueue([['x0:1', 1], ['x0:2', 1], ['x9:1', 1]]) });
    expect(r.unexpected).toBe(2);
    expect(r.examples.unexpected!.join('\n')).toMatch(/"f2:1" was found in a, b, c but its publish was refused for good/);
    expect(r.examples.unexpected!.join('\n')).toMatch(/"x9:1" in the destination is no transform/);
    const left = { published: 2, ready: 1, delayed: 0, unacked: 0, deadLettered: 1 };
    r = checkRouted(h.events, { ...final, source: { drained: [], nodes: { n1: left, n2: left, n3: { error: 'UNAVAILABLE' } } } });
    expect(r.undrained).toBe(2);
    expect(r.divergence).toBe(1);
    r = checkRouted(h.events, { ...final, source: { drained: [], nodes: { n1: { ...left, ready: 0, deadLettered: 0 }, n2: { ...left, ready: 0, deadLettered: 0, published: 3 } } } });
    expect(r.divergence).toBe(1);
    expect(r.examples.divergence![0]).toMatch(/queue source: node n2 has .*"published":3/);
  });
});
