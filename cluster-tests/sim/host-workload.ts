// The clients of the host simulation: real machine commands through the
// production host. Entries are built as the front door builds them
// (buildEntry + machineCommand, stamped with the proposer's virtual clock) and
// hold stream declares and appends — with and without idempotent producers,
// one or several commands per entry — kv puts, and quorum-queue commands
// (queue-workload.ts). Besides: linearizable
// read barriers, membership changes, leadership transfers and campaigns.
//
// A proposal's promise is its client's answer. A stream append confirmed
// (resolved with an 'appended' reply) is recorded with its offsets and
// messages; machine-checks.ts reads every one back on every member after the
// cluster healed. A producer whose append ended with an unknown outcome (its
// node crashed, or the entry went under a snapshot) retries the same
// sequence with the same messages, as a real client does.

import {
  ConfChangeInProgressError,
  InvalidConfChangeError,
  NotLeaderError,
  ProposalDroppedError,
  TransferInProgressError,
} from '../../raft/core/errors.js';
import type { NodeId } from '../../raft/core/types.js';
import { OutcomeUnknownError, ProposalSupersededError } from '../../raft/host/proposals.js';
import type { Applied } from '../../raft/host/proposals.js';
import { ReadInterruptedError, ReadTimeoutError } from '../../raft/host/reads.js';
import { buildEntry, machineCommand } from '../../broker/machine/envelope.js';
import { KV_MACHINE_ID, KvMachine } from '../../broker/machine/kv/machine.js';
import type { EntryResult } from '../../broker/machine/registry.js';
import type { StreamConfig } from '../../broker/machine/streams/config.js';
import { DEFAULT_STREAM_CONFIG } from '../../broker/machine/streams/config.js';
import type { StreamCommand, StreamMessage } from '../../broker/machine/streams/commands.js';
import { STREAMS_MACHINE_ID, encodeStreamCommand } from '../../broker/machine/streams/commands.js';
import type { Checker } from './checkers.js';
import type { HostNode } from './host-node.js';
import type { ConfirmedAppend } from './machine-checks.js';
import type { Rng } from './prng.js';
import type { QueueCmd } from './queue-workload.js';
import { QueueWorkload } from './queue-workload.js';
import { Markers, chooseConfChange } from './world.js';

/** How a run's clients behave. Weights are relative. */
export interface HostWorkloadProfile {
  readonly meanInterval: number;
  readonly append: number;
  /** An entry holding several commands (appends, declares, kv puts). */
  readonly multi: number;
  readonly kv: number;
  readonly declare: number;
  readonly proposeAnywhere: number;
  readonly read: number;
  readonly confChange: number;
  readonly transfer: number;
  readonly campaign: number;
  /** An entry that carries only the leader's time (as the node's leader clock proposes one when a deadline passed). */
  readonly time: number;
  /** A quorum-queue command (queue-workload.ts). */
  readonly queue: number;
  /** Largest message body, in bytes. */
  readonly maxBody: number;
  /**
   * The chance that the clients fall silent after an action, for a time drawn
   * from `idleLength`: idle periods in which the group quiesces (and faults
   * still strike, so a quiet group's leader crashes, is partitioned...).
   */
  readonly idleChance?: number;
  readonly idleLength?: readonly [number, number];
  /** The streams of the run (see streamsFor). */
  readonly streams: readonly StreamSpec[];
}

export interface StreamSpec {
  readonly name: string;
  readonly config: StreamConfig;
}

/**
 * The streams of a run: retention by count, by age, and refusing when full
 * (draining by age), so live indexes come and go and sparse compaction
 * deletes the dead ones below each snapshot; in half the runs also a stream
 * without limits, which keeps every entry it ever stored live (a sparse part
 * that only grows, sent whole with every snapshot a member installs).
 */
export function streamsFor(unlimited: boolean): StreamSpec[] {
  return [
    { name: 'orders', config: unlimited ? DEFAULT_STREAM_CONFIG : { ...DEFAULT_STREAM_CONFIG, maxMessages: 40 } },
    { name: 'events', config: { ...DEFAULT_STREAM_CONFIG, maxMessages: 12 } },
    { name: 'audit', config: { ...DEFAULT_STREAM_CONFIG, maxAgeMs: 1500, dedupWindowMs: 2000 } },
    { name: 'capped', config: { ...DEFAULT_STREAM_CONFIG, maxMessages: 20, maxAgeMs: 2000, discard: 'reject' } },
  ];
}

