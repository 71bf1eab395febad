import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Reader, Writer } from '../bytes.js';
import type { PlacementCommand } from './machine.js';
import { MAX_PARTITIONS, PlacementMachine } from './machine.js';

/**
 * The naive model: a list of placements, group ids counted; each new group
 * recounts, over every group placed so far, how many groups each voter is a
 * member and preferred leader of, and takes the least loaded.
 */
class Model {
  next = 1;
  readonly placed = new Map<string, Array<{ group: number; leader: number; members: number[] }>>();
  /** The members each group was placed with. */
  readonly founders = new Map<number, number[]>();

  private byGroup(id: number) {
    for (const gs of this.placed.values()) for (const g of gs) if (g.group === id) return g;
    return undefined;
  }

  private count(v: number): { member: number; leads: number } {
    let member = 0;
    let leads = 0;
    for (const gs of this.placed.values())
      for (const g of gs) {
        if (g.members.includes(v)) member++;
        if (g.leader === v) leads++;
      }
    return { member, leads };
  }

  apply(c: PlacementCommand): { ok: boolean; created?: boolean; groups?: number[]; leaders?: number[]; members?: number[][] } {
    if (c.op === 'set-leaders') {
      if (!c.moves.length || new Set(c.moves.map((m) => m.group)).size !== c.moves.length) return { ok: false };
      // All or none: each group placed, its target a member, its preferred leader still the one the move started from.
      if (!c.moves.every((m) => this.byGroup(m.group)?.members.includes(m.to) && this.byGroup(m.group)?.leader === m.from)) return { ok: false };
      for (const m of c.moves) this.byGroup(m.group)!.leader = m.to;
      return { ok: true, created: false, groups: c.moves.map((m) => m.group), leaders: c.moves.map((m) => m.to), members: c.moves.map((m) => this.byGroup(m.group)!.members) };
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
      return { ok: true, created: false, groups: [g.group], leaders: [g.leader], members: [g.members] };
    }
    const nameOk = /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(c.name) && c.name.length <= 200;
    const votersOk = c.voters.length > 0 && new Set(c.voters).size === c.voters.length && c.voters.every((v) => Number.isInteger(v) && v >= 1);
    const replicasOk = c.replicas === 0 || (c.replicas % 2 === 1 && c.replicas <= c.voters.length);
    if (!nameOk || !Number.isInteger(c.partitions) || c.partitions < 1 || c.partitions > MAX_PARTITIONS || !votersOk || !replicasOk) return { ok: false };
    const had = this.placed.get(`${c.kind}/${c.name}`);
    if (had) {
      const same = had.length === c.partitions && (c.replicas === 0 || had[0]!.members.length === c.replicas);
      return same ? { ok: true, created: false, groups: had.map((g) => g.group), leaders: had.map((g) => g.leader), members: had.map((g) => g.members) } : { ok: false };
    }
    const r = c.replicas || Math.min(c.voters.length, 5);
    const gs: Array<{ group: number; leader: number; members: number[] }> = [];
    this.placed.set(`${c.kind}/${c.name}`, gs);
    for (let p = 0; p < c.partitions; p++) {
      const load = new Map(c.voters.map((v) => [v, this.count(v)]));
      const members = [...c.voters].sort((a, b) => load.get(a)!.member - load.get(b)!.member || a - b).slice(0, r);
      const leader = [...members].sort((a, b) => load.get(a)!.leads - load.get(b)!.leads || load.get(a)!.member - load.get(b)!.member || a - b)[0]!;
      gs.push({ group: this.next++, leader, members: members.sort((a, b) => a - b) });
    }
    return { ok: true, created: true, groups: gs.map((g) => g.group), leaders: gs.map((g) => g.leader), members: gs.map((g) => g.members) };
  }
}

