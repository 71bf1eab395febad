// Forged peer traffic against a real 3-node cluster with TLS off: only the
// cluster id (which ClusterStatus gives any client) and the peer port are
// known to the attacker. Each attack below once took nodes down or changed
// the state (issue 18); the decoding layer alone must keep every node up,
// keep the state unchanged, and count what it refused.

import { crc32 } from 'node:zlib';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quorumqV1 } from '../../proto/load.js';
import type { RaftClient } from '../../proto/generated/quorumq/v1/Raft.js';
import type { RaftMessage } from '../../proto/generated/quorumq/v1/RaftMessage.js';
import type { SnapshotAck__Output } from '../../proto/generated/quorumq/v1/SnapshotAck.js';
import type { SnapshotChunk } from '../../proto/generated/quorumq/v1/SnapshotChunk.js';
import type { ForwardRequest } from '../../proto/generated/quorumq/v1/ForwardRequest.js';
import type { ForwardResponse__Output } from '../../proto/generated/quorumq/v1/ForwardResponse.js';
import type { NodeStatusResponse__Output } from '../../proto/generated/quorumq/v1/NodeStatusResponse.js';
import { freePort, LocalCluster, waitFor } from './cluster.js';

const CLUSTER = 'hostile';

function raft(address: string): RaftClient {
  return new (quorumqV1().Raft)(address, grpc.credentials.createInsecure()) as unknown as RaftClient;
}

/** The metadata a peer sends; anyone who knows the cluster id can make it. */
function md(from: number, address?: string): grpc.Metadata {
  const m = new grpc.Metadata();
  m.set('x-quorumq-cluster', CLUSTER);
  m.set('x-quorumq-from', String(from));
  if (address) m.set('x-quorumq-peer-address', address);
  return m;
}

function send(address: string, meta: grpc.Metadata, messages: RaftMessage[]): Promise<grpc.ServiceError | null> {
  const c = raft(address);
  return new Promise((resolve) => {
    const call = c.Send(meta, (err: grpc.ServiceError | null) => {
      c.close();
      resolve(err);
    });
    call.on('error', () => {});
    call.write({ messages });
    call.end();
  });
}

function installSnapshot(address: string, meta: grpc.Metadata, chunk: SnapshotChunk): Promise<{ err: grpc.ServiceError | null; accepted: boolean }> {
  const c = raft(address);
  return new Promise((resolve) => {
    const call = c.InstallSnapshot(meta, (err: grpc.ServiceError | null, ack?: SnapshotAck__Output) => {
      c.close();
      resolve({ err, accepted: ack?.accepted === true });
    });
    call.on('error', () => {});
    call.write(chunk);
    call.end();
  });
}

function unary<T>(address: string, method: 'Forward' | 'NodeStatus', meta: grpc.Metadata, req: object): Promise<{ err: grpc.ServiceError | null; res?: T }> {
  const c = raft(address) as unknown as Record<string, (r: object, m: grpc.Metadata, o: grpc.CallOptions, cb: (e: grpc.ServiceError | null, r?: T) => void) => void>;
  return new Promise((resolve) => {
    c[method]!(req, meta, { deadline: Date.now() + 5000 }, (err, res) => {
      (c as unknown as grpc.Client).close();
      resolve({ err, ...(res ? { res } : {}) });
    });
  });
}

