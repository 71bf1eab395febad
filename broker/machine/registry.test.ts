import { describe, expect, it } from 'vitest';
import type { AnyMachine, ApplyMeta, Machine, Outcome } from './api.js';
import { Writer } from './bytes.js';
import { ClusterMachine } from './cluster/machine.js';
import { buildEntry, decodeEntry, entryCommand, machineCommand, stampTime } from './envelope.js';
import { KvMachine } from './kv/machine.js';
import { createMachines } from './machines.js';
import { MachineRegistry } from './registry.js';
import { DEFAULT_STREAM_CONFIG } from './streams/config.js';
import { StreamsMachine } from './streams/machine.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const kv = new KvMachine();
const put = (key: string, value: string): Uint8Array => machineCommand(kv.id, kv.encodeCommand({ op: 'put', key, value: enc(value) }));
const book = new ClusterMachine();
const setMember = (id: number): Uint8Array => machineCommand(book.id, book.encodeCommand({ op: 'set-member', id, peerAddress: `p${id}`, clientAddress: `c${id}` }));
const streams = new StreamsMachine();
const declare = (name: string, maxAgeMs = 0): Uint8Array => machineCommand(streams.id, streams.encodeCommand({ op: 'declare', name, config: { ...DEFAULT_STREAM_CONFIG, maxAgeMs } }));
const append = (stream: string, body: string): Uint8Array =>
  machineCommand(streams.id, streams.encodeCommand({ op: 'append', stream, producer: '', seq: 0, messages: [{ headers: [], body: enc(body) }] }));

describe('the entry envelope', () => {
  it('carries commands for any machines and the leader time, and is stamped in place', () => {
    const e = buildEntry([put('a', '1'), setMember(2)]);
    stampTime(e, 1234);
    const d = decodeEntry(e);
    expect(d.time).toBe(1234);
    expect(d.commands.map((c) => c[0])).toEqual([kv.id, book.id]);
    expect(entryCommand(e, 1)).toEqual(setMember(2));
    expect(decodeEntry(buildEntry([], 5))).toEqual({ time: 5, commands: [] });
  });

  it('refuses what it did not write', () => {
    expect(() => decodeEntry(new Uint8Array([9, 0, 0]))).toThrow(/shorter/);
    const e = buildEntry([put('a', '1')]);
    expect(() => decodeEntry(new Uint8Array([...e, 0]))).toThrow(/trailing/);
    e[0] = 7;
    expect(() => decodeEntry(e)).toThrow(/format 7/);
  });
});

