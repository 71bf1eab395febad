// The routed checker: a pure function of a routed-workload history (its
// publishes, with their outcomes) and of what the drain found in every queue.
// Two promises are judged:
//
// Fan-out (PublishToExchange through a fanout exchange bound to several
// queues) is all or none: each published value lands in every bound queue or
// in none, and a confirmed one in every one, once each (its producer is
// idempotent). Counted:
//   fanoutPartial     a value found in some bound queues but not all
//   fanoutLost        a confirmed value found in none
//   fanoutDuplicates  a value stored twice in one queue
//
// Consume-transform-publish in a transaction (a message of the source queue
// taken with a Get; its transformed value published to the destination queue
// and the source message acked in one Transact) is exactly once: after the
// drain every confirmed source value is in the destination exactly once, and
// one of unknown outcome at most once. Counted:
//   transformLost        a confirmed source value never in the destination
//   transformDuplicates  a source value stored twice in the destination
//
// And for both: unexpected (a value found that nobody published, or whose
// publish was refused for good), undrained (messages left in a queue after
// the drain) and divergence (nodes whose final counters of a queue differ).
//
// "Stored twice" is told from redelivery by the queue's own count: a message
// delivered again (its ack lost) has acquired > 1; a second stored copy is
// delivered with acquired = 1 again. And once a queue is drained, the
// messages it stored (its `published` counter) must equal the distinct
// values the drain found, else some value was stored more than once.

import type { HistoryEvent, InvokeEvent } from './history.js';

/** One delivery the drain took: the value and how many times the queue had handed that message out. */
export type Drained = readonly [value: string, acquired: number];

export interface RoutedQueueFinal {
  /** Every delivery the drain took from it. */
  readonly drained: readonly Drained[];
  /** Per node label: the queue's counters read locally after the drain (or why not). */
  readonly nodes: Record<string, { readonly published: number; readonly ready: number; readonly delayed: number; readonly unacked: number; readonly deadLettered: number } | { readonly error: string }>;
}

export interface RoutedFinal {
  /** The queues the fanout exchange is bound to. */
  readonly fanout: Record<string, RoutedQueueFinal>;
  /** The transform's destination queue, and its source (drained by the transform itself). */
  readonly destination: RoutedQueueFinal;
  readonly source: RoutedQueueFinal;
}

export interface RoutedCheckResult {
  ops: number;
  fanoutPublishes: { invoked: number; ok: number; fail: number; unknown: number };
  sourcePublishes: { invoked: number; ok: number; fail: number; unknown: number };
  transactions: { invoked: number; ok: number; fail: number; unknown: number };
  fanoutPartial: number;
  fanoutLost: number;
  fanoutDuplicates: number;
  transformLost: number;
  transformDuplicates: number;
  unexpected: number;
  undrained: number;
  divergence: number;
  /** Allowed: values whose publish outcome was unknown, found (all or none) anyway. */
  recovered: number;
  nemesis: Record<string, number>;
  examples: Record<string, string[]>;
  violations: number;
}

export const ROUTED_VIOLATION_KEYS = ['fanoutPartial', 'fanoutLost', 'fanoutDuplicates', 'transformLost', 'transformDuplicates', 'unexpected', 'undrained', 'divergence'] as const;

/** The transform: a source value `s…` becomes `x…` in the destination. */
export function transformed(value: string): string {
  return `x${value.slice(1)}`;
}

type Outcome = 'ok' | 'fail' | 'unknown';

