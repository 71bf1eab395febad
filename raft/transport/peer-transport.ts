// The gRPC peer transport: one long-lived client stream per peer and lane.
//
// Why lanes: a follower that waits behind a multi-megabyte append for its
// heartbeat would start an election. Appends ride the data lane; votes,
// heartbeats, answers and timeouts ride the control lane, on its own TCP
// connection (a distinct channel option forces grpc-js to open a separate
// subchannel), so neither the JavaScript queue nor the socket buffer of a big
// append delays them. All appends to one peer share a lane, so they stay in
// order (reordering would cost a probe round, not safety).
//
// Why batches: one message per gRPC write caps a stream at ~29k msg/s; with
// 256 per write it reaches ~260k. Everything queued for a lane during one
// event-loop turn leaves as one MessageBatch, and while the stream pushes back
// (write() returned false) the queue keeps growing into a bigger next batch.
//
// Failures: a broken stream, or a queue over its cap, drops what was queued
// and reports the peer unreachable (the core then probes instead of
// streaming). Reconnection backs off from 50 ms to 1 s; messages sent while
// backing off are dropped — Raft resends what matters.

import { crc32 } from 'node:zlib';
import * as grpc from '@grpc/grpc-js';
import type { Entry, Message, MsgSnap, NodeId, Snapshot } from '../core/types.js';
import type { Logger, Transport, TransportListener } from '../host/env.js';
import { silentLogger } from '../host/env.js';
import { atTurnEnd } from '../host/turn-end.js';
import { quorumqV1 } from '../../proto/load.js';
import type { RaftClient, RaftHandlers } from '../../proto/generated/quorumq/v1/Raft.js';
import type { RaftMessage__Output } from '../../proto/generated/quorumq/v1/RaftMessage.js';
import type { SendSummary__Output } from '../../proto/generated/quorumq/v1/SendSummary.js';
import type { SnapshotAck, SnapshotAck__Output } from '../../proto/generated/quorumq/v1/SnapshotAck.js';
import type { SnapshotChunk, SnapshotChunk__Output } from '../../proto/generated/quorumq/v1/SnapshotChunk.js';
import { withBatchCodec } from './batch-codec.js';
import { withForwardCodec } from './forward-codec.js';
import type { InboundBatch, OutboundBatch } from './batch-codec.js';
import { CodecError, entryFromPb, entryToPb, snapHeaderFromPb, snapHeaderToPb, snapshotMetaFromPb, snapshotMetaToPb } from './codec.js';
import { checkMessage, isNodeId } from './inbound-check.js';
import type { CertificateProvider } from './peer-tls.js';
import { callIdentity, nodeCommonName, peerChannelCredentials } from './peer-tls.js';

export const META_CLUSTER = 'x-quorumq-cluster';
export const META_FROM = 'x-quorumq-from';
export const META_PEER_ADDRESS = 'x-quorumq-peer-address';

export interface PeerTransportOptions {
  readonly nodeId: NodeId;
  readonly clusterId: string;
  /** Where this node serves Raft; sent to peers so a new member can answer a leader it was never told about. */
  readonly selfAddress: string;
  readonly peers?: ReadonlyMap<NodeId, string>;
  readonly logger?: Logger;
  /** Bytes of entry data one peer's data lane may queue before it drops and reports unreachable. */
  readonly maxQueuedBytes?: number;
  /** Messages one peer's control lane may queue. */
  readonly maxQueuedControl?: number;
  readonly snapshotChunkBytes?: number;
  /** Largest snapshot accepted from a peer. */
  readonly maxSnapshotBytes?: number;
  /** Deadline for sending a whole snapshot. */
  readonly snapshotTimeoutMs?: number;
  /**
   * Whether node `id` may talk to this one: a current member or a node being
   * added. Asked for every call and every batch, so a removed member is cut
   * off at once. Without it only peers this transport was given (setPeer) are
   * admitted.
   */
  readonly admits?: (id: NodeId) => boolean;
  /**
   * Mutual TLS (peer-tls.ts): dial peers with this node's certificate and
   * require theirs; the server must be bound with peerServerCredentials of the
   * same provider. Without it the peer port is plaintext and a sender's id is
   * what its metadata says.
   */
  readonly tls?: CertificateProvider;
}

