import { crc32 } from 'node:zlib';
import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import type { Entry, GroupId, Message, NodeId } from '../core/types.js';
import { EntryType } from '../core/types.js';
import type { TransportListener } from '../host/env.js';
import { quorumqV1 } from '../../proto/load.js';
import { BindError, bindServer } from './grpc-server.js';
import type { RaftClient } from '../../proto/generated/quorumq/v1/Raft.js';
import type { RaftMessage } from '../../proto/generated/quorumq/v1/RaftMessage.js';
import type { SnapshotAck__Output } from '../../proto/generated/quorumq/v1/SnapshotAck.js';
import type { SnapshotChunk } from '../../proto/generated/quorumq/v1/SnapshotChunk.js';
import { META_CLUSTER, META_FROM, META_PEER_ADDRESS, PEER_SERVER_OPTIONS, PeerTransport, raftServiceDefinition } from './peer-transport.js';

interface Node {
  id: NodeId;
  transport: PeerTransport;
  server: grpc.Server;
  address: string;
  got: Message[];
  unreachable: NodeId[];
  snapshots: { group: GroupId; peer: NodeId; ok: boolean }[];
}

const open: Node[] = [];

/** Nodes 1-3 are the members unless a test says otherwise. */
async function startNode(
  id: NodeId,
  opts: { cluster?: string; port?: number; chunk?: number; members?: NodeId[]; refuseSnapshots?: boolean; listener?: Pick<TransportListener, 'snapshotEntries' | 'storeSnapshotEntries'> } = {},
): Promise<Node> {
  const server = new grpc.Server(PEER_SERVER_OPTIONS);
  const port = await bindServer(server, `127.0.0.1:${opts.port ?? 0}`);
  const address = `127.0.0.1:${port}`;
  const transport = new PeerTransport({
    nodeId: id,
    clusterId: opts.cluster ?? 'test',
    selfAddress: address,
    admits: (peer) => (opts.members ?? [1, 2, 3]).includes(peer),
    ...(opts.chunk ? { snapshotChunkBytes: opts.chunk } : {}),
  });
  server.addService(raftServiceDefinition(), {
    ...transport.handlers(),
    Forward: (_c: unknown, cb: grpc.sendUnaryData<unknown>) => cb({ code: grpc.status.UNIMPLEMENTED }),
    NodeStatus: (_c: unknown, cb: grpc.sendUnaryData<unknown>) => cb({ code: grpc.status.UNIMPLEMENTED }),
  });
  const n: Node = { id, transport, server, address, got: [], unreachable: [], snapshots: [] };
  const listener: TransportListener = {
    message: (m) => {
      // As the replica host does for a snapshot its machine cannot restore.
      if (opts.refuseSnapshots && m.type === 'snap') throw new Error('unsupported snapshot format 255');
      n.got.push(m);
    },
    unreachable: (p) => n.unreachable.push(p),
    snapshotDone: (group, peer, ok) => n.snapshots.push({ group, peer, ok }),
    ...opts.listener,
  };
  transport.listen(listener);
  open.push(n);
  return n;
}

async function stopNode(n: Node): Promise<void> {
  n.transport.close();
  n.server.forceShutdown();
  const i = open.indexOf(n);
  if (i >= 0) open.splice(i, 1);
}

afterEach(async () => {
  for (const n of [...open]) await stopNode(n);
});

async function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const hb = (from: NodeId, to: NodeId, commit: number): Message => ({ group: 0, from, to, term: 1, type: 'heartbeat', commit, context: new Uint8Array(0) });
const app = (from: NodeId, to: NodeId, index: number, bytes: number): Message => ({
  group: 0,
  from,
  to,
  term: 1,
  type: 'app',
  prevIndex: index - 1,
  prevTerm: 1,
  commit: 0,
  entries: [{ term: 1, index, type: 0, data: new Uint8Array(bytes).fill(index & 0xff) }],
});