async function metric(c: LocalCluster, id: number, name: string): Promise<number> {
  const text = await (await fetch(`http://${c.node(id).metrics}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(name + ' ') || l.startsWith(name + '{'));
  return line ? Number(line.split(' ').pop()) : NaN;
}

describe('a cluster facing forged peer traffic (TLS off)', () => {
  let c: LocalCluster;
  let leader: number;
  let follower: number;

  beforeAll(async () => {
    c = await LocalCluster.create(3, { clusterId: CLUSTER });
    await c.startAll();
    leader = await c.waitForLeader();
    follower = [1, 2, 3].find((id) => id !== leader)!;
    const put = await c.cli(['put', 'before', 'attack', '--server', c.node(leader).client]);
    expect(put.code, put.stderr).toBe(0);
  }, 60_000);

  afterAll(async () => {
    await c?.destroy();
  });

  /** Every node up, one leader, and a write still commits and reads back on every node. */
  async function stillServing(key: string): Promise<void> {
    for (const id of [1, 2, 3]) expect(c.running(id), `node ${id} is running\n${c.logTail(id)}`).toBe(true);
    await c.waitForLeader();
    const put = await c.cli(['put', key, 'ok', '--server', [1, 2, 3].map((id) => c.node(id).client).join(',')]);
    expect(put.code, put.stderr).toBe(0);
    await Promise.all(
      [1, 2, 3].map((id) =>
        waitFor(`node ${id} to read ${key}`, async () => {
          const get = await c.cli(['get', key, '--json', '--server', c.node(id).client]);
          return get.code === 0 && JSON.parse(get.stdout).found === true;
        }),
      ),
    );
  }

  it('survives a heartbeat with term 2^53-1 in a member\'s name: dropped, counted, the term unchanged', async () => {
    const claimed = leader;
    const targets = [1, 2, 3].filter((id) => id !== claimed);
    for (const id of targets) {
      const err = await send(c.node(id).peer, md(claimed), [{ type: 'HEARTBEAT', group: 0, from: claimed, to: id, term: 2 ** 53 - 1, commit: 0 }]);
      expect(err).toBeNull();
    }
    for (const id of targets) await waitFor(`node ${id} to count the rejection`, async () => (await metric(c, id, 'quorumq_transport_messages_rejected')) >= 1);
    const s = await c.status();
    expect(s.term).toBeLessThan(1000);
    await stillServing('after-term');
  });

  it('refuses a garbage snapshot (not accepted) and the node restarts afterwards', async () => {
    const s = await c.status();
    const garbage = Buffer.from('this is not a snapshot of any machine');
    const chunk = (crc: number): SnapshotChunk => ({
      header: { type: 'SNAP', group: 0, from: leader, to: follower, term: Number(s.term) },
      meta: { index: Number(s.commit) + 1000, term: Number(s.term), conf: { voters: [1, 2, 3], learners: [] } },
      totalBytes: garbage.byteLength,
      data: garbage,
      last: true,
      crc32: crc,
    });
    const wrongSum = await installSnapshot(c.node(follower).peer, md(leader), chunk(0));
    expect(wrongSum.accepted).toBe(false);
    expect(wrongSum.err?.code).toBe(grpc.status.DATA_LOSS);
    const undecodable = await installSnapshot(c.node(follower).peer, md(leader), chunk(crc32(garbage)));
    expect(undecodable.accepted).toBe(false);
    expect(undecodable.err?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(undecodable.err?.details).toMatch(/cannot be restored/);
    expect(await c.stopNode(follower)).toBe(0);
    const again = await c.startNode(follower);
    expect(again.exitCode, again.stderr).toBeUndefined();
    await stillServing('after-snapshot');
  });

  it('answers NodeStatus and Forward only to members, and refuses garbage and foreign membership changes a member forwards', async () => {
    const leaderPeer = c.node(leader).peer;
    const status = await unary<NodeStatusResponse__Output>(leaderPeer, 'NodeStatus', md(99), { group: 0 });
    expect(status.err?.code).toBe(grpc.status.PERMISSION_DENIED);
    const remove: ForwardRequest = { group: 0, removeNode: { id: follower } };
    const outsider = await unary<ForwardResponse__Output>(leaderPeer, 'Forward', md(99), remove);
    expect(outsider.err?.code).toBe(grpc.status.PERMISSION_DENIED);
    const garbage = await unary<ForwardResponse__Output>(leaderPeer, 'Forward', md(follower), { group: 0, commands: [Buffer.from([0xee, 1, 2, 3])] });
    expect(garbage.err?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(garbage.err?.details).toMatch(/forwarded command 0/);
    // A member may register its own addresses through the leader, not drop another member's.
    const s = await c.status();
    expect(s.members.map((m) => Number(m.id))).toEqual([1, 2, 3]);
    await stillServing('after-forward');
    expect((await c.status()).members.map((m) => Number(m.id))).toEqual([1, 2, 3]);
  });

  it('never dials the peer address a non-member gives', async () => {
    const port = await freePort();
    let dialled = 0;
    const trap: Server = createServer((sock) => {
      dialled++;
      sock.destroy();
    });
    await new Promise<void>((r) => trap.listen(port, '127.0.0.1', () => r()));
    try {
      for (const id of [1, 2, 3]) {
        const err = await send(c.node(id).peer, md(99, `127.0.0.1:${port}`), [{ type: 'HEARTBEAT', group: 0, from: 99, to: id, term: 1_000_000, commit: 0 }]);
        expect(err?.code).toBe(grpc.status.PERMISSION_DENIED);
      }
      for (const id of [1, 2, 3]) expect(await metric(c, id, 'quorumq_transport_calls_rejected')).toBeGreaterThanOrEqual(1);
      // A round of real work: before the fix, the answer to the forged heartbeat went to the trap by now.
      await stillServing('after-address');
      expect(dialled).toBe(0);
      expect((await c.status()).term).toBeLessThan(1000);
    } finally {
      trap.close();
    }
  });
});