export interface TransportStats {
  batchesSent: number;
  messagesSent: number;
  messagesDropped: number;
  batchesReceived: number;
  messagesReceived: number;
  snapshotsSent: number;
  snapshotsReceived: number;
  reconnects: number;
  /** Peers whose connections were dropped and dialled afresh because the peer said it is back (announce). */
  redials: number;
  /** Peer messages dropped before the core because they failed checkMessage or could not be decoded. */
  messagesRejected: number;
  /** Peer calls refused: another cluster, bad metadata, a non-member, a bad snapshot. */
  callsRejected: number;
}

/** Options that make every channel recover quickly: a restarted peer must be found again within a second. */
export const PEER_CHANNEL_OPTIONS: grpc.ChannelOptions = {
  'grpc.initial_reconnect_backoff_ms': 50,
  'grpc.max_reconnect_backoff_ms': 1000,
  'grpc.min_reconnect_backoff_ms': 50,
  'grpc.keepalive_time_ms': 2000,
  'grpc.keepalive_timeout_ms': 2000,
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.max_receive_message_length': 64 << 20,
  'grpc.max_send_message_length': 64 << 20,
};

/** Options for the server that receives peer traffic. */
export const PEER_SERVER_OPTIONS: grpc.ServerOptions = {
  'grpc.max_receive_message_length': 64 << 20,
  'grpc.max_send_message_length': 64 << 20,
  'grpc.keepalive_time_ms': 2000,
  'grpc.keepalive_timeout_ms': 2000,
  'grpc.http2.min_ping_interval_without_data_ms': 1000,
};

/** What admitting a call reads: its metadata and, under TLS, the certificate of its connection. */
export type PeerCall = Pick<grpc.ServerUnaryCall<unknown, unknown>, 'metadata' | 'getAuthContext'>;

const MIN_BACKOFF_MS = 50;
const MAX_BACKOFF_MS = 1000;

type LaneName = 'control' | 'data';

function laneOf(m: Message): LaneName {
  return m.type === 'app' ? 'data' : 'control';
}

function appBytes(m: Message): number {
  if (m.type !== 'app') return 64;
  let n = 64;
  for (const e of m.entries) n += e.data.byteLength + 24;
  return n;
}

class Lane {
  private queue: Message[] = [];
  private queuedBytes = 0;
  private stream: grpc.ClientWritableStream<OutboundBatch> | undefined;
  private flushScheduled = false;
  private waitingDrain = false;
  private backoffUntil = 0;
  private backoffMs = MIN_BACKOFF_MS;
  private closed = false;

  constructor(
    private readonly peer: Peer,
    private readonly name: LaneName,
    private readonly client: RaftClient,
  ) {}

