// The history checker: a pure function of a recorded history and the final
// stream as every node returns it after healing. It knows nothing of how the
// history was made (the same checker judges real runs and crafted histories
// in checker.test.ts).
//
// What it reports (every count but `recovered`/`unknown` must be 0):
//   lost            appends confirmed ok whose value is absent from the final log
//   duplicated      extra copies of a value in the final log
//   unexpected      values in the final log that no append ever carried
//   failedPresent   appends that failed definitely, yet are in the log
//   divergence      nodes whose final log differs from the reference log at any offset
//   wrongOffsets    appends confirmed at an offset other than where the value sits
//   orderViolations A confirmed before B was invoked, yet offset(A) > offset(B); or a
//                   producer's values out of its sequence order
//   staleReads      linearizable reads that miss an append confirmed before they began
//   readMismatches  a read or subscription saw a value at an offset where the final log has another
//   subscriptionGaps a subscription skipped or repeated offsets
//   recovered       unknown-outcome appends found in the log (allowed)

import type { CompleteEvent, DeliverEvent, HistoryEvent, InvokeEvent, NemesisEvent } from './history.js';

export interface CheckResult {
  ops: number;
  appends: { invoked: number; ok: number; fail: number; unknown: number };
  reads: { ok: number; linearizable: number; fail: number };
  subscriptions: { count: number; delivered: number };
  lost: number;
  duplicated: number;
  unexpected: number;
  failedPresent: number;
  divergence: number;
  wrongOffsets: number;
  orderViolations: number;
  producerOrderViolations: number;
  staleReads: number;
  readMismatches: number;
  subscriptionGaps: number;
  recovered: number;
  finalLength: number;
  nodes: string[];
  /** ok appends / appends invoked, overall and while a majority was connected. */
  availability: number;
  availabilityMajority: number;
  /** The longest stretch (ms) without a confirmed append, between the first invocation and the last event. */
  longestGapMs: number;
  longestGapAt: number | undefined;
  nemesis: Record<string, number>;
  /** Up to 10 examples per anomaly, for the report. */
  examples: Record<string, string[]>;
  violations: number;
}

export const VIOLATION_KEYS = [
  'lost',
  'duplicated',
  'unexpected',
  'failedPresent',
  'divergence',
  'wrongOffsets',
  'orderViolations',
  'staleReads',
  'readMismatches',
  'subscriptionGaps',
] as const;

interface AppendOp {
  inv: InvokeEvent;
  done: CompleteEvent | undefined;
  outcome: 'ok' | 'fail' | 'unknown';
}

/** The log most nodes agree on (ties: the longest), by content. */
function reference(finalLogs: Record<string, readonly string[]>): string[] {
  const groups = new Map<string, { log: readonly string[]; n: number }>();
  for (const log of Object.values(finalLogs)) {
    const k = JSON.stringify(log);
    const g = groups.get(k);
    if (g) g.n++;
    else groups.set(k, { log, n: 1 });
  }
  const best = [...groups.values()].sort((a, b) => b.n - a.n || b.log.length - a.log.length)[0];
  return best ? [...best.log] : [];
}