describe('the gRPC peer transport', () => {
  it('delivers messages in order and coalesces one turn into one batch per lane', async () => {
    const a = await startNode(1);
    const b = await startNode(2);
    a.transport.setPeer(2, b.address);
    const msgs = Array.from({ length: 500 }, (_, i) => app(1, 2, i + 1, 100));
    a.transport.send(msgs);
    await until(() => b.got.length === 500, 'all appends');
    expect(b.got.map((m) => (m.type === 'app' ? m.entries[0]!.index : -1))).toEqual(msgs.map((_, i) => i + 1));
    expect(a.transport.stats.batchesSent).toBe(1);
    expect(b.transport.stats.batchesReceived).toBe(1);
  });

  it('carries heartbeats on the control lane, not behind a large append backlog', async () => {
    const a = await startNode(1);
    const b = await startNode(2);
    a.transport.setPeer(2, b.address);
    // ~48 MiB of appends queued first, then one heartbeat.
    for (let i = 1; i <= 48; i++) a.transport.send([app(1, 2, i, 1 << 20)]);
    a.transport.send([hb(1, 2, 7)]);
    await until(() => b.got.some((m) => m.type === 'heartbeat'), 'the heartbeat', 20_000);
    const appsBefore = b.got.findIndex((m) => m.type === 'heartbeat');
    expect(appsBefore).toBeLessThan(48);
    await until(() => b.got.length === 49, 'the appends', 30_000);
  });

  it('learns the address of a peer that connects first, and answers it', async () => {
    const a = await startNode(1);
    const b = await startNode(2);
    a.transport.setPeer(2, b.address);
    a.transport.send([hb(1, 2, 1)]);
    await until(() => b.got.length === 1, 'the heartbeat');
    expect(b.transport.addressOf(1)).toBe(a.address);
    b.transport.send([{ group: 0, from: 2, to: 1, term: 1, type: 'heartbeat-resp', context: new Uint8Array(0) }]);
    await until(() => a.got.length === 1, 'the answer');
  });

  it('reports an unreachable peer and reconnects once it is back', async () => {
    const a = await startNode(1);
    const b = await startNode(2);
    const port = Number(b.address.split(':')[1]);
    a.transport.setPeer(2, b.address);
    a.transport.send([hb(1, 2, 1)]);
    await until(() => b.got.length === 1, 'first heartbeat');
    await stopNode(b);
    await until(
      () => {
        a.transport.send([hb(1, 2, 2)]);
        return a.unreachable.includes(2);
      },
      'an unreachable report',
    );
    const b2 = await startNode(2, { port });
    await until(
      () => {
        a.transport.send([hb(1, 2, 3)]);
        return b2.got.length > 0;
      },
      'delivery after restart',
    );
  });

  it('dials a peer again at once when it announces it is back, instead of waiting out the reconnect backoff', async () => {
    const a = await startNode(1);
    const b = await startNode(2);
    const port = Number(b.address.split(':')[1]);
    a.transport.setPeer(2, b.address);
    a.transport.send([hb(1, 2, 1)]);
    await until(() => b.got.length === 1, 'first heartbeat');
    await stopNode(b);
    // Keep sending while it is down until the lanes back off (each failure doubles the wait, up to a second).
    const failedBefore = a.transport.stats.reconnects;
    await until(
      () => {
        a.transport.send([hb(1, 2, 2)]);
        return a.transport.stats.reconnects >= failedBefore + 4;
      },
      'the lanes to back off',
      20_000,
    );
    const b2 = await startNode(2, { port });
    b2.transport.setPeer(1, a.address);
    b2.transport.announce();
    await until(() => a.transport.stats.redials === 1, 'node 1 to dial node 2 afresh on hearing from it');
    // One send, no retries: without the redial it would be dropped while the lane waits out its backoff.
    a.transport.send([hb(1, 2, 3)]);
    await until(() => b2.got.some((m) => m.type === 'heartbeat' && m.commit === 3), 'the one heartbeat sent after the announcement');
    // Hearing from a peer that was reachable all along changes nothing.
    b2.transport.announce();
    a.transport.send([hb(1, 2, 4)]);
    await until(() => b2.got.some((m) => m.type === 'heartbeat' && m.commit === 4), 'the next heartbeat');
    expect(a.transport.stats.redials).toBe(1);
  });

  it('streams a snapshot in chunks and reports it installed', async () => {
    const a = await startNode(1, { chunk: 1000 });
    const b = await startNode(2);
    a.transport.setPeer(2, b.address);
    const data = new Uint8Array(10_500).map((_, i) => i % 251);
    a.transport.send([{ group: 5, from: 1, to: 2, term: 3, type: 'snap', snapshot: { meta: { index: 90, term: 3, conf: { voters: [1, 2], learners: [] } }, data } }]);
    await until(() => a.snapshots.length === 1, 'the snapshot report');
    expect(a.snapshots[0]).toEqual({ group: 5, peer: 2, ok: true });
    const m = b.got[0]!;
    expect(m.type).toBe('snap');
    if (m.type === 'snap') {
      expect(m.snapshot.meta).toEqual({ index: 90, term: 3, conf: { voters: [1, 2], learners: [] } });
      expect(Buffer.from(m.snapshot.data).equals(Buffer.from(data))).toBe(true);
    }
  });

  it('sends the entries kept below a snapshot after its data, in chunks, all stored before the snapshot is stepped', async () => {
    const kept: Entry[] = [3, 4, 9, 40, 41, 42, 77].map((index) => ({ index, term: 2, type: EntryType.Normal, data: new Uint8Array(700).fill(index) }));
    const asked: Array<{ group: GroupId; index: number; chunkBytes: number }> = [];
    const a = await startNode(1, {
      chunk: 1000,
      listener: {
        async *snapshotEntries(group, index, chunkBytes) {
          asked.push({ group, index, chunkBytes });
          // About chunkBytes per chunk, as raft/host/snapshotter.ts reads them.
          for (let k = 0; k < kept.length; k += 2) yield kept.slice(k, k + 2);
        },
      },
    });
    const events: string[] = [];
    const stored: Entry[] = [];
    const b = await startNode(2, {
      listener: {
        storeSnapshotEntries: async (group, es) => {
          // A slow disk: the stream waits for each chunk.
          await new Promise((r) => setTimeout(r, 20));
          events.push(`store ${group}:${es.map((e) => e.index).join(',')}`);
          stored.push(...es);
        },
      },
    });
    const origMessage = b.got.push.bind(b.got);
    b.got.push = (...ms: Message[]) => {
      for (const m of ms) events.push(`step ${m.type}`);
      return origMessage(...ms);
    };
    a.transport.setPeer(2, b.address);
    const data = new Uint8Array(2_500).map((_, i) => i % 251);
    a.transport.send([{ group: 5, from: 1, to: 2, term: 3, type: 'snap', snapshot: { meta: { index: 90, term: 3, conf: { voters: [1, 2], learners: [] } }, data } }]);
    await until(() => a.snapshots.length === 1, 'the snapshot report');
    expect(a.snapshots[0]).toEqual({ group: 5, peer: 2, ok: true });
    expect(asked).toEqual([{ group: 5, index: 90, chunkBytes: 1000 }]);
    expect(events).toEqual(['store 5:3,4', 'store 5:9,40', 'store 5:41,42', 'store 5:77', 'step snap']);
    expect(stored.map((e) => [e.index, e.term, e.type, Buffer.from(e.data).equals(Buffer.alloc(700, e.index))])).toEqual(kept.map((e) => [e.index, 2, EntryType.Normal, true]));
    const m = b.got[0]!;
    if (m.type === 'snap') expect(Buffer.from(m.snapshot.data).equals(Buffer.from(data))).toBe(true);
  });

  it('reports a snapshot failed when the receiver cannot keep its entries, and never steps it', async () => {
    const a = await startNode(1, {
      listener: {
        async *snapshotEntries() {
          yield [{ index: 3, term: 1, type: EntryType.Normal, data: new Uint8Array(10) }];
        },
      },
    });
    const b = await startNode(2, { listener: { storeSnapshotEntries: () => Promise.reject(new Error('disk full')) } });
    a.transport.setPeer(2, b.address);
    a.transport.send([{ group: 5, from: 1, to: 2, term: 3, type: 'snap', snapshot: { meta: { index: 90, term: 3, conf: { voters: [1, 2], learners: [] } }, data: new Uint8Array(10) } }]);
    await until(() => a.snapshots.length === 1, 'the snapshot report');
    expect(a.snapshots[0]).toEqual({ group: 5, peer: 2, ok: false });
    expect(b.got).toEqual([]);
  });

  it('refuses traffic from another cluster', async () => {
    const a = await startNode(1, { cluster: 'other' });
    const b = await startNode(2);
    a.transport.setPeer(2, b.address);
    await until(
      () => {
        a.transport.send([hb(1, 2, 1)]);
        return a.unreachable.includes(2);
      },
      'the refusal',
    );
    expect(b.got).toEqual([]);
  });

  it('names the address when it cannot bind', async () => {
    const a = await startNode(1);
    const s = new grpc.Server();
    await expect(bindServer(s, a.address)).rejects.toThrow(BindError);
    await expect(bindServer(s, a.address)).rejects.toThrow(/already in use/);
    s.forceShutdown();
  });
});