  enqueue(m: Message): void {
    const t = this.peer.transport;
    if (this.closed) return;
    if (Date.now() < this.backoffUntil) {
      t.dropped(this.peer.id, 1, false);
      return;
    }
    const bytes = appBytes(m);
    const full = this.name === 'data' ? this.queuedBytes + bytes > t.maxQueuedBytes && this.queue.length > 0 : this.queue.length >= t.maxQueuedControl;
    if (full) {
      // The peer (or the link) cannot keep up: drop the backlog and let Raft probe.
      t.dropped(this.peer.id, this.queue.length + 1, true);
      this.queue = [];
      this.queuedBytes = 0;
      return;
    }
    this.queue.push(m);
    this.queuedBytes += bytes;
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.waitingDrain) return;
    this.flushScheduled = true;
    // At the end of the turn, not in a microtask: every message produced in
    // this turn (a whole Ready, several inbound batches) joins the same write;
    // and in the same deferral as the host's Ready that produced them (turn-end.ts).
    atTurnEnd(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.closed || this.queue.length === 0 || this.waitingDrain) return;
    const stream = this.stream ?? this.open();
    const batch: OutboundBatch = { messages: this.queue };
    const t = this.peer.transport;
    this.peer.sentSincePing = true;
    t.stats.batchesSent++;
    t.stats.messagesSent += this.queue.length;
    this.queue = [];
    this.queuedBytes = 0;
    if (!stream.write(batch)) {
      this.waitingDrain = true;
      stream.once('drain', () => {
        this.waitingDrain = false;
        if (this.queue.length) this.scheduleFlush();
      });
    }
  }

  private open(): grpc.ClientWritableStream<OutboundBatch> {
    const t = this.peer.transport;
    // Send carries core messages: the client was made with batch-codec's serializer (raftClient).
    const stream = (this.client.Send as unknown as (md: grpc.Metadata, cb: grpc.requestCallback<SendSummary__Output>) => grpc.ClientWritableStream<OutboundBatch>)(t.metadata(), (err: grpc.ServiceError | null, _res?: SendSummary__Output) => {
      if (this.stream === stream) this.stream = undefined;
      this.waitingDrain = false;
      if (this.closed) return;
      if (err) this.failed(err);
    });
    stream.on('error', () => {
      /* reported through the callback */
    });
    this.stream = stream;
    return stream;
  }

  private failed(err: grpc.ServiceError): void {
    const t = this.peer.transport;
    t.log.debug({ peer: this.peer.id, lane: this.name, code: err.code, err: err.details }, 'peer stream failed');
    t.stats.reconnects++;
    const lost = this.queue.length;
    this.queue = [];
    this.queuedBytes = 0;
    this.backoffUntil = Date.now() + this.backoffMs;
    this.backoffMs = Math.min(MAX_BACKOFF_MS, this.backoffMs * 2);
    t.dropped(this.peer.id, lost, true);
  }

  /** Whether sends to the peer failed since the last success (they are being held back, or may soon be). */
  failing(): boolean {
    return this.backoffMs > MIN_BACKOFF_MS || Date.now() < this.backoffUntil;
  }

  /** Opens the lane's stream with an empty batch: the peer learns this node is up (see PeerTransport.announce). */
  hello(): void {
    if (this.closed) return;
    (this.stream ?? this.open()).write({ messages: [] });
  }

  /**
   * A keepalive (node-level liveness, raft/host/ticker.ts): an empty batch,
   * which the receiver counts as hearing from us. Not while backing off from a
   * failed stream: a peer that is down is not dialled once per heartbeat.
   */
  keepalive(): void {
    if (this.closed || this.waitingDrain || Date.now() < this.backoffUntil) return;
    (this.stream ?? this.open()).write({ messages: [] });
  }

  /** A message got through (an answer came back on the peer's own stream): reset the backoff. */
  healthy(): void {
    this.backoffMs = MIN_BACKOFF_MS;
    this.backoffUntil = 0;
  }

  close(): void {
    this.closed = true;
    this.queue = [];
    const s = this.stream;
    this.stream = undefined;
    if (s) s.end();
  }
}

class Peer {
  /** Something was written to this peer since the last keepalive round (PeerTransport.ping). */
  sentSincePing = false;
  readonly control: Lane;
  readonly data: Lane;
  /** Unary calls (forwarding, status) share the control connection. */
  readonly controlClient: RaftClient;
  private readonly dataClient: RaftClient;
  private snapshotInFlight = false;

  constructor(
    readonly transport: PeerTransport,
    readonly id: NodeId,
    readonly address: string,
  ) {
    const Raft = raftClient();
    const creds = transport.tls ? peerChannelCredentials(transport.tls, id) : grpc.credentials.createInsecure();
    // Under TLS the server is named by its certificate (peer-tls.ts), not its host: the TLS server name
    // is the node's, which also keeps Node from warning about IP addresses as server names.
    const options = transport.tls ? { ...PEER_CHANNEL_OPTIONS, 'grpc.ssl_target_name_override': nodeCommonName(id) } : PEER_CHANNEL_OPTIONS;
    this.controlClient = new Raft(address, creds, { ...options, 'quorumq.lane': 'control' } as grpc.ChannelOptions);
    this.dataClient = new Raft(address, creds, { ...options, 'quorumq.lane': 'data' } as grpc.ChannelOptions);
    this.control = new Lane(this, 'control', this.controlClient);
    this.data = new Lane(this, 'data', this.dataClient);
  }

