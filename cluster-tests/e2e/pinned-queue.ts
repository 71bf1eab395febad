// The sparse-compaction scenario of issue 14, as a user runs it on a real
// three-node cluster with default settings: a queue holds one old unacked
// message while `mb` MiB are published and acked after it. Disk use must
// follow the live backlog (one message), not what went through: every node's
// data directory falls back to a bounded size, the pinned message is still
// delivered with its exact bytes — by a node that was wiped and caught up
// from a snapshot (reading it from its own log), and after every node
// restarted. Shared by the e2e test (scaled) and cluster-tests/long (200 MiB).

import { rmSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import type { BrokerPool } from '../../broker/cli/client.js';
import { CallError } from '../../broker/cli/client.js';
import { expect } from 'vitest';
import type { QueueInfoResponse__Output } from '../../proto/generated/quorumq/v1/QueueInfoResponse.js';
import type { LocalCluster } from './cluster.js';
import { waitFor } from './cluster.js';
import { Consumer } from './queues-client.js';
import { dirBytes } from './streams-client.js';

const MiB = 1 << 20;
const BODY = 64 * 1024;
const PER_PUBLISH = 16;

/**
 * What a node may keep with default settings whatever went through: entries
 * since the last snapshot (a snapshot is due every 32 MiB of entries), the
 * 8 MiB tail kept below it for followers just behind, and LevelDB's slack
 * (write buffers, files not yet compacted away).
 */
export const DISK_BOUND = 64 * MiB;

/** The pinned message's body: 1 KiB anyone can regenerate and compare. */
export function pinnedBody(): Buffer {
  const b = Buffer.alloc(1024);
  for (let i = 0; i < b.length; i++) b[i] = (i * 7 + 13) & 0xff;
  return b;
}

/**
 * Publish exactly once, as the API says to: a producer numbers its publishes
 * and retries the same sequence after UNAVAILABLE or DEADLINE_EXCEEDED (a
 * loaded machine changes leaders now and then).
 */
async function publishOnce(pool: BrokerPool, producerId: string, sequence: number, messages: ReadonlyArray<{ body: Buffer }>): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await pool.call('Publish', { queue: 'pinned', producerId, sequence, messages });
      return;
    } catch (e) {
      const retry = e instanceof CallError && (e.code === grpc.status.UNAVAILABLE || e.code === grpc.status.DEADLINE_EXCEEDED);
      if (!retry || Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** A membership command, again while the cluster has no leader for a moment (an election on a loaded machine): nothing was proposed then. */
async function cliRetrying(c: LocalCluster, args: string[], timeoutMs?: number): Promise<{ code: number; stdout: string; stderr: string }> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const r = await c.cli(args, timeoutMs);
    if (r.code === 0 || !/nothing was proposed/.test(r.stderr) || Date.now() > deadline) return r;
    await new Promise((res) => setTimeout(res, 250));
  }
}

export interface PinnedQueueFigures {
  readonly publishSeconds: number;
  /** Each node's data directory once compaction caught up, in bytes. */
  readonly sizes: readonly number[];
  /** The node wiped and re-added, and its data directory after catching up. */
  readonly rejoined: { readonly id: number; readonly bytes: number; readonly ms: number };
}

/**
 * Runs the scenario; every data directory must end below `bound` bytes (at
 * most DISK_BOUND, and well below what went through, which a log compacted
 * only up to the oldest live entry would keep).
 */