/** Whether a stream drops old messages (then a confirmed append may legitimately be gone). */
export function retains(c: StreamConfig): boolean {
  return c.maxAgeMs > 0 || c.maxBytes > 0 || c.maxMessages > 0;
}

export interface ClusterAccess {
  readonly checker: Checker;
  nodes(): readonly HostNode[];
  leader(): HostNode | undefined;
  addFreshNode(): HostNode | undefined;
  readonly maxMembers: number;
  readonly minVoters: number;
  now(): number;
  trace: ((line: string) => void) | undefined;
  /** A client call threw something the host does not document. */
  unexpected(node: NodeId, what: string, e: unknown): void;
}

interface Producer {
  readonly stream: string;
  readonly id: string;
  seq: number;
  /** The append of `seq`, while its outcome is open or unknown (then it is retried as is). */
  messages: readonly StreamMessage[] | undefined;
  busy: boolean;
}

interface Pending {
  /** Settle this proposal as 'unknown outcome' (its node crashed: the promise will never settle). */
  readonly unknown: () => void;
}

export interface HostWorkloadStats {
  proposed: number;
  confirmed: number;
  appendsConfirmed: number;
  duplicates: number;
  refusedByMachine: number;
  superseded: number;
  unknown: number;
  rejected: number;
  reads: number;
  readsAnswered: number;
  confChanges: number;
  transfers: number;
  campaigns: number;
}

const EXPECTED = [NotLeaderError, TransferInProgressError, ConfChangeInProgressError, InvalidConfChangeError, ProposalDroppedError];
const expected = (e: unknown): boolean => EXPECTED.some((k) => e instanceof k);

const kv = new KvMachine();

export class HostWorkload {
  readonly confirmed: ConfirmedAppend[] = [];
  /** The queue clients: what they learned is checked at the end. */
  readonly queues: QueueWorkload;
  /** Draws the idle periods (its own stream: the other draws stay as they were for a seed). */
  private readonly idleRng: Rng;
  private readonly producers: Producer[] = [];
  private readonly pending = new Map<NodeId, Set<Pending>>();
  private nextBody = 1;
  private nextRead = 1;
  private readonly markers = new Markers();
  readonly stats: HostWorkloadStats = {
    proposed: 0,
    confirmed: 0,
    appendsConfirmed: 0,
    duplicates: 0,
    refusedByMachine: 0,
    superseded: 0,
    unknown: 0,
    rejected: 0,
    reads: 0,
    readsAnswered: 0,
    confChanges: 0,
    transfers: 0,
    campaigns: 0,
  };

  constructor(
    private readonly rng: Rng,
    private readonly profile: HostWorkloadProfile,
    private readonly ops: ClusterAccess,
  ) {
    this.queues = new QueueWorkload(rng.fork('queues'));
    this.idleRng = rng.fork('idle');
    for (const s of profile.streams) for (let p = 0; p < 2; p++) this.producers.push({ stream: s.name, id: `${s.name}-p${p}`, seq: 1, messages: undefined, busy: false });
  }

  nextDelay(): number {
    const p = this.profile;
    if (p.idleChance && this.idleRng.chance(p.idleChance)) {
      const [lo, hi] = p.idleLength ?? [100, 600];
      return this.idleRng.range(lo, hi);
    }
    return this.rng.exp(p.meanInterval);
  }

  act(): void {
    const p = this.profile;
    this.queues.watch(this.ops.nodes());
    this.rng.weighted<() => void>([
      [p.queue, () => this.propose([this.queues.command(this.ops.nodes())], false)],
      [p.append, () => this.propose([this.appendCommand()], false)],
      [p.multi, () => this.propose(this.multiCommands(), false)],
      [p.kv, () => this.propose([this.kvCommand()], false)],
      [p.declare, () => this.propose([this.declareCommand()], false)],
      [p.proposeAnywhere, () => this.propose([this.appendCommand()], true)],
      [p.read, () => this.read()],
      [p.confChange, () => this.confChange()],
      [p.transfer, () => this.transfer()],
      [p.campaign, () => this.campaign()],
      [p.time, () => this.timeEntry()],
    ])();
  }