  /** Sends to it failed lately, or its channel is waiting out a reconnect backoff. */
  unreachableLately(): boolean {
    const down = (c: RaftClient): boolean => c.getChannel().getConnectivityState(false) === grpc.connectivityState.TRANSIENT_FAILURE;
    return this.control.failing() || this.data.failing() || down(this.controlClient) || down(this.dataClient);
  }

  sendSnapshot(m: MsgSnap): void {
    const t = this.transport;
    if (this.snapshotInFlight) {
      // One at a time per peer; the core asks again if this one fails.
      t.log.debug({ peer: this.id, index: m.snapshot.meta.index }, 'snapshot already in flight; dropping another');
      return;
    }
    this.snapshotInFlight = true;
    const group = m.group;
    const done = (ok: boolean, why?: string): void => {
      if (!this.snapshotInFlight) return;
      this.snapshotInFlight = false;
      if (ok) t.stats.snapshotsSent++;
      else t.log.warn({ peer: this.id, group, index: m.snapshot.meta.index, err: why }, 'sending snapshot failed');
      t.listener?.snapshotDone(group, this.id, ok);
    };
    const call = this.dataClient.InstallSnapshot(
      t.metadata(),
      { deadline: Date.now() + t.snapshotTimeoutMs },
      (err: grpc.ServiceError | null, ack?: SnapshotAck__Output) => {
        if (err) done(false, err.details);
        else done(ack?.accepted === true, ack?.accepted ? undefined : 'receiver refused it');
      },
    );
    let closed = false;
    const wakeups = new Set<() => void>();
    const closedNow = (): void => {
      closed = true;
      for (const w of wakeups) w();
    };
    call.on('error', closedNow);
    call.on('close', closedNow);
    // Resolves once the stream takes more (or is gone: the callback reports why).
    const write = (msg: SnapshotChunk): Promise<void> => {
      if (closed || call.write(msg)) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const wake = (): void => {
          wakeups.delete(wake);
          resolve();
        };
        wakeups.add(wake);
        call.once('drain', wake);
      });
    };
    const data = m.snapshot.data;
    const chunk = t.snapshotChunkBytes;
    const header = snapHeaderToPb(m);
    const send = async (): Promise<void> => {
      // The snapshot's data, then the entries kept below it, then the closing chunk.
      let off = 0;
      do {
        const end = Math.min(data.byteLength, off + chunk);
        const msg: SnapshotChunk = { data: Buffer.from(data.buffer, data.byteOffset + off, end - off), last: false };
        if (off === 0) {
          msg.header = header;
          msg.meta = snapshotMetaToPb(m.snapshot.meta);
          msg.totalBytes = data.byteLength;
          msg.crc32 = crc32(data);
        }
        off = end;
        await write(msg);
      } while (off < data.byteLength && !closed);
      const entries = t.listener?.snapshotEntries?.(group, m.snapshot.meta.index, chunk);
      if (entries) {
        for await (const es of entries) {
          if (closed) return;
          await write({ entries: es.map(entryToPb), last: false });
        }
      }
      if (closed) return;
      await write({ last: true });
      call.end();
    };
    send().catch((e: unknown) => {
      call.cancel();
      done(false, `reading the entries kept below the snapshot: ${(e as Error).message}`);
    });
  }

  close(): void {
    this.control.close();
    this.data.close();
    this.controlClient.close();
    this.dataClient.close();
  }
}

export class PeerTransport implements Transport {
  readonly log: Logger;
  readonly stats: TransportStats = {
    batchesSent: 0,
    messagesSent: 0,
    messagesDropped: 0,
    batchesReceived: 0,
    messagesReceived: 0,
    snapshotsSent: 0,
    snapshotsReceived: 0,
    reconnects: 0,
    redials: 0,
    messagesRejected: 0,
    callsRejected: 0,
  };
  readonly maxQueuedBytes: number;
  readonly maxQueuedControl: number;
  readonly snapshotChunkBytes: number;
  readonly snapshotTimeoutMs: number;
  readonly tls: CertificateProvider | undefined;
  private readonly maxSnapshotBytes: number;
  listener: TransportListener | undefined;
  private readonly peers = new Map<NodeId, Peer>();
  /** Addresses learned from inbound metadata, used only for ids nobody configured. */
  private readonly learned = new Map<NodeId, string>();
  /** Rejections since the last warning, so a flood of bad traffic logs once a second, not once a message. */
  private rejectedSinceLog = 0;
  private lastRejectLog = 0;
  /** When we last reported each peer unreachable, to keep the core from being flooded. */
  private readonly lastUnreachable = new Map<NodeId, number>();
  private closed = false;

