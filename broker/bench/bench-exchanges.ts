// node dist/broker/bench/bench-exchanges.js: routing cost of the exchanges
// machine, applied as a node applies entries (registry, codec included), with
// 10 and with 100 000 topic bindings; and a publish fanned out to 10 queues
// in one write beside 10 separate publishes. No disk, no network: what the
// state machine itself costs per routed publish. Prints JSON lines.

import { buildEntry, machineCommand } from '../machine/envelope.js';
import { EXCHANGES_MACHINE_ID, encodeExchangeCommand } from '../machine/exchanges/commands.js';
import type { ExchangeCommand } from '../machine/exchanges/commands.js';
import { ExchangesMachine } from '../machine/exchanges/machine.js';
import { createMachines } from '../machine/machines.js';
import { QUEUES_MACHINE_ID, encodeQueueCommand } from '../machine/queues/commands.js';
import type { QueueCommand, QueueMessage } from '../machine/queues/commands.js';
import { DEFAULT_QUEUE_CONFIG } from '../machine/queues/config.js';

const body = new Uint8Array(100);
const msg: QueueMessage = { headers: [], body, priority: 0, ttlMs: 0, delayMs: 0, id: '', group: '' };

class Applier {
  r = createMachines();
  index = 0;
  run(cmds: Uint8Array[]): void {
    const res = this.r.apply({ index: ++this.index, term: 1, data: buildEntry(cmds, this.index) });
    for (const x of res.replies) if (!x.ok) throw new Error(x.message);
  }
  x(c: ExchangeCommand): Uint8Array {
    return machineCommand(EXCHANGES_MACHINE_ID, encodeExchangeCommand(c));
  }
  q(c: QueueCommand): Uint8Array {
    return machineCommand(QUEUES_MACHINE_ID, encodeQueueCommand(c));
  }
}

function timed(n: number, fn: (i: number) => void): { perSecond: number; usPer: number } {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn(i);
  const ns = Number(process.hrtime.bigint() - t0);
  return { perSecond: Math.round(n / (ns / 1e9)), usPer: +(ns / 1000 / n).toFixed(2) };
}

function topic(bindings: number, publishes: number, print = true): void {
  const a = new Applier();
  a.run([a.q({ op: 'declare', name: 'hit', config: DEFAULT_QUEUE_CONFIG }), a.q({ op: 'declare', name: 'other', config: DEFAULT_QUEUE_CONFIG })]);
  a.run([a.x({ op: 'declare', name: 't', type: 'topic', alternate: '' })]);
  for (let i = 0; i < bindings; i += 1000) {
    const cmds: Uint8Array[] = [];
    for (let k = i; k < Math.min(bindings, i + 1000); k++) cmds.push(a.x({ op: 'bind', binding: { source: 't', kind: 'queue', target: k === 7 ? 'hit' : 'other', key: `region${k}.orders.*`, args: [] } }));
    a.run(cmds);
  }
  const cmd = a.x({ op: 'write', producer: '', seq: 0, ops: [{ op: 'route', exchange: 't', key: 'region7.orders.created', mandatory: true, messages: [msg] }] });
  const r = timed(publishes, () => a.run([cmd]));
  // Routing alone: the trie walk and the target checks, no entry, no landing.
  const x = a.r.get(ExchangesMachine);
  const route = timed(publishes, () => x.routeOf('t', 'region7.orders.created'));
  if (print) {
    console.log(JSON.stringify({ figure: 'topic-route-applied', bindings, publishes, ...r }));
    console.log(JSON.stringify({ figure: 'topic-route-only', bindings, routes: publishes, ...route }));
  }
}

function fanout(publishes: number): void {
  const queues = Array.from({ length: 10 }, (_, i) => `q${i}`);
  const a = new Applier();
  a.run(queues.map((name) => a.q({ op: 'declare', name, config: DEFAULT_QUEUE_CONFIG })));
  a.run([a.x({ op: 'declare', name: 'f', type: 'fanout', alternate: '' }), ...queues.map((target) => a.x({ op: 'bind', binding: { source: 'f', kind: 'queue', target, key: '', args: [] } }))]);
  const routed = a.x({ op: 'write', producer: '', seq: 0, ops: [{ op: 'route', exchange: 'f', key: '', mandatory: false, messages: [msg] }] });
  const one = timed(publishes, () => a.run([routed]));
  const separate = queues.map((queue) => a.q({ op: 'publish', queue, producer: '', seq: 0, messages: [msg] }));
  const ten = timed(publishes, () => {
    for (const c of separate) a.run([c]);
  });
  console.log(JSON.stringify({ figure: 'fanout-10-one-write', publishes, ...one, entries: publishes }));
  console.log(JSON.stringify({ figure: 'fanout-10-separate-publishes', publishes, ...ten, entries: publishes * 10 }));
}

const n = Number(process.argv[2] ?? 20_000);
// Warm the JIT first, so the first figure is not the slowest for that alone.
topic(10, n, false);
topic(10, n);
topic(100_000, n);
fanout(n);