  private live(): HostNode[] {
    const now = this.ops.now();
    return this.ops.nodes().filter((n) => n.alive && n.pausedUntil <= now);
  }

  // ---- commands --------------------------------------------------------------

  private messages(): StreamMessage[] {
    const n = this.rng.range(1, 4);
    const out: StreamMessage[] = [];
    for (let i = 0; i < n; i++) {
      const id = this.nextBody++;
      const body = new Uint8Array(this.rng.range(4, Math.max(4, this.profile.maxBody)));
      new DataView(body.buffer).setUint32(0, id);
      for (let k = 4; k < body.length; k++) body[k] = (id * 31 + k) & 0xff;
      out.push({ headers: this.rng.chance(0.3) ? [['k', `v${id}`]] : [], body });
    }
    return out;
  }

  private streamCommand(c: StreamCommand): Uint8Array {
    return machineCommand(STREAMS_MACHINE_ID, encodeStreamCommand(c));
  }

  private declareCommand(): Cmd {
    const s = this.rng.pick(this.profile.streams);
    return { bytes: this.streamCommand({ op: 'declare', name: s.name, config: s.config }) };
  }

  private kvCommand(): Cmd {
    const value = new Uint8Array(this.rng.range(0, 40)).fill(this.nextBody++ & 0xff);
    return { bytes: machineCommand(KV_MACHINE_ID, kv.encodeCommand({ op: 'put', key: `k${this.rng.range(0, 15)}`, value })) };
  }

  /** An append, from an idempotent producer (half the time) or an anonymous one. */
  private appendCommand(): Cmd {
    const idle = this.producers.filter((p) => !p.busy);
    if (idle.length && this.rng.chance(0.5)) {
      const p = this.rng.pick(idle);
      p.messages ??= this.messages();
      p.busy = true;
      const messages = p.messages;
      const seq = p.seq;
      return {
        bytes: this.streamCommand({ op: 'append', stream: p.stream, producer: p.id, seq, messages }),
        append: { stream: p.stream, messages },
        // Certainly stored (new or duplicate), or certainly not: the next append moves on or retries.
        settled: (stored) => {
          p.busy = false;
          if (stored) {
            p.seq = seq + 1;
            p.messages = undefined;
          }
        },
      };
    }
    const s = this.rng.pick(this.profile.streams);
    const messages = this.messages();
    return { bytes: this.streamCommand({ op: 'append', stream: s.name, producer: '', seq: 0, messages }), append: { stream: s.name, messages } };
  }

  private multiCommands(): Cmd[] {
    const n = this.rng.range(2, 4);
    const out: Cmd[] = [];
    for (let i = 0; i < n; i++) out.push(this.rng.weighted<() => Cmd>([[6, () => this.appendCommand()], [1, () => this.kvCommand()], [1, () => this.declareCommand()]])());
    return out;
  }

  private propose(cmds: Cmd[], anywhere: boolean): void {
    const live = this.live();
    const node = anywhere ? (live.length ? this.rng.pick(live) : undefined) : this.ops.leader();
    if (!node) return this.release(cmds, false);
    const host = node.host!;
    let promise: Promise<Applied<EntryResult>>;
    try {
      promise = host.propose(buildEntry(cmds.map((c) => c.bytes), this.ops.now()));
    } catch (e) {
      this.release(cmds, false);
      if (!expected(e)) return this.ops.unexpected(node.id, 'propose', e);
      this.stats.rejected++;
      this.ops.trace?.(`client: propose on n${node.id} refused: ${(e as Error).name}`);
      return;
    }
    this.stats.proposed++;
    this.ops.trace?.(`client: propose ${cmds.length} command(s) on n${node.id}`);
    this.track(node, promise, cmds);
  }

  /** Settle producers of commands that were certainly not stored (true: stored). */
  private release(cmds: readonly Cmd[], stored: boolean): void {
    for (const c of cmds) c.settled?.(stored);
  }