  constructor(private readonly opts: PeerTransportOptions) {
    this.log = (opts.logger ?? silentLogger).child({ component: 'transport' });
    this.maxQueuedBytes = opts.maxQueuedBytes ?? 64 << 20;
    this.maxQueuedControl = opts.maxQueuedControl ?? 10_000;
    this.snapshotChunkBytes = opts.snapshotChunkBytes ?? 1 << 20;
    this.maxSnapshotBytes = opts.maxSnapshotBytes ?? 4 * 2 ** 30;
    this.snapshotTimeoutMs = opts.snapshotTimeoutMs ?? 120_000;
    this.tls = opts.tls;
    for (const [id, addr] of opts.peers ?? []) this.setPeer(id, addr);
  }

  listen(listener: TransportListener): void {
    this.listener = listener;
  }

  /** Set or change where a peer serves Raft. */
  setPeer(id: NodeId, address: string): void {
    if (id === this.opts.nodeId || this.closed) return;
    const cur = this.peers.get(id);
    if (cur && cur.address === address) return;
    cur?.close();
    this.peers.set(id, new Peer(this, id, address));
  }

  /**
   * Tell every peer that this node is up: an empty batch on each control
   * lane. A peer that failed to reach this node (it was down) is waiting out
   * a reconnect backoff of up to a second before it tries again; hearing from
   * us, it dials afresh at once (redial), so a restarted follower gets its
   * leader's next heartbeat within one heartbeat interval, not a second later.
   */
  announce(): void {
    for (const p of this.peers.values()) p.control.hello();
  }

  /**
   * One keepalive round (raft/host/ticker.ts calls it every heartbeat
   * interval): an empty batch on the control lane to every peer that was sent
   * nothing since the last round, so each peer hears from this node at least
   * once per interval whatever the number of groups, and for free when the
   * groups' own traffic flows.
   */
  ping(): void {
    for (const p of this.peers.values()) {
      if (!p.sentSincePing) p.control.keepalive();
      p.sentSincePing = false;
    }
  }

  /** Peer `id`, which our sends were failing to reach, opened a stream to us: drop those connections and dial again now. */
  private redial(id: NodeId, p: Peer): void {
    if (this.closed) return;
    p.close();
    this.peers.set(id, new Peer(this, id, p.address));
    this.stats.redials++;
    this.log.debug({ peer: id }, 'peer is back: dialling it again without waiting out the backoff');
  }

  removePeer(id: NodeId): void {
    this.peers.get(id)?.close();
    this.peers.delete(id);
    this.learned.delete(id);
  }

  addressOf(id: NodeId): string | undefined {
    return this.peers.get(id)?.address;
  }

  peerIds(): NodeId[] {
    return [...this.peers.keys()];
  }

  /** A client for unary calls to `id` (forwarding, status), or undefined when its address is unknown. */
  client(id: NodeId): RaftClient | undefined {
    return this.peers.get(id)?.controlClient;
  }

  metadata(): grpc.Metadata {
    const md = new grpc.Metadata();
    md.set(META_CLUSTER, this.opts.clusterId);
    md.set(META_FROM, String(this.opts.nodeId));
    md.set(META_PEER_ADDRESS, this.opts.selfAddress);
    return md;
  }

  send(messages: readonly Message[]): void {
    for (const m of messages) {
      const peer = this.peers.get(m.to);
      if (!peer) {
        this.dropped(m.to, 1, true);
        continue;
      }
      if (m.type === 'snap') peer.sendSnapshot(m);
      else if (laneOf(m) === 'data') peer.data.enqueue(m);
      else peer.control.enqueue(m);
    }
  }

