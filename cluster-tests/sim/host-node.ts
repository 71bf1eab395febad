// One member of the host simulation: the production ReplicaHost (with its
// snapshotter and checkpoints) around the production MachineRegistry, over
// the production in-memory log (log/memory-wal.ts) on a simulated disk
// (disk.ts), a simulated transport and a simulated clock. Nothing of the host
// is replaced: the simulation only plugs in the seams (Clock, Transport,
// GroupLog's disk) and watches — the Ready the core hands the host, the
// machine's applies and restores, the disk's writes — to feed the checkers.
//
// The clock turns every deferral of the host (its tick timer, the deferred
// ready loop, early sends, read timeouts) into an event of the simulation,
// tagged with the node and its incarnation: a crash voids them, a pause
// delays them. A crash drops the host without stopping it: its pending
// writes never complete, its promises never settle, and the restart builds
// a new host from what the disk recovered.

import type { Status } from '../../raft/core/api.js';
import type { ConfState, Entry, GroupId, HardState, Message, NodeId, SnapshotMeta } from '../../raft/core/types.js';
import { EntryType } from '../../raft/core/types.js';
import type { Ready } from '../../raft/core/ready.js';
import type { Clock, Transport, TransportListener } from '../../raft/host/env.js';
import type { ReplicaHostOptions } from '../../raft/host/replica-host.js';
import { ReplicaHost } from '../../raft/host/replica-host.js';
import { Ticker } from '../../raft/host/ticker.js';
import type { RetainingStateMachine } from '../../raft/host/snapshotter.js';
import type { MemoryDisk, MemoryWrite } from '../../log/memory-wal.js';
import { MemoryGroupLog } from '../../log/memory-wal.js';
import { createMachines } from '../../broker/machine/machines.js';
import type { EntryResult, MachineRegistry } from '../../broker/machine/registry.js';
import { CHAIN_ORIGIN, chain } from './app.js';
import type { Checker, DiskView } from './checkers.js';
import type { CrashReport, DiskTiming } from './disk.js';
import { SimDisk } from './disk.js';
import type { MachineChecks } from './machine-checks.js';
import type { Rng } from './prng.js';

export const GROUP: GroupId = 0;
/**
 * A node-level keepalive (raft/host/ticker.ts) travels the simulated network
 * as a message of no group: it meets the same delays, losses and partitions
 * as the groups' traffic, and the receiving node only notes that it heard
 * from the sender (host-cluster.ts deliver). Never stepped into a host.
 */
export const PING_GROUP: GroupId = -1;

/** The host's settings for every node of a run. */
export type HostSettings = Pick<
  ReplicaHostOptions<EntryResult>,
  'tickMs' | 'electionTicks' | 'heartbeatTicks' | 'snapshotEvery' | 'compactKeep' | 'checkpointEvery' | 'checkpointBytes' | 'core' | 'unsafe' | 'quiesce' | 'commitNoticeMs'
>;

/** What a node needs from the simulation around it. */
export interface HostNodeEnv {
  readonly checker: Checker;
  readonly machines: MachineChecks;
  now(): number;
  /** Run `fn` as an event of this node after `delay`, unless the incarnation changed meanwhile (held while paused). */
  call(node: HostNode, inc: number, delay: number, what: CallKind, fn: () => void): void;
  /** `attached`: the entries a snapshot message carries (stored by the receiver before it steps the snapshot). */
  send(from: HostNode, m: Message, attached?: readonly Entry[]): void;
  /** The other nodes of the run (keepalive targets). */
  peers(of: HostNode): readonly NodeId[];
  becameLeader(node: HostNode): void;
  /** The host's ready loop failed, or a client call threw something undocumented. */
  hostFailed(node: HostNode, e: Error): void;
  trace: ((line: string) => void) | undefined;
}

export type CallKind = 'tick' | 'defer' | 'timer' | 'disk';

export class HostNode {
  readonly disk: SimDisk;
  host: ReplicaHost<EntryResult> | undefined;
  /** The node's one tick timer and liveness table, as node.ts has one (ticker.ts). */
  ticker: Ticker | undefined;
  /** Times this node's group went quiet (any incarnation). */
  quiets = 0;
  registry: MachineRegistry | undefined;
  log: MemoryGroupLog | undefined;
  listener: TransportListener | undefined;
  incarnation = 0;
  pausedUntil = 0;
  readies = 0;
  /** Machine states restored at start-up (from a checkpoint or snapshot), and snapshots installed from a leader. */
  restoredAtStart = 0;
  installed = 0;
  /** The chain value (app.ts) over the entries this incarnation applied, at `chainIndex`. */
  private chainIndex = 0;
  private chainHash = CHAIN_ORIGIN;
  /** Committed entries handed out to the host and not yet applied, in order. */
  private toApply: Entry[] = [];
  /** The highest index the live machine applied or restored (entries apply in increasing order). */
  private machineIndex = 0;

