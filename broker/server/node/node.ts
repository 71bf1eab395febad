// One quorumq node: the durable log, the Raft group (replica host), the peer
// transport and server, the client front door, and the metrics endpoint,
// started in an order that lets a bad configuration fail before anything is
// half-running, and stopped gracefully (leadership handed over first).

import { randomInt } from 'node:crypto';
import type { Server as HttpServer } from 'node:http';
import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { ConfChangeType } from '../../../raft/core/types.js';
import type { ConfState, Entry, NodeId } from '../../../raft/core/types.js';
import { ReplicaHost } from '../../../raft/host/replica-host.js';
import { snapshotEntries } from '../../../raft/host/snapshotter.js';
import { systemClock } from '../../../raft/host/env.js';
import { Ticker } from '../../../raft/host/ticker.js';
import { bindServer, http2ServersOf, shutdownServer } from '../../../raft/transport/grpc-server.js';
import { limitConnectionsPerAddress } from '../rpc/connection-limits.js';
import { PEER_SERVER_OPTIONS, PeerTransport, raftServiceDefinition } from '../../../raft/transport/peer-transport.js';
import { peerServerCredentials } from '../../../raft/transport/peer-tls.js';
import type { Server as TlsServer } from 'node:tls';
import { ReloadableCertificates, loadTls } from './tls.js';
import { countGrpcHandshakeFailures, countHandshakeFailures, watchTlsFiles } from './tls-watch.js';
import type { GroupLog, Wal } from '../../../raft/host/wal.js';
import { openNodeLog } from './log-open.js';
import type { LevelWal } from '../../../log/level-wal.js';
import { addLazyReflection, libraryReflection } from './reflection.js';
import { CLIENT_PORT_SERVICES, clientPortDefinition, healthV1, quorumqV1 } from '../../../proto/load.js';
import { ClusterMachine } from '../../machine/cluster/machine.js';
import { commandFor } from '../../machine/envelope.js';
import { UsersMachine } from '../../machine/users/machine.js';
import { BOOTSTRAP_ADMIN, adminToken } from '../auth/admin-token.js';
import type { AuthSource } from '../auth/interceptor.js';
import { authInterceptor } from '../auth/interceptor.js';
import { hashToken } from '../auth/tokens.js';
import { createMachines } from '../../machine/machines.js';
import type { EntryResult, MachineRegistry } from '../../machine/registry.js';
import { withCoalescedWrites } from '../rpc/coalesced-writes.js';
import { SERVER_MALLOC_TUNABLES, missingMallocSettings, runsOnGlibc } from './malloc-env.js';
import { withStaticCodecs } from '../rpc/wire.js';
import { readBarrier } from '../rpc/unary.js';
import { brokerServices, peerServices } from '../services.js';
import { WritePath } from '../writes/write-path.js';
import { ApplySignal } from './apply-signal.js';
import type { ServerConfig } from './config.js';
import type { NodeContext } from './context.js';
import { GROUP, groupContext, peerAddressOf } from './context.js';
import { Groups } from './groups.js';
import { PlacementMachine } from '../../machine/placement/machine.js';
import type { PlacedGroup } from '../../machine/placement/machine.js';
import { nodeStatusHandler } from './cluster-status.js';
import { forwardHandler } from './forward-handler.js';
import { healthHandlers } from './health.js';
import { ClusterClock } from './cluster-clock.js';
import { LeaderClock } from './leader-clock.js';
import { updateAddressBook } from './membership.js';
import { Metrics } from './metrics.js';
import { PROMOTE_LAG, PlacementReconciler, confView } from './placement-reconciler.js';
import { nextConfStep } from '../../machine/placement/plan.js';

export class StartupError extends Error {
  override readonly name = 'StartupError';
}

/** A data group's leader hands leadership to its preferred leader at most this often. */
const TRANSFER_EVERY_MS = 5000;