  dropped(peer: NodeId, count: number, report: boolean): void {
    this.stats.messagesDropped += count;
    if (!report) return;
    const now = Date.now();
    // At most every 50 ms per peer: the core only needs to know once per outage.
    if (now - (this.lastUnreachable.get(peer) ?? 0) < 50) return;
    this.lastUnreachable.set(peer, now);
    this.listener?.unreachable(peer);
  }

  /** Whether `id` may talk to this node now (see PeerTransportOptions.admits). */
  private admitted(id: NodeId): boolean {
    return this.opts.admits ? this.opts.admits(id) : this.peers.has(id);
  }

  /** Count a refused call or dropped message, and warn about it (at most once a second). */
  private rejected(kind: 'call' | 'message', peer: NodeId | string, why: string): void {
    if (kind === 'call') this.stats.callsRejected++;
    else this.stats.messagesRejected++;
    this.rejectedSinceLog++;
    const now = Date.now();
    if (now - this.lastRejectLog < 1000) return;
    this.log.warn({ peer, why, rejectedSinceLastWarning: this.rejectedSinceLog }, `refused peer ${kind}`);
    this.lastRejectLog = now;
    this.rejectedSinceLog = 0;
  }

  private refuse(peer: NodeId | string, code: grpc.status, details: string): { error: Partial<grpc.StatusObject> } {
    this.rejected('call', peer, details);
    return { error: { code, details } };
  }

  /**
   * Validate an inbound call: the identity its connection proves (under TLS,
   * checked first, before anything the caller wrote is read) and its
   * metadata. Returns the sender or a status to refuse with.
   */
  /** `opensStream`: the call is a peer's Send stream, which says the peer is up (see redial). */
  private admit(call: PeerCall, opensStream = false): { from: NodeId } | { error: Partial<grpc.StatusObject> } {
    const md = call.metadata;
    let identity: NodeId | undefined;
    if (this.tls) {
      const who = callIdentity(call);
      if (who === 'none') return this.refuse('?', grpc.status.UNAUTHENTICATED, 'the peer port requires a node certificate from the cluster CA');
      if (typeof who === 'object') return this.refuse('?', grpc.status.PERMISSION_DENIED, who.error);
      if (!this.admitted(who)) return this.refuse(who, grpc.status.PERMISSION_DENIED, `node ${who} is not a member of cluster "${this.opts.clusterId}" nor being added to it`);
      identity = who;
    }
    const cluster = String(md.get(META_CLUSTER)[0] ?? '');
    const claimed = String(md.get(META_FROM)[0] ?? '');
    if (cluster !== this.opts.clusterId) {
      return this.refuse(claimed, grpc.status.FAILED_PRECONDITION, `peer belongs to cluster "${cluster}", this node to cluster "${this.opts.clusterId}"`);
    }
    const from = /^\d{1,10}$/.test(claimed) ? Number(claimed) : NaN;
    if (!isNodeId(from)) return this.refuse(claimed, grpc.status.INVALID_ARGUMENT, `${META_FROM} metadata must be a node id (1..2^32-1), got "${claimed}"`);
    if (from === this.opts.nodeId) return this.refuse(from, grpc.status.INVALID_ARGUMENT, `${META_FROM} is this node's own id ${from}`);
    if (identity !== undefined && identity !== from) {
      return this.refuse(from, grpc.status.PERMISSION_DENIED, `${META_FROM} says node ${from} but the connection is node ${identity}'s`);
    }
    if (!this.admitted(from)) {
      return this.refuse(from, grpc.status.PERMISSION_DENIED, `node ${from} is not a member of cluster "${this.opts.clusterId}" nor being added to it`);
    }
    const addr = String(md.get(META_PEER_ADDRESS)[0] ?? '');
    if (addr && !this.peers.has(from) && /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/.test(addr)) {
      // An admitted member nobody told us the address of (we were just added):
      // answer it where it says it listens. A known peer's address is never
      // replaced this way, and nobody else gets this far.
      this.learned.set(from, addr);
      this.setPeer(from, addr);
      this.log.info({ peer: from, address: addr }, 'learned a peer address from its connection');
    }
    const p = this.peers.get(from);
    if (p && opensStream && p.unreachableLately()) {
      // Asked before the backoff is forgotten just below: asked after it (as
      // it once was), only a channel caught in TRANSIENT_FAILURE at that
      // moment still told, and a peer back from the dead waited out the rest
      // of its backoff whenever gRPC's own reconnect cycle was elsewhere.
      this.redial(from, p);
    } else if (p) {
      // Traffic from the peer means the link works: retry our own streams promptly.
      p.control.healthy();
      p.data.healthy();
    }
    return { from };
  }

