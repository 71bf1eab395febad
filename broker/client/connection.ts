// A connection to a quorumq cluster: one gRPC channel per node, the members
// and the leader learnt from ClusterStatus and from write responses, writes
// sent straight to the leader (no forwarding hop), reads and consumers spread
// over the members, and every call retried through the one retry loop within
// the caller's deadline or AbortSignal. It never gives up on the cluster by
// itself: after a failover it finds the new leader, however long that takes.

import { EventEmitter, setMaxListeners } from 'node:events';
import * as grpc from '@grpc/grpc-js';
import { quorumqV1 } from '../../proto/load.js';
import type { BackoffOptions } from './backoff.js';
import { ClosedError, QuorumqError, UnavailableError, answeredByNode, fromServiceError, isRetryable } from './errors.js';
import { Members, type LeaderChange } from './members.js';
import { PlacementCache, mergePlacements, type PlacementCacheOptions, type QueuePlacement } from './placement.js';
import { IDEMPOTENT_WRITES, WRITES, type RequestOf, type ResponseOf, type UnaryMethod } from './methods.js';
import { retrying } from './retry.js';
import { operation, type CallOptions } from './signal.js';
import type { BrokerClient, ClusterStatusResponse__Output, PlacementResponse__Output } from './wire.js';

/** Options of `connect()` and `new Connection()`. */
export interface ConnectionOptions {
  /** Seed addresses (host:port of nodes' client ports), a list or comma-separated. */
  readonly servers: string | readonly string[];
  /** Default deadline of an operation (a call with its retries, a send), ms. Default 30 000. */
  readonly timeoutMs?: number;
  /** Longest single attempt before it is abandoned and retried, ms. Default 10 000. */
  readonly attemptTimeoutMs?: number;
  /** Backoff between retries and reconnects (full jitter). Default 50 ms doubling up to 2 s. */
  readonly backoff?: BackoffOptions;
  /**
   * TLS to a cluster served with --tls all: `ca` the cluster CA's PEM (its
   * contents, not a path); `cert` and `key` a client certificate (quorumq
   * cert issue client) when the cluster authenticates clients by certificate.
   */
  readonly tls?: { readonly ca: string | Buffer; readonly cert?: string | Buffer; readonly key?: string | Buffer };
  /** Channel credentials built by the caller; overrides `tls`. Default insecure. */
  readonly credentials?: grpc.ChannelCredentials;
  /** A user's token (quorumq user add): sent as `authorization: Bearer <token>` on every call. */
  readonly token?: string;
  /** Extra grpc-js channel options. */
  readonly channelOptions?: grpc.ChannelOptions;
  /** Default true: learn the members from ClusterStatus. False: use only `servers`. */
  readonly discoverMembers?: boolean;
  /**
   * Partitioned queues: look up each queue's placement (cached: bounds and
   * lifetime here) and send each partition's publishes straight to its
   * leader. False: every publish goes to the metadata group's leader, which
   * forwards each partition's part (one more hop). Default on.
   */
  readonly placement?: false | PlacementCacheOptions;
}

/**
 * connecting: before any node answered; connected: the last call reached a
 * node; reconnecting: the last call could not reach any node, retrying;
 * closed: close() was called.
 */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'closed';

/** Options of one unary call (`Client.call`, `Connection.call`). */
export interface UnaryOptions extends CallOptions {
  /** 'leader' (default for writes), 'any' (default for reads: spread over members), or a host:port. */
  readonly route?: 'leader' | 'any' | string;
  /** Override: whether repeating the call is harmless (decides retries after an unknown outcome). */
  readonly idempotent?: boolean;
  /**
   * The CLI's behaviour: try each address once, moving on only when a server
   * could not be reached at all or serves no Broker; any answer a node gave is
   * final (it forwarded to the leader already). Default false.
   */
  readonly once?: boolean;
  /** Longest single attempt, ms (default the connection's attemptTimeoutMs). */
  readonly attemptTimeoutMs?: number;
  /** Asked before each attempt: an address to send it to (a partition's leader), or undefined to go by `route`. */
  readonly to?: () => string | undefined;
}

/** A unary answer with the address that gave it. */
export type Answered<T> = T & { readonly _server: string };

/** A Connection's events: its state, and leader changes. */
export interface ConnectionEvents {
  state: [state: ConnectionState];
  leader: [leader: LeaderChange];
}