export class QuorumqNode {
  private wal: Wal | undefined;
  private transport: PeerTransport | undefined;
  private certs: ReloadableCertificates | undefined;
  private host: ReplicaHost<EntryResult> | undefined;
  private peerServer: grpc.Server | undefined;
  private clientServer: grpc.Server | undefined;
  private httpServer: HttpServer | undefined;
  private ctx: NodeContext | undefined;
  private housekeeping: NodeJS.Timeout | undefined;
  private housekeepingBusy = false;
  private clock: LeaderClock | undefined;
  private knownConf: ConfState = { voters: [], learners: [] };
  private stopping: Promise<void> | undefined;
  private auth: AuthSource | undefined;
  /** The hash of --admin-token-file's token, installed by the first leader (housekeeping). */
  private adminTokenHash: string | undefined;
  private readonly stopHooks: Array<() => void> = [];
  /** Every group this node hosts; group 0 first, data groups as their placements apply. */
  private readonly groups = new Groups();
  /** Data groups are created one at a time, in placement order. */
  private reconciling: Promise<void> = Promise.resolve();
  /** The options every group's host shares (set once group 0's exist). */
  private groupHostOptions: ((group: number) => Omit<ConstructorParameters<typeof ReplicaHost<EntryResult>>[0], 'log' | 'machine' | 'events' | 'group'>) | undefined;
  /** Per data group: its leader clock, and when this node last handed its leadership to the preferred leader. */
  private readonly dataGroups = new Map<number, { clock: LeaderClock; placed: PlacedGroup; lastTransfer: number }>();
  /** Data groups' members and leaders towards the placement (placement-reconciler.ts). */
  private reconciler: PlacementReconciler | undefined;

  constructor(
    readonly config: ServerConfig,
    private readonly logger: Logger,
    /** Called when the node cannot go on (the log failed); the process should exit non-zero. */
    private readonly onFatal: (err: Error) => void,
    /** The log being opened already (log-open.ts openNodeLogEarly); opened at start when absent. */
    private readonly opening?: Promise<LevelWal>,
  ) {}

  get term(): number {
    return this.host?.status().term ?? 0;
  }

  /** The current term of a group this node hosts (0 when it hosts none of that id). */
  termOf(group: number): number {
    return group === GROUP ? this.term : (this.groups.get(group)?.host.status().term ?? 0);
  }

