// One simulated run: a cluster of 3 or 5 nodes (growing and shrinking through
// membership changes), the network, the nemesis and the clients, all on one
// virtual clock and all drawn from one seed. `runSeed` returns what happened:
// the number of events (steps), the violations found, a hash of the event
// trace (same seed => same hash), and statistics.
//
// Every source of randomness is a fork of the seed's root stream: `params`
// (the run's settings), `net`, `nemesis`, `workload`, and per node and
// incarnation `node/<id>` (write delays, torn writes) and `raft/<id>/<inc>`
// (the core's election jitter). Nothing reads Date, Math.random or timers, and
// every collection iterated is an array or an insertion-ordered Map.

import type { Entry, Message, NodeId, ReadState } from '../../raft/core/types.js';
import { Checker } from './checkers.js';
import type { FaultProfile } from './faults.js';
import { CHAOS_FAULTS, DEFAULT_FAULTS } from './faults.js';
import { CALM } from './network.js';
import type { NodeHost, NodeSettings } from './node.js';
import { SimNode } from './node.js';
import { Rng } from './prng.js';
import type { WorkloadProfile, WorkloadStats } from './workload.js';
import { Workload } from './workload.js';
import type { WorldOptions, WorldResult, WorldStats } from './world.js';
import { TICK, World, fnv } from './world.js';

export type ProfileName = 'default' | 'chaos';

export type RunOptions = WorldOptions;

export interface RunStats extends WorldStats {
  workload: WorkloadStats;
}

export type RunResult = WorldResult<RunStats>;

export const DEFAULT_STEPS = 50000;
export { DEFAULT_LIVENESS_TICKS } from './world.js';

/** The core simulation's own events: a node's tick, and its disk finishing a write. */
type CoreEvent = { readonly k: 'tick'; readonly id: NodeId; readonly inc: number } | { readonly k: 'persist'; readonly id: NodeId; readonly inc: number };
const OWN_CODE: Record<CoreEvent['k'], number> = { tick: 1, persist: 3 };

interface Params {
  nodes: number;
  settings: NodeSettings;
  faults: FaultProfile;
  workload: WorkloadProfile;
  tickPeriods: number[];
  /** Upper bound on the ticks a follower needs per entry it is behind, once the network is calm. */
  catchUpTicksPerEntry: number;
  electionTicks: number;
  desc: string;
}

function chooseParams(root: Rng, opts: RunOptions): Params {
  const r = root.fork('params');
  const chaos = opts.profile === 'chaos';
  const nodes = opts.nodes ?? (r.chance(0.5) ? 3 : 5);
  const [preVote, checkQuorum] = r.weighted<[boolean, boolean]>([
    [6, [true, true]],
    [2, [true, false]],
    [2, [false, true]],
  ]);
  const heartbeatTicks = r.pick([1, 2, 3]);
  const maxSizePerMsg = chaos ? r.pick([1, 64]) : r.pick([1, 200, 1 << 20]);
  const maxInflightMsgs = r.pick([1, 4, 64]);
  // Back pressure: a leader refuses proposals beyond this many uncommitted bytes.
  const maxUncommittedSize = r.pick([2048, 16384, 256 << 20]);
  const every = r.pick([0, 4, 16, 64]);
  const keep = r.range(0, 8);
  const persistMax = chaos ? r.pick([10, 40, 80]) : r.pick([2, 8, 30]);
  const electionTicks = r.pick([6, 10, 10, 20]);
  const settings: NodeSettings = {
    raft: {
      electionTicks,
      heartbeatTicks,
      preVote,
      checkQuorum,
      maxSizePerMsg,
      maxInflightMsgs,
      maxUncommittedSize,
      readOnly: 'safe',
      ...(opts.unsafe ? { unsafe: opts.unsafe } : {}),
    },
    snapshot: { every, keep },
    persistDelay: [1, persistMax],
    tornWriteRate: 0.3,
    stallRate: 0.01,
    stallMax: 400,
  };
  const workload: WorkloadProfile = chaos
    ? {
        meanInterval: r.pick([5, 10]),
        propose: 30,
        proposeBatch: 10,
        proposeAnywhere: 2,
        read: 8,
        confChange: 2,
        transfer: 6,
        campaign: 6,
        maxPadding: r.pick([0, 100]),
      }
    : {
        meanInterval: r.pick([6, 15, 40]),
        propose: 40,
        proposeBatch: 10,
        proposeAnywhere: 4,
        read: 15,
        confChange: 4,
        transfer: 3,
        campaign: 2,
        maxPadding: r.pick([0, 40, 300]),
      };
  // Clocks: every node ticks every TICK units, or (some runs) each at its own slightly different rate.
  const skew = r.chance(0.3);
  const tickPeriods: number[] = [];
  for (let i = 0; i < 16; i++) tickPeriods.push(skew ? r.range(TICK - 1, TICK + 1) : TICK);
  // Catching up after the faults: at worst one message per round trip (probe
  // mode), each carrying at least one entry.
  const rttTicks = Math.ceil((2 * CALM.maxDelay + persistMax + 2) / TICK);
  const entriesPerMsg = Math.max(1, Math.floor(maxSizePerMsg / (13 + workload.maxPadding + 24)));
  const desc =
    `nodes=${nodes} preVote=${preVote} checkQuorum=${checkQuorum} election=${electionTicks} hb=${heartbeatTicks} maxMsg=${maxSizePerMsg} ` +
    `inflight=${maxInflightMsgs} uncommitted<=${maxUncommittedSize} snapEvery=${every} keep=${keep} persist<=${persistMax} ` +
    `client=${workload.meanInterval} pad=${workload.maxPadding} skew=${skew}` +
    (opts.profile && opts.profile !== 'default' ? ` profile=${opts.profile}` : '') +
    (opts.unsafe ? ` unsafe=${JSON.stringify(opts.unsafe)}` : '');
  return {
    nodes,
    settings,
    faults: chaos ? CHAOS_FAULTS : DEFAULT_FAULTS,
    workload,
    tickPeriods,
    catchUpTicksPerEntry: rttTicks / entriesPerMsg,
    electionTicks,
    desc,
  };
}