  private track(node: HostNode, promise: Promise<Applied<EntryResult>>, cmds: readonly Cmd[], marker = 0): void {
    let set = this.pending.get(node.id);
    if (!set) {
      set = new Set();
      this.pending.set(node.id, set);
    }
    const nodeSet = set;
    let done = false;
    const entry: Pending = {
      unknown: () => {
        if (done) return;
        done = true;
        this.stats.unknown++;
        // Unknown: a producer retries the same sequence (busy cleared, sequence kept).
        for (const c of cmds) c.settled?.(false);
        if (marker) this.markers.again(marker);
      },
    };
    nodeSet.add(entry);
    promise.then(
      (applied) => {
        nodeSet.delete(entry);
        if (done) return;
        done = true;
        this.confirmedEntry(node, applied, cmds, marker);
      },
      (e: unknown) => {
        nodeSet.delete(entry);
        if (done) return;
        if (e instanceof ProposalSupersededError) {
          done = true;
          this.stats.superseded++;
          this.release(cmds, false);
          if (marker) this.markers.again(marker);
        } else if (e instanceof OutcomeUnknownError) {
          entry.unknown();
        } else {
          done = true;
          this.ops.unexpected(node.id, 'a proposal', e);
        }
      },
    );
  }

  private confirmedEntry(node: HostNode, applied: Applied<EntryResult>, cmds: readonly Cmd[], marker: number): void {
    this.stats.confirmed++;
    this.ops.checker.onConfirmed(node.id, applied.index, applied.term);
    const result = applied.result;
    if (!result || result.refused) {
      this.stats.refusedByMachine++;
      this.release(cmds, false);
      this.ops.unexpected(node.id, 'an entry', new Error(`the registry refused entry ${applied.index}: ${result?.refused?.message ?? 'no result'}`));
      return;
    }
    cmds.forEach((c, part) => {
      const r = result.replies[part];
      if (!r) return this.ops.unexpected(node.id, 'an entry', new Error(`entry ${applied.index} has no reply for command ${part}`));
      c.applied?.(r, applied.index, part, node.id);
      if (!c.append) return;
      if (r.ok && 'kind' in r && r.kind === 'appended') {
        const a = r as unknown as { firstOffset: number; count: number; duplicate: boolean };
        if (a.count !== c.append.messages.length) {
          this.ops.checker.fail('unreadable-append', node.id, `append at ${applied.index}:${part} to "${c.append.stream}" confirmed ${a.count} messages of ${c.append.messages.length}`);
        }
        const spec = this.profile.streams.find((x) => x.name === c.append!.stream)!;
        this.confirmed.push({ stream: c.append.stream, retained: retains(spec.config), firstOffset: a.firstOffset, messages: c.append.messages, node: node.id, index: applied.index });
        this.stats.appendsConfirmed++;
        if (a.duplicate) this.stats.duplicates++;
        c.settled?.(true);
      } else {
        // Refused by the stream (not declared yet, full, a sequence error): certainly not stored.
        this.stats.refusedByMachine++;
        c.settled?.(false);
      }
    });
    if (marker) {
      this.markers.confirmed(marker, applied.index);
    }
  }

  /** The node crashed: whatever it was asked will never be answered. */
  forget(node: HostNode): void {
    const set = this.pending.get(node.id);
    if (!set) return;
    for (const p of [...set]) p.unknown();
    set.clear();
  }

  /** The leader proposes an entry that carries only its time: machines whose deadline passed expire what is due. */
  private timeEntry(): void {
    const leader = this.ops.leader();
    if (!leader) return;
    try {
      const p = leader.host!.propose(buildEntry([], this.ops.now()));
      this.stats.proposed++;
      this.ops.trace?.(`client: time entry on n${leader.id} (next deadline ${leader.registry!.nextDeadline() ?? 'none'})`);
      this.track(leader, p, []);
    } catch (e) {
      if (!expected(e)) this.ops.unexpected(leader.id, 'propose', e);
    }
  }

  // ---- reads, membership, leadership ------------------------------------------