  async start(): Promise<void> {
    const cfg = this.config;
    const log = this.logger;

    // 0. TLS files, checked before anything listens: a wrong file is one line naming it.
    if (cfg.tls) {
      try {
        this.certs = new ReloadableCertificates(loadTls(cfg.tls.files, cfg.id));
      } catch (e) {
        throw new StartupError((e as Error).message);
      }
    }
    const certs = this.certs;
    if (cfg.auth.adminTokenFile) {
      try {
        this.adminTokenHash = hashToken(adminToken(cfg.auth.adminTokenFile));
      } catch (e) {
        throw new StartupError((e as Error).message);
      }
    }
    if (cfg.auth.on && cfg.tls?.mode !== 'all') log.warn('--auth on without --tls all: tokens cross the network in plaintext');

    // 1. Ports first: "address in use" should fail before the data directory is touched.
    this.peerServer = new grpc.Server(PEER_SERVER_OPTIONS);
    // Room for a full 8 MiB append batch plus framing, so an oversized one gets INVALID_ARGUMENT naming the limit.
    // Every Broker call passes the auth interceptor first (auth/interceptor.ts); with --auth off it lets all through.
    // Hostile-input limits: message size, calls per connection (HTTP/2 streams), metadata size (in the interceptor).
    this.clientServer = new grpc.Server({
      'grpc.max_receive_message_length': 16 << 20,
      'grpc.max_concurrent_streams': cfg.maxStreamsPerConnection,
      interceptors: [authInterceptor(() => this.authSource())],
    });
    await bindServer(this.peerServer, cfg.peerAddress, certs ? peerServerCredentials(certs) : undefined);
    // The client port under --tls all: server authentication only (clients need the CA, not a certificate).
    const clientTls = certs && cfg.tls?.mode === 'all';
    await bindServer(this.clientServer, cfg.clientAddress, clientTls ? grpc.experimental.createCertificateProviderServerCredentials(certs, certs, false) : undefined);

    // 2. The log (log-open.ts: what opening checks and repairs); refuses another
    // cluster's or node's data. The entry point may have started opening it
    // already, while modules loaded; its errors surface here, after the ports'.
    const wal = await (this.opening ?? openNodeLog(cfg, log));
    this.wal = wal;
    const groupLog = await wal.group(GROUP);
    await this.bootstrap(groupLog);

    // 3. Transport, state machine, Raft.
    const transport = new PeerTransport({
      nodeId: cfg.id,
      clusterId: cfg.clusterId,
      selfAddress: cfg.peerAddress,
      logger: log,
      admits: (id) => this.admitsPeer(id),
      ...(certs ? { tls: certs } : {}),
    });
    this.transport = transport;
    // One tick timer for every group this node hosts, with node-level liveness for the quiet ones (ticker.ts).
    const ticker = new Ticker({ clock: systemClock, tickMs: cfg.tickMs, silentTicks: cfg.electionTicks, pingTicks: cfg.heartbeatTicks, ping: () => transport.ping() });
    const machines = createMachines();
    const applied = new ApplySignal();
    machines.attach(machines.get(ClusterMachine).id, () => this.syncPeers());
    machines.whenRestored(() => {
      this.syncPeers();
      applied.fire();
    });
    // Metrics read through `this` so they work before the host exists.
    const metrics = new Metrics(
      {
        status: () => this.host!.status(),
        transportStats: () => transport.stats,
        serving: () => this.ctx?.serving === true,
        logRepair: () => ({ discarded: groupLog.repaired?.discarded ?? 0, salvaged: wal.storageRepairs }),
        ticker: () => ticker.stats(),
      },
      cfg.id,
    );
    // Leader-stamped time (cluster-clock.ts): linked to entries applied from the term of the leader known last.
    const clock = new ClusterClock();
    // The machines as the host sees them; their live indexes are the entries
    // compaction keeps below a snapshot (message bodies live in the log).
    const hostOptions = {
      id: cfg.id,
      group: GROUP,
      log: groupLog,
      transport,
      machine: registryAsMachine(machines, (e, before) => {
        // A newer time from an entry of the term whose leader this node follows: the cluster clock's link (cluster-clock.ts).
        if (machines.now > before) clock.applied(machines.now, e.term);
      }),
      random: { nextInt: (n: number) => randomInt(n) },
      logger: log,
      tickMs: cfg.tickMs,
      electionTicks: cfg.electionTicks,
      heartbeatTicks: cfg.heartbeatTicks,
      ticker,
      // Group 0 never quiesces: one group's heartbeats cost nothing, and what
      // reads its peers' activity (membership changes, node status) stays as it was.
      quiesce: false,
      snapshotEvery: cfg.snapshotEvery,
      // Keep a tail below each snapshot so a briefly lagging follower catches up from the log.
      compactKeep: Math.min(5000, Math.floor(cfg.snapshotEvery / 2)),
      events: {
        leaderChanged: (leader: NodeId, term: number, role: string) => {
          if (leader !== 0) clock.leaderKnown(term);
          metrics.leaderChanges.inc();
          machines.roleChanged(role === 'leader' ? 'leader' : 'follower');
          this.ctx?.writes.leaderChanged(leader);
        },
        confChanged: () => this.syncPeers(),
        persisted: (s: number, synced: boolean) => {
          metrics.persistSeconds.observe(s);
          if (synced) metrics.fsyncSeconds.observe(s);
        },
        applied: (n: number) => {
          metrics.appliedEntries.inc(n);
          applied.fire();
        },
        fatal: (e: Error) => this.onFatal(e),
      },
    };
    const host = new ReplicaHost<EntryResult>(hostOptions);
    this.host = host;
    // Messages of a group this node does not host (yet: its placement is still
    // being applied here) are dropped; Raft sends them again.
    const groups = this.groups;
    transport.listen({
      message: (m) => groups.get(m.group)?.host.step(m),
      unreachable: (p) => {
        for (const g of groups.all()) g.host.reportUnreachable(p);
      },
      snapshotDone: (g, p, ok) => groups.get(g)?.host.reportSnapshot(p, ok),
      // A snapshot travels with the entries kept below it, so message bodies stay readable on the receiver.
      snapshotEntries: (g, index, chunkBytes) => {
        const gc = groups.get(g);
        return gc ? snapshotEntries(gc.log, index, chunkBytes) : noEntries();
      },
      storeSnapshotEntries: (g, entries) => groups.get(g)?.log.storeSparse(entries) ?? Promise.resolve(),
      heard: (p) => ticker.heard(p),
    });
    const ctx: Omit<NodeContext, 'writes'> & { writes?: NodeContext['writes'] } = {
      id: cfg.id,
      group: GROUP,
      groups,
      config: cfg,
      host,
      machines,
      clock,
      log: groupLog,
      applied,
      transport,
      metrics,
      logger: log,
      serving: false,
      onStop: (fn) => this.stopHooks.push(fn),
    };
    ctx.writes = new WritePath(ctx as NodeContext);
    this.ctx = ctx as NodeContext;
    groups.add(this.ctx);
    this.clock = new LeaderClock(this.ctx);
    const placement = machines.get(PlacementMachine);
    this.reconciler = new PlacementReconciler(this.ctx, (pg, voters) => placement.replicasOf(pg.group, voters));
    this.syncPeers();
    // Data groups: every placement applied in group 0 (replay included) starts the groups this node is a member of.
    const { log: _l, machine: _m, events: _e, group: _g, ...shared } = hostOptions;
    this.groupHostOptions = (group) => ({ ...shared, quiesce: true, logger: log.child({ group }) });
    machines.attach(machines.get(PlacementMachine).id, () => this.reconcileGroups());
    machines.whenRestored(() => this.reconcileGroups());
    this.reconcileGroups();

    // 4. Services, then time starts.
    const v1 = quorumqV1();
    // Send's batches are decoded straight into core messages (raft/transport/batch-codec.ts).
    // Every call that streams responses sends those ready in one turn in one write (rpc/coalesced-writes.ts).
    const raftService = raftServiceDefinition();
    this.peerServer.addService(
      raftService,
      withCoalescedWrites(raftService, {
        ...transport.handlers(),
        Forward: forwardHandler(this.ctx),
        NodeStatus: nodeStatusHandler(this.ctx),
        // A member's side of the calls other nodes relay to the groups it hosts.
        ...peerServices(this.ctx),
      }),
    );
    // The hot calls decode requests and encode responses with hand-written codecs (rpc/wire.ts).
    const brokerService = withStaticCodecs(v1.Broker.service);
    this.clientServer.addService(brokerService, withCoalescedWrites(brokerService, brokerServices(this.ctx)));
    this.clientServer.addService((healthV1().Health as grpc.ServiceClientConstructor).service, healthHandlers(this.ctx));
    // Server reflection (v1 and v1alpha): grpcurl, grpc_health_probe and other tools work without the .proto.
    // Indexed on the first reflection call, not at start (reflection.ts says why).
    addLazyReflection(this.clientServer, clientPortDefinition, (def, recorder) => libraryReflection(def, CLIENT_PORT_SERVICES, recorder));
    if (cfg.metricsAddress) {
      const https = clientTls ? certs.material : undefined;
      const server = await metrics.listen(cfg.metricsAddress, https);
      this.httpServer = server;
      if (https && certs) {
        certs.onChange((m) => (server as unknown as TlsServer).setSecureContext({ key: m.key, cert: m.cert }));
        countHandshakeFailures(server, () => metrics.tlsHandshakeFailures.inc({ port: 'metrics' }));
      }
    }
    const clientHttp2 = http2ServersOf(this.clientServer);
    if (clientHttp2) limitConnectionsPerAddress(clientHttp2, cfg.maxConnectionsPerAddress, () => metrics.connectionsRefused.inc());
    else log.warn('cannot limit connections per client address (grpc-js internals changed)');
    if (clientTls && !countGrpcHandshakeFailures(this.clientServer, () => metrics.tlsHandshakeFailures.inc({ port: 'client' }))) {
      log.warn('cannot count TLS handshake failures on the client port (grpc-js internals changed)');
    }
    if (cfg.tls) this.stopHooks.push(watchTlsFiles(cfg.tls.files, () => this.reloadTlsOnChange(), log));
    host.start();
    // Peers that failed to reach this node while it was down dial it again now, not after their backoff.
    transport.announce();
    this.ctx.serving = true;
    this.housekeeping = setInterval(() => void this.housekeep(), 100);
    const missing = missingMallocSettings();
    log.info(
      {
        client: cfg.clientAddress,
        peer: cfg.peerAddress,
        metrics: cfg.metricsAddress,
        tls: cfg.tls?.mode ?? 'off',
        conf: host.status().conf,
        tickMs: cfg.tickMs,
        electionTicks: cfg.electionTicks,
        // How long the start took since the process began, and its CPU: a restart's cost at a glance.
        startMs: Math.round(performance.now()),
        startCpuMs: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1000),
        // The C allocator settings the launcher should have set (malloc-env.ts): 'default' costs CPU under load.
        malloc: missing.length ? 'default' : 'tuned',
      },
      'node ready',
    );
    // Only where they mean something (glibc), and after the ready line: finding out takes a few ms.
    if (missing.length)
      setImmediate(() => {
        if (runsOnGlibc()) log.warn({ missing, set: `GLIBC_TUNABLES=${SERVER_MALLOC_TUNABLES}` }, 'started without the recommended allocator settings: large buffers are mapped and unmapped per use (5-10% more CPU per message under load); deploy/ sets them');
      });
    // prom-client loads a second from now (or at the first scrape): not on the way to serving (metrics.ts).
    metrics.loadLater();
  }

  /**
   * Start every placed group this node is a member of and does not host yet,
   * all at once (their logs open concurrently and a fresh group's first
   * write shares the synced write of the others); one reconcile at a time.
   */
  private reconcileGroups(): void {
    this.reconciling = this.reconciling.then(async () => {
      const ctx = this.ctx;
      if (!ctx || this.stopping) return;
      const missing = ctx.machines
        .get(PlacementMachine)
        .all()
        .filter((pg) => !this.groups.has(pg.group) && pg.members.includes(ctx.id));
      await Promise.all(
        missing.map((pg) =>
          this.startGroup(pg).catch((e: unknown) => {
            if (!this.stopping) this.onFatal(new Error(`cannot start group ${pg.group}: ${(e as Error).message}`));
          }),
        ),
      );
    });
  }

  /**
   * Open a data group's log and start its member. A fresh log starts with the
   * placement's members as voters, on every member alike (as the initial
   * cluster does); the preferred leader campaigns at once, so leaders spread
   * over the nodes from the first election.
   */
  private async startGroup(pg: PlacedGroup): Promise<void> {
    const node = this.ctx!;
    const wal = this.wal!;
    const groupLog = await wal.group(pg.group);
    const st = groupLog.initialState();
    const fresh = st.hardState.term === 0 && groupLog.lastIndex() === 0 && st.confState.voters.length === 0 && st.confState.learners.length === 0;
    // Only a member the group was placed with starts with its membership; one that joined later starts empty and is brought in by the group's leader.
    const founders = node.machines.get(PlacementMachine).foundersOf(pg.group) ?? pg.members;
    const founder = founders.includes(node.id);
    if (fresh && founder) await groupLog.setConfState({ voters: [...founders], learners: [] });
    if (this.stopping) return;
    const machines = createMachines();
    const applied = new ApplySignal();
    machines.whenRestored(() => applied.fire());
    // Each group's time is its own (cluster-clock.ts), linked to the entries of its own leader's term.
    const clock = new ClusterClock();
    let gctx: NodeContext | undefined;
    const host = new ReplicaHost<EntryResult>({
      ...this.groupHostOptions!(pg.group),
      group: pg.group,
      log: groupLog,
      machine: registryAsMachine(machines, (e, before) => {
        if (machines.now > before) clock.applied(machines.now, e.term);
      }),
      events: {
        leaderChanged: (leader: NodeId, term: number, role: string) => {
          if (leader !== 0) clock.leaderKnown(term);
          node.metrics.leaderChanges.inc();
          machines.roleChanged(role === 'leader' ? 'leader' : 'follower');
          gctx?.writes.leaderChanged(leader);
        },
        persisted: (s: number, synced: boolean) => {
          node.metrics.persistSeconds.observe(s);
          if (synced) node.metrics.fsyncSeconds.observe(s);
        },
        applied: (n: number) => {
          node.metrics.appliedEntries.inc(n);
          applied.fire();
        },
        fatal: (e: Error) => this.onFatal(e),
      },
    });
    gctx = groupContext(node, { group: pg.group, host, machines, log: groupLog, applied, clock }, (c) => new WritePath(c));
    this.dataGroups.set(pg.group, { clock: new LeaderClock(gctx), placed: pg, lastTransfer: Date.now() });
    this.groups.add(gctx);
    host.start();
    if (fresh && founder && pg.preferredLeader === node.id) host.campaign();
    this.logger.info({ group: pg.group, kind: pg.kind, name: pg.name, partition: pg.partition, members: pg.members, preferredLeader: pg.preferredLeader, fresh }, 'hosting a data group');
  }

  /**
   * A data group led by another node than its preferred leader hands its
   * leadership back once the preferred leader is connected and has every
   * entry (after it restarted, say), at most every TRANSFER_EVERY_MS per group:
   * leaders stay spread over the nodes.
   */
  private balanceLeaders(now: number): void {
    const placement = this.ctx?.machines.get(PlacementMachine);
    for (const [group, d] of this.dataGroups) {
      const g = this.groups.get(group);
      // The preferred leader as placed now: the placement reconciler moves it.
      const preferred = placement?.group(group)?.preferredLeader ?? d.placed.preferredLeader;
      if (!g || !g.host.isLeader || preferred === this.config.id || now - d.lastTransfer < TRANSFER_EVERY_MS) continue;
      const s = g.host.status();
      const p = s.peers.find((x) => x.id === preferred);
      if (!p || !p.active || p.learner || p.match < s.lastIndex || s.applied < s.commit) continue;
      d.lastTransfer = now;
      this.logger.info({ group, target: p.id }, 'handing a data group\'s leadership to its preferred leader');
      try {
        g.host.transferLeader(p.id);
      } catch (e) {
        this.logger.debug({ group, err: (e as Error).message }, 'leadership transfer refused');
      }
    }
  }

  /**
   * Read the TLS files again (SIGHUP) and, if they pass the start-up checks,
   * use them for every new connection on every port. Throws TlsFileError
   * (the old files stay in use) when they do not.
   */
  reloadTls(): { notAfter: Date } | undefined {
    const tls = this.config.tls;
    if (!tls || !this.certs) return undefined;
    const m = loadTls(tls.files, this.config.id);
    this.certs.update(m);
    this.logger.info({ cert: tls.files.cert, notAfter: m.notAfter.toISOString() }, 'reloaded the TLS certificates');
    return { notAfter: m.notAfter };
  }

  /** What the auth interceptor checks against (no users with --auth off); undefined before the node has state. */
  private authSource(): AuthSource | undefined {
    const ctx = this.ctx;
    if (!ctx) return undefined;
    // Calls with credentials unknown here share one read barrier at a time: a flood of bad tokens costs the leader one ReadIndex round per round trip, not one per call.
    let catchingUp: Promise<void> | undefined;
    this.auth ??= {
      users: this.config.auth.on ? ctx.machines.get(UsersMachine) : undefined,
      nodeId: ctx.id,
      refused: (reason) => ctx.metrics.authRefused.inc({ reason }),
      catchUp: () => (catchingUp ??= readBarrier(ctx, Date.now() + 1000).finally(() => (catchingUp = undefined))),
    };
    return this.auth;
  }

  /** A TLS file changed on disk: reload if the files now differ from those in use, and say so either way. */
  private reloadTlsOnChange(): void {
    const tls = this.config.tls;
    if (!tls || !this.certs) return;
    try {
      const m = loadTls(tls.files, this.config.id);
      const now = this.certs.material;
      if (m.ca.equals(now.ca) && m.cert.equals(now.cert) && m.key.equals(now.key)) return;
      this.certs.update(m);
      this.logger.info({ cert: tls.files.cert, notAfter: m.notAfter.toISOString() }, 'TLS files changed: reloaded the certificates');
    } catch (e) {
      // Often a renewal half-written (the cert before its key): the next change event tries again.
      this.logger.warn({ err: (e as Error).message.split('\n')[0] }, 'TLS files changed but cannot be used (yet); keeping the certificates in use');
    }
  }

  /** A brand-new log of an initial member starts with the configured membership; a joining node starts with none. */
  private async bootstrap(groupLog: GroupLog): Promise<void> {
    const st = groupLog.initialState();
    const fresh = st.hardState.term === 0 && groupLog.lastIndex() === 0 && st.confState.voters.length === 0 && st.confState.learners.length === 0;
    if (!fresh) {
      this.logger.info({ conf: st.confState, lastIndex: groupLog.lastIndex(), term: st.hardState.term }, 'restarting from existing data');
      return;
    }
    if (this.config.join) {
      this.logger.info('empty data directory and --join: waiting to be added to the cluster');
      return;
    }
    const voters = [...this.config.members.keys()].sort((a, b) => a - b);
    await groupLog.setConfState({ voters, learners: [] });
    this.logger.info({ voters }, 'bootstrapped a new log with the initial members');
  }

  /**
   * Who may send Raft traffic, forward writes or ask for status: a current
   * member (voter or learner) or a node being added (its address book entry
   * is committed before it becomes a learner). A node that is not a member
   * itself, by what it has applied, admits any peer of its cluster (under
   * TLS, only holders of a certificate from the cluster's CA get this far):
   * one started with --join knows no members yet, and while it catches up
   * from the start of the log it passes through memberships and address
   * books that predate the leader feeding it (a node added after it was, say)
   * until it applies its own addition — refusing that leader left it waiting
   * for ever (the chaos membership nemesis, replacing a node while another
   * replacement led).
   */
  private admitsPeer(id: NodeId): boolean {
    const ctx = this.ctx;
    if (!ctx) return false;
    const conf = ctx.host.status().conf;
    if (conf.voters.includes(id) || conf.learners.includes(id)) return true;
    const book = ctx.machines.get(ClusterMachine);
    if (book.get(id)) return true;
    return !conf.voters.includes(ctx.id) && !conf.learners.includes(ctx.id);
  }

  /** Point the transport at every member, and forget members that left. */
  private syncPeers(): void {
    const ctx = this.ctx;
    if (!ctx) return;
    const conf = ctx.host.status().conf;
    const ids = new Set<NodeId>([...conf.voters, ...conf.learners, ...this.config.members.keys()]);
    const book = ctx.machines.get(ClusterMachine);
    for (const m of book.all()) ids.add(m.id);
    for (const id of ids) {
      if (id === ctx.id) continue;
      const addr = peerAddressOf(ctx, id);
      if (addr) ctx.transport.setPeer(id, addr);
    }
    const was = new Set([...this.knownConf.voters, ...this.knownConf.learners]);
    for (const id of was) {
      if (!conf.voters.includes(id) && !conf.learners.includes(id) && id !== ctx.id && !book.get(id)) ctx.transport.removePeer(id);
    }
    this.knownConf = conf;
  }

  /**
   * Every 100 ms: register this node's addresses in the replicated address
   * book if they are missing or changed, and (on the leader) promote learners
   * that have caught up.
   */
  private async housekeep(): Promise<void> {
    const ctx = this.ctx;
    if (!ctx || !ctx.serving) return;
    this.clock?.maybeTick();
    for (const d of this.dataGroups.values()) d.clock.maybeTick();
    this.balanceLeaders(Date.now());
    this.reconciler?.tick(Date.now());
    if (this.housekeepingBusy) return;
    this.housekeepingBusy = true;
    try {
      const s = ctx.host.status();
      const member = s.conf.voters.includes(ctx.id) || s.conf.learners.includes(ctx.id);
      const mine = ctx.machines.get(ClusterMachine).get(ctx.id);
      if (member && s.leader && s.applied >= s.commit && (!mine || mine.peerAddress !== this.config.peerAddress || mine.clientAddress !== this.config.clientAddress)) {
        await updateAddressBook(ctx, { op: 'set-member', id: ctx.id, peerAddress: this.config.peerAddress, clientAddress: this.config.clientAddress }, Date.now() + 2000);
        this.logger.info('registered this node\'s addresses in the cluster\'s address book');
      }
      if (s.role === 'leader' && this.adminTokenHash && !ctx.machines.get(UsersMachine).wasBootstrapped && s.applied >= s.commit) {
        const users = ctx.machines.get(UsersMachine);
        const out = await ctx.writes.submit(commandFor(users, { op: 'bootstrap', name: BOOTSTRAP_ADMIN, tokenHash: this.adminTokenHash }), Date.now() + 2000);
        if (out.reply.ok) this.logger.info({ user: BOOTSTRAP_ADMIN }, 'installed the administrator of --admin-token-file');
        else this.logger.warn({ err: out.reply.message }, 'the administrator of --admin-token-file was not installed');
      }
      // Group 0's members are whoever was added (membership.ts): only promotions are left to do here.
      const step = s.role === 'leader' ? nextConfStep(confView(ctx.id, s), [...s.conf.voters, ...s.conf.learners], PROMOTE_LAG) : undefined;
      if (step?.kind === 'promote') {
        this.logger.info({ peer: step.node, lastIndex: s.lastIndex }, 'learner caught up; promoting to voter');
        await ctx.host.proposeConfChange({ type: ConfChangeType.AddVoter, node: step.node });
      }
    } catch (e) {
      this.logger.debug({ err: (e as Error).message }, 'housekeeping step failed; retrying');
    } finally {
      this.housekeepingBusy = false;
    }
  }

  /**
   * Graceful stop: a leader hands leadership to the most caught-up voter
   * first (so the cluster does not wait out an election timeout), then the
   * node stops taking calls, lets in-flight ones finish, flushes the Ready in
   * flight and closes the log.
   */
  stop(): Promise<void> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  /** Data groups this node leads go to their most caught-up active voter, all at once, within an election timeout. */
  private async handOverDataGroups(): Promise<void> {
    const led = this.groups.all().filter((g) => g.group !== GROUP && g.host.isLeader);
    if (!led.length) return;
    const until = Date.now() + 2 * led[0]!.host.tickMs * led[0]!.host.electionTicks;
    for (const g of led) {
      const s = g.host.status();
      const target = s.peers.filter((p) => p.id !== s.id && !p.learner && p.active).sort((a, b) => b.match - a.match)[0];
      try {
        if (target) g.host.transferLeader(target.id);
      } catch {
        // The group elects a leader after its election timeout instead.
      }
    }
    while (led.some((g) => g.host.isLeader) && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
    this.logger.info({ groups: led.length, stillLeading: led.filter((g) => g.host.isLeader).length }, 'handed over the data groups this node led');
  }

  private async doStop(): Promise<void> {
    const log = this.logger;
    const host = this.host;
    if (this.housekeeping) clearInterval(this.housekeeping);
    this.ctx?.metrics.close();
    await this.handOverDataGroups();
    if (host && this.ctx) {
      const s = host.status();
      if (s.role === 'leader') {
        const target = s.peers.filter((p) => p.id !== s.id && !p.learner && p.active).sort((a, b) => b.match - a.match)[0];
        if (target) {
          log.info({ target: target.id }, 'leader shutting down: transferring leadership');
          try {
            host.transferLeader(target.id);
            const until = Date.now() + 2 * host.tickMs * host.electionTicks;
            // Done once the target campaigned (our term moved on) and we stepped down;
            // wait a little longer for the new leader's first word, so it can be logged.
            const handedOver = (): boolean => !host.isLeader && host.status().term > s.term;
            while (!handedOver() && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
            const seen = Date.now() + host.tickMs * 4;
            while (handedOver() && host.currentLeader === 0 && Date.now() < seen) await new Promise((r) => setTimeout(r, 5));
            if (handedOver()) log.info({ target: target.id, leader: host.currentLeader }, 'leadership transferred');
            else log.warn({ target: target.id }, 'leadership transfer did not finish in time; the cluster will elect a leader');
          } catch (e) {
            log.warn({ err: (e as Error).message }, 'leadership transfer failed');
          }
        }
      }
    }
    if (this.ctx) this.ctx.serving = false;
    for (const fn of this.stopHooks) fn();
    if (this.clientServer) await shutdownServer(this.clientServer, 3000);
    await this.reconciling;
    for (const g of this.groups.all()) if (g.group !== GROUP) await g.host.stop();
    if (host) await host.stop();
    this.transport?.close();
    if (this.peerServer) await shutdownServer(this.peerServer, 1000);
    if (this.httpServer) {
      const h = this.httpServer;
      h.closeAllConnections();
      await new Promise<void>((r) => h.close(() => r()));
    }
    if (this.wal) await this.wal.close();
    log.info('stopped');
  }
}

/** Nothing to send with a snapshot of a group this node does not host. */
async function* noEntries(): AsyncGenerator<Entry[]> {}

/** The registry as the Raft host applies it. */
function registryAsMachine(machines: MachineRegistry, applied: (e: Entry, timeBefore: number) => void) {
  return {
    apply: (e: Entry) => {
      const before = machines.now;
      const r = machines.apply(e);
      applied(e, before);
      return r;
    },
    snapshot: () => machines.snapshot(),
    restore: (data: Uint8Array) => machines.restore(data),
    // Every section must decode in a fresh registry before a peer's snapshot replaces anything.
    verifySnapshot: (data: Uint8Array) => createMachines().restore(data),
    // Entries holding data a machine still reads stay in the log (see raft/host/snapshotter.ts).
    liveIndexes: () => machines.liveIndexes(),
  };
}
