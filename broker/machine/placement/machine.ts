// Where data lives when it does not live in the metadata group: the Raft
// groups a queue's or a stream's partitions were placed in, who is a member of each, and
// which member should lead it. Kept in group 0, so every node learns every
// placement in the same order and, on restart, re-creates the groups it is a
// member of from its own copy of group 0 (the node executes the 'placed'
// effect on every member, replay included).
//
// Group ids are handed out here, in order, so all members agree on them.
// Members and preferred leaders are chosen here too, not by the node that
// proposes: the choice reads every placement applied before it, in log order,
// so two declares racing through different nodes still spread (a proposer
// would count from its own, possibly stale, copy), and every node computes
// the same records on replay. Each partition takes `replicas` of the voters
// named in the command: those members of the fewest groups first; its
// preferred leader is the member that is preferred leader of the fewest
// groups (ties: fewest groups, then lowest id), so members and leaders
// spread over the nodes however queues are declared.

import type { Machine, Outcome } from '../api.js';
import { failure } from '../api.js';
import type { Failure } from '../api.js';
import { DecodeError, Reader, Writer } from '../bytes.js';
import { validateName } from '../names.js';

export const PLACEMENT_MACHINE_ID = 5;
/** A partitioned queue or stream has 1 to this many partitions (a queue's delivery tags carry the partition in 6 bits). */
export const MAX_PARTITIONS = 64;
/**
 * Replicas of a group placed with replicas 0 (the default): every voter, up to
 * this many. More replicas make every write wait for a larger majority, and
 * five already keep a group serving through two lost nodes.
 */
export const DEFAULT_MAX_REPLICAS = 5;

/** What a data group serves a partition of: a queue's or a stream's (the same name may be both, as in group 0). */
export type PlacedKind = 'queue' | 'stream';

/** One data group. */
export interface PlacedGroup {
  readonly group: number;
  readonly members: readonly number[];
  readonly preferredLeader: number;
  readonly kind: PlacedKind;
  /** The queue or stream the group serves a partition of. */
  readonly name: string;
  readonly partition: number;
}

/** A group's preferred leader moves from `from` to `to` (applied only while it still is `from`). */
export interface LeaderMove {
  readonly group: number;
  readonly from: number;
  readonly to: number;
}

export type PlacementCommand =
  /**
   * `replicas`: members per group, an odd number up to the voters named; 0 for
   * the default (every voter, at most DEFAULT_MAX_REPLICAS). Commands written
   * before replicas existed decode as 0, which places them as they were then
   * (every voter, in clusters of up to five).
   */
  | { readonly op: 'place'; readonly kind: PlacedKind; readonly name: string; readonly partitions: number; readonly voters: readonly number[]; readonly replicas: number }
  // The leader reconciler's (placement-reconciler.ts): new preferred leaders, all or none.
  | { readonly op: 'set-leaders'; readonly moves: readonly LeaderMove[] }
  // The replica reconciler's: a group's members after a node joined or left the cluster.
  | { readonly op: 'set-members'; readonly group: number; readonly members: readonly number[] };

export type PlacementReply = { readonly ok: true; readonly created: boolean; readonly groups: readonly PlacedGroup[] } | Failure;

/** Every member starts (or already runs) these groups. */
export type PlacementEffect = { readonly kind: 'placed'; readonly groups: readonly number[] };

const PLACE = 1;
const SET_LEADERS = 2;
const SET_MEMBERS = 3;
/** More moves or members than this in one command is not something the reconciler builds. */
const MAX_LIST = 4096;
/** Their codes in commands and snapshots are their positions here: append only. */
const KINDS: readonly PlacedKind[] = ['queue', 'stream'];

const key = (kind: PlacedKind, name: string): string => `${kind}\u0000${name}`;

const distinctIds = (ids: readonly number[]): boolean => new Set(ids).size === ids.length && ids.every((v) => Number.isInteger(v) && v >= 1 && v <= 0xffff_ffff);

export function validatePlacement(c: PlacementCommand): string | undefined {
  if (c.op === 'set-leaders') {
    if (c.moves.length === 0) return 'set-leaders needs at least one move';
    if (new Set(c.moves.map((m) => m.group)).size !== c.moves.length) return 'set-leaders moves a group at most once';
    return undefined;
  }
  if (c.op === 'set-members') {
    if (c.members.length === 0) return 'a group needs at least one member';
    if (!distinctIds(c.members)) return `members must be distinct positive node ids, got ${c.members.join(',')}`;
    return undefined;
  }
  const bad = validateName(c.kind, c.name);
  if (bad) return bad;
  if (!Number.isInteger(c.partitions) || c.partitions < 1 || c.partitions > MAX_PARTITIONS) return `partitions must be between 1 and ${MAX_PARTITIONS}, got ${c.partitions}`;
  if (c.voters.length === 0) return 'a placement needs at least one voter';
  if (new Set(c.voters).size !== c.voters.length || c.voters.some((v) => !Number.isInteger(v) || v < 1)) return `voters must be distinct positive node ids, got ${c.voters.join(',')}`;
  return validateReplicas(c.replicas, c.voters.length);
}

