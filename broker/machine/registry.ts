// The one state machine the Raft host applies: it holds every registered
// machine (machines.ts), splits each entry into its commands (envelope.ts),
// hands each to the machine it names with the entry's meta, keeps time
// monotonic, ticks machines whose deadlines passed, writes and reads one
// snapshot section per machine, and routes the effects machines ask for to
// the executors the node attached. It knows no machine's bytes.

import type { AnyMachine, ApplyMeta, Effect, Failure, Reply, Role } from './api.js';
import { ERROR_CODES, failure } from './api.js';
import { DecodeError, Reader, Writer } from './bytes.js';
import { decodeEntry } from './envelope.js';
import { ascendingUnique } from '../../raft/host/sparse-entries.js';

/** 3: one section per machine, each with its own version (2 was one fixed layout for kv, cluster and streams). */
const SNAPSHOT_FORMAT = 3;

/** An entry as the registry needs it (structurally the core's Entry). */
export interface AppliedEntry {
  readonly index: number;
  readonly term: number;
  readonly data: Uint8Array;
}

/** What applying one entry produced: a reply per command, in order, or why the entry as a whole was refused. */
export interface EntryResult {
  readonly replies: readonly Reply[];
  readonly refused?: Failure;
}

/** Executes one machine's effects on this node. */
export type EffectExecutor = (effects: readonly unknown[]) => void;

export class MachineRegistry {
  private readonly byId = new Map<number, AnyMachine>();
  private readonly executors = new Map<number, EffectExecutor>();
  private role: Role = 'follower';
  private time = 0;
  private readonly restoredListeners: Array<() => void> = [];

  constructor(machines: readonly AnyMachine[]) {
    for (const m of machines) {
      if (this.byId.has(m.id)) throw new Error(`two machines use id ${m.id}: ${this.byId.get(m.id)!.name} and ${m.name}`);
      this.byId.set(m.id, m);
    }
    for (const m of machines) m.link?.(this);
  }

  /** The registered machine of this class (typed access for the node's services). */
  get<M extends AnyMachine>(kind: abstract new (...args: never[]) => M): M {
    for (const m of this.byId.values()) if (m instanceof kind) return m as M;
    throw new Error(`no machine of kind ${kind.name} is registered`);
  }

  machine(id: number): AnyMachine | undefined {
    return this.byId.get(id);
  }

  /** The newest leader time applied: a new leader never stamps an entry below it. */
  get now(): number {
    return this.time;
  }

  /** Call `fn` after every restore(): views of the state (caches, indexes) must be rebuilt. */
  whenRestored(fn: () => void): void {
    this.restoredListeners.push(fn);
  }

  /** Run `executor` for the effects of machine `id` on this node. */
  attach(id: number, executor: EffectExecutor): void {
    this.executors.set(id, executor);
  }

  // ---- the fold ------------------------------------------------------------

  apply(e: AppliedEntry): EntryResult {
    let decoded;
    try {
      decoded = decodeEntry(e.data);
    } catch (err) {
      // Written by a newer or broken node: every member refuses it the same way.
      return { replies: [], refused: unsupported(e.index, err) };
    }
    if (decoded.time > this.time) this.time = decoded.time;
    const replies: Reply[] = new Array(decoded.commands.length);
    for (let part = 0; part < decoded.commands.length; part++) {
      const meta: ApplyMeta = { index: e.index, term: e.term, part, time: this.time };
      replies[part] = this.applyCommand(meta, decoded.commands[part]!);
    }
    if (decoded.commands.length === 0) this.tick();
    return { replies };
  }

  private applyCommand(meta: ApplyMeta, cmd: Uint8Array): Reply {
    const m = this.byId.get(cmd[0]!);
    if (!m) return failure('unsupported', `entry ${meta.index} holds a command for machine ${cmd[0]}, which this node does not have`);
    let c;
    try {
      c = m.decodeCommand(cmd.subarray(1));
    } catch (err) {
      return unsupported(meta.index, err);
    }
    const out = m.apply(meta, c);
    if (out.effects?.length) this.execute(m.id, out.effects);
    if (out.forwarded) for (const f of out.forwarded) if (f.effects.length) this.execute(f.machine, f.effects);
    return out.reply;
  }

  /** Machines whose deadline passed expire what is due. */
  private tick(): void {
    for (const m of this.byId.values()) {
      const d = m.nextDeadline?.();
      if (d === undefined || d > this.time) continue;
      const effects = m.tick?.(this.time);
      if (effects?.length) this.execute(m.id, effects);
    }
  }

  /** The earliest time at which a tick would change some machine's state, or undefined. */
  nextDeadline(): number | undefined {
    let min: number | undefined;
    for (const m of this.byId.values()) {
      const d = m.nextDeadline?.();
      if (d !== undefined && (min === undefined || d < min)) min = d;
    }
    return min;
  }