/** The channels to a cluster's nodes, what is known of its members and leader, and the unary call with retries. Made by `connect()` (`qq.connection`). */
export class Connection extends EventEmitter<ConnectionEvents> {
  readonly members: Members;
  readonly timeoutMs: number;
  readonly backoff: BackoffOptions | undefined;
  private readonly attemptTimeoutMs: number;
  private readonly clients = new Map<string, BrokerClient>();
  private stateNow: ConnectionState = 'connecting';
  private refreshing: Promise<void> | undefined;
  /** Where partitioned queues live (undefined: placement off). */
  readonly placements: PlacementCache | undefined;
  private readonly lookups = new Map<string, Promise<QueuePlacement | undefined>>();
  private readonly closing = new AbortController();

  constructor(private readonly opts: ConnectionOptions) {
    super();
    const seeds = (typeof opts.servers === 'string' ? opts.servers.split(',') : [...opts.servers]).map((s) => s.trim()).filter(Boolean);
    this.members = new Members(seeds, opts.discoverMembers ?? true);
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.attemptTimeoutMs = opts.attemptTimeoutMs ?? 10_000;
    this.backoff = opts.backoff;
    this.placements = opts.placement === false ? undefined : new PlacementCache(opts.placement);
    // Every call in flight, subscription and consumer watches this signal: many listeners are expected.
    setMaxListeners(0, this.closing.signal);
  }

  /** Where the connection stands: connecting, connected, reconnecting or closed. */
  get state(): ConnectionState {
    return this.stateNow;
  }

  /** Fires when close() is called: long-running loops (subscriptions, producers) watch it. */
  get closedSignal(): AbortSignal {
    return this.closing.signal;
  }

  /** Learn the members and the leader; resolves once a node answered (retrying within the deadline). */
  async discover(o: CallOptions = {}): Promise<ClusterStatusResponse__Output> {
    return this.call('ClusterStatus', {}, { ...o, route: 'any' });
  }

  /** The grpc client of one node (one channel per address, reused). */
  client(address: string): BrokerClient {
    if (this.closing.signal.aborted) throw new ClosedError('the connection is closed');
    let c = this.clients.get(address);
    if (!c) {
      c = new (quorumqV1().Broker)(address, this.credentials, {
        // Every call on the channel carries the token, streams opened by hand (the CLI's) included.
        ...(this.opts.token ? { interceptors: [bearer(this.opts.token)] } : {}),
        'grpc.initial_reconnect_backoff_ms': 50,
        'grpc.min_reconnect_backoff_ms': 50,
        'grpc.max_reconnect_backoff_ms': 500,
        ...this.opts.channelOptions,
      }) as unknown as BrokerClient;
      this.clients.set(address, c);
    }
    return c;
  }

  /** The channel credentials every client of this connection uses. */
  private get credentials(): grpc.ChannelCredentials {
    if (this.opts.credentials) return this.opts.credentials;
    const t = this.opts.tls;
    if (!t) return grpc.credentials.createInsecure();
    if (!t.cert !== !t.key) throw new TypeError('tls.cert and tls.key go together: give both or neither');
    const buf = (v: string | Buffer | undefined): Buffer | null => (v === undefined ? null : Buffer.isBuffer(v) ? v : Buffer.from(v));
    return grpc.credentials.createSsl(buf(t.ca), buf(t.key), buf(t.cert));
  }

  /** Metadata for a call (the auth token). */
  metadata(): grpc.Metadata {
    const md = new grpc.Metadata();
    if (this.opts.token) md.set('authorization', `Bearer ${this.opts.token}`);
    return md;
  }

  /** Where a call of this route goes now. */
  pick(route: UnaryOptions['route'], write: boolean): string {
    if (route && route !== 'leader' && route !== 'any') return route;
    return (route ?? (write ? 'leader' : 'any')) === 'leader' ? this.members.forWrite() : this.members.forRead();
  }