  /**
   * Decode and check one peer message; undefined (counted, warned about)
   * when it must not reach the core.
   */
  private inbound(from: NodeId, decoded: Message | CodecError): Message | undefined {
    if (decoded instanceof CodecError) {
      this.rejected('message', from, decoded.message);
      return undefined;
    }
    const m = decoded;
    const bad = checkMessage(m, this.opts.nodeId, from);
    if (bad) {
      this.rejected('message', from, bad);
      return undefined;
    }
    return m;
  }

  /** Count a call refused above the transport (a forwarded command that fails its checks). */
  countRejectedCall(peer: NodeId, why: string): void {
    this.rejected('call', peer, why);
  }

  /** Admit a unary call (forwarding, status) by its connection and metadata. */
  admitCall(call: PeerCall): { from: NodeId } | { error: Partial<grpc.StatusObject> } {
    return this.admit(call);
  }

  /** The Raft service's streaming methods; the server adds Forward and NodeStatus. */
  handlers(): Pick<RaftHandlers, 'Send' | 'InstallSnapshot'> {
    return {
      Send: (call: grpc.ServerReadableStream<InboundBatch, unknown>, callback: grpc.sendUnaryData<{ batches: number }>) => {
        const who = this.admit(call, true);
        if ('error' in who) {
          callback(who.error);
          return;
        }
        let batches = 0;
        let cut = false;
        call.on('data', (b: InboundBatch) => {
          if (cut) return;
          batches++;
          this.stats.batchesReceived++;
          this.stats.messagesReceived += b.messages.length;
          const l = this.listener;
          if (!l) return;
          // Membership is asked again for every batch: a member removed while its stream is open is cut off at once.
          if (!this.admitted(who.from)) {
            if (!cut) {
              cut = true;
              const refused = this.refuse(who.from, grpc.status.PERMISSION_DENIED, `node ${who.from} is no longer a member of cluster "${this.opts.clusterId}"`);
              callback(refused.error);
            }
            this.stats.messagesRejected += b.messages.length;
            return;
          }
          // Any batch, an empty keepalive too, says the sender's node is alive (ticker.ts).
          l.heard?.(who.from);
          for (const pm of b.messages) {
            const m = this.inbound(who.from, pm);
            if (m) l.message(m);
          }
        });
        call.on('end', () => {
          if (!cut) callback(null, { batches });
        });
        call.on('error', () => {
          /* the sender went away; it reconnects */
        });
      },
      InstallSnapshot: (call: grpc.ServerReadableStream<SnapshotChunk__Output, unknown>, callback: grpc.sendUnaryData<SnapshotAck>) => {
        const who = this.admit(call);
        if ('error' in who) {
          callback(who.error);
          return;
        }
        const parts: Buffer[] = [];
        let header: SnapshotChunk__Output | undefined;
        let received = 0;
        let finished = false;
        // Entry chunks are stored one at a time (the stream pauses meanwhile), all before the snapshot is stepped.
        let stored: Promise<void> = Promise.resolve();
        let sawLast = false;
        /** The snapshot message, once its whole data arrived and passed its checks. */
        let checked: Message | undefined;
        const fail = (code: grpc.status, details: string): void => {
          if (finished) return;
          finished = true;
          this.rejected('call', who.from, details);
          callback({ code, details });
        };
        call.on('data', (c: SnapshotChunk__Output) => {
          if (finished) return;
          if (!header) {
            if (!c.header || !c.meta) return fail(grpc.status.INVALID_ARGUMENT, 'the first snapshot chunk must carry the header and metadata');
            if (c.totalBytes > this.maxSnapshotBytes) {
              return fail(grpc.status.RESOURCE_EXHAUSTED, `snapshot of ${c.totalBytes} bytes exceeds the limit of ${this.maxSnapshotBytes}`);
            }
            header = c;
          }
          if (c.entries.length > 0) {
            if (!checked) return fail(grpc.status.INVALID_ARGUMENT, 'entries sent before the whole snapshot data');
            const store = this.listener?.storeSnapshotEntries;
            let es: Entry[];
            try {
              es = c.entries.map(entryFromPb);
            } catch (e) {
              return fail(grpc.status.INVALID_ARGUMENT, `undecodable entries in a snapshot chunk: ${(e as Error).message}`);
            }
            if (!store) return;
            const group = header.header!.group;
            call.pause();
            stored = stored.then(async () => {
              await store(group, es);
              call.resume();
            });
            stored.catch((e: unknown) => fail(grpc.status.INTERNAL, `could not keep the entries sent with the snapshot: ${(e as Error).message}`));
            return;
          }
          received += c.data.byteLength;
          if (received > header.totalBytes) return fail(grpc.status.INVALID_ARGUMENT, 'snapshot chunks exceed the announced size');
          parts.push(c.data);
          if (!checked && received === header.totalBytes) {
            // The whole data is here: check it (checksum, metadata, the message's
            // own checks) before any entry sent with it is stored.
            const data = Buffer.concat(parts, received);
            const sum = crc32(data);
            if (sum !== header.crc32) return fail(grpc.status.DATA_LOSS, `snapshot checksum ${sum} does not match the announced ${header.crc32}`);
            let meta;
            try {
              meta = snapshotMetaFromPb(header.meta);
            } catch (e) {
              return fail(grpc.status.INVALID_ARGUMENT, (e as Error).message);
            }
            const m = this.inbound(who.from, decodeSnapshotHeader(header.header!, { meta, data }));
            if (!m) return fail(grpc.status.INVALID_ARGUMENT, 'the snapshot message failed its checks (see quorumq_transport_messages_rejected)');
            checked = m;
          }
          if (c.last) {
            if (!checked) return fail(grpc.status.INVALID_ARGUMENT, `snapshot ended at ${received} of ${header.totalBytes} bytes`);
            const m = checked;
            sawLast = true;
            stored.then(() => {
              if (finished) return;
              try {
                // The host verifies that the machine can restore it (SnapshotRefusedError) before the core sees it.
                this.listener?.message(m);
              } catch (e) {
                return fail(grpc.status.INVALID_ARGUMENT, (e as Error).message);
              }
              finished = true;
              this.stats.snapshotsReceived++;
              callback(null, { accepted: true });
            }, () => undefined /* reported by fail() */);
          }
        });
        call.on('end', () => {
          if (!sawLast) fail(grpc.status.INVALID_ARGUMENT, 'snapshot stream ended before its last chunk');
        });
        call.on('error', () => {
          finished = true;
        });
      },
    };
  }