/** Why `replicas` cannot be placed over `voters` voters, or undefined (0: the default). */
export function validateReplicas(replicas: number, voters: number): string | undefined {
  if (!Number.isInteger(replicas) || replicas < 0) return `replicas must be 0 (the default) or an odd number of members, got ${replicas}`;
  if (replicas === 0) return undefined;
  if (replicas % 2 === 0) return `replicas must be odd (${replicas} replicas survive no more lost nodes than ${replicas - 1}), got ${replicas}`;
  if (replicas > voters) return `replicas must be at most the number of voters (${voters}), got ${replicas}`;
  return undefined;
}

/** The members per group that `replicas` (validated) means over `voters` voters. */
export const replicasFor = (replicas: number, voters: number): number => replicas || Math.min(voters, DEFAULT_MAX_REPLICAS);

export class PlacementMachine implements Machine<PlacementCommand, PlacementReply, PlacementEffect> {
  readonly id = PLACEMENT_MACHINE_ID;
  readonly name = 'placement';
  /** 2: founders of groups whose members changed, and the replication factors asked for, follow the groups. */
  readonly snapshotVersion = 2;
  /** The next group id to hand out (0 is the metadata group). */
  private nextGroup = 1;
  private readonly groups = new Map<number, PlacedGroup>();
  private readonly byName = new Map<string, number[]>();
  /**
   * The members a group was placed with, for groups whose members changed
   * since: only these start the group's log with that membership; a node
   * that joined later starts empty and is brought in by its leader (learner,
   * then voter). Absent: the members never changed.
   */
  private readonly founders = new Map<number, readonly number[]>();
  /** The replication factor a group was placed with, when one was asked for (absent: the default, replicasFor(0, voters)). */
  private readonly replicas = new Map<number, number>();

  encodeCommand(c: PlacementCommand): Uint8Array {
    if (c.op === 'set-leaders') {
      const w = new Writer().u8(SET_LEADERS).u32(c.moves.length);
      for (const m of c.moves) w.u32(m.group).u32(m.from).u32(m.to);
      return w.finish();
    }
    if (c.op === 'set-members') {
      const w = new Writer().u8(SET_MEMBERS).u32(c.group).u32(c.members.length);
      for (const m of c.members) w.u32(m);
      return w.finish();
    }
    const w = new Writer().u8(PLACE).u8(KINDS.indexOf(c.kind)).str(c.name).u32(c.partitions).u32(c.voters.length);
    for (const v of c.voters) w.u32(v);
    return w.u32(c.replicas).finish();
  }

  decodeCommand(payload: Uint8Array): PlacementCommand {
    const r = new Reader(payload);
    const op = r.u8();
    if (op === SET_LEADERS) {
      const n = r.u32();
      if (n > MAX_LIST) throw new DecodeError(`${n} moves in a set-leaders`);
      const moves: LeaderMove[] = [];
      for (let i = 0; i < n; i++) moves.push({ group: r.u32(), from: r.u32(), to: r.u32() });
      r.end();
      return { op: 'set-leaders', moves };
    }
    if (op === SET_MEMBERS) {
      const group = r.u32();
      const n = r.u32();
      if (n > MAX_LIST) throw new DecodeError(`${n} members in a set-members`);
      const members: number[] = [];
      for (let i = 0; i < n; i++) members.push(r.u32());
      r.end();
      return { op: 'set-members', group, members };
    }
    if (op !== PLACE) throw new DecodeError(`unknown placement operation ${op}`);
    const kind = KINDS[r.u8()];
    if (!kind) throw new DecodeError('unknown placement kind');
    const name = r.str();
    const partitions = r.u32();
    const n = r.u32();
    if (n > 1024) throw new DecodeError(`${n} voters in a placement`);
    const voters: number[] = [];
    for (let i = 0; i < n; i++) voters.push(r.u32());
    // Absent from commands written before replicas existed: the default.
    const replicas = r.done ? 0 : r.u32();
    r.end();
    return { op: 'place', kind, name, partitions, voters, replicas };
  }