const place = fc.record({
  op: fc.constant('place' as const),
  // A queue and a stream may share a name: they are placed apart.
  kind: fc.constantFrom('queue' as const, 'stream' as const),
  name: fc.oneof(fc.constantFrom('a', 'b', 'c', 'orders'), fc.constantFrom('', '-x', 'bad name')),
  partitions: fc.oneof(fc.integer({ min: 1, max: 8 }), fc.constantFrom(0, 64, 65)),
  voters: fc.oneof(fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }), fc.constantFrom([], [1, 1], [0, 2])),
  replicas: fc.oneof(fc.constantFrom(0, 1, 3, 5), fc.constantFrom(2, 4, 7, 9)),
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
          expect(out.reply.groups.map((g) => g.members)).toEqual(want.members);
          if (c.op === 'place') expect(out.reply.groups.map((g) => g.partition)).toEqual(want.groups!.map((_, i) => i));
          // A new placement, or new members, asks the nodes to start groups.
          expect(out.effects ?? []).toEqual(want.created || c.op === 'set-members' ? [{ on: 'every-node', effect: { kind: 'placed', groups: want.groups } }] : []);
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
        for (const g of m.all()) {
          expect(g.members).toContain(g.preferredLeader);
          expect(copy.foundersOf(g.group)).toEqual(model.founders.get(g.group) ?? g.members);
          // The replication factor asked for survives a snapshot (the reconciler tops groups up to it).
          for (const voters of [3, 5, 7]) expect(copy.replicasOf(g.group, voters)).toEqual(m.replicasOf(g.group, voters));
        }
        // The copy hands out the same next groups and leaders as the original.
        const next = { op: 'place' as const, kind: 'queue' as const, name: 'zz-next', partitions: 3, voters: [1, 2, 3, 4, 5], replicas: 3 };
        expect(copy.apply({ index: 1, term: 1, part: 0, time: 0 }, next)).toEqual(m.apply({ index: 1, term: 1, part: 0, time: 0 }, next));
      }),
      { numRuns: 200 },
    );
  });

  it('spreads preferred leaders: 3 queues of 3 partitions over 3 voters give each voter 3 groups to lead, and group ids never repeat', () => {
    const m = new PlacementMachine();
    for (const name of ['a', 'b', 'c']) m.apply({ index: 1, term: 1, part: 0, time: 0 }, { op: 'place', kind: 'queue', name, partitions: 3, voters: [3, 1, 2], replicas: 0 });
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
    m.apply({ index: 1, term: 1, part: 0, time: 0 }, { op: 'place', kind: 'queue', name: 'q', partitions: 2, voters: [1, 2, 3], replicas: 0 });
    const w = new Writer();
    m.writeSnapshot(w);
    const v2 = w.finish();
    // Version 1 is version 2 without the founders' and replication factors' counts (0 here) at the end.
    const copy = new PlacementMachine();
    copy.readSnapshot(new Reader(v2.subarray(0, v2.byteLength - 8)), 1);
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
    expect(m.apply(meta, { op: 'place', kind: 'queue', name: 'q', partitions: 65, voters: [1], replicas: 0 }).reply).toMatchObject({ ok: false, code: 'invalid-argument', message: 'partitions must be between 1 and 64, got 65' });
    expect(m.apply(meta, { op: 'place', kind: 'queue', name: 'q', partitions: 2, voters: [], replicas: 0 }).reply).toMatchObject({ ok: false, code: 'invalid-argument' });
    expect(m.apply(meta, { op: 'place', kind: 'queue', name: 'q', partitions: 2, voters: [1, 2], replicas: 0 }).reply.ok).toBe(true);
    expect(m.apply(meta, { op: 'place', kind: 'queue', name: 'q', partitions: 3, voters: [1, 2], replicas: 0 }).reply).toMatchObject({ ok: false, code: 'failed-precondition', message: 'queue "q" is placed with 2 partitions, not 3' });
    expect(() => m.decodeCommand(new Uint8Array([9]))).toThrow(/unknown placement operation 9/);
    // Replicas: named, with the rule broken; nothing is placed.
    const five = [1, 2, 3, 4, 5];
    expect(m.apply(meta, { op: 'place', kind: 'queue', name: 'r', partitions: 2, voters: five, replicas: 4 }).reply).toMatchObject({ ok: false, code: 'invalid-argument', message: 'replicas must be odd (4 replicas survive no more lost nodes than 3), got 4' });
    expect(m.apply(meta, { op: 'place', kind: 'queue', name: 'r', partitions: 2, voters: [1, 2, 3], replicas: 5 }).reply).toMatchObject({ ok: false, code: 'invalid-argument', message: 'replicas must be at most the number of voters (3), got 5' });
    expect(m.apply(meta, { op: 'place', kind: 'queue', name: 'r', partitions: 2, voters: five, replicas: -1 }).reply).toMatchObject({ ok: false, code: 'invalid-argument' });
    expect(m.partitionsOf('queue', 'r')).toBeUndefined();
    expect(m.apply(meta, { op: 'place', kind: 'queue', name: 'r', partitions: 2, voters: five, replicas: 3 }).reply.ok).toBe(true);
    expect(m.apply(meta, { op: 'place', kind: 'queue', name: 'r', partitions: 2, voters: five, replicas: 5 }).reply).toMatchObject({ ok: false, code: 'failed-precondition', message: 'queue "r" is placed with 3 replicas, not 5' });
    // Without replicas, a declare again answers the placement as it is.
    expect(m.apply(meta, { op: 'place', kind: 'queue', name: 'r', partitions: 2, voters: five, replicas: 0 }).reply).toMatchObject({ ok: true, created: false });
  });

  it('decodes a command written before replicas existed as the default', () => {
    const m = new PlacementMachine();
    const full = m.encodeCommand({ op: 'place', kind: 'queue', name: 'old', partitions: 2, voters: [1, 2, 3], replicas: 0 });
    // The same bytes without the trailing replicas field.
    expect(m.decodeCommand(full.subarray(0, full.length - 4))).toEqual({ op: 'place', kind: 'queue', name: 'old', partitions: 2, voters: [1, 2, 3], replicas: 0 });
  });

  it('5 partitions with 3 replicas over 5 voters: every voter a member of 3 groups and preferred leader of 1; 7 voters default to 5 replicas', () => {
    const m = new PlacementMachine();
    const meta = { index: 1, term: 1, part: 0, time: 0 };
    const out = m.apply(meta, { op: 'place', kind: 'queue', name: 'orders', partitions: 5, voters: [5, 4, 3, 2, 1], replicas: 3 });
    expect(out.reply.ok).toBe(true);
    const gs = m.partitionsOf('queue', 'orders')!;
    for (const g of gs) {
      expect(g.members).toHaveLength(3);
      expect(g.members).toContain(g.preferredLeader);
    }
    for (const v of [1, 2, 3, 4, 5]) expect(gs.filter((g) => g.members.includes(v))).toHaveLength(3);
    expect(gs.map((g) => g.preferredLeader).sort()).toEqual([1, 2, 3, 4, 5]);
    m.apply(meta, { op: 'place', kind: 'queue', name: 'wide', partitions: 1, voters: [1, 2, 3, 4, 5, 6, 7], replicas: 0 });
    expect(m.partitionsOf('queue', 'wide')![0]!.members).toHaveLength(5);
  });

  it('with one replication factor over one set of voters, member and preferred-leader counts per voter never differ by more than one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 7 }), fc.nat(3), fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 8 }), (n, k, parts) => {
        const voters = Array.from({ length: n }, (_, i) => i + 1);
        const replicas = [0, 1, 3, 5].filter((r) => r <= n)[k % [0, 1, 3, 5].filter((r) => r <= n).length]!;
        const m = new PlacementMachine();
        parts.forEach((partitions, i) => m.apply({ index: i + 1, term: 1, part: 0, time: 0 }, { op: 'place', kind: 'queue', name: `q${i}`, partitions, voters, replicas }));
        const spread = (f: (v: number) => number): number => Math.max(...voters.map(f)) - Math.min(...voters.map(f));
        expect(spread((v) => m.all().filter((g) => g.members.includes(v)).length)).toBeLessThanOrEqual(1);
        expect(spread((v) => m.all().filter((g) => g.preferredLeader === v).length)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  });
});
