// One simulated run of the production host: a cluster of 3 or 5 ReplicaHosts
// with the real machines (host-node.ts), the network, the nemesis and the
// clients (host-workload.ts) on one virtual clock, all drawn from one seed,
// with the core's invariants (checkers.ts) and the machine's
// (machine-checks.ts), in the world both simulations share (world.ts): a
// safety phase of `steps` events with faults, then a liveness phase that
// heals everything and must converge within a tick budget; then the end
// checks read every confirmed append back on every member and replay.
//
// Determinism: every deferral of the host is an event of the scheduler, and
// after each event the run waits one macrotask turn, so every promise job the
// event started (the host's awaits on the log, the clients' continuations)
// settles before the next event. Nothing else schedules macrotasks, so a seed
// replays event for event; the trace hash shows it.

import type { Entry, Message, NodeId } from '../../raft/core/types.js';
import { CHAIN_ORIGIN } from './app.js';
import { Checker } from './checkers.js';
import type { FaultProfile } from './faults.js';
import { CHAOS_FAULTS, DEFAULT_FAULTS } from './faults.js';
import type { CallKind, HostSettings } from './host-node.js';
import { HostNode, PING_GROUP } from './host-node.js';
import type { HostWorkloadProfile, HostWorkloadStats } from './host-workload.js';
import { HostWorkload, streamsFor } from './host-workload.js';
import type { QueueWorkloadStats } from './queue-workload.js';
import { MachineChecks } from './machine-checks.js';
import type { DiskTiming } from './disk.js';
import { CALM } from './network.js';
import { Rng } from './prng.js';
import type { WorldOptions, WorldResult, WorldStats } from './world.js';
import { TICK, World, fnv, stackTop } from './world.js';

export interface HostRunOptions extends WorldOptions {
  /** The host's planted bugs (see ReplicaHostOptions.unsafe). */
  readonly hostUnsafe?: HostSettings['unsafe'];
  /** Quiescence on or off for the run (default: drawn from the seed, mostly on). */
  readonly quiesce?: boolean;
}

export interface HostRunStats extends WorldStats {
  workload: HostWorkloadStats;
  claims: number;
  appendsRead: number;
  /** Confirmed appends that retention had dropped by the end (not read back). */
  appendsDropped: number;
  /** Confirmed queue messages found held by the queues at the end (per member), and found gone after an ack. */
  queueMessagesHeld: number;
  queueMessagesAcked: number;
  queue: QueueWorkloadStats;
  snapshots: number;
  checkpoints: number;
  /** Machine states restored at a restart, and snapshots installed from a leader. */
  restarts: number;
  installs: number;
  /** Entries sent along with snapshots (the sparse part below them), and kept below the first index at the end (all nodes). */
  sparseSent: number;
  sparseKept: number;
  /** Times a member's group went quiet, and quiet followers woken because their leader's node was silent. */
  quiets: number;
  silenceWakes: number;
}

export type HostRunResult = WorldResult<HostRunStats>;

export const DEFAULT_HOST_STEPS = 20000;
const SAMPLE_EVERY = 8;

/** The host simulation's own event: a call the host made through its Clock (a tick, a deferral, a timer) or its disk finishing. */
type HostEvent = { readonly k: 'call'; readonly id: NodeId; readonly inc: number; readonly what: CallKind; readonly fn: () => void };
const CALL_CODE: Record<CallKind, number> = { tick: 1, defer: 2, timer: 3, disk: 4 };

interface Params {
  nodes: number;
  host: HostSettings;
  disk: DiskTiming;
  faults: FaultProfile;
  workload: HostWorkloadProfile;
  tickPeriods: number[];
  catchUpTicksPerEntry: number;
  electionTicks: number;
  desc: string;
}