// ---- hostile peers: forged calls made with a raw client, as an outsider would ----

function rawClient(address: string): RaftClient {
  return new (quorumqV1().Raft)(address, grpc.credentials.createInsecure()) as unknown as RaftClient;
}

function peerMd(from: string, opts: { cluster?: string; address?: string } = {}): grpc.Metadata {
  const md = new grpc.Metadata();
  md.set(META_CLUSTER, opts.cluster ?? 'test');
  md.set(META_FROM, from);
  if (opts.address) md.set(META_PEER_ADDRESS, opts.address);
  return md;
}

/** One Send call carrying `messages`; resolves with the call's error (null when it was taken). */
function rawSend(address: string, md: grpc.Metadata, messages: RaftMessage[]): Promise<grpc.ServiceError | null> {
  const client = rawClient(address);
  return new Promise((resolve) => {
    const call = client.Send(md, (err: grpc.ServiceError | null) => {
      client.close();
      resolve(err);
    });
    call.on('error', () => {});
    call.write({ messages });
    call.end();
  });
}

function rawSnapshot(address: string, md: grpc.Metadata, chunk: SnapshotChunk): Promise<{ err: grpc.ServiceError | null; accepted: boolean }> {
  const client = rawClient(address);
  return new Promise((resolve) => {
    const call = client.InstallSnapshot(md, (err: grpc.ServiceError | null, ack?: SnapshotAck__Output) => {
      client.close();
      resolve({ err, accepted: ack?.accepted === true });
    });
    call.on('error', () => {});
    call.write(chunk);
    call.end();
  });
}