  private read(): void {
    const live = this.live();
    if (!live.length) return;
    const node = this.rng.chance(0.5) ? (this.ops.leader() ?? this.rng.pick(live)) : this.rng.pick(live);
    const ctx = `r${this.nextRead++}`;
    this.ops.checker.onReadAsked(node.id, ctx);
    let p: Promise<number>;
    try {
      p = node.host!.readBarrier(50 * 10);
    } catch (e) {
      if (!expected(e)) this.ops.unexpected(node.id, 'readBarrier', e);
      return;
    }
    this.stats.reads++;
    this.ops.trace?.(`client: read ${ctx} on n${node.id} (commit known: ${this.ops.checker.maxCommit})`);
    const inc = node.incarnation;
    p.then(
      (index) => {
        if (node.incarnation !== inc) return;
        if (this.ops.checker.onReadAnswered(node.id, { index, context: new Uint8Array(0) }, ctx)) this.stats.readsAnswered++;
      },
      (e: unknown) => {
        // A read not yet confirmed fails when leadership changes (ReadInterruptedError), or times out: both expected.
        if (!(e instanceof ReadTimeoutError) && !(e instanceof ReadInterruptedError) && !(e instanceof OutcomeUnknownError)) this.ops.unexpected(node.id, 'a read', e);
      },
    );
  }

  private confChange(): void {
    const leader = this.ops.leader();
    if (!leader) return;
    const cc = chooseConfChange(this.rng, leader.host!.status().conf, this.ops);
    if (!cc) return;
    const name = ['add-voter', 'add-learner', 'remove'][cc.type];
    try {
      const p = leader.host!.proposeConfChange(cc);
      this.stats.confChanges++;
      this.ops.trace?.(`client: ${name} n${cc.node} on n${leader.id}`);
      p.catch((e: unknown) => {
        if (!(e instanceof ProposalSupersededError) && !(e instanceof OutcomeUnknownError)) this.ops.unexpected(leader.id, 'a membership change', e);
      });
    } catch (e) {
      if (!expected(e)) this.ops.unexpected(leader.id, 'proposeConfChange', e);
      else this.ops.trace?.(`client: ${name} n${cc.node} refused: ${(e as Error).name}`);
    }
  }

  private transfer(): void {
    const live = this.live();
    const leader = this.ops.leader();
    if (!leader || !live.length) return;
    const voters = leader.host!.status().conf.voters.filter((v) => v !== leader.id);
    if (!voters.length) return;
    const target = this.rng.pick(voters);
    const via = this.rng.chance(0.7) ? leader : this.rng.pick(live);
    try {
      via.host!.transferLeader(target);
      this.stats.transfers++;
      this.ops.trace?.(`client: transfer leadership to n${target} via n${via.id}`);
    } catch (e) {
      if (!expected(e)) this.ops.unexpected(via.id, 'transferLeader', e);
    }
  }

  private campaign(): void {
    const live = this.live();
    if (!live.length) return;
    const n = this.rng.pick(live);
    try {
      n.host!.campaign();
      this.stats.campaigns++;
      this.ops.trace?.(`client: n${n.id} campaigns`);
    } catch (e) {
      if (!expected(e)) this.ops.unexpected(n.id, 'campaign', e);
    }
  }

  // ---- liveness ----------------------------------------------------------------

  startLiveness(markers: number): void {
    this.markers.start(markers);
  }

  /** Propose every marker (a kv put) neither confirmed nor waiting; give up waiting after `timeout`. */
  livenessStep(timeout: number): void {
    const leader = this.ops.leader();
    if (!leader) return;
    const now = this.ops.now();
    for (const marker of this.markers.due(now, timeout)) {
      const cmd: Cmd = { bytes: machineCommand(KV_MACHINE_ID, kv.encodeCommand({ op: 'put', key: `marker-${marker}`, value: new Uint8Array([marker]) })) };
      try {
        const p = leader.host!.propose(buildEntry([cmd.bytes], now));
        this.markers.proposed(marker, now);
        this.stats.proposed++;
        this.track(leader, p, [cmd], marker);
        this.ops.trace?.(`client: marker ${marker} on n${leader.id}`);
      } catch (e) {
        if (!expected(e)) this.ops.unexpected(leader.id, 'propose', e);
      }
    }
  }

  markersDone(): number | undefined {
    return this.markers.done();
  }

  markersConfirmed(): number {
    return this.markers.confirmedCount();
  }
}

interface Cmd extends QueueCmd {
  readonly bytes: Uint8Array;
  readonly append?: { readonly stream: string; readonly messages: readonly StreamMessage[] };
  /** For a producer's append: told whether it was certainly stored (true) or may be retried (false). */
  readonly settled?: (stored: boolean) => void;
}