export async function pinnedQueueScenario(c: LocalCluster, mb: number, log: (line: string) => void, bound = Math.min(DISK_BOUND, 0.75 * mb * MiB)): Promise<PinnedQueueFigures> {
  const consumers: Consumer[] = [];
  const consume = (node: number, prefetch: number): Consumer => {
    const k = new Consumer(c.node(node).client, 'pinned', prefetch);
    consumers.push(k);
    return k;
  };
  try {
    const leader = await c.waitForLeader();
    const ids = [1, 2, 3];
    const pool = c.client([leader], 30_000);
    const info = (): Promise<QueueInfoResponse__Output> => pool.call<QueueInfoResponse__Output>('QueueInfo', { name: 'pinned' });
    await pool.call('DeclareQueue', { name: 'pinned', settings: {} });
    await publishOnce(pool, 'first', 1, [{ body: pinnedBody() }]);
    // Taken and never acked: its entry stays live below every snapshot to come.
    const holder = consume(leader, 1);
    await waitFor('the pinned message to be delivered', () => holder.deliveries.length === 1);

    // The bulk, acked as it arrives by a second consumer (the first one's prefetch is full).
    // When its call ends or a settle fails (a leader change on a loaded
    // machine may end it; a settle always ends with an answer within its
    // deadline), a new consumer takes over: unacked deliveries come back.
    let stopAcking = false;
    const acking = (async () => {
      while (!stopAcking) {
        // 32 x 64 KiB in flight (the server splits Consume responses at 1 MiB, so a larger prefetch would do too).
        const worker = consume(leader, 32);
        let seen = 0;
        try {
          while (!stopAcking && !worker.error && !worker.ended) {
            const tags = worker.deliveries.slice(seen).map((d) => d.tag);
            if (tags.length === 0) {
              await new Promise((r) => setTimeout(r, 10));
              continue;
            }
            seen += tags.length;
            await worker.settle({ ack: tags }, 60_000);
          }
        } catch (e) {
          log(`acking consumer replaced: ${(e as Error).message}`);
        }
        if (worker.error || worker.ended) log(`acking consumer replaced: its call ended (${worker.error?.message ?? worker.ended})`);
        worker.cancel();
      }
    })();
    const requests = Math.ceil((mb * MiB) / (BODY * PER_PUBLISH));
    const t0 = Date.now();
    let next = 0;
    const publisher = async (p: number): Promise<void> => {
      for (let seq = 1; next < requests; seq++) {
        const i = next++;
        const messages = Array.from({ length: PER_PUBLISH }, (_, k) => ({ body: Buffer.alloc(BODY, (i * PER_PUBLISH + k) % 251) }));
        await publishOnce(pool, `bulk-${p}`, seq, messages);
      }
    };
    await Promise.all(Array.from({ length: 8 }, (_, p) => publisher(p)));
    const publishSeconds = (Date.now() - t0) / 1000;
    log(`published ${mb} MiB in ${BODY / 1024} KiB messages in ${publishSeconds.toFixed(1)} s (${(mb / publishSeconds).toFixed(1)} MiB/s)`);
    const total = requests * PER_PUBLISH;
    let shown = Date.now();
    await waitFor('every bulk message acked', async () => {
      const i = await info();
      if (Date.now() - shown > 10_000) {
        shown = Date.now();
        log(`acked ${i.acked} of ${total} (ready ${i.ready}, unacked ${i.unacked}, delivered ${i.delivered})`);
      }
      return i.acked === total ? i : undefined;
    }, 300_000, 200);
    stopAcking = true;
    await acking;
    expect(await info()).toMatchObject({ ready: 0, unacked: 1 });
    log(`acked ${total} messages after ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    // Disk follows the live backlog (one message), not the total.
    const sizes = await waitFor(
      `every node's data directory below ${(bound / MiB).toFixed(0)} MiB`,
      () => {
        const s = ids.map((id) => dirBytes(c.node(id).dataDir));
        return s.every((b) => b < bound) ? s : undefined;
      },
      120_000,
      500,
    );
    log(`data directories after ${mb} MiB published and acked behind one unacked message: ${sizes.map((b) => (b / MiB).toFixed(1)).join(', ')} MiB`);

    // A follower wiped and added back catches up from a snapshot plus the live entries below it.
    const leaderNow = await c.waitForLeader();
    const f = ids.find((id) => id !== leaderNow)!;
    // Asked through the members that stay: the wiped node knows no leader until it is added.
    const servers = ids.filter((id) => id !== f).map((id) => c.node(id).client).join(',');
    await c.stopNode(f, 'SIGKILL');
    const rm = await cliRetrying(c, ['cluster', 'remove-node', String(f), '--server', servers]);
    expect(rm.code, rm.stderr).toBe(0);
    rmSync(c.node(f).dataDir, { recursive: true, force: true });
    expect((await c.startNode(f, ['--join'])).exitCode).toBeUndefined();
    const t1 = Date.now();
    const add = await cliRetrying(c, ['cluster', 'add-node', String(f), '--peer', c.node(f).peer, '--client', c.node(f).client, '--server', servers], 120_000);
    expect(add.code, add.stderr + add.stdout).toBe(0);
    await waitFor('the re-added node to apply what the leader committed', async () => {
      const s = await c.status(ids.find((id) => id !== f));
      const m = s.members.find((x) => Number(x.id) === f);
      return m?.reachable && m.applied >= s.commit ? m : undefined;
    }, 120_000, 200);
    const rejoinedMs = Date.now() - t1;
    const rejoinedBytes = dirBytes(c.node(f).dataDir);
    log(`wiped node ${f} re-added and caught up in ${rejoinedMs} ms; its data directory: ${(rejoinedBytes / MiB).toFixed(1)} MiB`);
    expect(rejoinedBytes).toBeLessThan(bound);

    // The holder lets go; a consumer on the re-added node gets the pinned message, read from that node's own log.
    holder.cancel();
    await holder.closed;
    const onRejoined = consume(f, 1);
    const d1 = await waitFor('the pinned message on the re-added node', () => onRejoined.deliveries[0], 30_000);
    expect(Buffer.from(d1.body).equals(pinnedBody())).toBe(true);
    expect(d1.redelivered).toBe(true);

    // Every node restarts; the pinned message is delivered again, intact.
    for (const id of ids) await c.stopNode(id, 'SIGTERM');
    for (const id of ids) expect((await c.startNode(id)).exitCode).toBeUndefined();
    const leader2 = await c.waitForLeader(60_000);
    for (const k of consumers) k.cancel();
    const after = consume(leader2, 1);
    const d2 = await waitFor('the pinned message after a restart of every node', () => after.deliveries[0], 60_000);
    expect(Buffer.from(d2.body).equals(pinnedBody())).toBe(true);
    expect(await after.settle({ ack: [d2.tag] })).toEqual([]);
    return { publishSeconds, sizes, rejoined: { id: f, bytes: rejoinedBytes, ms: rejoinedMs } };
  } finally {
    for (const k of consumers) k.cancel();
  }
}
