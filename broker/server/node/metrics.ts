// Prometheus metrics and health endpoints on the metrics port:
//   /metrics  Prometheus text format (prom-client)
//   /healthz  200 while the process runs
//   /readyz   200 when this node is a member, knows a leader and has applied
//             up to its commit index; 503 with the reason otherwise.
//
// prom-client is loaded a second after the node's ready line (or at the
// first scrape, if sooner), not while it starts: its import (with the
// default metrics' @opentelemetry/api, ~90 CommonJS modules) was ~40 ms of a
// restart's CPU before serving. Until then the counters and histograms count
// in lazy-instruments.ts and hand their counts over; the gauges are read at
// scrape time anyway; and GC durations are kept for the default metrics'
// nodejs_gc_duration_seconds, so /metrics shows the same series either way.

import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { PerformanceObserver, constants as perfConstants } from 'node:perf_hooks';
import type { PerformanceEntry } from 'node:perf_hooks';
import type * as PromClientModule from 'prom-client';
import type { GaugeConfiguration, Histogram, Registry } from 'prom-client';
import { LazyCounter, LazyHistogram } from './lazy-instruments.js';
import type { Status } from '../../../raft/core/api.js';
import type { TransportStats } from '../../../raft/transport/peer-transport.js';
import type { TickerStats } from '../../../raft/host/ticker.js';

export interface MetricsSource {
  status(): Status;
  transportStats(): TransportStats;
  /** Whether the node finished starting and is not shutting down. */
  serving(): boolean;
  /** What opening the log repaired: entries discarded (to be fetched again), LevelDB salvages. */
  logRepair?(): { discarded: number; salvaged: number };
  /** The node's shared tick timer: groups awake and quiet, quiet followers woken for a silent leader (ticker.ts). */
  ticker?(): TickerStats;
}

const ROLES = ['follower', 'pre-candidate', 'candidate', 'leader'] as const;

type PromClient = typeof PromClientModule;

const requireHere = createRequire(import.meta.url);

