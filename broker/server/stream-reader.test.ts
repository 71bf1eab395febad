import { describe, expect, it } from 'vitest';
import type { Entry } from '../../raft/core/types.js';
import { EntryType } from '../../raft/core/types.js';
import { DEFAULT_STREAM_CONFIG } from '../machine/streams/config.js';
import type { StreamCommand } from '../machine/streams/commands.js';
import { encodeStreamCommand } from '../machine/streams/commands.js';
import { StreamReadError, StreamsMachine } from '../machine/streams/machine.js';
import { DecodedCache, StreamReader } from './stream-reader.js';

/** A log of stream commands, with a count of readEntries calls. */
function setup(cacheBytes = 1 << 20) {
  const m = new StreamsMachine();
  const log: Entry[] = [];
  let calls = 0;
  const source = {
    readEntries: async (lo: number, hi: number) => {
      calls++;
      return log.filter((e) => e.index >= lo && e.index < hi);
    },
  };
  const reader = new StreamReader(m, source, cacheBytes);
  const apply = (c: StreamCommand): void => {
    const index = log.length + 1;
    log.push({ index, term: 1, type: EntryType.Normal, data: encodeStreamCommand(c) });
    m.apply(c, index);
  };
  return { m, reader, apply, calls: () => calls };
}

const msgs = (...bodies: string[]) => bodies.map((b) => ({ headers: [] as [string, string][], body: new TextEncoder().encode(b) }));
const text = (r: { messages: { message: { body: Uint8Array } }[] }) => r.messages.map((x) => new TextDecoder().decode(x.message.body));

describe('the stream reader', () => {
  it('reads spans from the log in one call per run of nearby entries, then from its cache', async () => {
    const { reader, apply, calls } = setup();
    apply({ op: 'declare', name: 's', config: DEFAULT_STREAM_CONFIG });
    apply({ op: 'declare', name: 'other', config: DEFAULT_STREAM_CONFIG });
    for (let i = 0; i < 5; i++) {
      apply({ op: 'append', stream: 's', producer: '', seq: 0, time: 100 + i, messages: msgs(`a${i}`, `b${i}`) });
      apply({ op: 'append', stream: 'other', producer: '', seq: 0, time: 100 + i, messages: msgs('x') });
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
    apply({ op: 'append', stream: 's', producer: '', seq: 0, time: 1, messages: msgs('12345', '12345', '12345') });
    // Each message counts its bytes plus 64 of framing, so a response fits the client's receive limit.
    expect(text(await reader.read('s', 0, 10, 2 * (5 + 64) + 1))).toEqual(['12345', '12345']);
    expect(text(await reader.read('s', 0, 10, 1))).toEqual(['12345']);
    expect((await reader.read('s', 3, 10, 100)).messages).toEqual([]);
  });

  it('serves batches decoded at apply time without touching the log', async () => {
    const { reader, calls } = setup();
    const m = (reader as unknown as { machine: StreamsMachine }).machine;
    m.apply({ op: 'declare', name: 's', config: DEFAULT_STREAM_CONFIG }, 1);
    const batch = msgs('hot');
    m.apply({ op: 'append', stream: 's', producer: '', seq: 0, time: 1, messages: batch }, 2);
    reader.appended(2, batch);
    expect(text(await reader.read('s', 0, 10, 100))).toEqual(['hot']);
    expect(calls()).toBe(0);
  });

  it('reports unknown streams and offsets below retention as the machine does', async () => {
    const { reader, apply } = setup();
    apply({ op: 'declare', name: 's', config: { ...DEFAULT_STREAM_CONFIG, maxMessages: 2 } });
    for (let i = 0; i < 3; i++) apply({ op: 'append', stream: 's', producer: '', seq: 0, time: 1, messages: msgs(`m${i}`) });
    await expect(reader.read('nope', 0, 1, 1)).rejects.toMatchObject({ code: 'not-found' });
    await expect(reader.read('s', 0, 1, 1)).rejects.toBeInstanceOf(StreamReadError);
    await expect(reader.read('s', 0, 1, 1)).rejects.toThrow(/first available offset is 1/);
  });

  it('wakes waiters on apply', async () => {
    const { reader } = setup();
    let woke = false;
    const p = reader.nextApply(10_000).then(() => (woke = true));
    reader.applied();
    await p;
    expect(woke).toBe(true);
  });
});

describe('the decoded-entry cache', () => {
  it('evicts the least recently used entries beyond its byte budget', () => {
    const c = new DecodedCache(3 * (64 + 10));
    for (let i = 1; i <= 3; i++) c.put(i, msgs('0123456789'));
    expect(c.get(1)).toBeDefined(); // 1 is now the most recent
    c.put(4, msgs('0123456789'));
    expect(c.get(2)).toBeUndefined();
    expect(c.get(1)).toBeDefined();
    expect(c.size).toBe(3);
    expect(c.bytes).toBeLessThanOrEqual(c.maxBytes);
  });
});