  constructor(
    readonly id: NodeId,
    bootstrap: ConfState | undefined,
    private readonly settings: HostSettings,
    private readonly env: HostNodeEnv,
    private readonly rng: Rng,
    timing: DiskTiming,
    /** Tick period in virtual time (clock skew: each node's own). */
    private readonly tickPeriod: number,
  ) {
    this.disk = new SimDisk(timing, rng.fork('disk'), (delay, fn) => env.call(this, this.incarnation, delay, 'disk', fn), () => env.now());
    this.disk.observer = (group, before) => {
      if (group === GROUP && this.alive) env.checker.onPersisted(this.id, before, this.durableView());
    };
    // A formatted disk: bootstrap members know the initial membership.
    if (bootstrap) this.disk.durableLog(GROUP).replay({ op: 'conf', conf: bootstrap });
  }

  get alive(): boolean {
    return this.host !== undefined;
  }

  /** Stable storage, as the durability checks read it. */
  durableView(): DiskView {
    const d = this.disk.durableLog(GROUP);
    return {
      snapshot: () => d.snapshot(),
      firstIndex: () => d.firstIndex(),
      lastIndex: () => d.lastIndex(),
      entries: (lo, hi, max) => d.entries(lo, hi, max),
      hardState: (): HardState => d.initialState().hardState,
    };
  }

  /** Start (or restart) from what the disk holds. */
  start(): void {
    if (this.host) throw new Error(`node ${this.id} is already running`);
    const inc = ++this.incarnation;
    const env = this.env;
    const recovered = this.disk.recover().get(GROUP);
    const disk: MemoryDisk = { write: (g: GroupId, w: MemoryWrite) => this.written(inc, g, w) };
    this.log = recovered ? recovered.copy(disk) : new MemoryGroupLog(GROUP, disk);
    this.chainIndex = 0;
    this.chainHash = CHAIN_ORIGIN;
    this.toApply = [];
    this.machineIndex = 0;
    env.checker.loadFromDisk(this.id, this.durableView());
    const registry = createMachines();
    this.registry = registry;
    // Peers sent something since the last keepalive round (the gRPC transport skips those too).
    const sentTo = new Set<NodeId>();
    const clock = this.clock(inc);
    const ticker = new Ticker({
      clock,
      tickMs: this.settings.tickMs ?? 10,
      silentTicks: this.settings.electionTicks ?? 10,
      pingTicks: this.settings.heartbeatTicks ?? 1,
      ping: () => {
        if (this.incarnation !== inc || !this.host) return;
        for (const to of env.peers(this)) {
          if (!sentTo.has(to)) env.send(this, { type: 'heartbeat-resp', group: PING_GROUP, from: this.id, to, term: 0, context: new Uint8Array(0) });
        }
        sentTo.clear();
      },
    });
    this.ticker = ticker;
    const transport: Transport = {
      send: (messages) => {
        if (this.incarnation !== inc || !this.host) return;
        for (const m of messages) {
          sentTo.add(m.to);
          env.checker.onSend(this.id, m, this.durableView());
          // A snapshot travels with the entries kept below it (the sparse part), as the gRPC transport sends them.
          env.send(this, m, m.type === 'snap' ? this.log!.entriesWithSnapshot(m.snapshot.meta.index) : undefined);
        }
      },
      listen: (l) => {
        this.listener = l;
      },
    };
    const host = new ReplicaHost<EntryResult>({
      ...this.settings,
      id: this.id,
      group: GROUP,
      log: this.log,
      transport,
      machine: this.liveMachine(registry, inc),
      random: this.rng.fork(`raft/${this.id}/${inc}`),
      clock,
      ticker,
      events: {
        leaderChanged: (_leader, _term, role) => {
          if (this.incarnation !== inc) return;
          registry.roleChanged(role === 'leader' ? 'leader' : 'follower');
          if (role === 'leader') env.becameLeader(this);
        },
        applied: (_count, appliedIndex) => {
          if (this.incarnation === inc) this.advanceChain(appliedIndex);
        },
        fatal: (e) => {
          if (this.incarnation === inc) env.hostFailed(this, e);
        },
      },
    });
    this.host = host;
    // Watch every Ready the core hands the host (the host itself is unchanged).
    const raw = host.node;
    const ready = raw.ready.bind(raw);
    raw.ready = (): Ready => {
      const rd = ready();
      if (this.incarnation === inc) this.handedOut(rd);
      return rd;
    };
    // As node.ts wires it: the transport's inbound side steps the host.
    transport.listen({
      message: (m) => host.step(m),
      unreachable: (p) => host.reportUnreachable(p),
      snapshotDone: (_g, p, ok) => host.reportSnapshot(p, ok),
    });
    host.start();
  }

