// The checker has teeth: crafted histories with each kind of anomaly are
// caught, and a clean history (with unknown outcomes and a fault) is clean.

import { describe, expect, it } from 'vitest';
import { check, summaryLine } from './checker.js';
import type { HistoryEvent } from './history.js';

/** A tiny history builder: time advances by 10 ms per event. */
class H {
  readonly events: HistoryEvent[] = [];
  private t = 1_000_000;
  private id = 0;
  private readonly seqs = new Map<string, number>();

  invokeAppend(proc: string, value = `${proc}:${this.seqs.get(proc) ?? 0}`): number {
    const seq = this.seqs.get(proc) ?? 0;
    this.seqs.set(proc, seq + 1);
    const id = ++this.id;
    this.events.push({ type: 'invoke', id, proc, f: 'append', time: (this.t += 10), node: 'n1', value, producer: proc, seq });
    return id;
  }
  ok(id: number, extra: { offset?: number; reads?: [number, string][]; end?: number } = {}): void {
    const inv = this.events.find((e) => e.type === 'invoke' && e.id === id)! as { proc: string; f: 'append' | 'read' | 'subscribe' };
    this.events.push({ type: 'ok', id, proc: inv.proc, f: inv.f, time: (this.t += 10), ...extra });
  }
  outcome(id: number, type: 'fail' | 'unknown'): void {
    const inv = this.events.find((e) => e.type === 'invoke' && e.id === id)! as { proc: string; f: 'append' };
    this.events.push({ type, id, proc: inv.proc, f: inv.f, time: (this.t += 10), error: 'boom' });
  }
  append(proc: string, offset: number): string {
    const id = this.invokeAppend(proc);
    const v = (this.events[this.events.length - 1] as { value: string }).value;
    this.ok(id, { offset });
    return v;
  }
  read(proc: string, consistency: 'local' | 'linearizable', from: number, reads: [number, string][], end: number): void {
    const id = ++this.id;
    this.events.push({ type: 'invoke', id, proc, f: 'read', time: (this.t += 10), node: 'n2', from, consistency });
    this.ok(id, { reads, end });
  }
  subscribe(proc: string, from: number, batches: [number, string][][]): void {
    const id = ++this.id;
    this.events.push({ type: 'invoke', id, proc, f: 'subscribe', time: (this.t += 10), node: 'n3', from });
    for (const msgs of batches) this.events.push({ type: 'deliver', id, proc, time: (this.t += 10), msgs });
    this.ok(id);
  }
  nemesis(kind: string, action: 'start' | 'stop', majority?: boolean): void {
    this.events.push({ type: 'nemesis', time: (this.t += 10), kind, action, detail: kind, ...(majority === undefined ? {} : { majority }) });
  }
}

/** A clean run: 3 producers, a fault, an unknown that landed, one that did not, reads and a subscription. */
function clean(): { h: H; log: string[] } {
  const h = new H();
  const log: string[] = [];
  log.push(h.append('a', 0));
  log.push(h.append('b', 1));
  h.nemesis('partition', 'start', false);
  const u1 = h.invokeAppend('c'); // unknown, but it landed
  log.push('c:0');
  h.outcome(u1, 'unknown');
  h.nemesis('partition', 'stop');
  const u2 = h.invokeAppend('d'); // unknown, lost in flight: allowed
  h.outcome(u2, 'unknown');
  const f = h.invokeAppend('e'); // failed definitely, not stored
  h.outcome(f, 'fail');
  log.push(h.append('a', 3));
  h.read('r1', 'linearizable', 0, log.map((v, i) => [i, v] as [number, string]), log.length);
  h.read('r2', 'local', 2, [[2, 'c:0']], 3);
  h.subscribe('s1', 0, [[[0, log[0]!], [1, log[1]!]], [[2, log[2]!], [3, log[3]!]]]);
  return { h, log };
}

const logs = (log: string[], n = 3): Record<string, string[]> => Object.fromEntries(Array.from({ length: n }, (_, i) => [`n${i + 1}`, [...log]]));

