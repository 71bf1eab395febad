import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Entry } from '../../../raft/core/types.js';
import { EntryType } from '../../../raft/core/types.js';
import { QueryError } from '../../machine/api.js';
import { buildEntry, commandFor } from '../../machine/envelope.js';
import { createMachines } from '../../machine/machines.js';
import { DEFAULT_STREAM_CONFIG } from '../../machine/streams/config.js';
import type { StreamCommand } from '../../machine/streams/commands.js';
import { StreamsMachine } from '../../machine/streams/machine.js';
import { DecodedCache, StreamReader, batchKey } from './stream-reader.js';

/** A log of entries applied through the machine registry, as on a node, with a count of readEntries calls. */
function setup(cacheBytes = 1 << 20) {
  const machines = createMachines();
  const m = machines.get(StreamsMachine);
  const log: Entry[] = [];
  let calls = 0;
  const source = {
    readEntries: async (lo: number, hi: number) => {
      calls++;
      return log.filter((e) => e.index >= lo && e.index < hi);
    },
  };
  const reader = new StreamReader(m, source, cacheBytes);
  /** One entry holding these commands, stamped with `time`. */
  const applyEntry = (cs: StreamCommand[], time = 1): void => {
    const index = log.length + 1;
    const data = buildEntry(
      cs.map((c) => commandFor(m, c)),
      time,
    );
    log.push({ index, term: 1, type: EntryType.Normal, data });
    machines.apply({ index, term: 1, data });
  };
  const apply = (c: StreamCommand, time = 1): void => applyEntry([c], time);
  return { m, reader, apply, applyEntry, calls: () => calls };
}

const msgs = (...bodies: string[]) => bodies.map((b) => ({ headers: [] as [string, string][], body: new TextEncoder().encode(b) }));
const text = (r: { messages: { message: { body: Uint8Array } }[] }) => r.messages.map((x) => new TextDecoder().decode(x.message.body));

