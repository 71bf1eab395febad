// Where data lives when it does not live in the metadata group: the Raft
// groups a queue's or a stream's partitions were placed in, who is a member of each, and
// which member should lead it. Kept in group 0, so every node learns every
// placement in the same order and, on restart, re-creates the groups it is a
// member of from its own copy of group 0 (the node executes the 'placed'
// effect on every member, replay included).
//
// Group ids are handed out here, in order, so all members agree on them.
// Preferred leaders are dealt round robin over the voters named in the
// command, continuing where the previous placement stopped, so leaders spread
// over the nodes however queues are declared. Members are every voter named
// (replication factor "all members" in this version).

import type { Machine, Outcome } from '../api.js';
import { failure } from '../api.js';
import type { Failure } from '../api.js';
import { DecodeError, Reader, Writer } from '../bytes.js';
import { validateName } from '../names.js';

export const PLACEMENT_MACHINE_ID = 5;
/** A partitioned queue or stream has 1 to this many partitions (a queue's delivery tags carry the partition in 6 bits). */
export const MAX_PARTITIONS = 64;

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

export type PlacementCommand = { readonly op: 'place'; readonly kind: PlacedKind; readonly name: string; readonly partitions: number; readonly voters: readonly number[] };

export type PlacementReply = { readonly ok: true; readonly created: boolean; readonly groups: readonly PlacedGroup[] } | Failure;

/** Every member starts (or already runs) these groups. */
export type PlacementEffect = { readonly kind: 'placed'; readonly groups: readonly number[] };

const PLACE = 1;
/** Their codes in commands and snapshots are their positions here: append only. */
const KINDS: readonly PlacedKind[] = ['queue', 'stream'];

const key = (kind: PlacedKind, name: string): string => `${kind}\u0000${name}`;

export function validatePlacement(c: PlacementCommand): string | undefined {
  const bad = validateName(c.kind, c.name);
  if (bad) return bad;
  if (!Number.isInteger(c.partitions) || c.partitions < 1 || c.partitions > MAX_PARTITIONS) return `partitions must be between 1 and ${MAX_PARTITIONS}, got ${c.partitions}`;
  if (c.voters.length === 0) return 'a placement needs at least one voter';
  if (new Set(c.voters).size !== c.voters.length || c.voters.some((v) => !Number.isInteger(v) || v < 1)) return `voters must be distinct positive node ids, got ${c.voters.join(',')}`;
  return undefined;
}

export class PlacementMachine implements Machine<PlacementCommand, PlacementReply, PlacementEffect> {
  readonly id = PLACEMENT_MACHINE_ID;
  readonly name = 'placement';
  readonly snapshotVersion = 1;
  /** The next group id to hand out (0 is the metadata group). */
  private nextGroup = 1;
  /** Where the round robin of preferred leaders goes on. */
  private leaderTurn = 0;
  private readonly groups = new Map<number, PlacedGroup>();
  private readonly byName = new Map<string, number[]>();

  encodeCommand(c: PlacementCommand): Uint8Array {
    const w = new Writer().u8(PLACE).u8(KINDS.indexOf(c.kind)).str(c.name).u32(c.partitions).u32(c.voters.length);
    for (const v of c.voters) w.u32(v);
    return w.finish();
  }

  decodeCommand(payload: Uint8Array): PlacementCommand {
    const r = new Reader(payload);
    const op = r.u8();
    if (op !== PLACE) throw new DecodeError(`unknown placement operation ${op}`);
    const kind = KINDS[r.u8()];
    if (!kind) throw new DecodeError('unknown placement kind');
    const name = r.str();
    const partitions = r.u32();
    const n = r.u32();
    if (n > 1024) throw new DecodeError(`${n} voters in a placement`);
    const voters: number[] = [];
    for (let i = 0; i < n; i++) voters.push(r.u32());
    r.end();
    return { op: 'place', kind, name, partitions, voters };
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
    const existing = this.byName.get(key(c.kind, c.name));
    if (existing) {
      if (existing.length !== c.partitions) return { reply: failure('failed-precondition', `${c.kind} "${c.name}" is placed with ${existing.length} partitions, not ${c.partitions}`) };
      return { reply: { ok: true, created: false, groups: existing.map((g) => this.groups.get(g)!) } };
    }
    const voters = [...c.voters].sort((a, b) => a - b);
    const placed: PlacedGroup[] = [];
    for (let p = 0; p < c.partitions; p++) {
      const g: PlacedGroup = { group: this.nextGroup++, members: voters, preferredLeader: voters[this.leaderTurn++ % voters.length]!, kind: c.kind, name: c.name, partition: p };
      this.groups.set(g.group, g);
      placed.push(g);
    }
    this.byName.set(
      key(c.kind, c.name),
      placed.map((g) => g.group),
    );
    return { reply: { ok: true, created: true, groups: placed }, effects: [{ on: 'every-node', effect: { kind: 'placed', groups: placed.map((g) => g.group) } }] };
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
    w.u32(this.nextGroup).u53(this.leaderTurn);
    const all = this.all();
    w.u32(all.length);
    for (const g of all) writeGroup(w, g);
  }

  readSnapshot(r: Reader): void {
    this.groups.clear();
    this.byName.clear();
    this.nextGroup = r.u32();
    this.leaderTurn = r.u53();
    const n = r.u32();
    for (let i = 0; i < n; i++) {
      const g = readGroup(r);
      this.groups.set(g.group, g);
      const k = key(g.kind, g.name);
      const list = this.byName.get(k) ?? [];
      list[g.partition] = g.group;
      this.byName.set(k, list);
    }
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