function chooseParams(root: Rng, opts: HostRunOptions): Params {
  const r = root.fork('params');
  const chaos = opts.profile === 'chaos';
  const nodes = opts.nodes ?? (r.chance(0.5) ? 3 : 5);
  const electionTicks = r.pick([6, 10, 10, 20]);
  const heartbeatTicks = r.pick([1, 2, 3]);
  const maxSizePerMsg = chaos ? r.pick([1, 256]) : r.pick([1, 512, 1 << 20]);
  const maxInflightMsgs = r.pick([1, 4, 64]);
  const maxUncommittedSize = r.pick([4096, 65536, 256 << 20]);
  const snapshotEvery = r.pick([4, 8, 16, 1_000_000]);
  const compactKeep = r.range(0, 8);
  const checkpointEvery = r.pick([4, 16, 64]);
  const checkpointBytes = r.pick([1024, 64 << 20]);
  const persistMax = chaos ? r.pick([10, 40, 80]) : r.pick([2, 8, 30]);
  const host: HostSettings = {
    tickMs: TICK,
    electionTicks,
    heartbeatTicks,
    snapshotEvery,
    compactKeep,
    checkpointEvery,
    checkpointBytes,
    core: { maxSizePerMsg, maxInflightMsgs, maxUncommittedSize, ...(opts.unsafe ? { unsafe: opts.unsafe } : {}) },
    ...(opts.hostUnsafe ? { unsafe: opts.hostUnsafe } : {}),
  };
  const idle = { idleChance: 0.02, idleLength: [2 * electionTicks * TICK, 8 * electionTicks * TICK] as [number, number] };
  const disk: DiskTiming = { syncDelay: [1, persistMax], stallRate: 0.01, stallMax: 400, tornWriteRate: 0.3 };
  const maxBody = chaos ? r.pick([8, 64]) : r.pick([8, 64, 400]);
  const unlimited = r.chance(0.3);
  const streams = streamsFor(unlimited);
  const workload: HostWorkloadProfile = chaos
    ? { meanInterval: r.pick([5, 10]), append: 30, multi: 8, kv: 4, declare: 3, proposeAnywhere: 2, read: 8, confChange: 2, transfer: 6, campaign: 6, time: 3, queue: 10, maxBody, streams }
    : { meanInterval: r.pick([6, 15, 40]), append: 35, multi: 10, kv: 6, declare: 3, proposeAnywhere: 4, read: 15, confChange: 4, transfer: 3, campaign: 2, time: 3, queue: 12, maxBody, streams };
  const skew = r.chance(0.3);
  const tickPeriods: number[] = [];
  for (let i = 0; i < 16; i++) tickPeriods.push(skew ? r.range(TICK - 1, TICK + 1) : TICK);
  // Drawn after every other setting, so those stay what they were for a seed.
  const quiesce = opts.quiesce ?? r.chance(0.8);
  // Commit notices sent at once, held the production default, or held long (past a tick).
  const commitNoticeMs = r.pick([0, 2, 2, 40]);
  const rttTicks = Math.ceil((2 * CALM.maxDelay + persistMax + 2) / TICK);
  const entryBytes = 13 + 4 * (40 + 4 * maxBody) + 24;
  const entriesPerMsg = Math.max(1, Math.floor(maxSizePerMsg / entryBytes));
  const desc =
    `host nodes=${nodes} election=${electionTicks} hb=${heartbeatTicks} maxMsg=${maxSizePerMsg} inflight=${maxInflightMsgs} uncommitted<=${maxUncommittedSize} ` +
    `snapEvery=${snapshotEvery} keep=${compactKeep} checkpointEvery=${checkpointEvery} checkpointBytes=${checkpointBytes} persist<=${persistMax} ` +
    `client=${workload.meanInterval} body<=${maxBody} unlimitedStream=${unlimited} skew=${skew} quiesce=${quiesce} notice=${commitNoticeMs}` +
    (chaos ? ' profile=chaos' : '') +
    (opts.unsafe ? ` unsafe=${JSON.stringify(opts.unsafe)}` : '') +
    (opts.hostUnsafe ? ` hostUnsafe=${JSON.stringify(opts.hostUnsafe)}` : '');
  return {
    nodes,
    host: { ...host, quiesce, commitNoticeMs },
    disk,
    faults: chaos ? CHAOS_FAULTS : DEFAULT_FAULTS,
    // Idle periods let the group quiesce while the faults go on.
    workload: quiesce ? { ...workload, ...idle } : workload,
    tickPeriods,
    catchUpTicksPerEntry: rttTicks / entriesPerMsg,
    electionTicks,
    desc,
  };
}

