// The machine-level checks fire on hand-made broken histories: two members
// with different states at one index, a state that replaying from the start
// does not give, a snapshot that does not replay to the live state, and
// confirmed appends a member cannot serve (compacted, or other bytes).

import { describe, expect, it } from 'vitest';
import type { Entry } from '../../raft/core/types.js';
import { EntryType } from '../../raft/core/types.js';
import { MemoryGroupLog } from '../../log/memory-wal.js';
import { buildEntry, machineCommand } from '../../broker/machine/envelope.js';
import { createMachines } from '../../broker/machine/machines.js';
import type { StreamMessage } from '../../broker/machine/streams/commands.js';
import { STREAMS_MACHINE_ID, encodeStreamCommand } from '../../broker/machine/streams/commands.js';
import { DEFAULT_STREAM_CONFIG } from '../../broker/machine/streams/config.js';
import { QUEUES_MACHINE_ID, encodeQueueCommand } from '../../broker/machine/queues/commands.js';
import type { QueueCommand } from '../../broker/machine/queues/commands.js';
import { DEFAULT_QUEUE_CONFIG } from '../../broker/machine/queues/config.js';
import { Checker } from './checkers.js';
import type { ConfirmedAppend, QueueHistory } from './machine-checks.js';
import { MachineChecks } from './machine-checks.js';

const body = (s: string): Uint8Array => new TextEncoder().encode(s);
const MSGS: StreamMessage[] = [
  { headers: [['k', 'v']], body: body('first') },
  { headers: [], body: body('second') },
];

function entry(index: number, cmds: Uint8Array[], time = index): Entry {
  return { index, term: 1, type: EntryType.Normal, data: buildEntry(cmds, time) };
}

/** declare "orders" at 1, an append of MSGS at 2, a second stream at 3. */
function history(): Entry[] {
  const declare = (name: string) => machineCommand(STREAMS_MACHINE_ID, encodeStreamCommand({ op: 'declare', name, config: DEFAULT_STREAM_CONFIG }));
  const append = machineCommand(STREAMS_MACHINE_ID, encodeStreamCommand({ op: 'append', stream: 'orders', producer: '', seq: 0, messages: MSGS }));
  return [entry(1, [declare('orders')]), entry(2, [append]), entry(3, [declare('other')])];
}

const CONFIRMED: ConfirmedAppend = { stream: 'orders', retained: false, firstOffset: 0, messages: MSGS, node: 1, index: 2 };

async function member(entries: readonly Entry[], mutate?: (es: Entry[]) => Entry[]) {
  const registry = createMachines();
  for (const e of entries) registry.apply(e);
  const log = new MemoryGroupLog(0);
  await log.persist({ entries: mutate ? mutate([...entries]) : entries }, true);
  return { id: 2, registry, log, applied: entries[entries.length - 1]!.index };
}

function setup(): { checker: Checker; checks: MachineChecks } {
  const checker = new Checker(1);
  return { checker, checks: new MachineChecks(checker, 1) };
}