  /** A snapshot arrived with the entries kept below it: they go to the log first, then the host steps the snapshot. */
  receiveSnapshot(m: Message, attached: readonly Entry[]): void {
    const inc = this.incarnation;
    if (attached.length === 0) return this.host!.step(m);
    this.log!.storeSparse(attached).then(
      () => {
        if (this.incarnation === inc && this.host) this.host.step(m);
      },
      () => undefined,
    );
  }

  /** Lose everything that is not on stable storage. */
  crash(): CrashReport {
    const report = this.disk.crash();
    this.host = undefined;
    this.ticker = undefined;
    this.registry = undefined;
    this.log = undefined;
    this.listener = undefined;
    this.pausedUntil = 0;
    this.env.checker.loadFromDisk(this.id, this.durableView());
    return report;
  }

  private written(inc: number, group: GroupId, w: MemoryWrite): Promise<void> {
    this.env.trace?.(`n${this.id} writes ${describeWrite(w)}`);
    if (this.incarnation === inc && group === GROUP) {
      // Snapshot and checkpoint bytes are machine states at their index: claims the machine checks compare.
      if (w.op === 'snapshot') this.env.machines.claim(this.id, w.snapshot.meta.index, w.snapshot.data, 'saves a snapshot of');
      else if (w.op === 'checkpoint') this.env.machines.claim(this.id, w.checkpoint.index, w.checkpoint.data, 'saves a checkpoint of');
    }
    return this.disk.write(group, w);
  }

  private clock(inc: number): Clock {
    const env = this.env;
    type Handle = { cancelled: boolean };
    return {
      now: () => env.now(),
      setInterval: (fn, ms) => {
        const h: Handle = { cancelled: false };
        const period = Math.max(1, Math.round((ms * this.tickPeriod) / (this.settings.tickMs ?? ms)));
        const loop = (): void => {
          if (h.cancelled) return;
          fn();
          env.call(this, inc, period, 'tick', loop);
        };
        env.call(this, inc, 1 + this.rng.nextInt(period), 'tick', loop);
        return h;
      },
      clearInterval: (h) => {
        (h as Handle).cancelled = true;
      },
      defer: (fn) => env.call(this, inc, 0, 'defer', fn),
      setTimeout: (fn, ms) => {
        const h: Handle = { cancelled: false };
        env.call(this, inc, ms, 'timer', () => {
          if (!h.cancelled) fn();
        });
        return h;
      },
      clearTimeout: (h) => {
        (h as Handle).cancelled = true;
      },
    };
  }

  /** The live machine: the registry, as node.ts plugs it into the host, watched. */
  private liveMachine(registry: MachineRegistry, inc: number): RetainingStateMachine<EntryResult> {
    const checks = this.env.machines;
    return {
      apply: (e: Entry) => {
        if (this.incarnation === inc) {
          if (e.index <= this.machineIndex) this.env.checker.fail('apply-order', this.id, `node ${this.id}'s machine is given entry ${e.index} after ${this.machineIndex}`);
          this.machineIndex = e.index;
          this.advanceChain(e.index);
        }
        const r = registry.apply(e);
        if (this.incarnation === inc && checks.samples(e.index)) checks.claim(this.id, e.index, registry.snapshot(), 'applies up to');
        return r;
      },
      snapshot: () => registry.snapshot(),
      restore: (data: Uint8Array, meta: SnapshotMeta) => {
        registry.restore(data);
        if (this.incarnation !== inc) return;
        // The host restores from its log while it is being built, and installs a leader's snapshot later.
        if (this.host === undefined) this.restoredAtStart++;
        else this.installed++;
        this.machineIndex = meta.index;
        // The chain restarts at the restored index: its value there is the committed log's.
        const c = this.env.checker.canonAt(meta.index);
        this.chainIndex = meta.index;
        this.chainHash = c ? c.hash : CHAIN_ORIGIN;
        if (!c && meta.index > 0) this.env.checker.fail('state-machine-safety', this.id, `node ${this.id} restores machine state at ${meta.index}, an index never known to be committed`);
        this.toApply = this.toApply.filter((x) => x.index > meta.index);
        checks.claim(this.id, meta.index, data, 'restores');
      },
      liveIndexes: () => registry.liveIndexes(),
    };
  }