describe('the machine registry', () => {
  it('applies each command of an entry on its own, with the entry index, its position and the time', () => {
    const r = createMachines();
    const res = r.apply({ index: 3, term: 1, data: buildEntry([put('a', '1'), put('', 'bad'), put('b', '2')], 100) });
    expect(res.replies).toEqual([{ ok: true }, { ok: false, code: 'invalid-argument', message: 'key must not be empty' }, { ok: true }]);
    expect(r.get(KvMachine).get('b')?.index).toBe(3);
    expect(r.now).toBe(100);
  });

  it('keeps time monotonic when a new leader clock is behind', () => {
    const r = createMachines();
    r.apply({ index: 1, term: 1, data: buildEntry([], 500) });
    r.apply({ index: 2, term: 2, data: buildEntry([], 400) });
    expect(r.now).toBe(500);
  });

  it('answers the same refusal on every member for bytes it does not understand, without throwing', () => {
    const r = createMachines();
    expect(r.apply({ index: 1, term: 1, data: new Uint8Array([7, 7]) }).refused).toMatchObject({ code: 'unsupported' });
    const res = r.apply({ index: 2, term: 1, data: buildEntry([new Uint8Array([99, 1]), new Uint8Array([kv.id, 77])]) });
    expect(res.replies).toMatchObject([
      { ok: false, code: 'unsupported', message: expect.stringContaining('machine 99') },
      { ok: false, code: 'unsupported', message: expect.stringContaining('unknown kv operation 77') },
    ]);
  });

  it('ticks only machines whose deadline passed, on an entry that carries only time', () => {
    const r = createMachines();
    r.apply({ index: 1, term: 1, data: buildEntry([declare('s', 1000)], 1000) });
    r.apply({ index: 2, term: 1, data: buildEntry([append('s', 'x')], 2000) });
    expect(r.nextDeadline()).toBe(3001);
    r.apply({ index: 3, term: 1, data: buildEntry([], 3000) });
    expect(r.get(StreamsMachine).info('s')?.messages).toBe(1);
    r.apply({ index: 4, term: 1, data: buildEntry([], 3001) });
    expect(r.get(StreamsMachine).info('s')?.messages).toBe(0);
    expect(r.nextDeadline()).toBeUndefined();
  });

  it('executes leader effects only while leading, every-node effects everywhere', () => {
    class Noisy implements Machine<number, { ok: true }, string> {
      readonly id = 9;
      readonly name = 'noisy';
      readonly snapshotVersion = 1;
      encodeCommand = (c: number): Uint8Array => new Uint8Array([c]);
      decodeCommand = (b: Uint8Array): number => b[0]!;
      encodeReply = (): Uint8Array => new Uint8Array(0);
      decodeReply = (): { ok: true } => ({ ok: true });
      apply(meta: ApplyMeta, c: number): Outcome<{ ok: true }, string> {
        return { reply: { ok: true }, effects: [{ on: 'leader', effect: `deliver ${c}@${meta.index}` }, { on: 'every-node', effect: `cache ${c}` }] };
      }
      roleChanged(role: 'leader' | 'follower') {
        return [{ on: 'leader' as const, effect: `now ${role}` }];
      }
      writeSnapshot(): void {}
      readSnapshot(): void {}
    }
    const r = new MachineRegistry([new Noisy()]);
    const seen: unknown[] = [];
    r.attach(9, (fx) => seen.push(...fx));
    r.apply({ index: 1, term: 1, data: buildEntry([new Uint8Array([9, 5])]) });
    expect(seen).toEqual(['cache 5']);
    r.roleChanged('leader');
    r.apply({ index: 2, term: 1, data: buildEntry([new Uint8Array([9, 6])]) });
    expect(seen).toEqual(['cache 5', 'now leader', 'deliver 6@2', 'cache 6']);
  });

  it('two registries fed the same entries hold byte-identical snapshots, and a restore reproduces them', () => {
    const a = createMachines();
    const b = createMachines();
    const entries = [
      buildEntry([setMember(2), declare('s')], 10),
      buildEntry([append('s', 'x'), put('k', 'v'), append('s', 'y')], 20),
      buildEntry([], 30),
      buildEntry([put('k', 'w')], 40),
    ];
    entries.forEach((data, i) => {
      a.apply({ index: i + 1, term: 1, data });
      b.apply({ index: i + 1, term: 1, data });
    });
    expect(a.snapshot()).toEqual(b.snapshot());
    let restored = 0;
    const c = createMachines();
    c.whenRestored(() => restored++);
    c.restore(a.snapshot());
    expect(c.snapshot()).toEqual(a.snapshot());
    expect(c.get(ClusterMachine).get(2)).toEqual({ id: 2, peerAddress: 'p2', clientAddress: 'c2' });
    expect(c.get(StreamsMachine).readPlan('s', 0, 10).map((s) => [s.raftIndex, s.part])).toEqual([
      [2, 0],
      [2, 2],
    ]);
    expect(c.now).toBe(40);
    expect(restored).toBe(1);
  });

  it('restores a snapshot without a section for a machine added later as that machine empty', () => {
    const old = new MachineRegistry([new ClusterMachine(), new KvMachine()]);
    old.apply({ index: 1, term: 1, data: buildEntry([put('k', 'v')], 1) });
    const now = createMachines();
    now.apply({ index: 1, term: 1, data: buildEntry([declare('s')], 1) });
    now.restore(old.snapshot());
    expect(now.get(StreamsMachine).names()).toEqual([]);
    expect(now.get(KvMachine).get('k')).toBeDefined();
  });

  it('refuses a snapshot section newer than it reads, naming the machine', () => {
    const r = createMachines();
    const w = new Writer().u8(3).u53(0).u32(1).u8(kv.id).u32(99).bytes(new Uint8Array(0));
    expect(() => r.restore(w.finish())).toThrow(/kv machine's snapshot section is version 99/);
    expect(() => new MachineRegistry([new KvMachine(), new KvMachine() as AnyMachine])).toThrow(/two machines use id 1/);
  });

  it('encodes replies for a forwarding node: successes by the machine, refusals generically', () => {
    const r = createMachines();
    const s = r.get(StreamsMachine).id;
    const ok = { ok: true as const, kind: 'appended' as const, firstOffset: 4, count: 2, timestamp: 9, duplicate: false };
    expect(r.decodeReply(s, r.encodeReply(s, ok))).toEqual(ok);
    const no = { ok: false as const, code: 'not-found' as const, message: 'no such stream' };
    expect(r.decodeReply(s, r.encodeReply(s, no))).toEqual(no);
  });
});