  /**
   * One unary Broker call, retried within the deadline: on another node when
   * one cannot be reached, after a backoff when the cluster has no leader.
   * A write whose outcome is unknown is retried only when repeating it is
   * harmless (see IDEMPOTENT_WRITES, or `idempotent`).
   */
  async call<M extends UnaryMethod>(method: M, req: RequestOf<M>, o: UnaryOptions = {}): Promise<Answered<ResponseOf<M>>> {
    const write = WRITES.has(method);
    const idempotent = o.idempotent ?? (!write || IDEMPOTENT_WRITES.has(method));
    const op = operation(anySignal(o.signal, this.closing.signal), Date.now() + (o.timeoutMs ?? this.timeoutMs), method);
    const tried = new Set<string>();
    try {
      return await retrying(
        async () => {
          let addr = o.to?.() ?? this.pick(o.route, write);
          if (o.once) {
            // The CLI's way: every address once, the preferred first.
            const rest = this.members.addresses().filter((a) => !tried.has(a));
            if (tried.has(addr)) addr = rest[0] ?? addr;
            tried.add(addr);
          }
          return this.attempt(method, req, addr, op.signal, o.attemptTimeoutMs ?? this.attemptTimeoutMs);
        },
        {
          signal: op.signal,
          backoff: o.once ? { baseMs: 1, maxMs: 1 } : this.backoff,
          retryable: (e) => {
            if (o.once && tried.size >= this.members.addresses().length) return false;
            // The next address, when this one could not be reached, or answered
            // "unavailable, not applied" (a removed member: nothing happened there).
            if (o.once) return e instanceof QuorumqError && (e.status === grpc.status.UNAVAILABLE || isMissingBroker(e)) && (!answeredByNode(e) || e.outcome === 'not-applied');
            return isRetryable(e) && (idempotent || (e as QuorumqError).outcome === 'not-applied');
          },
        },
      );
    } finally {
      op.done();
    }
  }

  /** One attempt at one address. */
  private attempt<M extends UnaryMethod>(method: M, req: RequestOf<M>, addr: string, signal: AbortSignal, attemptMs: number): Promise<Answered<ResponseOf<M>>> {
    const client = this.client(addr) as unknown as Record<string, (r: object, md: grpc.Metadata, co: grpc.CallOptions, cb: grpc.requestCallback<ResponseOf<M>>) => grpc.ClientUnaryCall>;
    return new Promise((resolve, reject) => {
      const call = client[method]!(req as object, this.metadata(), { deadline: Date.now() + attemptMs }, (err, res) => {
        signal.removeEventListener('abort', cancel);
        if (err) {
          const e = fromServiceError(err, addr);
          if (!signal.aborted) this.failed(addr, e);
          reject(e);
          return;
        }
        this.answered(addr, res as object);
        // The decoded answer is this call's own: tagged in place (a spread copy with a new property is V8's slow path).
        (res as { _server?: string })._server = addr;
        resolve(res as ResponseOf<M> & { _server: string });
      });
      const cancel = (): void => call.cancel();
      signal.addEventListener('abort', cancel, { once: true });
    });
  }

  /** A node answered: note it, and what it says about the leader. */
  answered(addr: string, res: object): void {
    this.members.answered(addr);
    this.setState('connected');
    const r = res as Partial<ClusterStatusResponse__Output>;
    if (Array.isArray(r.members) && typeof r.term === 'number') {
      this.leaderChanged(this.members.observeStatus({ leader: Number(r.leader ?? 0), term: r.term, members: r.members.map((m) => ({ id: Number(m.id), clientAddress: m.clientAddress })) }));
      return;
    }
    if (typeof r.leader === 'number' && r.leader > 0) {
      // A data group's leader (a partition's publish): news for the placement cache, not for the metadata group's leader.
      const group = (res as { group?: unknown }).group;
      if (typeof group === 'number' && group > 0) {
        const address = this.members.addressOf(r.leader);
        this.placements?.observeLeader(group, r.leader, address);
        return;
      }
      this.leaderChanged(this.members.observeLeader(r.leader));
      if (!this.members.knows(r.leader)) this.refresh();
    }
  }

  /** A call failed: an unreachable node is tried last for a while; a node without a leader makes us look again. */
  failed(addr: string, e: QuorumqError): void {
    // No partition's publishes go to an address that failed until a lookup (in the background) names its group's leader again.
    if (!answeredByNode(e) || e instanceof UnavailableError) for (const q of this.placements?.failed(addr) ?? []) void this.lookupPlacement(q);
    if (!answeredByNode(e)) {
      this.leaderChanged(this.members.failed(addr));
      if (this.members.addresses().every((a) => a === addr)) this.setState('reconnecting');
      this.refresh();
    } else if (e instanceof UnavailableError) {
      this.refresh();
    }
  }

  /** Ask a member for the cluster's view, once at a time, in the background. */
  refresh(): void {
    if (this.refreshing || this.closing.signal.aborted || this.opts.discoverMembers === false) return;
    const addr = this.members.forRead();
    this.refreshing = new Promise<void>((resolve) => {
      try {
        this.client(addr).ClusterStatus({}, this.metadata(), { deadline: Date.now() + Math.min(this.attemptTimeoutMs, 3000) }, (err, res) => {
          if (err) this.members.failed(addr);
          else if (res) this.answered(addr, res);
          resolve();
        });
      } catch {
        resolve();
      }
    }).finally(() => {
      this.refreshing = undefined;
    });
  }