export function runHostSeed(opts: HostRunOptions): Promise<HostRunResult> {
  return new HostSimulation(opts).run();
}

/** Let every promise job started by the event just run settle (one macrotask turn). */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

class HostSimulation extends World<HostNode, HostEvent> {
  readonly machines: MachineChecks;
  protected readonly workload: HostWorkload;
  private readonly params: Params;
  /** The entries each snapshot message in flight carries. */
  private readonly attached = new WeakMap<Message, readonly Entry[]>();
  private sparseSent = 0;
  /** Quiescence watch: when each node last went down, when each node last got a message from each other, who is quiet. */
  private readonly downSince = new Map<NodeId, number>();
  private readonly lastDelivered = new Map<string, number>();
  private readonly wasQuiet = new Map<NodeId, boolean>();
  private quiets = 0;

  constructor(opts: HostRunOptions) {
    const root = Rng.seeded(opts.seed);
    const params = chooseParams(root, opts);
    // Snapshots hold machine state: the chain value at a snapshot's index is the committed log's.
    const checker: Checker = new Checker(opts.seed, {
      promises: opts.checkPromises ?? true,
      snapshotHash: (s) => (s.meta.index === 0 ? CHAIN_ORIGIN : checker.canonAt(s.meta.index)?.hash),
    });
    super(opts, root, params, checker, DEFAULT_HOST_STEPS);
    this.params = params;
    this.machines = new MachineChecks(this.checker, SAMPLE_EVERY);
    const n = params.nodes;
    const sim = this;
    this.workload = new HostWorkload(root.fork('workload'), params.workload, {
      checker: this.checker,
      nodes: () => sim.nodeList,
      leader: () => sim.leader(),
      addFreshNode: () => sim.addFreshNode(),
      maxMembers: n + 1,
      minVoters: n === 3 ? 2 : 3,
      now: () => sim.sched.now(),
      trace: this.trace,
      unexpected: (node, what, e) => {
        const err = e as Error;
        sim.checker.fail('host-exception', node, `${what} on node ${node} failed with ${err?.name}: ${err?.message}${stackTop(err)}`);
      },
    });
  }

  // ---- what nodes need ----------------------------------------------------------

  private env = {
    checker: undefined as unknown as Checker,
    machines: undefined as unknown as MachineChecks,
    now: (): number => this.sched.now(),
    call: (node: HostNode, inc: number, delay: number, what: CallKind, fn: () => void): void => {
      this.sched.after(delay, { k: 'call', id: node.id, inc, what, fn });
    },
    send: (from: HostNode, m: Message, attached?: readonly Entry[]): void => {
      if (attached) {
        this.attached.set(m, attached);
        this.sparseSent += attached.length;
      }
      this.send(from, m);
    },
    peers: (of: HostNode): NodeId[] => this.nodeList.filter((n) => n !== of).map((n) => n.id),
    becameLeader: (node: HostNode): void => {
      if (this.phase === 'safety') this.nemesis.newLeader(node);
    },
    hostFailed: (node: HostNode, e: Error): void => {
      this.checker.fail('host-exception', node.id, `node ${node.id}'s host stopped: ${e.name}: ${e.message}${stackTop(e)}`);
    },
    trace: undefined as ((line: string) => void) | undefined,
  };

  // ---- the world's hooks --------------------------------------------------------