  close(): void {
    this.closed = true;
    for (const p of this.peers.values()) p.close();
    this.peers.clear();
  }
}

/** The InstallSnapshot header as a core message, or why it is not one (rejected alone, as a batch's bad message is). */
function decodeSnapshotHeader(pm: RaftMessage__Output, snapshot: Snapshot): Message | CodecError {
  try {
    return snapHeaderFromPb(pm, snapshot);
  } catch (e) {
    return e instanceof CodecError ? e : new CodecError((e as Error).message);
  }
}

type RaftClientCtor = new (address: string, credentials: grpc.ChannelCredentials, options?: grpc.ChannelOptions) => RaftClient;
let raftClientCtor: RaftClientCtor | undefined;

/** The Raft service's client, its Send stream encoded by batch-codec.ts (servers add the service through raftServiceDefinition). */
function raftClient(): RaftClientCtor {
  raftClientCtor ??= grpc.makeGenericClientConstructor(raftServiceDefinition(), 'Raft') as unknown as RaftClientCtor;
  return raftClientCtor;
}

/** The Raft service as a node serves it: Send decoded by batch-codec.ts into core messages. */
export function raftServiceDefinition(): grpc.ServiceDefinition {
  return withForwardCodec(withBatchCodec(quorumqV1().Raft.service as unknown as Record<string, object>)) as unknown as grpc.ServiceDefinition;
}