const pbHeartbeat = (from: number, to: number, term: number): RaftMessage => ({ type: 'HEARTBEAT', group: 0, from, to, term, commit: 0 });

function snapshotChunk(data: Buffer, crc: number): SnapshotChunk {
  const meta = { index: 90, term: 3, conf: { voters: [1, 2], learners: [] } };
  return { header: { type: 'SNAP', group: 0, from: 1, to: 2, term: 3 }, meta, totalBytes: data.byteLength, data, last: true, crc32: crc };
}

describe('the gRPC peer transport facing a hostile or broken peer', () => {
  it('drops a heartbeat whose term the log could not hold (2^53-1), counts it, and delivers the next good message', async () => {
    const b = await startNode(2);
    const err = await rawSend(b.address, peerMd('1'), [pbHeartbeat(1, 2, 2 ** 53 - 1), pbHeartbeat(1, 2, 4)]);
    expect(err).toBeNull();
    await until(() => b.got.length === 1, 'the good heartbeat');
    expect(b.got[0]!.term).toBe(4);
    expect(b.transport.stats.messagesRejected).toBe(1);
  });

  it('drops a message whose from is not the peer that sent it', async () => {
    const b = await startNode(2);
    const err = await rawSend(b.address, peerMd('1'), [pbHeartbeat(3, 2, 4), pbHeartbeat(1, 2, 5)]);
    expect(err).toBeNull();
    await until(() => b.got.length === 1, 'the honest heartbeat');
    expect(b.got[0]!.from).toBe(1);
    expect(b.transport.stats.messagesRejected).toBe(1);
  });

  it('drops appends whose entries do not follow their prevIndex, and messages of unknown type', async () => {
    const b = await startNode(2);
    const gap: RaftMessage = {
      type: 'APP', group: 0, from: 1, to: 2, term: 2, index: 5, logTerm: 1, commit: 0,
      entries: [{ term: 2, index: 9, type: 'NORMAL', data: Buffer.from('x') }],
    };
    const unknown = { type: 42, group: 0, from: 1, to: 2, term: 2 } as unknown as RaftMessage;
    expect(await rawSend(b.address, peerMd('1'), [gap, unknown, pbHeartbeat(1, 2, 2)])).toBeNull();
    await until(() => b.got.length === 1, 'the heartbeat after them');
    expect(b.got[0]!.type).toBe('heartbeat');
    expect(b.transport.stats.messagesRejected).toBe(2);
  });

  it('refuses every call from a non-member before decoding it, and never dials the address it gives', async () => {
    const b = await startNode(2);
    const err = await rawSend(b.address, peerMd('99', { address: '127.0.0.1:1' }), [pbHeartbeat(99, 2, 7)]);
    expect(err?.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(err?.details).toMatch(/node 99 is not a member/);
    const snap = await rawSnapshot(b.address, peerMd('99', { address: '127.0.0.1:1' }), snapshotChunk(Buffer.from('x'), 0));
    expect(snap.err?.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(b.got).toEqual([]);
    expect(b.transport.addressOf(99)).toBeUndefined();
    expect(b.transport.peerIds()).not.toContain(99);
    expect(b.transport.stats.callsRejected).toBe(2);
    expect(b.transport.admitCall({ metadata: peerMd('99'), getAuthContext: () => ({}) })).toHaveProperty('error.code', grpc.status.PERMISSION_DENIED);
  });

  it('keeps a known peer\'s address when a connection claims another one for it', async () => {
    const a = await startNode(1);
    const b = await startNode(2);
    b.transport.setPeer(1, a.address);
    expect(await rawSend(b.address, peerMd('1', { address: '127.0.0.1:1' }), [pbHeartbeat(1, 2, 2)])).toBeNull();
    await until(() => b.got.length === 1, 'the heartbeat');
    expect(b.transport.addressOf(1)).toBe(a.address);
  });

  it('refuses a snapshot whose bytes do not match its checksum, before stepping it', async () => {
    const b = await startNode(2);
    const data = Buffer.from('garbage that is not a snapshot');
    const res = await rawSnapshot(b.address, peerMd('1'), snapshotChunk(data, (crc32(data) + 1) >>> 0));
    expect(res.accepted).toBe(false);
    expect(res.err?.code).toBe(grpc.status.DATA_LOSS);
    expect(b.got).toEqual([]);
    expect(b.transport.stats.callsRejected).toBe(1);
  });

  it('answers not accepted, with the reason, when the receiver cannot restore the snapshot', async () => {
    const b = await startNode(2, { refuseSnapshots: true });
    const data = Buffer.from('garbage that is not a snapshot');
    const res = await rawSnapshot(b.address, peerMd('1'), snapshotChunk(data, crc32(data)));
    expect(res.accepted).toBe(false);
    expect(res.err?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(res.err?.details).toMatch(/unsupported snapshot format/);
    expect(b.transport.stats.snapshotsReceived).toBe(0);
  });
});
