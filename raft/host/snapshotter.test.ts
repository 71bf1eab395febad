// The snapshotter on real hosts over in-memory logs and network: a machine
// that keeps data in the log (like a stream or a queue) must never lose the
// entries it points at — not to compaction, not on a new member that catches
// up from a snapshot, not across a restart — while compaction deletes every
// other entry below the snapshot (sparse compaction by live indexes).

import { afterEach, describe, expect, it } from 'vitest';
import { seededRandom } from '../core/testing/cluster.js';
import type { Entry, NodeId } from '../core/types.js';
import { ReplicaHost } from './replica-host.js';
import { snapshotEntries } from './snapshotter.js';
import type { RetainingStateMachine } from './snapshotter.js';
import { MemoryNetwork } from './testing/memory-transport.js';
import { MemoryGroupLog } from './testing/memory-group-log.js';
import { until } from './testing/until.js';

/**
 * Keeps the first item for good (an old unacked message) and the last `keep`
 * items, each as the Raft index holding it: the bodies stay in the log.
 */
class RetainingMachine implements RetainingStateMachine<number> {
  pinned: number | undefined;
  indexes: number[] = [];
  applied = 0;
  constructor(private readonly keep: number) {}
  apply(e: Entry): number {
    if (this.pinned === undefined) this.pinned = e.index;
    else {
      this.indexes.push(e.index);
      if (this.indexes.length > this.keep) this.indexes.shift();
    }
    this.applied++;
    return this.applied;
  }
  liveIndexes(): number[] {
    return this.pinned === undefined ? [...this.indexes] : [this.pinned, ...this.indexes];
  }
  snapshot(): Uint8Array {
    return new TextEncoder().encode(JSON.stringify({ pinned: this.pinned, indexes: this.indexes, applied: this.applied }));
  }
  restore(data: Uint8Array): void {
    const s = JSON.parse(new TextDecoder().decode(data)) as { pinned?: number; indexes: number[]; applied: number };
    this.pinned = s.pinned;
    this.indexes = s.indexes;
    this.applied = s.applied;
  }
}

interface Member {
  host: ReplicaHost<number>;
  log: MemoryGroupLog;
  machine: RetainingMachine;
}

const KEEP = 40;
const hosts: ReplicaHost<number>[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.stop()));
});

function start(
  net: MemoryNetwork,
  id: NodeId,
  log: MemoryGroupLog,
  opts: { snapshotEvery?: number; snapshotBytes?: number; compactKeep?: number; compactKeepBytes?: number; checkpointEvery?: number; checkpointBytes?: number } = {},
): Member {
  const machine = new RetainingMachine(KEEP);
  const transport = net.transport(id);
  const host = new ReplicaHost<number>({
    id,
    group: 0,
    log,
    transport,
    machine,
    random: seededRandom(id),
    tickMs: 5,
    electionTicks: 10,
    heartbeatTicks: 2,
    snapshotEvery: 20,
    compactKeep: 0,
    checkpointEvery: 25,
    ...opts,
  });
  transport.listen({
    message: (m) => host.step(m),
    unreachable: (p) => host.reportUnreachable(p),
    snapshotDone: (_g, p, ok) => host.reportSnapshot(p, ok),
    snapshotEntries: (_g, index, chunkBytes) => snapshotEntries(log, index, chunkBytes),
    storeSnapshotEntries: (_g, entries) => log.storeSparse(entries),
  });
  host.start();
  hosts.push(host);
  return { host, log, machine };
}

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Every retained item's entry can be read from this member's own log, with the right body. */
async function readsAll(m: Member): Promise<void> {
  for (const i of m.machine.liveIndexes()) {
    const [e] = await m.log.readEntries(i, i + 1, 1 << 20);
    expect(e?.index).toBe(i);
    expect(new TextDecoder().decode(e!.data)).toMatch(/^item-\d+$/);
  }
}