  /** This node's role changed: machines may ask the new leader to (re-)execute effects. */
  roleChanged(role: Role): void {
    if (role === this.role) return;
    this.role = role;
    for (const m of this.byId.values()) {
      const effects = m.roleChanged?.(role);
      if (effects?.length) this.execute(m.id, effects);
    }
  }

  private execute(id: number, effects: ReadonlyArray<Effect>): void {
    const run = this.executors.get(id);
    if (!run) return;
    const mine: unknown[] = [];
    for (const f of effects) if (f.on === 'every-node' || this.role === 'leader') mine.push(f.effect);
    if (mine.length) run(mine);
  }

  /** Every Raft index any machine still reads, ascending, once each. */
  liveIndexes(): number[] {
    const all: number[] = [];
    for (const m of this.byId.values()) for (const i of m.liveIndexes?.() ?? []) all.push(i);
    return ascendingUnique(all);
  }

  /**
   * Why `cmd` is not a command some machine here decodes completely, or
   * undefined. The leader checks commands a follower forwards with it: the
   * follower's front door built them, so one that fails comes from a broken
   * or hostile peer, and must not reach the log of every member.
   */
  checkCommand(cmd: Uint8Array): string | undefined {
    if (cmd.byteLength < 1) return 'empty command';
    const m = this.byId.get(cmd[0]!);
    if (!m) return `command for machine ${cmd[0]}, which this node does not have`;
    try {
      m.decodeCommand(cmd.subarray(1));
    } catch (e) {
      return `not a ${m.name} command: ${e instanceof DecodeError ? e.message : String(e)}`;
    }
    return undefined;
  }

  // ---- replies across nodes ------------------------------------------------

  /** A command's reply as bytes, for the follower that forwarded it. */
  encodeReply(machine: number, r: Reply): Uint8Array {
    if (!r.ok) return new Writer().u8(0).u8(ERROR_CODES.indexOf(r.code)).str(r.message).finish();
    const m = this.byId.get(machine);
    if (!m) throw new DecodeError(`no machine ${machine}`);
    const body = m.encodeReply(r);
    const out = new Uint8Array(1 + body.byteLength);
    out[0] = 1;
    out.set(body, 1);
    return out;
  }

  decodeReply(machine: number, b: Uint8Array): Reply {
    if (b[0] === 1) {
      const m = this.byId.get(machine);
      if (!m) throw new DecodeError(`no machine ${machine}`);
      return m.decodeReply(b.subarray(1));
    }
    const r = new Reader(b);
    r.u8();
    const code = ERROR_CODES[r.u8()];
    if (!code) throw new DecodeError('unknown error code in a reply');
    const message = r.str();
    r.end();
    return failure(code, message);
  }

  // ---- snapshots -----------------------------------------------------------

  snapshot(): Uint8Array {
    const w = new Writer().u8(SNAPSHOT_FORMAT).u53(this.time);
    const ms = [...this.byId.values()].sort((a, b) => a.id - b.id);
    w.u32(ms.length);
    for (const m of ms) {
      const section = new Writer();
      m.writeSnapshot(section);
      w.u8(m.id).u32(m.snapshotVersion).bytes(section.finish());
    }
    return w.finish();
  }

  restore(data: Uint8Array): void {
    const r = new Reader(data);
    const format = r.u8();
    if (format !== SNAPSHOT_FORMAT) throw new DecodeError(`unsupported snapshot format ${format}`);
    const time = r.u53();
    const n = r.u32();
    const seen = new Set<number>();
    for (let i = 0; i < n; i++) {
      const id = r.u8();
      const version = r.u32();
      const section = r.bytes();
      const m = this.byId.get(id);
      if (!m) throw new DecodeError(`the snapshot holds state of machine ${id}, which this node does not have`);
      if (version > m.snapshotVersion) throw new DecodeError(`the ${m.name} machine's snapshot section is version ${version}; this node reads up to ${m.snapshotVersion}`);
      const sr = new Reader(section);
      m.readSnapshot(sr, version);
      sr.end();
      seen.add(id);
    }
    r.end();
    // A machine added after the snapshot was written starts empty.
    for (const m of this.byId.values()) if (!seen.has(m.id)) m.readSnapshot(new Reader(emptySection(m)), m.snapshotVersion);
    this.time = time;
    for (const fn of this.restoredListeners) fn();
  }
}

/** The section an empty machine of this kind writes. */
function emptySection(m: AnyMachine): Uint8Array {
  const fresh = new (m.constructor as new () => AnyMachine)();
  const w = new Writer();
  fresh.writeSnapshot(w);
  return w.finish();
}

function unsupported(index: number, err: unknown): Failure {
  const why = err instanceof DecodeError ? err.message : String(err);
  return failure('unsupported', `entry ${index} is not a command this node understands: ${why}`);
}

