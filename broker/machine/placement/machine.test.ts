import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Reader, Writer } from '../bytes.js';
import type { PlacementCommand } from './machine.js';
import { MAX_PARTITIONS, PlacementMachine } from './machine.js';

/** The naive model: a list of placements, group ids counted, leaders dealt from one running counter. */
class Model {
  next = 1;
  turn = 0;
  readonly placed = new Map<string, Array<{ group: number; leader: number; members: number[] }>>();

  apply(c: PlacementCommand): { ok: boolean; created?: boolean; groups?: number[]; leaders?: number[] } {
    const nameOk = /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(c.name) && c.name.length <= 200;
    const votersOk = c.voters.length > 0 && new Set(c.voters).size === c.voters.length && c.voters.every((v) => Number.isInteger(v) && v >= 1);
    if (!nameOk || !Number.isInteger(c.partitions) || c.partitions < 1 || c.partitions > MAX_PARTITIONS || !votersOk) return { ok: false };
    const had = this.placed.get(`${c.kind}/${c.name}`);
    if (had) return had.length === c.partitions ? { ok: true, created: false, groups: had.map((g) => g.group), leaders: had.map((g) => g.leader) } : { ok: false };
    const sorted = [...c.voters].sort((a, b) => a - b);
    const gs = [];
    for (let p = 0; p < c.partitions; p++) gs.push({ group: this.next++, leader: sorted[this.turn++ % sorted.length]!, members: sorted });
    this.placed.set(`${c.kind}/${c.name}`, gs);
    return { ok: true, created: true, groups: gs.map((g) => g.group), leaders: gs.map((g) => g.leader) };
  }
}

const command = fc.record({
  op: fc.constant('place' as const),
  // A queue and a stream may share a name: they are placed apart.
  kind: fc.constantFrom('queue' as const, 'stream' as const),
  name: fc.oneof(fc.constantFrom('a', 'b', 'c', 'orders'), fc.constantFrom('', '-x', 'bad name')),
  partitions: fc.oneof(fc.integer({ min: 1, max: 8 }), fc.constantFrom(0, 64, 65)),
  voters: fc.oneof(fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 5 }), fc.constantFrom([], [1, 1], [0, 2])),
});

const roundTrip = (m: PlacementMachine): PlacementMachine => {
  const w = new Writer();
  m.writeSnapshot(w);
  const copy = new PlacementMachine();
  copy.readSnapshot(new Reader(w.finish()));
  return copy;
};

describe('the placement machine', () => {
  it('agrees with a naive model on every reply, and a snapshot restores the same placements and the same next placement', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 30 }), (cmds) => {
        const m = new PlacementMachine();
        const model = new Model();
        let index = 0;
        for (const c of cmds) {
          const decoded = m.decodeCommand(m.encodeCommand(c));
          expect(decoded).toEqual({ ...c, voters: [...c.voters] });
          const out = m.apply({ index: ++index, term: 1, part: 0, time: 0 }, decoded);
          const want = model.apply(c);
          expect(out.reply.ok).toBe(want.ok);
          if (!out.reply.ok) {
            expect(out.effects).toBeUndefined();
            continue;
          }
          expect(out.reply.created).toBe(want.created);
          expect(out.reply.groups.map((g) => g.group)).toEqual(want.groups);
          expect(out.reply.groups.map((g) => g.preferredLeader)).toEqual(want.leaders);
          expect(out.reply.groups.map((g) => g.partition)).toEqual(want.groups!.map((_, i) => i));
          // Only a new placement asks the nodes to start groups.
          expect(out.effects ?? []).toEqual(want.created ? [{ on: 'every-node', effect: { kind: 'placed', groups: want.groups } }] : []);
          expect(m.decodeReply(m.encodeReply(out.reply))).toEqual(out.reply);
        }
        const copy = roundTrip(m);
        expect(copy.all()).toEqual(m.all());
        for (const k of model.placed.keys()) {
          const [kind, name] = k.split('/') as ['queue' | 'stream', string];
          expect(copy.partitionsOf(kind, name)).toEqual(m.partitionsOf(kind, name));
          expect(m.partitionsOf(kind, name)!.every((g) => g.kind === kind && g.name === name)).toBe(true);
        }
        for (const kind of ['queue', 'stream'] as const) {
          const names = [...model.placed.keys()].filter((k) => k.startsWith(`${kind}/`)).map((k) => k.slice(kind.length + 1));
          expect(copy.names(kind)).toEqual(names.sort());
        }
        // The copy hands out the same next groups and leaders as the original.
        const next = { op: 'place' as const, kind: 'queue' as const, name: 'zz-next', partitions: 3, voters: [1, 2, 3] };
        expect(copy.apply({ index: 1, term: 1, part: 0, time: 0 }, next)).toEqual(m.apply({ index: 1, term: 1, part: 0, time: 0 }, next));
      }),
      { numRuns: 200 },
    );
  });

  it('spreads preferred leaders: 3 queues of 3 partitions over 3 voters give each voter 3 groups to lead, and group ids never repeat', () => {
    const m = new PlacementMachine();
    for (const name of ['a', 'b', 'c']) m.apply({ index: 1, term: 1, part: 0, time: 0 }, { op: 'place', kind: 'queue', name, partitions: 3, voters: [3, 1, 2] });
    const all = m.all();
    expect(all.map((g) => g.group)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const per = new Map<number, number>();
    for (const g of all) per.set(g.preferredLeader, (per.get(g.preferredLeader) ?? 0) + 1);
    expect([...per].sort()).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    expect(m.partitionsOf('queue', 'a')!.map((g) => g.preferredLeader)).toEqual([1, 2, 3]);
  });

  it('refuses bad input naming the rule, and another partition count for a placed name', () => {
    const m = new PlacementMachine();
    const meta = { index: 1, term: 1, part: 0, time: 0 };
    expect(m.apply(meta, { op: 'place', kind: 'queue', name: 'q', partitions: 65, voters: [1] }).reply).toMatchObject({ ok: false, code: 'invalid-argument', message: 'partitions must be between 1 and 64, got 65' });
    expect(m.apply(meta, { op: 'place', kind: 'queue', name: 'q', partitions: 2, voters: [] }).reply).toMatchObject({ ok: false, code: 'invalid-argument' });
    expect(m.apply(meta, { op: 'place', kind: 'queue', name: 'q', partitions: 2, voters: [1, 2] }).reply.ok).toBe(true);
    expect(m.apply(meta, { op: 'place', kind: 'queue', name: 'q', partitions: 3, voters: [1, 2] }).reply).toMatchObject({ ok: false, code: 'failed-precondition', message: 'queue "q" is placed with 2 partitions, not 3' });
    expect(() => m.decodeCommand(new Uint8Array([9]))).toThrow(/unknown placement operation 9/);
  });
});
