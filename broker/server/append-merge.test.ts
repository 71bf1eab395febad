import { describe, expect, it } from 'vitest';
import { decodeStreamCommand, encodeStreamCommand } from '../machine/streams/commands.js';
import type { StreamCommand, StreamMessage } from '../machine/streams/commands.js';
import { DEFAULT_STREAM_CONFIG } from '../machine/streams/config.js';
import { StreamsMachine } from '../machine/streams/machine.js';
import { mergeAppends, mergeLimits, parseMergeable, splitResult } from './append-merge.js';
import { stampAppendTime } from './leader-propose.js';

const msg = (s: string, headers: [string, string][] = []): StreamMessage => ({ headers, body: new TextEncoder().encode(s) });
const append = (stream: string, messages: StreamMessage[], producer = '', seq = 0): Uint8Array =>
  encodeStreamCommand({ op: 'append', stream, producer, seq, time: 0, messages });

describe('merging appends to one stream into one command', () => {
  it('parses appends without a producer, and nothing else', () => {
    const p = parseMergeable(append('orders', [msg('a'), msg('b')]));
    expect(p).toMatchObject({ key: 'orders', count: 2 });
    expect(parseMergeable(append('orders', [msg('a')], 'p1', 7))).toBeUndefined();
    expect(parseMergeable(encodeStreamCommand({ op: 'delete', name: 'orders' }))).toBeUndefined();
    expect(parseMergeable(new Uint8Array([1, 2, 3, 0]))).toBeUndefined();
  });

  it('keeps every message, in order, with headers; the leader can stamp the merged command', () => {
    const parts = [append('s', [msg('a', [['k', 'v']])]), append('s', [msg('b'), msg('c')]), append('s', [msg('')])];
    const merged = mergeAppends(parts.map((cmd) => ({ cmd, parsed: parseMergeable(cmd)! })));
    expect(stampAppendTime(merged, 1234)).toBe(true);
    const c = decodeStreamCommand(merged) as Extract<StreamCommand, { op: 'append' }>;
    expect(c).toMatchObject({ op: 'append', stream: 's', producer: '', seq: 0, time: 1234 });
    expect(c.messages.map((m) => new TextDecoder().decode(m.body))).toEqual(['a', 'b', 'c', '']);
    expect(c.messages[0]!.headers).toEqual([['k', 'v']]);
  });

  it('splits the merged result into each part’s offsets, and an error to every part', () => {
    const m = new StreamsMachine();
    m.apply({ op: 'declare', name: 's', config: DEFAULT_STREAM_CONFIG }, 1);
    m.apply({ op: 'append', stream: 's', producer: '', seq: 0, time: 1, messages: [msg('x')] }, 2);
    const parts = [append('s', [msg('a')]), append('s', [msg('b'), msg('c')])];
    const merged = decodeStreamCommand(mergeAppends(parts.map((cmd) => ({ cmd, parsed: parseMergeable(cmd)! }))));
    const r = m.apply(merged, 3);
    expect(r.ok).toBe(true);
    const [a, b] = splitResult({ ok: true, index: 3, stream: r.ok ? r : undefined } as never, [1, 2]);
    expect(a).toMatchObject({ ok: true, index: 3, stream: { firstOffset: 1, count: 1 } });
    expect(b).toMatchObject({ ok: true, index: 3, stream: { firstOffset: 2, count: 2 } });
    const err = { ok: false as const, code: 'not-found' as const, message: 'gone' };
    expect(splitResult(err, [1, 2])).toEqual([err, err]);
  });

  it('never merges for the reject discard policy, and bounds a merged batch by the stream’s limits', () => {
    expect(mergeLimits(undefined)).toBeUndefined();
    expect(mergeLimits({ ...DEFAULT_STREAM_CONFIG, discard: 'reject' })).toBeUndefined();
    expect(mergeLimits({ ...DEFAULT_STREAM_CONFIG, maxMessages: 50, maxBytes: 4096 })).toEqual({ messages: 50, bytes: 4096 });
    expect(mergeLimits(DEFAULT_STREAM_CONFIG)).toEqual({ messages: 10_000, bytes: 1 << 20 });
  });
});