  protected newNode(id: NodeId, bootstrap: readonly NodeId[] | undefined): HostNode {
    this.env.checker = this.checker;
    this.env.machines = this.machines;
    this.env.trace = this.trace;
    return new HostNode(id, bootstrap ? { voters: bootstrap, learners: [] } : undefined, this.params.host, this.env, this.root.fork(`node/${id}`), this.params.disk, this.tickPeriod(id));
  }

  protected boot(node: HostNode): void {
    this.downSince.delete(node.id);
    this.wasQuiet.set(node.id, false);
    node.start();
    const log = node.log!;
    this.trace?.(`n${node.id} starts (incarnation ${node.incarnation}, snapshot ${log.snapshot().meta.index}, checkpoint ${log.checkpoint()?.index ?? 0}, log ${log.firstIndex()}..${log.lastIndex()}, hs ${JSON.stringify(log.initialState().hardState)})`);
  }

  protected crashNode(node: HostNode): string {
    this.downSince.set(node.id, this.sched.now());
    const r = node.crash();
    return ` (${r.kept} unsynced write(s) kept, ${r.lost} lost${r.torn ? ', the next one torn' : ''})`;
  }

  protected deliver(node: HostNode, m: Message): void {
    // Node-level liveness hears every message, as the gRPC transport reports every batch.
    node.ticker!.heard(m.from);
    if (this.params.host.quiesce) this.lastDelivered.set(`${m.from}>${m.to}`, this.sched.now());
    if (m.group === PING_GROUP) return;
    if (m.type === 'snap') node.receiveSnapshot(m, this.attached.get(m) ?? []);
    else node.host!.step(m);
  }

  protected reportSnapshot(node: HostNode, to: NodeId, ok: boolean): void {
    node.host!.reportSnapshot(to, ok);
  }

  protected reportUnreachable(node: HostNode, to: NodeId): void {
    node.host!.reportUnreachable(to);
  }

  protected ownTarget(ev: HostEvent): NodeId {
    return ev.id;
  }

  protected foldOwn(h: number, ev: HostEvent): number {
    return fnv(fnv(h, 1), ev.id * 8 + CALL_CODE[ev.what]);
  }

  protected describeOwn(ev: HostEvent): string {
    return `${ev.what} on n${ev.id}`;
  }

  protected dispatchOwn(ev: HostEvent): void {
    const node = this.nodeMap.get(ev.id)!;
    if (!node.alive || node.incarnation !== ev.inc) return;
    this.touched = node;
    ev.fn();
  }

  protected override settle(): Promise<void> {
    return settle();
  }

  // ---- quiescence -------------------------------------------------------------

  /**
   * After every event: count members going quiet, and fail when a quiet
   * follower's leader's node has been down — and nothing from it delivered,
   * and the follower not paused — for longer than an election timeout plus a
   * couple of ticks: it should have woken and campaigned (ticker.ts). Read
   * from the world (crashes, deliveries), not from the ticker, so a ticker
   * that never wakes it is caught.
   */
  protected override afterEvent(): void {
    if (!this.params.host.quiesce) return;
    const now = this.sched.now();
    // The ticker's silence threshold (ticker.ts silentAfter) and two ticks, at the slowest tick period.
    const limit = (Math.max(this.params.electionTicks, 2 * (this.params.host.heartbeatTicks ?? 1) + 2) + 2) * (TICK + 2);
    for (const n of this.nodeList) {
      const raw = n.host?.node;
      if (!raw) continue;
      const q = raw.quiesced;
      if (q !== this.wasQuiet.get(n.id)) {
        this.wasQuiet.set(n.id, q);
        if (q) this.quiets++;
      }
      if (!q || raw.lead === n.id || raw.lead === 0) continue;
      // A learner never campaigns, so it stays quiet until the next leader's first message wakes it (raft.ts wake).
      if (!raw.status().conf.voters.includes(n.id)) continue;
      const down = this.downSince.get(raw.lead);
      if (down === undefined) continue;
      const since = Math.max(down, this.lastDelivered.get(`${raw.lead}>${n.id}`) ?? 0, n.pausedUntil);
      if (now - since > limit) {
        this.checker.fail('quiet-follower-stuck', n.id, `node ${n.id} is still quiet ${now - since} time units after its leader node ${raw.lead} went down (it should wake within ${limit})`);
        return;
      }
    }
  }