describe('snapshots for machines that keep data in the log', () => {
  it('compacts everything below the snapshot but the live entries, and a new member receives those with the snapshot', async () => {
    const net = new MemoryNetwork();
    const members = new Map<NodeId, Member>();
    for (const id of [1, 2, 3]) members.set(id, start(net, id, new MemoryGroupLog(0, { voters: [1, 2, 3], learners: [] })));
    const leader = await until(() => [...members.entries()].find(([, m]) => m.host.isLeader)?.[0], 'a leader');
    const lm = members.get(leader)!;
    for (let i = 0; i < 300; i++) await lm.host.propose(enc(`item-${i}`));
    await until(() => lm.log.firstIndex() > 250, 'the leader to compact');
    // The pinned item does not hold the log back: only its own entry stays below the first index.
    const pinned = lm.machine.pinned!;
    expect(lm.log.firstIndex()).toBeGreaterThan(pinned + 200);
    expect(lm.log.sparseIndexes()).toContain(pinned);
    expect(lm.log.sparseIndexes().length).toBeLessThanOrEqual(KEEP + 1);
    await readsAll(lm);
    // A dead entry below the first index is gone.
    await expect(lm.log.readEntries(pinned + 1, pinned + 2, 1 << 20)).rejects.toThrow(/compacted/i);

    // A brand-new member gets the snapshot with the live entries below it, then ordinary replication.
    const m4 = start(net, 4, new MemoryGroupLog(0, { voters: [], learners: [] }));
    members.set(4, m4);
    await lm.host.proposeConfChange({ type: 1, node: 4 });
    await until(() => m4.machine.applied === lm.machine.applied, 'node 4 to catch up');
    expect(m4.log.snapshot().meta.index).toBeGreaterThan(pinned);
    expect(m4.machine.liveIndexes()).toEqual(lm.machine.liveIndexes());
    await readsAll(m4);
  });

  it('restarts from the checkpoint, replaying only the tail after it', async () => {
    const net = new MemoryNetwork();
    const logs = new Map([1, 2, 3].map((id) => [id, new MemoryGroupLog(0, { voters: [1, 2, 3], learners: [] })]));
    const members = new Map<NodeId, Member>();
    // Checkpoints more often than snapshots: a restart finds one newer than the snapshot.
    const opts = { snapshotEvery: 50, checkpointEvery: 7 };
    for (const id of [1, 2, 3]) members.set(id, start(net, id, logs.get(id)!, opts));
    const leader = await until(() => [...members.entries()].find(([, m]) => m.host.isLeader)?.[0], 'a leader');
    const lm = members.get(leader)!;
    for (let i = 0; i < 120; i++) await lm.host.propose(enc(`item-${i}`));
    const f = [1, 2, 3].find((id) => id !== leader)!;
    const fm = members.get(f)!;
    await until(() => fm.machine.applied === 120 && fm.log.checkpoint() !== undefined && fm.log.checkpoint()!.index > fm.log.snapshot().meta.index, 'a checkpoint newer than the snapshot on the follower');
    await fm.host.stop();
    // Read after stopping: a checkpoint in progress finishes first.
    const cp = fm.log.checkpoint()!;
    expect(cp.index).toBeGreaterThan(fm.log.snapshot().meta.index);
    hosts.splice(hosts.indexOf(fm.host), 1);
    const again = start(net, f, fm.log, opts);
    // Restored at the checkpoint, not at the (older) snapshot.
    expect(again.host.applied).toBe(cp.index);
    await until(() => again.machine.applied === 120, 'the restarted node to replay the tail');
    expect(again.machine.liveIndexes()).toEqual(lm.machine.liveIndexes());
    await readsAll(again);
  });

  it('checkpoints by bytes applied as well as by entries, so a restart replays little of a log of large entries', async () => {
    const net = new MemoryNetwork();
    const opts = { snapshotEvery: 1e9, checkpointEvery: 1e9, checkpointBytes: 8 << 10 };
    const members = new Map<NodeId, Member>();
    for (const id of [1, 2, 3]) members.set(id, start(net, id, new MemoryGroupLog(0, { voters: [1, 2, 3], learners: [] }), opts));
    const leader = await until(() => [...members.entries()].find(([, m]) => m.host.isLeader)?.[0], 'a leader');
    const lm = members.get(leader)!;
    for (let i = 0; i < 40; i++) await lm.host.propose(enc(`item-${i} `.padEnd(1024, '.')));
    // 40 entries of about 1 KiB each: far below checkpointEvery, above 8 KiB several times over.
    await until(() => (lm.log.checkpoint()?.index ?? 0) >= 30, 'a checkpoint after ~8 KiB of entries');
  });

  it('advances the snapshot and compacts by bytes as well as by entries, keeping a bounded tail in bytes', async () => {
    const net = new MemoryNetwork();
    // Counts that never trigger: only bytes can (entries here are 8-10 bytes each).
    const opts = { snapshotEvery: 1e9, snapshotBytes: 200, compactKeep: 1e6, compactKeepBytes: 100 };
    const members = new Map<NodeId, Member>();
    for (const id of [1, 2, 3]) members.set(id, start(net, id, new MemoryGroupLog(0, { voters: [1, 2, 3], learners: [] }), opts));
    const leader = await until(() => [...members.entries()].find(([, m]) => m.host.isLeader)?.[0], 'a leader');
    const lm = members.get(leader)!;
    for (let i = 0; i < 300; i++) await lm.host.propose(enc(`item-${i}`));
    await until(() => lm.log.snapshot().meta.index > 200, 'a snapshot moved by bytes');
    const snap = lm.log.snapshot().meta.index;
    // About 100 bytes of entries stay below the snapshot (a dozen), not compactKeep's million.
    expect(snap + 1 - lm.log.firstIndex()).toBeLessThanOrEqual(20);
    await readsAll(lm);
  });
});