  encodeReply(r: Exclude<PlacementReply, Failure>): Uint8Array {
    const w = new Writer().u8(r.created ? 1 : 0).u32(r.groups.length);
    for (const g of r.groups) writeGroup(w, g);
    return w.finish();
  }

  decodeReply(b: Uint8Array): Exclude<PlacementReply, Failure> {
    const r = new Reader(b);
    const created = r.u8() === 1;
    const n = r.u32();
    const groups: PlacedGroup[] = [];
    for (let i = 0; i < n; i++) groups.push(readGroup(r));
    r.end();
    return { ok: true, created, groups };
  }

  apply(_meta: unknown, c: PlacementCommand): Outcome<PlacementReply, PlacementEffect> {
    const bad = validatePlacement(c);
    if (bad) return { reply: failure('invalid-argument', bad) };
    if (c.op === 'set-leaders') return this.setLeaders(c.moves);
    if (c.op === 'set-members') return this.setMembers(c.group, c.members);
    const existing = this.byName.get(key(c.kind, c.name));
    if (existing) {
      if (existing.length !== c.partitions) return { reply: failure('failed-precondition', `${c.kind} "${c.name}" is placed with ${existing.length} partitions, not ${c.partitions}`) };
      const groups = existing.map((g) => this.groups.get(g)!);
      const has = groups[0]!.members.length;
      if (c.replicas && has !== c.replicas) return { reply: failure('failed-precondition', `${c.kind} "${c.name}" is placed with ${has} replicas, not ${c.replicas}`) };
      return { reply: { ok: true, created: false, groups } };
    }
    const r = replicasFor(c.replicas, c.voters.length);
    // How many groups each voter is a member of, and preferred leader of, so far.
    const membersOf = new Map<number, number>(c.voters.map((v) => [v, 0]));
    const ledBy = new Map<number, number>(c.voters.map((v) => [v, 0]));
    for (const g of this.groups.values()) {
      for (const m of g.members) if (membersOf.has(m)) membersOf.set(m, membersOf.get(m)! + 1);
      if (ledBy.has(g.preferredLeader)) ledBy.set(g.preferredLeader, ledBy.get(g.preferredLeader)! + 1);
    }
    const placed: PlacedGroup[] = [];
    for (let p = 0; p < c.partitions; p++) {
      const members = [...c.voters].sort((a, b) => membersOf.get(a)! - membersOf.get(b)! || a - b).slice(0, r);
      members.sort((a, b) => a - b);
      const preferredLeader = [...members].sort((a, b) => ledBy.get(a)! - ledBy.get(b)! || membersOf.get(a)! - membersOf.get(b)! || a - b)[0]!;
      for (const m of members) membersOf.set(m, membersOf.get(m)! + 1);
      ledBy.set(preferredLeader, ledBy.get(preferredLeader)! + 1);
      const g: PlacedGroup = { group: this.nextGroup++, members, preferredLeader, kind: c.kind, name: c.name, partition: p };
      this.groups.set(g.group, g);
      if (c.replicas) this.replicas.set(g.group, c.replicas);
      placed.push(g);
    }
    this.byName.set(
      key(c.kind, c.name),
      placed.map((g) => g.group),
    );
    return { reply: { ok: true, created: true, groups: placed }, effects: [{ on: 'every-node', effect: { kind: 'placed', groups: placed.map((g) => g.group) } }] };
  }

  /**
   * Every move or none: a move whose group is gone, whose target is not a
   * member, or whose group's preferred leader is no longer `from` (another
   * plan got there first) fails the command, so two planners never undo each
   * other's work.
   */
  private setLeaders(moves: readonly LeaderMove[]): Outcome<PlacementReply, PlacementEffect> {
    for (const m of moves) {
      const g = this.groups.get(m.group);
      if (!g) return { reply: failure('not-found', `group ${m.group} is not placed`) };
      if (!g.members.includes(m.to)) return { reply: failure('invalid-argument', `node ${m.to} is not a member of group ${m.group} (members ${g.members.join(',')})`) };
      if (g.preferredLeader !== m.from) return { reply: failure('failed-precondition', `group ${m.group}'s preferred leader is node ${g.preferredLeader}, not ${m.from}: the plan is stale`) };
    }
    const changed: PlacedGroup[] = [];
    for (const m of moves) {
      const g = { ...this.groups.get(m.group)!, preferredLeader: m.to };
      this.groups.set(g.group, g);
      changed.push(g);
    }
    return { reply: { ok: true, created: false, groups: changed } };
  }