  private handedOut(rd: Ready): void {
    this.readies++;
    const raw = this.host!.node;
    this.env.trace?.(`n${this.id} ready${describeBrief(rd)}`);
    this.env.checker.onHandOut(this.id, rd, raw.status());
    for (const e of rd.committedEntries) this.toApply.push(e);
  }

  /** Entries up to `index` were applied: extend the chain over them and tell the checker. */
  private advanceChain(index: number): void {
    while (this.toApply.length && this.toApply[0]!.index <= index) {
      const e = this.toApply.shift()!;
      if (e.index <= this.chainIndex) continue;
      if (e.index !== this.chainIndex + 1) {
        this.env.checker.fail('apply-order', this.id, `node ${this.id} applies entry ${e.index} after ${this.chainIndex}`);
      }
      this.chainHash = chain(this.chainHash, e);
      this.chainIndex = e.index;
      this.env.checker.onApply(this.id, e, this.chainHash);
      if (e.type === EntryType.Normal) this.env.machines.committed(e);
    }
  }

  /**
   * The host applies empty entries and membership changes without giving them
   * to the machine, so the chain (and the machine checks' committed log)
   * learns of them only at the next machine apply. At the end there may be no
   * next one: extend the chain over everything the host applied.
   */
  catchUpApplied(): void {
    if (this.host) this.advanceChain(this.host.applied);
  }

  get appliedIndex(): number {
    return this.host?.applied ?? 0;
  }

  status(): Status {
    return this.host!.status();
  }

  calmDisk(): void {
    this.disk.stalls = false;
  }
}

function describeWrite(w: MemoryWrite): string {
  switch (w.op) {
    case 'persist': {
      const { entries: es, hardState: hs, snapshot: s } = w.req;
      const parts = [w.sync ? 'synced' : 'unsynced'];
      if (s) parts.push(`snap=${s.meta.term}/${s.meta.index}`);
      if (es.length) parts.push(`ents=${es[0]!.index}..${es[es.length - 1]!.index}`);
      if (hs) parts.push(`hs=${hs.term}/${hs.vote}/${hs.commit}`);
      return parts.join(' ');
    }
    case 'snapshot':
      return `snapshot at ${w.snapshot.meta.index} (${w.snapshot.data.byteLength} bytes)`;
    case 'checkpoint':
      return `checkpoint at ${w.checkpoint.index} (${w.checkpoint.data.byteLength} bytes)`;
    case 'compact':
      return `compaction below ${w.index}${w.keep?.length ? ` keeping ${w.keep.length} (${w.keep.slice(0, 4).join(',')}${w.keep.length > 4 ? ',…' : ''})` : ''}`;
    case 'sparse':
      return `${w.entries.length} sparse entries (${w.entries.slice(0, 4).map((e) => e.index).join(',')}${w.entries.length > 4 ? ',…' : ''})`;
    case 'conf':
      return `membership voters=[${w.conf.voters.join(',')}] learners=[${w.conf.learners.join(',')}]`;
  }
}

function describeBrief(rd: Ready): string {
  const parts: string[] = [];
  if (rd.softState) parts.push(`${rd.softState.role} lead=${rd.softState.leader}`);
  if (rd.hardState) parts.push(`hs=${rd.hardState.term}/${rd.hardState.vote}/${rd.hardState.commit}`);
  if (rd.snapshot) parts.push(`snap=${rd.snapshot.meta.term}/${rd.snapshot.meta.index}`);
  if (rd.entries.length) parts.push(`ents=${rd.entries[0]!.index}..${rd.entries[rd.entries.length - 1]!.index}`);
  if (rd.committedEntries.length) parts.push(`apply=${rd.committedEntries[0]!.index}..${rd.committedEntries[rd.committedEntries.length - 1]!.index}`);
  if (rd.messages.length) parts.push(`msgs=${rd.messages.length}`);
  if (rd.persistedMessages.length) parts.push(`pmsgs=${rd.persistedMessages.length}`);
  if (rd.readStates.length) parts.push(`reads=${rd.readStates.map((r) => r.index).join(',')}`);
  return parts.length ? ' ' + parts.join(' ') : '';
}
