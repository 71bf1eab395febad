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

import * as grpc from '@grpc/grpc-js';
import type { Message, MsgSnap, NodeId, Snapshot } from '../core/types.js';
import type { Logger, Transport, TransportListener } from '../host/env.js';
import { silentLogger } from '../host/env.js';
import { atTurnEnd } from '../host/turn-end.js';
import { quorumqV1 } from '../../proto/load.js';
import type { MessageBatch, MessageBatch__Output } from '../../proto/generated/quorumq/v1/MessageBatch.js';
import type { RaftClient, RaftHandlers } from '../../proto/generated/quorumq/v1/Raft.js';
import type { RaftMessage } from '../../proto/generated/quorumq/v1/RaftMessage.js';
import type { SendSummary__Output } from '../../proto/generated/quorumq/v1/SendSummary.js';
import type { SnapshotAck, SnapshotAck__Output } from '../../proto/generated/quorumq/v1/SnapshotAck.js';
import type { SnapshotChunk, SnapshotChunk__Output } from '../../proto/generated/quorumq/v1/SnapshotChunk.js';
import { messageFromPb, messageToPb, snapshotMetaFromPb, snapshotMetaToPb } from './codec.js';

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
  private queue: RaftMessage[] = [];
  private queuedBytes = 0;
  private stream: grpc.ClientWritableStream<MessageBatch> | undefined;
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
    this.queue.push(messageToPb(m));
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
    const batch: MessageBatch = { messages: this.queue };
    const t = this.peer.transport;
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

  private open(): grpc.ClientWritableStream<MessageBatch> {
    const t = this.peer.transport;
    const stream = this.client.Send(t.metadata(), (err: grpc.ServiceError | null, _res?: SendSummary__Output) => {
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
    const Raft = quorumqV1().Raft;
    const creds = grpc.credentials.createInsecure();
    this.controlClient = new Raft(address, creds, { ...PEER_CHANNEL_OPTIONS, 'quorumq.lane': 'control' } as grpc.ChannelOptions);
    this.dataClient = new Raft(address, creds, { ...PEER_CHANNEL_OPTIONS, 'quorumq.lane': 'data' } as grpc.ChannelOptions);
    this.control = new Lane(this, 'control', this.controlClient);
    this.data = new Lane(this, 'data', this.dataClient);
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
    call.on('error', () => {
      /* reported through the callback */
    });
    const data = m.snapshot.data;
    const chunk = t.snapshotChunkBytes;
    const header = messageToPb({ ...m, snapshot: { meta: m.snapshot.meta, data: new Uint8Array(0) } });
    let off = 0;
    const writeMore = (): void => {
      for (;;) {
        const first = off === 0;
        const end = Math.min(data.byteLength, off + chunk);
        const piece = Buffer.from(data.buffer, data.byteOffset + off, end - off);
        const msg: SnapshotChunk = { data: piece, last: end >= data.byteLength };
        if (first) {
          msg.header = header;
          msg.meta = snapshotMetaToPb(m.snapshot.meta);
          msg.totalBytes = data.byteLength;
        }
        off = end;
        const more = call.write(msg);
        if (end >= data.byteLength) {
          call.end();
          return;
        }
        if (!more) {
          call.once('drain', writeMore);
          return;
        }
      }
    };
    writeMore();
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
  };
  readonly maxQueuedBytes: number;
  readonly maxQueuedControl: number;
  readonly snapshotChunkBytes: number;
  readonly snapshotTimeoutMs: number;
  private readonly maxSnapshotBytes: number;
  listener: TransportListener | undefined;
  private readonly peers = new Map<NodeId, Peer>();
  /** Addresses learned from inbound metadata, used only for ids nobody configured. */
  private readonly learned = new Map<NodeId, string>();
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

  /** Validate an inbound call's metadata; returns the sender or a status to refuse with. */
  private admit(md: grpc.Metadata): { from: NodeId } | { error: Partial<grpc.StatusObject> } {
    const cluster = String(md.get(META_CLUSTER)[0] ?? '');
    if (cluster !== this.opts.clusterId) {
      return {
        error: {
          code: grpc.status.FAILED_PRECONDITION,
          details: `peer belongs to cluster "${cluster}", this node to cluster "${this.opts.clusterId}"`,
        },
      };
    }
    const from = Number(md.get(META_FROM)[0]);
    if (!Number.isSafeInteger(from) || from <= 0) {
      return { error: { code: grpc.status.INVALID_ARGUMENT, details: `bad ${META_FROM} metadata` } };
    }
    const addr = String(md.get(META_PEER_ADDRESS)[0] ?? '');
    if (addr && !this.peers.has(from) && from !== this.opts.nodeId) {
      // A member nobody told us about (we were just added): answer it where it says it listens.
      this.learned.set(from, addr);
      this.setPeer(from, addr);
      this.log.info({ peer: from, address: addr }, 'learned a peer address from its connection');
    }
    // Traffic from the peer means the link works: retry our own streams promptly.
    const p = this.peers.get(from);
    if (p) {
      p.control.healthy();
      p.data.healthy();
    }
    return { from };
  }

  /** Admit a unary call (forwarding, status) by its metadata. */
  admitCall(md: grpc.Metadata): { from: NodeId } | { error: Partial<grpc.StatusObject> } {
    return this.admit(md);
  }

  /** The Raft service's streaming methods; the server adds Forward and NodeStatus. */
  handlers(): Pick<RaftHandlers, 'Send' | 'InstallSnapshot'> {
    return {
      Send: (call: grpc.ServerReadableStream<MessageBatch__Output, unknown>, callback: grpc.sendUnaryData<{ batches: number }>) => {
        const who = this.admit(call.metadata);
        if ('error' in who) {
          callback(who.error);
          return;
        }
        let batches = 0;
        call.on('data', (b: MessageBatch__Output) => {
          batches++;
          this.stats.batchesReceived++;
          this.stats.messagesReceived += b.messages.length;
          const l = this.listener;
          if (!l) return;
          for (const pm of b.messages) {
            let m: Message;
            try {
              m = messageFromPb(pm);
            } catch (e) {
              this.log.warn({ peer: who.from, err: (e as Error).message }, 'dropping an undecodable peer message');
              continue;
            }
            l.message(m);
          }
        });
        call.on('end', () => callback(null, { batches }));
        call.on('error', () => {
          /* the sender went away; it reconnects */
        });
      },
      InstallSnapshot: (call: grpc.ServerReadableStream<SnapshotChunk__Output, unknown>, callback: grpc.sendUnaryData<SnapshotAck>) => {
        const who = this.admit(call.metadata);
        if ('error' in who) {
          callback(who.error);
          return;
        }
        const parts: Buffer[] = [];
        let header: SnapshotChunk__Output | undefined;
        let received = 0;
        let finished = false;
        const fail = (code: grpc.status, details: string): void => {
          if (finished) return;
          finished = true;
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
          received += c.data.byteLength;
          if (received > header.totalBytes) return fail(grpc.status.INVALID_ARGUMENT, 'snapshot chunks exceed the announced size');
          parts.push(c.data);
          if (c.last) {
            if (received !== header.totalBytes) return fail(grpc.status.INVALID_ARGUMENT, `snapshot ended at ${received} of ${header.totalBytes} bytes`);
            finished = true;
            const snapshot: Snapshot = { meta: snapshotMetaFromPb(header.meta), data: Buffer.concat(parts, received) };
            this.stats.snapshotsReceived++;
            try {
              this.listener?.message(messageFromPb(header.header!, snapshot));
              callback(null, { accepted: true });
            } catch (e) {
              callback({ code: grpc.status.INTERNAL, details: `could not step the snapshot: ${(e as Error).message}` });
            }
          }
        });
        call.on('end', () => fail(grpc.status.INVALID_ARGUMENT, 'snapshot stream ended before its last chunk'));
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
