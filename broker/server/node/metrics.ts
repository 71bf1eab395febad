// Prometheus metrics and health endpoints on the metrics port:
//   /metrics  Prometheus text format (prom-client)
//   /healthz  200 while the process runs
//   /readyz   200 when this node is a member, knows a leader and has applied
//             up to its commit index; 503 with the reason otherwise.

import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Server } from 'node:http';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
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

export class Metrics {
  readonly registry = new Registry();
  readonly fsyncSeconds: Histogram;
  readonly persistSeconds: Histogram;
  readonly leaderChanges: Counter;
  readonly requests: Counter<'method' | 'code'>;
  readonly requestSeconds: Histogram<'method'>;
  readonly appliedEntries: Counter;
  readonly forwarded: Counter<'method'>;
  readonly resent: Counter<'why'>;
  readonly held: Counter;
  readonly authRefused: Counter<'reason'>;
  readonly tlsHandshakeFailures: Counter<'port'>;
  readonly connectionsRefused: Counter;

  constructor(
    private readonly src: MetricsSource,
    node: number,
  ) {
    const r = this.registry;
    r.setDefaultLabels({ node: String(node) });
    collectDefaultMetrics({ register: r });
    const gauge = (name: string, help: string, read: (s: Status) => number): void => {
      new Gauge({
        name,
        help,
        registers: [r],
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
        new Gauge({
          name,
          help,
          registers: [r],
          collect() {
            this.set(read(ticker()));
          },
        });
      };
      tickerGauge('quorumq_raft_groups_awake', 'Raft groups hosted here that are ticked (not quiet)', (t) => t.awake);
      tickerGauge('quorumq_raft_groups_quiet', 'Raft groups hosted here that are quiet (idle: no heartbeats, no ticks)', (t) => t.quiet);
      tickerGauge('quorumq_raft_quiet_silence_wakes_total', "Quiet followers woken because their leader's node was silent for an election timeout", (t) => t.silenceWakes);
    }
    new Gauge({
      name: 'quorumq_raft_role',
      help: 'This node\'s role (1 for the current one)',
      labelNames: ['role'],
      registers: [r],
      collect() {
        const role = src.status().role;
        for (const x of ROLES) this.set({ role: x }, x === role ? 1 : 0);
      },
    });
    new Gauge({
      name: 'quorumq_raft_elections_total',
      help: 'Elections this node started since it started, by cause (timeout: heard no leader; transfer; manual), and leader step-downs for want of a quorum (check_quorum)',
      labelNames: ['cause'],
      registers: [r],
      collect() {
        const e = src.status().elections;
        this.set({ cause: 'timeout' }, e.timeout);
        this.set({ cause: 'transfer' }, e.transfer);
        this.set({ cause: 'manual' }, e.manual);
        this.set({ cause: 'check_quorum' }, e.checkQuorum);
      },
    });
    new Gauge({
      name: 'quorumq_raft_peer_match_index',
      help: 'On the leader: the highest index known durable on each member',
      labelNames: ['peer'],
      registers: [r],
      collect() {
        this.reset();
        for (const p of src.status().peers) this.set({ peer: String(p.id) }, p.match);
      },
    });
    new Gauge({
      name: 'quorumq_raft_peer_lag',
      help: 'On the leader: entries each member trails the leader\'s last index by',
      labelNames: ['peer'],
      registers: [r],
      collect() {
        this.reset();
        const s = src.status();
        for (const p of s.peers) this.set({ peer: String(p.id) }, Math.max(0, s.lastIndex - p.match));
      },
    });
    new Gauge({
      name: 'quorumq_log_repaired_entries',
      help: 'Damaged stored entries (and those after them) this node discarded on start, to fetch again from the leader',
      registers: [r],
      collect() {
        this.set(src.logRepair?.().discarded ?? 0);
      },
    });
    new Gauge({
      name: 'quorumq_log_salvages',
      help: 'Times LevelDB repair salvaged this node\'s database on start (a table it could not read)',
      registers: [r],
      collect() {
        this.set(src.logRepair?.().salvaged ?? 0);
      },
    });
    const tcounter = (name: string, help: string, key: keyof TransportStats): void => {
      new Gauge({
        name,
        help,
        registers: [r],
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
    this.fsyncSeconds = new Histogram({
      name: 'quorumq_log_fsync_seconds',
      help: 'Duration of synced log writes (one per Ready that must be durable)',
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [r],
    });
    this.persistSeconds = new Histogram({
      name: 'quorumq_log_persist_seconds',
      help: 'Duration of every log write, synced or not',
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [r],
    });
    this.leaderChanges = new Counter({ name: 'quorumq_raft_leader_changes_total', help: 'Times this node saw the leader change', registers: [r] });
    this.appliedEntries = new Counter({ name: 'quorumq_raft_applied_entries_total', help: 'Entries applied to the state machine', registers: [r] });
    this.requests = new Counter({
      name: 'quorumq_requests_total',
      help: 'Client requests by method and gRPC status code',
      labelNames: ['method', 'code'],
      registers: [r],
    });
    this.requestSeconds = new Histogram({
      name: 'quorumq_request_seconds',
      help: 'Client request latency by method',
      labelNames: ['method'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [r],
    });
    this.forwarded = new Counter({
      name: 'quorumq_forwarded_requests_total',
      help: 'Client requests this follower forwarded to the leader',
      labelNames: ['method'],
      registers: [r],
    });
    this.resent = new Counter({
      name: 'quorumq_forward_resent_total',
      help: 'Commands sent again to a new leader: why (leader-changed: forwarded, idempotent and unanswered; not-applied: the first copy certainly did not take effect; leadership-lost: idempotent, proposed here while this node led, and gone from its log since)',
      labelNames: ['why'],
      registers: [r],
    });
    this.held = new Counter({
      name: 'quorumq_writes_held_total',
      help: 'Commands the leader held back (in order) because the bytes it had proposed and not yet applied reached its budget',
      registers: [r],
    });
    this.authRefused = new Counter({
      name: 'quorumq_auth_refused_total',
      help: 'Client calls refused before their handler: unauthenticated (no or unknown token or certificate), permission-denied, metadata-too-large',
      labelNames: ['reason'],
      registers: [r],
    });
    this.connectionsRefused = new Counter({
      name: 'quorumq_client_connections_refused_total',
      help: 'Connections to the client port closed at once: their address already held --max-connections-per-address',
      registers: [r],
    });
    this.tlsHandshakeFailures = new Counter({
      name: 'quorumq_tls_handshake_failures_total',
      help: 'TLS connections that failed their handshake, by port (client, metrics): a plaintext or untrusted client, a bad certificate',
      labelNames: ['port'],
      registers: [r],
    });
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
        this.registry
          .metrics()
          .then((text) => {
            res.writeHead(200, { 'content-type': this.registry.contentType });
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
