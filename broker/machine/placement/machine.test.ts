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
  /** The members each group was placed with. */
  readonly founders = new Map<number, number[]>();

  private byGroup(id: number) {
    for (const gs of this.placed.values()) for (const g of gs) if (g.group === id) return g;
    return undefined;
  }

  apply(c: PlacementCommand): { ok: boolean; created?: boolean; groups?: number[]; leaders?: number[] } {
    if (c.op === 'set-leaders') {
      if (!c.moves.length || new Set(c.moves.map((m) => m.group)).size !== c.moves.length) return { ok: false };
      // All or none: each group placed, its target a member, its preferred leader still the one the move started from.
      if (!c.moves.every((m) => this.byGroup(m.group)?.members.includes(m.to) && this.byGroup(m.group)?.leader === m.from)) return { ok: false };
      for (const m of c.moves) this.byGroup(m.group)!.leader = m.to;
      return { ok: true, created: false, groups: c.moves.map((m) => m.group), leaders: c.moves.map((m) => m.to) };
    }
    if (c.op === 'set-members') {
      const g = this.byGroup(c.group);
      if (!g || !c.members.length || new Set(c.members).size !== c.members.length || c.members.some((v) => v < 1)) return { ok: false };
      if (!this.founders.has(g.group)) this.founders.set(g.group, g.members);
      g.members = [...c.members].sort((a, b) => a - b);
      if (!g.members.includes(g.leader)) {
        // The member preferred by the fewest groups, lowest id on a tie.
        const load = (n: number) => [...this.placed.values()].flat().filter((o) => o.leader === n).length;
        g.leader = [...g.members].sort((a, b) => load(a) - load(b) || a - b)[0]!;
      }
      return { ok: true, created: false, groups: [g.group], leaders: [g.leader] };
    }
    const nameOk = /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(c.name) && c.name.length <= 200;
    const votersOk = c.voters.length > 0 && new Set(c.voters).size === c.voters.length && c.voters.every((v) => Number.isInteger(v) && v >= 1);
    if (!nameOk || !Number.isInteger(c.partitions) || c.partitions < 1 || c.partitions > MAX_PARTITIONS || !votersOk) return { ok: false };
    const had = this.placed.get(c.name);
    if (had) return had.length === c.partitions ? { ok: true, created: false, groups: had.map((g) => g.group), leaders: had.map((g) => g.leader) } : { ok: false };
    const sorted = [...c.voters].sort((a, b) => a - b);
    const gs = [];
    for (let p = 0; p < c.partitions; p++) gs.push({ group: this.next++, leader: sorted[this.turn++ % sorted.length]!, members: sorted });
    this.placed.set(c.name, gs);
    return { ok: true, created: true, groups: gs.map((g) => g.group), leaders: gs.map((g) => g.leader) };
  }
}

const place = fc.record({
  op: fc.constant('place' as const),
  kind: fc.constant('queue' as const),
  name: fc.oneof(fc.constantFrom('a', 'b', 'c', 'orders'), fc.constantFrom('', '-x', 'bad name')),
  partitions: fc.oneof(fc.integer({ min: 1, max: 8 }), fc.constantFrom(0, 64, 65)),
  voters: fc.oneof(fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 5 }), fc.constantFrom([], [1, 1], [0, 2])),
});

const setLeaders = fc.record({
  op: fc.constant('set-leaders' as const),
  moves: fc.array(fc.record({ group: fc.integer({ min: 1, max: 12 }), from: fc.integer({ min: 1, max: 7 }), to: fc.integer({ min: 1, max: 7 }) }), { maxLength: 3 }),
});

const setMembers = fc.record({
  op: fc.constant('set-members' as const),
  group: fc.integer({ min: 1, max: 12 }),
  members: fc.oneof(fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 5 }), fc.constantFrom([], [2, 2])),
});

const command: fc.Arbitrary<PlacementCommand> = fc.oneof({ arbitrary: place, weight: 3 }, { arbitrary: setLeaders, weight: 2 }, { arbitrary: setMembers, weight: 1 });

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
          expect(decoded).toEqual(c);
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
          if (c.op === 'place') expect(out.reply.groups.map((g) => g.partition)).toEqual(want.groups!.map((_, i) => i));
          // A new placement, or new members, asks the nodes to start groups.
          expect(out.effects ?? []).toEqual(want.created || c.op === 'set-members' ? [{ on: 'every-node', effect: { kind: 'placed', groups: want.groups } }] : []);
          expect(m.decodeReply(m.encodeReply(out.reply))).toEqual(out.reply);
        }
        const copy = roundTrip(m);
        expect(copy.all()).toEqual(m.all());
        for (const name of model.placed.keys()) expect(copy.partitionsOf('queue', name)).toEqual(m.partitionsOf('queue', name));
        expect(copy.names('queue')).toEqual([...model.placed.keys()].sort());
        for (const g of m.all()) {
          expect(g.members).toContain(g.preferredLeader);
          expect(copy.foundersOf(g.group)).toEqual(model.founders.get(g.group) ?? g.members);
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

  it('reads a version 1 snapshot (before founders were kept): every group founded by its members', () => {
    const m = new PlacementMachine();
    m.apply({ index: 1, term: 1, part: 0, time: 0 }, { op: 'place', kind: 'queue', name: 'q', partitions: 2, voters: [1, 2, 3] });
    const w = new Writer();
    m.writeSnapshot(w);
    const v2 = w.finish();
    // Version 1 is version 2 without the founders' count (0 here) at the end.
    const copy = new PlacementMachine();
    copy.readSnapshot(new Reader(v2.subarray(0, v2.byteLength - 4)), 1);
    expect(copy.all()).toEqual(m.all());
    expect(copy.foundersOf(1)).toEqual([1, 2, 3]);
    // New members: the founders stay those placed, and a set-leaders must name the preferred leader it replaces.
    expect(copy.apply({ index: 2, term: 1, part: 0, time: 0 }, { op: 'set-members', group: 1, members: [2, 3, 4] }).reply).toMatchObject({ ok: true, groups: [{ group: 1, members: [2, 3, 4], preferredLeader: 3 }] });
    expect(copy.foundersOf(1)).toEqual([1, 2, 3]);
    expect(copy.apply({ index: 3, term: 1, part: 0, time: 0 }, { op: 'set-leaders', moves: [{ group: 2, from: 1, to: 3 }] }).reply).toMatchObject({ ok: false, code: 'failed-precondition' });
    expect(copy.apply({ index: 4, term: 1, part: 0, time: 0 }, { op: 'set-leaders', moves: [{ group: 2, from: 2, to: 3 }] }).reply).toMatchObject({ ok: true, groups: [{ group: 2, preferredLeader: 3 }] });
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