/** prom-client's names for perf_hooks' GC kinds (its lib/metrics/gc.js). */
const GC_KINDS: Record<number, string> = {
  [perfConstants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [perfConstants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [perfConstants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [perfConstants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

/** One delivery of GC entries, taken as prom-client's GC metric takes it: its first entry (lib/metrics/gc.js). */
function keepGc(into: Array<{ kind: string | undefined; seconds: number }>, entries: readonly PerformanceEntry[]): void {
  const entry = entries[0] as (PerformanceEntry & { detail?: { kind: number } }) | undefined;
  if (entry) into.push({ kind: entry.detail ? GC_KINDS[entry.detail.kind] : undefined, seconds: entry.duration / 1000 });
}

/** What a gauge is made of, less the registry it goes to (Metrics.addGauge). */
export type GaugeDefinition<L extends string = string> = Omit<GaugeConfiguration<L>, 'registers'>;

export class Metrics {
  readonly fsyncSeconds: LazyHistogram;
  readonly persistSeconds: LazyHistogram;
  readonly leaderChanges: LazyCounter;
  readonly requests: LazyCounter<'method' | 'code'>;
  readonly requestSeconds: LazyHistogram<'method'>;
  readonly appliedEntries: LazyCounter;
  readonly forwarded: LazyCounter<'method'>;
  readonly resent: LazyCounter<'why'>;
  readonly held: LazyCounter;
  readonly authRefused: LazyCounter<'reason'>;
  readonly tlsHandshakeFailures: LazyCounter<'port'>;
  readonly connectionsRefused: LazyCounter;
  /** Every metric defined before the registry exists, in order (the order /metrics lists them in). */
  private readonly defined: Array<(prom: PromClient, r: Registry) => void> = [];
  private prom: { client: PromClient; registry: Registry } | undefined;
  /** GC durations (as prom-client's GC metric takes them) from the start until the registry exists. */
  private earlyGc: Array<{ kind: string | undefined; seconds: number }> | undefined = [];
  private gcObserver: PerformanceObserver | undefined;
  private loadTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly src: MetricsSource,
    private readonly node: number,
  ) {
    const earlyGc = this.earlyGc!;
    this.gcObserver = new PerformanceObserver((list) => keepGc(earlyGc, list.getEntries()));
    this.gcObserver.observe({ entryTypes: ['gc'] });
    const gauge = (name: string, help: string, read: (s: Status) => number): void => {
      this.addGauge({
        name,
        help,
        collect() {
          this.set(read(src.status()));
        },
      });
    };
    gauge('quorumq_raft_term', 'Current Raft term', (s) => s.term);
    gauge('quorumq_raft_commit_index', 'Highest log index known to be committed', (s) => s.commit);
    gauge('quorumq_raft_applied_index', 'Highest log index applied to the state machine', (s) => s.applied);
    gauge('quorumq_raft_last_index', 'Last index in this node\'s log', (s) => s.lastIndex);
    gauge('quorumq_raft_leader_id', 'The leader this node knows of (0: none)', (s) => s.leader);
    gauge('quorumq_raft_is_leader', '1 when this node leads', (s) => (s.role === 'leader' ? 1 : 0));
    gauge('quorumq_raft_voters', 'Voters in the membership', (s) => s.conf.voters.length);
    gauge('quorumq_raft_learners', 'Learners in the membership', (s) => s.conf.learners.length);
    const ticker = src.ticker;
    if (ticker) {
      const tickerGauge = (name: string, help: string, read: (t: TickerStats) => number): void => {
        this.addGauge({
          name,
          help,
          collect() {
            this.set(read(ticker()));
          },
        });
      };
      tickerGauge('quorumq_raft_groups_awake', 'Raft groups hosted here that are ticked (not quiet)', (t) => t.awake);
      tickerGauge('quorumq_raft_groups_quiet', 'Raft groups hosted here that are quiet (idle: no heartbeats, no ticks)', (t) => t.quiet);
      tickerGauge('quorumq_raft_quiet_silence_wakes_total', "Quiet followers woken because their leader's node was silent for an election timeout", (t) => t.silenceWakes);
    }
    this.addGauge({
      name: 'quorumq_raft_role',
      help: 'This node\'s role (1 for the current one)',
      labelNames: ['role'],
      collect() {
        const role = src.status().role;
        for (const x of ROLES) this.set({ role: x }, x === role ? 1 : 0);
      },
    });
    this.addGauge({
      name: 'quorumq_raft_elections_total',
      help: 'Elections this node started since it started, by cause (timeout: heard no leader; transfer; manual), and leader step-downs for want of a quorum (check_quorum)',
      labelNames: ['cause'],
      collect() {
        const e = src.status().elections;
        this.set({ cause: 'timeout' }, e.timeout);
        this.set({ cause: 'transfer' }, e.transfer);
        this.set({ cause: 'manual' }, e.manual);
        this.set({ cause: 'check_quorum' }, e.checkQuorum);
      },
    });
    this.addGauge({
      name: 'quorumq_raft_peer_match_index',
      help: 'On the leader: the highest index known durable on each member',
      labelNames: ['peer'],
      collect() {
        this.reset();
        for (const p of src.status().peers) this.set({ peer: String(p.id) }, p.match);
      },
    });
    this.addGauge({
      name: 'quorumq_raft_peer_lag',
      help: 'On the leader: entries each member trails the leader\'s last index by',
      labelNames: ['peer'],
      collect() {
        this.reset();
        const s = src.status();
        for (const p of s.peers) this.set({ peer: String(p.id) }, Math.max(0, s.lastIndex - p.match));
      },
    });
    this.addGauge({
      name: 'quorumq_log_repaired_entries',
      help: 'Damaged stored entries (and those after them) this node discarded on start, to fetch again from the leader',
      collect() {
        this.set(src.logRepair?.().discarded ?? 0);
      },
    });
    this.addGauge({
      name: 'quorumq_log_salvages',
      help: 'Times LevelDB repair salvaged this node\'s database on start (a table it could not read)',
      collect() {
        this.set(src.logRepair?.().salvaged ?? 0);
      },
    });
    const tcounter = (name: string, help: string, key: keyof TransportStats): void => {
      this.addGauge({
        name,
        help,
        collect() {
          this.set(src.transportStats()[key]);
        },
      });
    };
    tcounter('quorumq_transport_messages_sent', 'Raft messages sent to peers (total)', 'messagesSent');
    tcounter('quorumq_transport_batches_sent', 'Batches (stream writes) sent to peers (total)', 'batchesSent');
    tcounter('quorumq_transport_messages_received', 'Raft messages received from peers (total)', 'messagesReceived');
    tcounter('quorumq_transport_messages_dropped', 'Raft messages dropped for unreachable or slow peers (total)', 'messagesDropped');
    tcounter('quorumq_transport_reconnects', 'Peer streams that failed and were reopened (total)', 'reconnects');
    tcounter('quorumq_transport_redials', 'Peers dialled afresh because they said they were back after failing (total)', 'redials');
    tcounter('quorumq_transport_messages_rejected', 'Peer messages dropped before the Raft core: undecodable, out of range, inconsistent, or from a node other than the sender (total)', 'messagesRejected');
    tcounter('quorumq_transport_calls_rejected', 'Peer calls refused: another cluster, bad metadata, a non-member, a bad snapshot (total)', 'callsRejected');
    this.fsyncSeconds = this.histogram({
      name: 'quorumq_log_fsync_seconds',
      help: 'Duration of synced log writes (one per Ready that must be durable)',
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    });
    this.persistSeconds = this.histogram({
      name: 'quorumq_log_persist_seconds',
      help: 'Duration of every log write, synced or not',
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    });
    this.leaderChanges = this.counter({ name: 'quorumq_raft_leader_changes_total', help: 'Times this node saw the leader change' });
    this.appliedEntries = this.counter({ name: 'quorumq_raft_applied_entries_total', help: 'Entries applied to the state machine' });
    this.requests = this.counter({
      name: 'quorumq_requests_total',
      help: 'Client requests by method and gRPC status code',
      labelNames: ['method', 'code'],
    });
    this.requestSeconds = this.histogram({
      name: 'quorumq_request_seconds',
      help: 'Client request latency by method',
      labelNames: ['method'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    });
    this.forwarded = this.counter({
      name: 'quorumq_forwarded_requests_total',
      help: 'Client requests this follower forwarded to the leader',
      labelNames: ['method'],
    });
    this.resent = this.counter({
      name: 'quorumq_forward_resent_total',
      help: 'Commands sent again to a new leader: why (leader-changed: forwarded, idempotent and unanswered; not-applied: the first copy certainly did not take effect; leadership-lost: idempotent, proposed here while this node led, and gone from its log since)',
      labelNames: ['why'],
    });
    this.held = this.counter({
      name: 'quorumq_writes_held_total',
      help: 'Commands the leader held back (in order) because the bytes it had proposed and not yet applied reached its budget',
    });
    this.authRefused = this.counter({
      name: 'quorumq_auth_refused_total',
      help: 'Client calls refused before their handler: unauthenticated (no or unknown token or certificate), permission-denied, metadata-too-large',
      labelNames: ['reason'],
    });
    this.connectionsRefused = this.counter({
      name: 'quorumq_client_connections_refused_total',
      help: 'Connections to the client port closed at once: their address already held --max-connections-per-address',
    });
    this.tlsHandshakeFailures = this.counter({
      name: 'quorumq_tls_handshake_failures_total',
      help: 'TLS connections that failed their handshake, by port (client, metrics): a plaintext or untrusted client, a bad certificate',
      labelNames: ['port'],
    });
  }

  /** A gauge read at scrape time (its collect), in this node's registry. */
  addGauge<L extends string>(def: GaugeDefinition<L>): void {
    const make = (prom: PromClient, r: Registry): void => void new prom.Gauge<L>({ ...def, registers: [r] });
    if (this.prom) make(this.prom.client, this.prom.registry);
    else this.defined.push(make);
  }

  private counter<L extends string = never>(cfg: { name: string; help: string; labelNames?: readonly L[] }): LazyCounter<L> {
    const c = new LazyCounter<L>(cfg.labelNames);
    this.defined.push((prom, r) => c.bind(new prom.Counter<L>({ ...cfg, registers: [r] })));
    return c;
  }

  private histogram<L extends string = never>(cfg: { name: string; help: string; labelNames?: readonly L[]; buckets: number[] }): LazyHistogram<L> {
    const h = new LazyHistogram<L>(cfg.labelNames);
    this.defined.push((prom, r) => h.bind(new prom.Histogram<L>({ ...cfg, registers: [r] })));
    return h;
  }

  /** The registry, made (and prom-client loaded) on first call: the default metrics, then every metric in the order defined. */
  registry(): Registry {
    if (this.prom) return this.prom.registry;
    clearTimeout(this.loadTimer);
    const client = requireHere('prom-client') as PromClient;
    const r = new client.Registry();
    r.setDefaultLabels({ node: String(this.node) });
    // The GC durations seen so far go to the default metrics' histogram, which observes from here on.
    if (this.gcObserver && this.earlyGc) keepGc(this.earlyGc, this.gcObserver.takeRecords());
    this.gcObserver?.disconnect();
    this.gcObserver = undefined;
    client.collectDefaultMetrics({ register: r });
    const gc = r.getSingleMetric('nodejs_gc_duration_seconds') as Histogram<'kind'> | undefined;
    for (const e of this.earlyGc ?? []) gc?.observe({ kind: e.kind } as { kind: string }, e.seconds);
    this.earlyGc = undefined;
    this.prom = { client, registry: r };
    for (const make of this.defined.splice(0)) make(client, r);
    return r;
  }

  /**
   * Make the registry `afterMs` from now (the node's ready line), off the way
   * to serving: a restarted node's first reads and deliveries come within
   * a few hundred ms of it on a loaded machine. A scrape before makes it then.
   */
  loadLater(afterMs = 1000): void {
    if (this.prom || this.loadTimer) return;
    this.loadTimer = setTimeout(() => {
      try {
        this.registry();
      } catch {
        // Not here, in a timer: each scrape tries again and answers 500 with the reason.
      }
    }, afterMs);
    this.loadTimer.unref();
  }

  /** Stop waiting to make the registry (the node stops). */
  close(): void {
    clearTimeout(this.loadTimer);
    this.gcObserver?.disconnect();
  }

  /** Why the node is not ready, or undefined when it is. */
  notReady(): string | undefined {
    if (!this.src.serving()) return 'not serving (starting or shutting down)';
    const s = this.src.status();
    if (!s.conf.voters.includes(s.id) && !s.conf.learners.includes(s.id)) return `node ${s.id} is not a member of the cluster yet`;
    if (!s.leader) return 'no leader known';
    if (s.applied < s.commit) return `applied index ${s.applied} is behind commit index ${s.commit}`;
    return undefined;
  }

  /** Serve the endpoints on host:port (over HTTPS with `tls`: key and certificate, swappable later with setSecureContext); resolves once listening. */
  listen(address: string, tls?: { key: Buffer; cert: Buffer }): Promise<Server> {
    const i = address.lastIndexOf(':');
    const host = address.slice(0, i).replace(/^\[|\]$/g, '');
    const port = Number(address.slice(i + 1));
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      const url = (req.url ?? '/').split('?')[0];
      if (url === '/metrics') {
        let registry: Registry;
        try {
          registry = this.registry();
        } catch (e) {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`metrics failed: ${(e as Error).message}\n`);
          return;
        }
        registry
          .metrics()
          .then((text) => {
            res.writeHead(200, { 'content-type': registry.contentType });
            res.end(text);
          })
          .catch((e: Error) => {
            res.writeHead(500, { 'content-type': 'text/plain' });
            res.end(`metrics failed: ${e.message}\n`);
          });
      } else if (url === '/healthz') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('ok\n');
      } else if (url === '/readyz') {
        const why = this.notReady();
        res.writeHead(why ? 503 : 200, { 'content-type': 'text/plain' });
        res.end(why ? `not ready: ${why}\n` : 'ready\n');
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found: try /metrics, /healthz or /readyz\n');
      }
    };
    const server = tls ? createHttpsServer({ key: tls.key, cert: tls.cert }, handler) : createServer(handler);
    return new Promise((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) => {
        reject(new Error(`cannot listen on ${address}: ${e.code === 'EADDRINUSE' ? 'address already in use' : e.code === 'EADDRNOTAVAIL' ? 'address not available on this host' : e.message}`));
      });
      server.listen(port, host, () => resolve(server));
    });
  }
}