export function checkRouted(history: readonly HistoryEvent[], final: RoutedFinal): RoutedCheckResult {
  const examples: Record<string, string[]> = {};
  const note = (k: string, s: string): void => {
    const l = (examples[k] ??= []);
    if (l.length < 10) l.push(s);
  };
  const invokes = new Map<number, InvokeEvent>();
  const outcomes = new Map<number, Outcome>();
  const nemesis: Record<string, number> = {};
  for (const e of history) {
    if (e.type === 'invoke') invokes.set(e.id, e);
    else if (e.type === 'ok' || e.type === 'fail' || e.type === 'unknown') outcomes.set(e.id, e.type);
    else if (e.type === 'nemesis' && e.action === 'start') nemesis[e.kind] = (nemesis[e.kind] ?? 0) + 1;
  }
  const count = (): { invoked: number; ok: number; fail: number; unknown: number } => ({ invoked: 0, ok: 0, fail: 0, unknown: 0 });
  const fanoutPublishes = count();
  const sourcePublishes = count();
  const transactions = count();
  /** value -> its publish's outcome, per kind. */
  const fan = new Map<string, Outcome>();
  const src = new Map<string, Outcome>();
  for (const inv of invokes.values()) {
    const o = outcomes.get(inv.id) ?? 'unknown';
    if (inv.f === 'transact') {
      transactions.invoked++;
      transactions[o]++;
    }
    if (inv.f !== 'publish' || inv.value === undefined) continue;
    const [m, c] = inv.exchange !== undefined ? [fan, fanoutPublishes] : [src, sourcePublishes];
    m.set(inv.value, o);
    c.invoked++;
    c[o]++;
  }

  let unexpected = 0;
  let undrained = 0;
  let divergence = 0;
  /** Per queue: value -> [deliveries with acquired 1, all deliveries]. */
  const tally = (name: string, q: RoutedQueueFinal): Map<string, [number, number]> => {
    const m = new Map<string, [number, number]>();
    for (const [v, acquired] of q.drained) {
      const t = m.get(v) ?? [0, 0];
      if (acquired === 1) t[0]++;
      t[1]++;
      m.set(v, t);
    }
    const states = Object.entries(q.nodes);
    const ok = states.filter((e): e is [string, { published: number; ready: number; delayed: number; unacked: number; deadLettered: number }] => !('error' in e[1]));
    for (const [n, s] of states) if ('error' in s) (divergence++, note('divergence', `node ${n} did not return queue ${name}'s counters: ${s.error}`));
    const ref = ok[0]?.[1];
    for (const [n, s] of ok.slice(1)) {
      if (JSON.stringify(s) !== JSON.stringify(ref)) (divergence++, note('divergence', `queue ${name}: node ${n} has ${JSON.stringify(s)}, node ${ok[0]![0]} ${JSON.stringify(ref)}`));
    }
    if (ref) {
      const left = ref.ready + ref.delayed + ref.unacked;
      if (left) (undrained += left, note('undrained', `queue ${name} still holds ${ref.ready} ready, ${ref.delayed} delayed, ${ref.unacked} unacked after the drain`));
      if (ref.deadLettered) (undrained += ref.deadLettered, note('undrained', `queue ${name} dead-lettered ${ref.deadLettered} messages (nothing here should)`));
    }
    return m;
  };
  /** Messages stored more than once in a queue: by second first acquisitions, and by its counters once drained. */
  const duplicates = (name: string, q: RoutedQueueFinal, m: Map<string, [number, number]>, key: 'fanoutDuplicates' | 'transformDuplicates'): number => {
    let d = 0;
    for (const [v, [firsts]] of m) if (firsts > 1) (d += firsts - 1, note(key, `"${v}" was stored ${firsts} times in queue ${name} (delivered ${firsts} times as never delivered before)`));
    const ref = Object.values(q.nodes).find((s): s is { published: number; ready: number; delayed: number; unacked: number; deadLettered: number } => !('error' in s));
    if (ref && ref.ready + ref.delayed + ref.unacked === 0 && ref.published > m.size && ref.published - m.size > d) {
      note(key, `queue ${name} stored ${ref.published} messages and is drained, yet the drain found ${m.size} distinct values`);
      d = ref.published - m.size;
    }
    return d;
  };

  // Fan-out: all or none, confirmed ones in all, once each.
  const queues = Object.keys(final.fanout).sort();
  const found = new Map<string, Map<string, [number, number]>>(queues.map((q) => [q, tally(q, final.fanout[q]!)]));
  let fanoutPartial = 0;
  let fanoutLost = 0;
  let fanoutDuplicates = 0;
  let recovered = 0;
  const fanValues = new Set<string>([...fan.keys()]);
  for (const m of found.values()) for (const v of m.keys()) fanValues.add(v);
  for (const v of fanValues) {
    const o = fan.get(v);
    const inQ = queues.filter((q) => found.get(q)!.has(v));
    if (o === undefined || (o === 'fail' && inQ.length)) {
      unexpected++;
      note('unexpected', `"${v}" was found in ${inQ.join(', ')} but ${o === undefined ? 'never published' : 'its publish was refused for good'}`);
      continue;
    }
    if (inQ.length > 0 && inQ.length < queues.length) {
      fanoutPartial++;
      note('fanoutPartial', `"${v}" (publish ${o}) landed in ${inQ.join(', ')} but not in ${queues.filter((q) => !inQ.includes(q)).join(', ')}`);
    } else if (inQ.length === 0 && o === 'ok') {
      fanoutLost++;
      note('fanoutLost', `"${v}" was confirmed but is in none of ${queues.join(', ')}`);
    } else if (inQ.length && o === 'unknown') recovered++;
  }
  for (const q of queues) fanoutDuplicates += duplicates(q, final.fanout[q]!, found.get(q)!, 'fanoutDuplicates');

  // Consume-transform-publish: every source value in the destination exactly once.
  const dst = tally('destination', final.destination);
  // The source is drained by the transform itself: only its counters are judged (undrained, divergence).
  tally('source', final.source);
  let transformLost = 0;
  for (const [v, o] of src) {
    const t = transformed(v);
    if (o === 'ok' && !dst.has(t)) {
      transformLost++;
      note('transformLost', `"${v}" was confirmed in the source queue but "${t}" never reached the destination`);
    } else if (o === 'fail' && dst.has(t)) {
      unexpected++;
      note('unexpected', `"${t}" reached the destination, but the publish of "${v}" was refused for good`);
    } else if (o === 'unknown' && dst.has(t)) recovered++;
  }
  const srcValues = new Set([...src.keys()].map(transformed));
  for (const v of dst.keys()) {
    if (!srcValues.has(v)) {
      unexpected++;
      note('unexpected', `"${v}" in the destination is no transform of a published source value`);
    }
  }
  const transformDuplicates = duplicates('destination', final.destination, dst, 'transformDuplicates');

  const result: RoutedCheckResult = {
    ops: invokes.size,
    fanoutPublishes,
    sourcePublishes,
    transactions,
    fanoutPartial,
    fanoutLost,
    fanoutDuplicates,
    transformLost,
    transformDuplicates,
    unexpected,
    undrained,
    divergence,
    recovered,
    nemesis,
    examples,
    violations: 0,
  };
  result.violations = ROUTED_VIOLATION_KEYS.reduce((s, k) => s + result[k], 0);
  return result;
}

export function routedSummaryLine(r: RoutedCheckResult): string {
  return (
    `chaos: ${r.ops} ops, fanout-partial=${r.fanoutPartial} fanout-lost=${r.fanoutLost} fanout-duplicates=${r.fanoutDuplicates} ` +
    `transform-lost=${r.transformLost} transform-duplicates=${r.transformDuplicates} unexpected=${r.unexpected} undrained=${r.undrained} divergence=${r.divergence} ` +
    `recovered=${r.recovered} fanout publishes ok=${r.fanoutPublishes.ok}/${r.fanoutPublishes.invoked} source publishes ok=${r.sourcePublishes.ok}/${r.sourcePublishes.invoked} ` +
    `transactions ok=${r.transactions.ok}/${r.transactions.invoked} (fail ${r.transactions.fail}, unknown ${r.transactions.unknown}) ` +
    `nemesis=${Object.entries(r.nemesis).map(([k, n]) => `${k}:${n}`).join(',') || 'none'}`
  );
}
