// Stream storage on a real cluster: retention by bytes, count and age removes
// whole old ranges and disk use falls back near the retained data; an idle
// cluster with nothing to expire stays quiet; a restarted node serves again
// quickly; a node wiped and re-added catches up on a large stream.

import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClusterStatusResponse__Output } from '../../proto/generated/quorumq/v1/ClusterStatusResponse.js';
import type { ReadResponse__Output } from '../../proto/generated/quorumq/v1/ReadResponse.js';
import type { StreamInfoResponse__Output } from '../../proto/generated/quorumq/v1/StreamInfoResponse.js';
import { LocalCluster, waitFor } from './cluster.js';
import { appendMany, closeRawClients, dirBytes } from './streams-client.js';

const MiB = 1 << 20;
/** The wiped-node test's stream size; QUORUMQ_E2E_CATCHUP_MB=1024 for the gigabyte run. */
const CATCHUP_MB = Number(process.env.QUORUMQ_E2E_CATCHUP_MB ?? 64);

let c: LocalCluster | undefined;
afterEach(async () => {
  closeRawClients();
  await c?.destroy();
  c = undefined;
});

/** Append `mb` MiB to `stream` in 64 KiB messages, 4 per request, through `addr`. */
async function fill(addr: string, stream: string, mb: number, tag = ''): Promise<void> {
  const perReq = 4;
  const reqs = Array.from({ length: Math.ceil((mb * MiB) / (perReq * 64 * 1024)) }, (_, i) => ({
    stream,
    messages: Array.from({ length: perReq }, (_, k) => ({ body: Buffer.alloc(64 * 1024, `${tag}${(i * perReq + k) % 10}`) })),
  }));
  for (let i = 0; i < reqs.length; i += 512) {
    const res = await appendMany(addr, reqs.slice(i, i + 512), 32);
    const bad = res.find((r) => r.errorCode);
    if (bad) throw new Error(`append failed: ${bad.errorCode} ${bad.errorMessage}`);
  }
}

