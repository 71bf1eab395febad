import { describe, expect, it } from 'vitest';
import type { Command } from './commands.js';
import { decodeCommand, decodeResult, encodeCommand, encodeResult } from './commands.js';
import { Dispatcher } from './dispatcher.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const put = (key: string, value: string): Uint8Array => encodeCommand({ machine: 'kv', op: 'put', key, value: enc(value) });

describe('commands', () => {
  it('round-trip through their encoding', () => {
    const cmds: Command[] = [
      { machine: 'kv', op: 'put', key: 'k☃', value: enc('v') },
      { machine: 'cluster', op: 'set-member', id: 4, peerAddress: '127.0.0.4:7101', clientAddress: '127.0.0.4:7001' },
      { machine: 'cluster', op: 'remove-member', id: 4 },
    ];
    for (const c of cmds) expect(decodeCommand(encodeCommand(c))).toEqual(c);
  });

  it('refuse unknown versions and trailing bytes', () => {
    const bad = put('a', 'b');
    bad[0] = 9;
    expect(() => decodeCommand(bad)).toThrow(/version 9/);
    expect(() => decodeCommand(new Uint8Array([...put('a', 'b'), 0]))).toThrow(/trailing/);
  });

  it('results round-trip', () => {
    expect(decodeResult(encodeResult({ ok: true, index: 77 }))).toEqual({ ok: true, index: 77 });
    expect(decodeResult(encodeResult({ ok: false, code: 'invalid-argument', message: 'no' }))).toEqual({ ok: false, code: 'invalid-argument', message: 'no' });
  });
});

describe('the dispatcher', () => {
  it('applies puts in log order and remembers the index of each write', () => {
    const d = new Dispatcher();
    expect(d.apply({ index: 3, term: 1, data: put('a', '1') })).toEqual({ ok: true, index: 3 });
    d.apply({ index: 4, term: 1, data: put('a', '2') });
    expect(new TextDecoder().decode(d.kv.get('a')!.value)).toBe('2');
    expect(d.kv.get('a')!.index).toBe(4);
  });

  it('answers the same error on every member for bad commands, without throwing', () => {
    const d = new Dispatcher();
    expect(d.apply({ index: 1, term: 1, data: put('', 'x') })).toMatchObject({ ok: false, code: 'invalid-argument' });
    expect(d.apply({ index: 2, term: 1, data: new Uint8Array([7, 7]) })).toMatchObject({ ok: false, code: 'unsupported' });
  });

  it('restores from its snapshot to the same state', () => {
    let changes = 0;
    const d = new Dispatcher();
    for (let i = 1; i <= 50; i++) d.apply({ index: i, term: 1, data: put(`k${i % 7}`, `v${i}`) });
    d.apply({ index: 51, term: 1, data: encodeCommand({ machine: 'cluster', op: 'set-member', id: 2, peerAddress: 'p', clientAddress: 'c' }) });
    const e = new Dispatcher({ membersChanged: () => changes++ });
    e.restore(d.snapshot());
    expect(e.snapshot()).toEqual(d.snapshot());
    expect(e.cluster.get(2)).toEqual({ id: 2, peerAddress: 'p', clientAddress: 'c' });
    expect(changes).toBe(1);
  });
});