export function check(history: readonly HistoryEvent[], finalLogs: Record<string, readonly string[]>): CheckResult {
  const examples: Record<string, string[]> = {};
  const note = (k: string, s: string): void => {
    const l = (examples[k] ??= []);
    if (l.length < 10) l.push(s);
  };

  // Pair invocations with outcomes.
  const invokes = new Map<number, InvokeEvent>();
  const completes = new Map<number, CompleteEvent>();
  const delivers = new Map<number, DeliverEvent[]>();
  const nemesis: NemesisEvent[] = [];
  let firstTime = Infinity;
  let lastTime = -Infinity;
  for (const e of history) {
    firstTime = Math.min(firstTime, e.time);
    lastTime = Math.max(lastTime, e.time);
    if (e.type === 'invoke') invokes.set(e.id, e);
    else if (e.type === 'deliver') {
      const l = delivers.get(e.id) ?? [];
      l.push(e);
      delivers.set(e.id, l);
    } else if (e.type === 'nemesis') nemesis.push(e);
    else if (e.type === 'ok' || e.type === 'fail' || e.type === 'unknown') completes.set(e.id, e);
  }

  const appends: AppendOp[] = [];
  const reads: { inv: InvokeEvent; done: CompleteEvent }[] = [];
  let readFail = 0;
  for (const inv of invokes.values()) {
    const done = completes.get(inv.id);
    if (inv.f === 'append') appends.push({ inv, done, outcome: done ? done.type : 'unknown' });
    else if (inv.f === 'read') {
      if (done?.type === 'ok') reads.push({ inv, done });
      else readFail++;
    }
  }

  const ref = reference(finalLogs);
  const nodes = Object.keys(finalLogs).sort();

  // Divergence: any node whose log is not the reference, offset by offset.
  let divergence = 0;
  for (const n of nodes) {
    const log = finalLogs[n]!;
    if (log.length !== ref.length) {
      divergence++;
      note('divergence', `node ${n} has ${log.length} values, the reference ${ref.length}`);
      continue;
    }
    const at = log.findIndex((v, i) => v !== ref[i]);
    if (at >= 0) {
      divergence++;
      note('divergence', `node ${n} has "${log[at]}" at offset ${at}, the reference "${ref[at]}"`);
    }
  }

  // Where each value sits in the reference log.
  const offsetsOf = new Map<string, number[]>();
  ref.forEach((v, i) => {
    const l = offsetsOf.get(v);
    if (l) l.push(i);
    else offsetsOf.set(v, [i]);
  });
  let duplicated = 0;
  for (const [v, offs] of offsetsOf) {
    if (offs.length > 1) {
      duplicated += offs.length - 1;
      note('duplicated', `"${v}" at offsets ${offs.join(', ')}`);
    }
  }

  const byValue = new Map<string, AppendOp>();
  for (const a of appends) if (a.inv.value !== undefined) byValue.set(a.inv.value, a);
  let unexpected = 0;
  for (const v of offsetsOf.keys()) {
    if (!byValue.has(v)) {
      unexpected++;
      note('unexpected', `"${v}" at offset ${offsetsOf.get(v)![0]} was never appended`);
    }
  }

  let lost = 0;
  let failedPresent = 0;
  let recovered = 0;
  let wrongOffsets = 0;
  for (const a of appends) {
    const v = a.inv.value!;
    const at = offsetsOf.get(v)?.[0];
    if (a.outcome === 'ok') {
      if (at === undefined) {
        lost++;
        note('lost', `"${v}" confirmed at offset ${a.done?.offset} (${a.inv.proc}, done ${new Date(a.done!.time).toISOString()}) is not in the final log`);
      } else if (a.done?.offset !== undefined && a.done.offset !== at) {
        wrongOffsets++;
        note('wrongOffsets', `"${v}" confirmed at offset ${a.done.offset}, found at ${at}`);
      }
    } else if (at !== undefined) {
      if (a.outcome === 'fail') {
        failedPresent++;
        note('failedPresent', `"${v}" failed (${a.done?.error ?? ''}) yet is at offset ${at}`);
      } else recovered++;
    }
  }

  // Real-time order: if A was confirmed before B was invoked, A sits below B.
  // Sweep B by invocation time, keeping the highest offset of every A
  // confirmed earlier.
  let orderViolations = 0;
  const confirmed = appends
    .filter((a) => a.outcome === 'ok' && offsetsOf.has(a.inv.value!))
    .map((a) => ({ time: a.done!.time, off: offsetsOf.get(a.inv.value!)![0]!, v: a.inv.value! }))
    .sort((x, y) => x.time - y.time);
  const present = appends
    .filter((a) => offsetsOf.has(a.inv.value!))
    .map((a) => ({ time: a.inv.time, off: offsetsOf.get(a.inv.value!)![0]!, v: a.inv.value! }))
    .sort((x, y) => x.time - y.time);
  {
    let k = 0;
    let max = -1;
    let maxV = '';
    for (const b of present) {
      while (k < confirmed.length && confirmed[k]!.time < b.time) {
        if (confirmed[k]!.off > max) {
          max = confirmed[k]!.off;
          maxV = confirmed[k]!.v;
        }
        k++;
      }
      if (max > b.off) {
        orderViolations++;
        note('orderViolations', `"${maxV}" was confirmed before "${b.v}" was invoked, yet sits at offset ${max} > ${b.off}`);
      }
    }
  }
  // Each producer's values in its sequence order.
  let producerOrderViolations = 0;
  const byProducer = new Map<string, { seq: number; off: number; v: string }[]>();
  for (const a of appends) {
    if (a.inv.producer === undefined || a.inv.seq === undefined) continue;
    const off = offsetsOf.get(a.inv.value!)?.[0];
    if (off === undefined) continue;
    const l = byProducer.get(a.inv.producer) ?? [];
    l.push({ seq: a.inv.seq, off, v: a.inv.value! });
    byProducer.set(a.inv.producer, l);
  }
  for (const [p, l] of byProducer) {
    l.sort((x, y) => x.off - y.off);
    for (let i = 1; i < l.length; i++) {
      if (l[i]!.seq <= l[i - 1]!.seq) {
        producerOrderViolations++;
        note('orderViolations', `producer ${p}: sequence ${l[i]!.seq} ("${l[i]!.v}") at offset ${l[i]!.off} follows sequence ${l[i - 1]!.seq} at ${l[i - 1]!.off}`);
      }
    }
  }
  orderViolations += producerOrderViolations;

  // Reads: every value seen matches the final log; a linearizable read sees
  // every append confirmed before it began (its end offset lies past them).
  let readMismatches = 0;
  let staleReads = 0;
  let linearizable = 0;
  const prefixMax: number[] = [];
  confirmed.forEach((c, i) => prefixMax.push(Math.max(c.off, i ? prefixMax[i - 1]! : -1)));
  const prefixArg: string[] = [];
  confirmed.forEach((c, i) => prefixArg.push(i && prefixMax[i - 1]! >= c.off ? prefixArg[i - 1]! : c.v));
  const confirmedBefore = (t: number): number => {
    // number of confirmed appends with time < t
    let lo = 0;
    let hi = confirmed.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (confirmed[mid]!.time < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const checkSeen = (what: string, pairs: ReadonlyArray<readonly [number, string]>): void => {
    for (const [off, v] of pairs) {
      if (ref[off] !== v) {
        readMismatches++;
        note('readMismatches', `${what} saw "${v}" at offset ${off}, the final log has ${ref[off] === undefined ? 'nothing' : `"${ref[off]}"`}`);
      }
    }
  };
  for (const r of reads) {
    checkSeen(`read ${r.inv.id} (${r.inv.proc} via ${r.done.node ?? r.inv.node})`, r.done.reads ?? []);
    if (r.inv.consistency !== 'linearizable') continue;
    linearizable++;
    const k = confirmedBefore(r.inv.time);
    const end = r.done.end ?? (r.done.reads?.length ? r.done.reads[r.done.reads.length - 1]![0] + 1 : 0);
    if (k > 0 && prefixMax[k - 1]! >= end) {
      staleReads++;
      note('staleReads', `read ${r.inv.id} (${r.inv.proc} via ${r.done.node ?? r.inv.node}) invoked at ${new Date(r.inv.time).toISOString()} ended at offset ${end}, but "${prefixArg[k - 1]}" at offset ${prefixMax[k - 1]} was confirmed before`);
    }
  }

  // Subscriptions: consecutive offsets, values as in the final log.
  let subscriptionGaps = 0;
  let delivered = 0;
  let subs = 0;
  for (const inv of invokes.values()) {
    if (inv.f !== 'subscribe') continue;
    subs++;
    let next = inv.from;
    for (const d of delivers.get(inv.id) ?? []) {
      delivered += d.msgs.length;
      checkSeen(`subscription ${inv.id} (${inv.proc} via ${inv.node})`, d.msgs);
      for (const [off] of d.msgs) {
        if (next !== undefined && off !== next) {
          subscriptionGaps++;
          note('subscriptionGaps', `subscription ${inv.id} (${inv.proc} via ${inv.node}) delivered offset ${off} where ${next} was next`);
        }
        next = off + 1;
      }
    }
  }

  // Availability, overall and while no fault that breaks the majority was active.
  const noMajority: [number, number][] = [];
  {
    const open = new Map<string, number>();
    for (const n of [...nemesis].sort((a, b) => a.time - b.time)) {
      if (n.action === 'start' && n.majority === false) open.set(n.kind, n.time);
      if (n.action === 'stop' && open.has(n.kind)) {
        noMajority.push([open.get(n.kind)!, n.time]);
        open.delete(n.kind);
      }
    }
    for (const t of open.values()) noMajority.push([t, Infinity]);
  }
  const inNoMajority = (t: number): boolean => noMajority.some(([a, b]) => t >= a && t <= b);
  const okCount = appends.filter((a) => a.outcome === 'ok').length;
  const withMajority = appends.filter((a) => !inNoMajority(a.inv.time));
  const availability = appends.length ? okCount / appends.length : 1;
  const availabilityMajority = withMajority.length ? withMajority.filter((a) => a.outcome === 'ok').length / withMajority.length : 1;

  let longestGapMs = 0;
  let longestGapAt: number | undefined;
  {
    const start = appends.length ? Math.min(...appends.map((a) => a.inv.time)) : firstTime;
    const oks = appends
      .filter((a) => a.outcome === 'ok')
      .map((a) => a.done!.time)
      .sort((x, y) => x - y);
    const lastInvoke = appends.length ? Math.max(...appends.map((a) => a.inv.time)) : lastTime;
    let prev = start;
    for (const t of [...oks, lastInvoke]) {
      if (t - prev > longestGapMs) {
        longestGapMs = t - prev;
        longestGapAt = prev;
      }
      prev = Math.max(prev, t);
    }
  }

  const nemesisCounts: Record<string, number> = {};
  for (const n of nemesis) if (n.action === 'start') nemesisCounts[n.kind] = (nemesisCounts[n.kind] ?? 0) + 1;

  const result: CheckResult = {
    ops: invokes.size,
    appends: {
      invoked: appends.length,
      ok: okCount,
      fail: appends.filter((a) => a.outcome === 'fail').length,
      unknown: appends.filter((a) => a.outcome === 'unknown').length,
    },
    reads: { ok: reads.length, linearizable, fail: readFail },
    subscriptions: { count: subs, delivered },
    lost,
    duplicated,
    unexpected,
    failedPresent,
    divergence,
    wrongOffsets,
    orderViolations,
    producerOrderViolations,
    staleReads,
    readMismatches,
    subscriptionGaps,
    recovered,
    finalLength: ref.length,
    nodes,
    availability,
    availabilityMajority,
    longestGapMs,
    longestGapAt,
    nemesis: nemesisCounts,
    examples,
    violations: 0,
  };
  result.violations = VIOLATION_KEYS.reduce((s, k) => s + result[k], 0);
  return result;
}

/** The one-line summary. */
export function summaryLine(r: CheckResult): string {
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
  return (
    `chaos: ${r.ops} ops, lost=${r.lost} duplicated=${r.duplicated} unexpected=${r.unexpected} divergence=${r.divergence} ` +
    `order-violations=${r.orderViolations} stale-reads=${r.staleReads} read-mismatches=${r.readMismatches} wrong-offsets=${r.wrongOffsets} ` +
    `failed-present=${r.failedPresent} subscription-gaps=${r.subscriptionGaps} recovered=${r.recovered}/${r.appends.unknown} ` +
    `appends ok=${r.appends.ok}/${r.appends.invoked} reads=${r.reads.ok} (linearizable ${r.reads.linearizable}) delivered=${r.subscriptions.delivered} ` +
    `log=${r.finalLength} on ${r.nodes.length} nodes availability=${pct(r.availability)} (majority connected ${pct(r.availabilityMajority)}) ` +
    `longest-gap=${(r.longestGapMs / 1000).toFixed(1)}s nemesis=${Object.entries(r.nemesis).map(([k, n]) => `${k}:${n}`).join(',') || 'none'}`
  );
}