describe('stream storage', () => {
  it('retention by bytes removes old ranges and disk use falls back near the retained data; count and age retention too, and an idle cluster stays quiet', async () => {
    c = await LocalCluster.create(3, { timing: ['--snapshot-every', '200'] });
    await c.startAll();
    const leader = await c.waitForLeader();
    const pool = c.client([leader], 10_000);
    await pool.call('DeclareStream', { name: 'big', settings: { maxBytes: 4 * MiB } });
    // One message in a stream without limits, written first: its entry stays
    // live below every snapshot (sparse compaction), and pins nothing else.
    await pool.call('DeclareStream', { name: 'keep', settings: {} });
    await pool.call('Append', { stream: 'keep', messages: [{ body: Buffer.from('pinned') }] });
    const t0 = Date.now();
    await fill(c.node(leader).client, 'big', 96);
    const secs = (Date.now() - t0) / 1000;
    console.log(`appended 96 MiB in 256 KiB batches in ${secs.toFixed(1)} s (${(96 / secs).toFixed(1)} MiB/s)`);
    const info = await pool.call<StreamInfoResponse__Output>('StreamInfo', { name: 'big' });
    expect(info.bytes).toBeLessThanOrEqual(4 * MiB);
    expect(info.firstOffset).toBeGreaterThan(1000);
    // Old offsets are gone, with the first available one named.
    await expect(pool.call('Read', { stream: 'big', fromOffset: 0 })).rejects.toMatchObject({ code: 11, details: expect.stringMatching(new RegExp(`first available offset is ${info.firstOffset}`)) });
    const r = await pool.call<ReadResponse__Output>('Read', { stream: 'big', fromOffset: info.firstOffset, maxMessages: 2 });
    expect(r.messages[0]!.offset).toBe(info.firstOffset);
    // Each node's data directory falls back near the retained 4 MiB (plus LevelDB's write buffer).
    const sizes = await waitFor(
      'every node\'s data directory to shrink below 40 MiB',
      () => {
        const s = [1, 2, 3].map((id) => dirBytes(c!.node(id).dataDir));
        return s.every((b) => b < 40 * MiB) ? s : undefined;
      },
      60_000,
      500,
    );
    console.log(`data directories after writing 96 MiB with 4 MiB retained: ${sizes.map((b) => (b / MiB).toFixed(1)).join(', ')} MiB`);
    // The pinned message is still read from each node's own log.
    for (const id of [1, 2, 3]) {
      const k = await c.client([id], 10_000).call<ReadResponse__Output>('Read', { stream: 'keep', fromOffset: 0, consistency: 'LOCAL' });
      expect(k.messages.map((m) => Buffer.from(m.body).toString())).toEqual(['pinned']);
    }

    // Count retention.
    await pool.call('DeclareStream', { name: 'counted', settings: { maxMessages: 10 } });
    for (let i = 0; i < 5; i++) await pool.call('Append', { stream: 'counted', messages: Array.from({ length: 4 }, () => ({ body: Buffer.from('x') })) });
    expect(await pool.call('StreamInfo', { name: 'counted' })).toMatchObject({ messageCount: 8, firstOffset: 12 });

    // Age retention: the leader's ticks expire old batches without any new append.
    await pool.call('DeclareStream', { name: 'aged', settings: { maxAgeMs: 1000, dedupWindowMs: 1000 } });
    await pool.call('Append', { stream: 'aged', producerId: 'once', sequence: 1, messages: [{ body: Buffer.from('old') }] });
    await waitFor('the aged message and producer to expire', async () => {
      const i = await pool.call<StreamInfoResponse__Output>('StreamInfo', { name: 'aged' });
      return i.messageCount === 0 && i.producers === 0 && i.firstOffset === 1;
    }, 15_000, 100);
    // Nothing left to expire: no more ticks, the log stands still.
    const commitOf = async (): Promise<number> => (await c!.status(leader)).commit;
    const before = await commitOf();
    await waitFor('two seconds without any new entry', async () => {
      await new Promise((r) => setTimeout(r, 500));
      return Date.now() > t0 && (await commitOf()) === before ? (await c!.status(leader)) : undefined;
    }, 10_000, 1500);
    const after = await commitOf();
    expect(after).toBe(before);
  }, 240_000);

  // The retained entries reach a wiped node with the snapshot: those below it
  // (the sparse part of the leader's log) in chunks after its data, the rest
  // by ordinary replication (raft/host/snapshotter.ts).
  it('a restarted node serves again quickly; a node wiped and re-added catches up on a large stream in chunks', async () => {
    c = await LocalCluster.create(3, { timing: ['--snapshot-every', '500'] });
    await c.startAll();
    const leader = await c.waitForLeader();
    const [a, b] = [1, 2, 3].filter((id) => id !== leader) as [number, number];
    const servers = [1, 2, 3].map((id) => c!.node(id).client).join(',');
    const pool = c.client([leader], 30_000);
    await pool.call('DeclareStream', { name: 'archive', settings: {} });
    const t0 = Date.now();
    await fill(c.node(leader).client, 'archive', CATCHUP_MB, 'a');
    console.log(`appended ${CATCHUP_MB} MiB in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const info = await pool.call<StreamInfoResponse__Output>('StreamInfo', { name: 'archive' });

    // Restart: serves its data again from its snapshot/checkpoint plus the tail.
    await c.stopNode(a, 'SIGTERM');
    const t1 = Date.now();
    expect((await c.startNode(a)).exitCode).toBeUndefined();
    const viaA = c.client([a], 5000);
    await waitFor('the restarted node to serve the last message', async () => {
      const r = await viaA.call<ReadResponse__Output>('Read', { stream: 'archive', fromOffset: info.lastOffset, consistency: 'LOCAL' });
      return r.messages.length === 1;
    }, 60_000, 50);
    console.log(`restart of a node holding ${CATCHUP_MB} MiB: serving again after ${Date.now() - t1} ms`);

    // Wipe node b and add it back: it catches up from a snapshot plus the retained entries.
    await c.stopNode(b, 'SIGKILL');
    const rm = await c.cli(['cluster', 'remove-node', String(b), '--server', servers]);
    expect(rm.code, rm.stderr).toBe(0);
    rmSync(c.node(b).dataDir, { recursive: true, force: true });
    expect((await c.startNode(b, ['--join'])).exitCode).toBeUndefined();
    const t2 = Date.now();
    const add = await c.cli(['cluster', 'add-node', String(b), '--peer', c.node(b).peer, '--client', c.node(b).client, '--server', servers], 600_000);
    expect(add.code, add.stderr + add.stdout).toBe(0);
    const viaB = c.client([b], 10_000);
    await waitFor('the re-added node to serve the whole stream', async () => {
      const r = await viaB.call<ReadResponse__Output>('Read', { stream: 'archive', fromOffset: info.lastOffset, consistency: 'LOCAL' });
      return r.messages.length === 1;
    }, 600_000, 200);
    console.log(`wiped node re-added and caught up on ${CATCHUP_MB} MiB in ${Date.now() - t2} ms`);
    // Every message is readable on it, from its own log.
    let from = info.firstOffset;
    let n = 0;
    while (from <= info.lastOffset) {
      const r = await viaB.call<ReadResponse__Output>('Read', { stream: 'archive', fromOffset: from, maxMessages: 1000, maxBytes: 4 * MiB, consistency: 'LOCAL' });
      for (const m of r.messages) {
        expect(m.body.byteLength).toBe(64 * 1024);
        expect(m.body[0]).toBe(`a${m.offset % 10}`.charCodeAt(0));
      }
      n += r.messages.length;
      from = r.nextOffset;
    }
    expect(n).toBe(info.messageCount);
    const s = await c.status();
    expect(s.members.find((m) => m.id === b)).toMatchObject({ voter: true, reachable: true } satisfies Partial<ClusterStatusResponse__Output['members'][number]>);
  }, 900_000);
});