describe('chaos checker', () => {
  it('finds nothing wrong in a clean history, and counts recovered unknowns', () => {
    const { h, log } = clean();
    const r = check(h.events, logs(log));
    expect(r.violations).toBe(0);
    expect(r).toMatchObject({ lost: 0, duplicated: 0, unexpected: 0, divergence: 0, orderViolations: 0, staleReads: 0, readMismatches: 0, recovered: 1 });
    expect(r.appends).toEqual({ invoked: 6, ok: 3, fail: 1, unknown: 2 });
    expect(r.reads.linearizable).toBe(1);
    expect(r.subscriptions.delivered).toBe(4);
    expect(r.nemesis).toEqual({ partition: 1 });
    expect(r.availabilityMajority).toBeGreaterThan(r.availability);
    expect(summaryLine(r)).toMatch(/^chaos: \d+ ops, lost=0 duplicated=0 unexpected=0 divergence=0 order-violations=0 stale-reads=0 /);
  });

  it('finds a lost confirmed append', () => {
    const { h, log } = clean();
    const r = check(h.events, logs(log.filter((v) => v !== 'b:0')));
    expect(r.lost).toBe(1);
    expect(r.examples.lost![0]).toMatch(/"b:0" confirmed/);
    expect(r.violations).toBeGreaterThan(0);
  });

  it('finds a duplicated value', () => {
    const { h, log } = clean();
    const r = check(h.events, logs([...log, 'a:0']));
    expect(r.duplicated).toBe(1);
  });

  it('finds a value nobody appended', () => {
    const { h, log } = clean();
    const r = check(h.events, logs([...log, 'ghost']));
    expect(r.unexpected).toBe(1);
  });

  it('finds a failed append that was stored', () => {
    const { h, log } = clean();
    const r = check(h.events, logs([...log, 'e:0']));
    expect(r.failedPresent).toBe(1);
  });

  it('finds a node whose log diverges, and one that is short', () => {
    const { h, log } = clean();
    const bad = [...log];
    bad[1] = 'c:0';
    bad[2] = 'b:0';
    const r = check(h.events, { n1: log, n2: log, n3: bad, n4: log.slice(0, 2) });
    expect(r.divergence).toBe(2);
    expect(r.examples.divergence!.join('\n')).toMatch(/node n3 has "c:0" at offset 1/);
  });

  it('finds a real-time order violation and a producer order violation', () => {
    const h = new H();
    const a = h.append('p', 1); // confirmed first ...
    const b = h.append('q', 0); // ... but q, invoked after, sits below it
    let r = check(h.events, logs([b, a]));
    expect(r.orderViolations).toBe(1);
    expect(r.producerOrderViolations).toBe(0);

    const h2 = new H();
    const i1 = h2.invokeAppend('p');
    const i2 = h2.invokeAppend('p'); // concurrent: real time allows any order, the producer's sequence does not
    h2.ok(i2, { offset: 0 });
    h2.ok(i1, { offset: 1 });
    r = check(h2.events, logs(['p:1', 'p:0']));
    expect(r.producerOrderViolations).toBe(1);
    expect(r.orderViolations).toBe(1);
  });

  it('finds a stale linearizable read, and lets a stale local read pass', () => {
    const h = new H();
    const log = [h.append('a', 0), h.append('a', 1)];
    h.read('r', 'linearizable', 0, [[0, log[0]!]], 1); // misses a:1, confirmed before it began
    h.read('r', 'local', 0, [[0, log[0]!]], 1);
    const r = check(h.events, logs(log));
    expect(r.staleReads).toBe(1);
    expect(r.reads.linearizable).toBe(1);
    expect(r.examples.staleReads![0]).toMatch(/"a:1" at offset 1 was confirmed before/);
  });

  it('finds a read and a subscription that saw values the final log does not have there', () => {
    const h = new H();
    const log = [h.append('a', 0), h.append('a', 1)];
    h.read('r', 'local', 0, [[0, 'a:1']], 2);
    h.subscribe('s', 0, [[[0, 'a:0'], [1, 'zzz']]]);
    const r = check(h.events, logs(log));
    expect(r.readMismatches).toBe(2);
  });

  it('finds a subscription that skipped an offset', () => {
    const h = new H();
    const log = [h.append('a', 0), h.append('a', 1), h.append('a', 2)];
    h.subscribe('s', 0, [[[0, 'a:0']], [[2, 'a:2']]]);
    const r = check(h.events, logs(log));
    expect(r.subscriptionGaps).toBe(1);
  });

  it('finds an append confirmed at the wrong offset', () => {
    const h = new H();
    const log = [h.append('a', 0), h.append('b', 0)];
    const r = check(h.events, logs(log));
    expect(r.wrongOffsets).toBe(1);
  });

  it('measures the longest window without a confirmed append', () => {
    const h = new H();
    h.append('a', 0);
    const u = h.invokeAppend('b');
    for (let i = 0; i < 50; i++) h.nemesis('kill', 'start'); // 500 ms pass
    h.outcome(u, 'unknown');
    h.append('c', 1);
    const r = check(h.events, logs(['a:0', 'c:0']));
    expect(r.longestGapMs).toBeGreaterThanOrEqual(500);
    expect(r.violations).toBe(0);
  });
});