  /**
   * The cluster converged and passed its end checks: with no clients and no
   * faults, an idle group must go quiet on every member within a few election
   * timeouts (so idle groups cost nothing), and stay consistent meanwhile.
   */
  protected override async afterConvergence(): Promise<void> {
    if (!this.params.host.quiesce) return;
    const ticks = Math.max(6 * this.params.electionTicks, 60);
    await this.runIdle(ticks);
    if (this.checker.failed) return;
    const leader = this.leader();
    const conf = leader?.status().conf;
    const members = conf ? [...conf.voters, ...conf.learners] : [];
    const loud = this.nodeList.filter((n) => members.includes(n.id) && n.alive && !n.host!.node.quiesced);
    if (!leader) {
      this.checker.fail('not-quiet', 0, `an idle, healed cluster lost its leader within ${ticks} ticks`);
      return;
    }
    if (loud.length) {
      const desc = loud
        .map((n) => {
          const st = n.host!.node.status();
          return `n${n.id} ${st.role} lead=${st.leader} term=${st.term} commit=${st.commit} applied=${st.applied} last=${st.lastIndex}`;
        })
        .join(', ');
      this.checker.fail('not-quiet', loud[0]!.id, `an idle, healed cluster did not go quiet within ${ticks} ticks: ${desc}`);
    }
  }

  // ---- the run ----------------------------------------------------------------

  async run(): Promise<HostRunResult> {
    const o = await this.runWorld();
    let snapshots = 0;
    let checkpoints = 0;
    let restarts = 0;
    let installs = 0;
    for (const node of this.nodeList) {
      snapshots += node.disk.snapshotsWritten;
      checkpoints += node.disk.checkpointsWritten;
      restarts += node.restoredAtStart;
      installs += node.installed;
    }
    return {
      ...o,
      stats: {
        ...o.stats,
        workload: this.workload.stats,
        claims: this.machines.claimsMade,
        appendsRead: this.machines.appendsRead,
        appendsDropped: this.machines.appendsDropped,
        queueMessagesHeld: this.machines.queueMessagesHeld,
        queueMessagesAcked: this.machines.queueMessagesAcked,
        queue: this.workload.queues.stats,
        snapshots,
        checkpoints,
        restarts,
        installs,
        sparseSent: this.sparseSent,
        sparseKept: this.nodeList.reduce((a, x) => a + (x.log?.sparseIndexes().length ?? 0), 0),
        quiets: this.quiets,
        silenceWakes: this.nodeList.reduce((a, x) => a + (x.ticker?.stats().silenceWakes ?? 0), 0),
      },
    };
  }

  /** After convergence: the committed log is whole, and every member serves and replays what it must. */
  protected async endChecks(leader: HostNode): Promise<void> {
    this.checker.finalCheck(leader.id);
    const conf = leader.host!.status().conf;
    for (const id of [...conf.voters, ...conf.learners]) this.nodeMap.get(id)!.catchUpApplied();
    for (const id of [...conf.voters, ...conf.learners]) {
      const node = this.nodeMap.get(id)!;
      const member = { id, registry: node.registry!, log: node.log!, applied: node.host!.applied };
      this.machines.restoreAndReplay(member);
      await this.machines.readBack(member, this.workload.confirmed);
      this.machines.checkQueues(member, this.workload.queues);
      if (this.checker.failed) return;
    }
    this.machines.replayFromStart();
  }
}