export function runSeed(opts: RunOptions): Promise<RunResult> {
  return new Simulation(opts).run();
}

class Simulation extends World<SimNode, CoreEvent> implements NodeHost {
  protected readonly workload: Workload;
  private readonly params: Params;

  constructor(opts: RunOptions) {
    const root = Rng.seeded(opts.seed);
    const params = chooseParams(root, opts);
    super(opts, root, params, new Checker(opts.seed, { promises: opts.checkPromises ?? true }), DEFAULT_STEPS);
    this.params = params;
    const n = params.nodes;
    const sim = this;
    this.workload = new Workload(root.fork('workload'), params.workload, {
      checker: this.checker,
      nodes: () => sim.nodeList,
      node: (id) => sim.nodeMap.get(id),
      leader: () => sim.leader(),
      addFreshNode: () => sim.addFreshNode(),
      maxMembers: n + 1,
      minVoters: n === 3 ? 2 : 3,
      now: () => sim.sched.now(),
      trace: this.trace,
    });
  }

  async run(): Promise<RunResult> {
    const r = await this.runWorld();
    return { ...r, stats: { ...r.stats, workload: this.workload.stats } };
  }

  // ---- NodeHost ---------------------------------------------------------------

  override send(from: SimNode, m: Message): void {
    super.send(from, m);
  }

  persistLater(node: SimNode, inc: number, delay: number): void {
    this.sched.after(delay, { k: 'persist', id: node.id, inc });
  }

  applied(node: SimNode, e: Entry): void {
    this.workload.applied(node, e);
  }

  becameLeader(node: SimNode): void {
    if (this.phase === 'safety') this.nemesis.newLeader(node);
  }

  installed(node: SimNode): void {
    this.workload.forget(node, node.app.applied);
  }

  readAnswered(node: SimNode, rs: ReadState): void {
    this.workload.readAnswered(node, rs);
  }

  // ---- the world's hooks --------------------------------------------------------

  protected newNode(id: NodeId, bootstrap: readonly NodeId[] | undefined): SimNode {
    return new SimNode(id, bootstrap ? { voters: bootstrap, learners: [] } : undefined, this.params.settings, this, this.root.fork(`node/${id}`));
  }

  protected boot(node: SimNode): void {
    node.start();
    this.sched.after(1 + this.netRng.nextInt(this.tickPeriod(node.id)), { k: 'tick', id: node.id, inc: node.incarnation });
    this.trace?.(`n${node.id} starts (incarnation ${node.incarnation}, snapshot ${node.disk.snapshot().meta.index}, log ${node.disk.firstIndex()}..${node.disk.lastIndex()}, hs ${JSON.stringify(node.disk.hardState())})`);
  }

  protected crashNode(node: SimNode): string {
    return node.crash();
  }

  protected deliver(node: SimNode, m: Message): void {
    node.step(m);
  }

  protected reportSnapshot(node: SimNode, to: NodeId, ok: boolean): void {
    node.raw!.reportSnapshot(to, ok);
    node.drive();
  }

  protected reportUnreachable(node: SimNode, to: NodeId): void {
    node.raw!.reportUnreachable(to);
    node.drive();
  }

  protected ownTarget(ev: CoreEvent): NodeId {
    return ev.id;
  }

  protected foldOwn(h: number, ev: CoreEvent): number {
    return fnv(fnv(h, OWN_CODE[ev.k]), ev.id);
  }

  protected describeOwn(ev: CoreEvent): string {
    return `${ev.k} n${ev.id}`;
  }

  protected dispatchOwn(ev: CoreEvent): void {
    const node = this.nodeMap.get(ev.id)!;
    if (ev.k === 'tick') {
      if (!node.alive || node.incarnation !== ev.inc) return;
      this.touched = node;
      node.tick();
      this.sched.after(this.tickPeriod(node.id), ev);
    } else {
      if (!node.alive) return;
      this.touched = node;
      node.persisted(ev.inc);
    }
  }

  protected endChecks(leader: SimNode): void {
    this.checker.finalCheck(leader.id);
  }
}