describe('the machine checks', () => {
  it('pass on a consistent history, and read every confirmed append back', async () => {
    const { checker, checks } = setup();
    const es = history();
    const reg = createMachines();
    for (const e of es) {
      reg.apply(e);
      checks.committed(e);
      checks.claim(1, e.index, reg.snapshot(), 'applies up to');
    }
    const m = await member(es);
    checks.restoreAndReplay(m);
    await checks.readBack(m, [CONFIRMED]);
    checks.replayFromStart();
    expect(checker.violations).toEqual([]);
    expect(checks.appendsRead).toBe(1);
  });

  it('flag two members whose states differ at one index', () => {
    const { checker, checks } = setup();
    const [a, b] = [createMachines(), createMachines()];
    const es = history();
    a.apply(es[0]!);
    b.apply(es[2]!);
    checks.claim(1, 1, a.snapshot(), 'applies up to');
    checks.claim(2, 1, b.snapshot(), 'applies up to');
    expect(checker.violations.map((v) => v.kind)).toEqual(['machine-divergence']);
  });

  it('flag a state that replaying the committed log from the start does not give', () => {
    const { checker, checks } = setup();
    const es = history();
    for (const e of es) checks.committed(e);
    const skipped = createMachines();
    skipped.apply(es[0]!);
    skipped.apply(es[2]!); // entry 2 left out, as a snapshot missing an index would
    checks.claim(3, 3, skipped.snapshot(), 'restores');
    checks.replayFromStart();
    expect(checker.violations.map((v) => v.kind)).toEqual(['snapshot-replay']);
  });

  it('flag a snapshot that, restored and replayed, is not the live state', async () => {
    const { checker, checks } = setup();
    const es = history();
    const m = await member(es);
    const wrong = createMachines();
    wrong.apply(es[0]!);
    // A snapshot at 2 that lacks the append at 2.
    await m.log.saveSnapshot({ meta: { index: 2, term: 1, conf: { voters: [1, 2], learners: [] } }, data: wrong.snapshot() });
    checks.restoreAndReplay(m);
    expect(checker.violations.map((v) => v.kind)).toEqual(['snapshot-replay']);
  });

  it('flag a confirmed append whose entry was compacted away', async () => {
    const { checker, checks } = setup();
    const es = history();
    const m = await member(es);
    const reg = createMachines();
    reg.apply(es[0]!);
    reg.apply(es[1]!);
    await m.log.saveSnapshot({ meta: { index: 2, term: 1, conf: { voters: [1, 2], learners: [] } }, data: reg.snapshot() });
    await m.log.compact(3);
    await checks.readBack(m, [CONFIRMED]);
    expect(checker.violations.map((v) => v.kind)).toEqual(['unreadable-append']);
    expect(checker.violations[0]!.message).toMatch(/compacted/);
  });

  it('flag a member whose log holds other bytes where the append was confirmed', async () => {
    const { checker, checks } = setup();
    const es = history();
    const other = machineCommand(STREAMS_MACHINE_ID, encodeStreamCommand({ op: 'append', stream: 'orders', producer: '', seq: 0, messages: [MSGS[0]!, { headers: [], body: body('SECOND') }] }));
    const m = await member(es, (xs) => xs.map((e) => (e.index === 2 ? entry(2, [other]) : e)));
    await checks.readBack(m, [CONFIRMED]);
    expect(checker.violations.map((v) => v.kind)).toEqual(['unreadable-append']);
  });

  it('skip an append a retaining stream dropped, but not one lost by a stream without limits, nor one beyond the end', async () => {
    const { checker, checks } = setup();
    const one = (text: string): Uint8Array =>
      machineCommand(STREAMS_MACHINE_ID, encodeStreamCommand({ op: 'append', stream: 'events', producer: '', seq: 0, messages: [{ headers: [], body: body(text) }] }));
    const declare = machineCommand(STREAMS_MACHINE_ID, encodeStreamCommand({ op: 'declare', name: 'events', config: { ...DEFAULT_STREAM_CONFIG, maxMessages: 1 } }));
    const m = await member([entry(1, [declare]), entry(2, [one('old')]), entry(3, [one('new')])]);
    const dropped: ConfirmedAppend = { stream: 'events', retained: true, firstOffset: 0, messages: [{ headers: [], body: body('old') }], node: 1, index: 2 };
    await checks.readBack(m, [dropped, { ...dropped, firstOffset: 1, messages: [{ headers: [], body: body('new') }], index: 3 }]);
    expect(checker.violations).toEqual([]);
    expect([checks.appendsRead, checks.appendsDropped]).toEqual([1, 1]);
    await checks.readBack(m, [{ ...dropped, retained: false }]);
    await checks.readBack(m, [{ ...dropped, firstOffset: 5 }]);
    expect(checker.violations.map((v) => v.kind)).toEqual(['unreadable-append', 'unreadable-append']);
  });

  describe('queues', () => {
    const q = (c: QueueCommand): Uint8Array => machineCommand(QUEUES_MACHINE_ID, encodeQueueCommand(c));
    const m = (text: string) => ({ headers: [], body: body(text), priority: 0, ttlMs: 0, delayMs: 0, id: '', group: '' });
    /** declare at 1, a publish of two at 2, a consumer at 3 (delivered both: tags 1 and 2), an ack of tag 1 at 4. */
    const base = (): Entry[] => [
      entry(1, [q({ op: 'declare', name: 'tasks', config: DEFAULT_QUEUE_CONFIG })]),
      entry(2, [q({ op: 'publish', queue: 'tasks', producer: '', seq: 0, messages: [m('a'), m('b')] })]),
      entry(3, [q({ op: 'subscribe', queue: 'tasks', consumer: 'c', node: 1, prefetch: 5, priority: 0 })]),
      entry(4, [q({ op: 'settle', queue: 'tasks', consumer: 'c', outcome: 'ack', delayMs: 0, tags: [1] })]),
    ];
    const HISTORY: QueueHistory = { publishes: [{ queue: 'tasks', index: 2, part: 0, count: 2, node: 1 }], maybeAcked: new Set(['2:0:0']), acked: new Set(['2:0:0']) };

    it('pass when every confirmed message is held or was acked, and the members agree', async () => {
      const { checker, checks } = setup();
      checks.checkQueues(await member(base()), HISTORY);
      checks.checkQueues({ ...(await member(base())), id: 3 }, HISTORY);
      expect(checker.violations).toEqual([]);
      // Per member: b held, a gone after its ack.
      expect([checks.queueMessagesHeld, checks.queueMessagesAcked]).toEqual([2, 2]);
    });

    it('flag a confirmed message no queue holds and nobody acked (a purge stands in for a machine that lost it)', async () => {
      const { checker, checks } = setup();
      const lost = [...base().slice(0, 2), entry(3, [q({ op: 'purge', name: 'tasks' })])];
      checks.checkQueues(await member(lost), HISTORY);
      expect(checker.violations.map((v) => v.kind)).toEqual(['lost-queue-message']);
      expect(checker.violations[0]!.message).toMatch(/message 1 of the publish to "tasks" confirmed at entry 2:0/);
    });

    it('flag a message still held after its ack was confirmed', async () => {
      const { checker, checks } = setup();
      checks.checkQueues(await member(base().slice(0, 3)), HISTORY);
      expect(checker.violations.map((v) => v.kind)).toEqual(['acked-queue-message']);
    });

    it('flag two members whose queues differ at one applied index', async () => {
      const { checker, checks } = setup();
      checks.checkQueues(await member(base()), HISTORY);
      // The same index, but the second member applied a requeue of tag 2 instead of nothing more.
      const other = base();
      other[3] = entry(4, [q({ op: 'settle', queue: 'tasks', consumer: 'c', outcome: 'ack', delayMs: 0, tags: [1] }), q({ op: 'settle', queue: 'tasks', consumer: 'c', outcome: 'requeue', delayMs: 0, tags: [2] })]);
      checks.checkQueues({ ...(await member(other)), id: 3 }, HISTORY);
      expect(checker.violations.map((v) => v.kind)).toEqual(['queue-divergence']);
    });
  });
});