  /**
   * A queue's placement: cached, or looked up (one lookup per queue at a
   * time). Undefined when placement is off or no node could answer: the
   * caller sends as to an ordinary queue (any node forwards).
   */
  placementOf(queue: string): Promise<QueuePlacement | undefined> | QueuePlacement | undefined {
    const cache = this.placements;
    if (!cache) return undefined;
    const hit = cache.get(queue, Date.now());
    if (hit) {
      if (cache.incomplete(queue)) void this.lookupPlacement(queue);
      return hit;
    }
    return this.lookupPlacement(queue);
  }

  /** Where partition `partition` of `queue`'s publishes go now (undefined: through any node). */
  partitionAddress(queue: string, partition: number): string | undefined {
    const a = this.placements?.leaderAddress(queue, partition);
    // An address failing right now is not tried first: the node it names is likely down, any other forwards.
    return a && !this.members.isFailing(a) ? a : undefined;
  }

  /**
   * Ask nodes where `queue` lives: one node first; when it does not know
   * every partition's leader (it does not host that group, or the group is
   * electing), the others in turn, merging what they know. A node that does
   * not serve Placement (an older version) or refuses it counts as "not
   * partitioned", cached like any answer: publishes go as before.
   */
  private lookupPlacement(queue: string): Promise<QueuePlacement | undefined> {
    const cache = this.placements;
    if (!cache || this.closing.signal.aborted) return Promise.resolve(undefined);
    const running = this.lookups.get(queue);
    if (running) return running;
    const p = (async (): Promise<QueuePlacement | undefined> => {
      const answers: QueuePlacement[] = [];
      const first = this.members.forRead();
      const order = [first, ...this.members.addresses().filter((a) => a !== first)];
      for (const addr of order) {
        if (this.closing.signal.aborted) return undefined;
        try {
          const r = await this.attempt('Placement', { queue }, addr, this.closing.signal, Math.min(this.attemptTimeoutMs, 3000));
          answers.push(toPlacement(r));
        } catch (e) {
          if (e instanceof QuorumqError && answeredByNode(e) && e.status !== grpc.status.UNAVAILABLE) {
            // A definite refusal (no such method, no permission, a bad name): the ordinary path, which reports its own errors.
            answers.push({ queue, partitions: [] });
            break;
          }
          continue;
        }
        if (answers.at(-1)!.partitions.length === 0 || !mergePlacements(answers)!.partitions.some((r) => !r.address)) break;
      }
      const merged = mergePlacements(answers);
      if (merged) cache.put(merged, Date.now());
      return merged;
    })().finally(() => this.lookups.delete(queue));
    this.lookups.set(queue, p);
    return p;
  }

  private leaderChanged(c: LeaderChange | undefined): void {
    if (c) this.emit('leader', c);
  }

  private setState(s: ConnectionState): void {
    if (this.stateNow === s || this.stateNow === 'closed') return;
    this.stateNow = s;
    this.emit('state', s);
  }

  /** Close every channel; pending calls fail with ClosedError, loops stop. */
  close(): void {
    if (this.stateNow === 'closed') return;
    this.closing.abort(new ClosedError('the connection is closed'));
    this.setState('closed');
    this.stateNow = 'closed';
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }
}

/** A Placement answer as the cache keeps it. */
function toPlacement(r: PlacementResponse__Output): QueuePlacement {
  return {
    queue: r.queue,
    partitions: r.partitions.map((x) => ({ partition: x.partition, group: x.group, members: x.members.map(Number), leader: Number(x.leader), address: x.leaderAddress || undefined, term: Number(x.term) })),
  };
}

/**
 * grpc-js's own answer for a method the server does not serve: the port holds
 * no Broker service (a node's peer port, say). Nothing ran there, so the next
 * server may be tried.
 */
export const isMissingBroker = (e: { status?: grpc.status; code?: unknown; details: string }): boolean =>
  (e.status ?? e.code) === grpc.status.UNIMPLEMENTED && /\/quorumq\.v1\.Broker\//.test(e.details);

/** A signal that fires with whichever of the two fires first. */
export function anySignal(a: AbortSignal | undefined, b: AbortSignal): AbortSignal {
  return a ? AbortSignal.any([a, b]) : b;
}

/** A client interceptor adding `authorization: Bearer <token>` to every call's metadata. */
function bearer(token: string): grpc.Interceptor {
  return (options, nextCall) =>
    new grpc.InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        metadata.set('authorization', `Bearer ${token}`);
        next(metadata, listener);
      },
    });
}