describe('the stream reader', () => {
  it('reads spans from the log in one call per run of nearby entries, then from its cache', async () => {
    const { reader, apply, calls } = setup();
    apply({ op: 'declare', name: 's', config: DEFAULT_STREAM_CONFIG });
    apply({ op: 'declare', name: 'other', config: DEFAULT_STREAM_CONFIG });
    for (let i = 0; i < 5; i++) {
      apply({ op: 'append', stream: 's', producer: '', seq: 0, messages: msgs(`a${i}`, `b${i}`) }, 100 + i);
      apply({ op: 'append', stream: 'other', producer: '', seq: 0, messages: msgs('x') }, 100 + i);
    }
    const r = await reader.read('s', 1, 6, 1 << 20);
    expect(text(r)).toEqual(['b0', 'a1', 'b1', 'a2', 'b2', 'a3']);
    expect(r.messages.map((m) => m.offset)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(r.messages[2]!.timestamp).toBe(101);
    expect(r.next).toBe(7);
    expect(calls()).toBe(1);
    await reader.read('s', 0, 10, 1 << 20);
    expect(calls()).toBe(2); // only the entry not read before
    await reader.read('s', 0, 10, 1 << 20);
    expect(calls()).toBe(2);
  });

  it('stops before max bytes but returns at least one message, and nothing past the end', async () => {
    const { reader, apply } = setup();
    apply({ op: 'declare', name: 's', config: DEFAULT_STREAM_CONFIG });
    apply({ op: 'append', stream: 's', producer: '', seq: 0, messages: msgs('12345', '12345', '12345') });
    // Each message counts its bytes plus 64 of framing, so a response fits the client's receive limit.
    expect(text(await reader.read('s', 0, 10, 2 * (5 + 64) + 1))).toEqual(['12345', '12345']);
    expect(text(await reader.read('s', 0, 10, 1))).toEqual(['12345']);
    expect((await reader.read('s', 3, 10, 100)).messages).toEqual([]);
  });

  it('reads each batch of an entry that several appends share by its position', async () => {
    const { reader, apply, applyEntry, calls } = setup();
    apply({ op: 'declare', name: 's', config: DEFAULT_STREAM_CONFIG });
    apply({ op: 'declare', name: 't', config: DEFAULT_STREAM_CONFIG });
    applyEntry([
      { op: 'append', stream: 's', producer: '', seq: 0, messages: msgs('s0', 's1') },
      { op: 'append', stream: 't', producer: '', seq: 0, messages: msgs('t0') },
      { op: 'append', stream: 's', producer: '', seq: 0, messages: msgs('s2') },
    ]);
    expect(text(await reader.read('s', 0, 10, 1 << 20))).toEqual(['s0', 's1', 's2']);
    expect(text(await reader.read('t', 0, 10, 1 << 20))).toEqual(['t0']);
    expect(calls()).toBe(2);
  });

  it('serves batches decoded at apply time without touching the log', async () => {
    const { reader, m, calls } = setup();
    m.apply({ index: 1, term: 1, part: 0, time: 1 }, { op: 'declare', name: 's', config: DEFAULT_STREAM_CONFIG });
    const batch = msgs('hot');
    m.apply({ index: 2, term: 1, part: 3, time: 1 }, { op: 'append', stream: 's', producer: '', seq: 0, messages: batch });
    reader.appended(2, 3, batch);
    expect(text(await reader.read('s', 0, 10, 100))).toEqual(['hot']);
    expect(calls()).toBe(0);
  });

  it('reports unknown streams and offsets below retention as the machine does', async () => {
    const { reader, apply } = setup();
    apply({ op: 'declare', name: 's', config: { ...DEFAULT_STREAM_CONFIG, maxMessages: 2 } });
    for (let i = 0; i < 3; i++) apply({ op: 'append', stream: 's', producer: '', seq: 0, messages: msgs(`m${i}`) });
    await expect(reader.read('nope', 0, 1, 1)).rejects.toMatchObject({ code: 'not-found' });
    await expect(reader.read('s', 0, 1, 1)).rejects.toBeInstanceOf(QueryError);
    await expect(reader.read('s', 0, 1, 1)).rejects.toThrow(/first available offset is 1/);
  });
});

describe('the decoded-entry cache', () => {
  it('evicts the least recently used entries beyond its byte budget', () => {
    const c = new DecodedCache(3 * (64 + 10));
    for (let i = 1; i <= 3; i++) c.put(batchKey(i, 0), msgs('0123456789'));
    expect(c.get(batchKey(1, 0))).toBeDefined(); // 1 is now the most recent
    c.put(batchKey(4, 0), msgs('0123456789'));
    expect(c.get(batchKey(2, 0))).toBeUndefined();
    expect(c.get(batchKey(1, 0))).toBeDefined();
    expect(c.size).toBe(3);
    expect(c.bytes).toBeLessThanOrEqual(c.maxBytes);
  });

  it('keeps exactly what a naive LRU keeps under random puts and gets', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ get: fc.boolean(), key: fc.nat(40), size: fc.integer({ min: 1, max: 30 }) }), { maxLength: 300 }),
        (ops) => {
          const budget = 6 * (64 + 15);
          const c = new DecodedCache(budget);
          // The model: keys from least to most recently used, with their bytes.
          let model: Array<[string, number]> = [];
          for (const o of ops) {
            const key = batchKey(o.key, 0);
            if (o.get) {
              const at = model.findIndex(([k]) => k === key);
              expect(c.get(key) !== undefined).toBe(at >= 0);
              if (at >= 0) model.push(...model.splice(at, 1));
              continue;
            }
            const bytes = 64 + o.size;
            c.put(key, msgs('x'.repeat(o.size)));
            model = model.filter(([k]) => k !== key);
            model.push([key, bytes]);
            let total = model.reduce((n, [, b]) => n + b, 0);
            while (total > budget) total -= model.shift()![1];
            expect(c.size).toBe(model.length);
            expect(c.bytes).toBe(total);
          }
          for (const [k] of model) expect(c.get(k)).toBeDefined();
        },
      ),
      { numRuns: 300 },
    );
  });
});