  /**
   * New members for a group. A preferred leader that leaves hands the role to
   * the remaining member preferred by the fewest groups (lowest id on a tie),
   * so preferred leaders stay spread until the leader reconciler plans anew.
   * The effect starts the group on a member that does not host it yet.
   */
  private setMembers(group: number, members: readonly number[]): Outcome<PlacementReply, PlacementEffect> {
    const g = this.groups.get(group);
    if (!g) return { reply: failure('not-found', `group ${group} is not placed`) };
    const sorted = [...members].sort((a, b) => a - b);
    if (!this.founders.has(group)) this.founders.set(group, g.members);
    let preferredLeader = g.preferredLeader;
    if (!sorted.includes(preferredLeader)) {
      const load = new Map<number, number>();
      for (const o of this.groups.values()) load.set(o.preferredLeader, (load.get(o.preferredLeader) ?? 0) + 1);
      preferredLeader = [...sorted].sort((a, b) => (load.get(a) ?? 0) - (load.get(b) ?? 0) || a - b)[0]!;
    }
    const next: PlacedGroup = { ...g, members: sorted, preferredLeader };
    this.groups.set(group, next);
    return { reply: { ok: true, created: false, groups: [next] }, effects: [{ on: 'every-node', effect: { kind: 'placed', groups: [group] } }] };
  }

  /** The members a group's log starts with on a node that starts it fresh: those it was placed with. */
  /** How many members group `id` should have with `voters` voters: what its declare asked for, or the default. */
  replicasOf(id: number, voters: number): number {
    return replicasFor(this.replicas.get(id) ?? 0, voters);
  }

  foundersOf(id: number): readonly number[] | undefined {
    return this.founders.get(id) ?? this.groups.get(id)?.members;
  }

  group(id: number): PlacedGroup | undefined {
    return this.groups.get(id);
  }

  /** Every data group, by id. */
  all(): PlacedGroup[] {
    return [...this.groups.values()].sort((a, b) => a.group - b.group);
  }

  /** The groups of a placed queue or stream, by partition; undefined when it is not placed. */
  partitionsOf(kind: PlacedKind, name: string): PlacedGroup[] | undefined {
    return this.byName.get(key(kind, name))?.map((g) => this.groups.get(g)!);
  }

  /** Names placed, sorted. */
  names(kind: PlacedKind): string[] {
    const out: string[] = [];
    for (const g of this.groups.values()) if (g.kind === kind && g.partition === 0) out.push(g.name);
    return out.sort();
  }

  writeSnapshot(w: Writer): void {
    // The second field was a round robin of preferred leaders (they are counted from the records now): kept, as 0, so the layout stays.
    w.u32(this.nextGroup).u53(0);
    const all = this.all();
    w.u32(all.length);
    for (const g of all) writeGroup(w, g);
    const founders = [...this.founders].sort((a, b) => a[0] - b[0]);
    w.u32(founders.length);
    for (const [group, members] of founders) {
      w.u32(group).u32(members.length);
      for (const m of members) w.u32(m);
    }
    const replicas = [...this.replicas].sort((a, b) => a[0] - b[0]);
    w.u32(replicas.length);
    for (const [group, r] of replicas) w.u32(group).u32(r);
  }

  readSnapshot(r: Reader, version = this.snapshotVersion): void {
    this.groups.clear();
    this.byName.clear();
    this.founders.clear();
    this.replicas.clear();
    this.nextGroup = r.u32();
    r.u53();
    const n = r.u32();
    for (let i = 0; i < n; i++) {
      const g = readGroup(r);
      this.groups.set(g.group, g);
      const k = key(g.kind, g.name);
      const list = this.byName.get(k) ?? [];
      list[g.partition] = g.group;
      this.byName.set(k, list);
    }
    if (version < 2) return;
    const nf = r.u32();
    for (let i = 0; i < nf; i++) {
      const group = r.u32();
      const n = r.u32();
      const members: number[] = [];
      for (let j = 0; j < n; j++) members.push(r.u32());
      this.founders.set(group, members);
    }
    const nr = r.u32();
    for (let i = 0; i < nr; i++) this.replicas.set(r.u32(), r.u32());
  }
}

function writeGroup(w: Writer, g: PlacedGroup): void {
  w.u32(g.group).u8(KINDS.indexOf(g.kind)).str(g.name).u32(g.partition).u32(g.preferredLeader).u32(g.members.length);
  for (const m of g.members) w.u32(m);
}

function readGroup(r: Reader): PlacedGroup {
  const group = r.u32();
  const kind = KINDS[r.u8()];
  if (!kind) throw new DecodeError('unknown placement kind');
  const name = r.str();
  const partition = r.u32();
  const preferredLeader = r.u32();
  const n = r.u32();
  const members: number[] = [];
  for (let i = 0; i < n; i++) members.push(r.u32());
  return { group, kind, name, partition, preferredLeader, members };
}
