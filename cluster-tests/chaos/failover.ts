// Failover figures: the time from killing the leader (SIGKILL) to the first
// append confirmed by a new leader, and the same for a leader cut off by a
// partition (iptables, both directions to every peer). Default timing.
//
//   node dist/cluster-tests/chaos/failover.js [--nodes 3] [--kills 20] [--partitions 20] [--out FILE]

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '../../broker/client/index.js';
import { ClusterCtl, ROOT, say, sleep, waitFor } from '../../deploy/chaos/cluster-ctl.js';
import { iptablesProblem, Net } from '../../deploy/chaos/net.js';

function arg(name: string, d: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : d;
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};

async function main(): Promise<void> {
  const nodes = Number(arg('nodes', '3'));
  const kills = Number(arg('kills', '20'));
  const parts = Number(arg('partitions', '20'));
  const out = arg('out', join(ROOT, '.chaos', 'failover.json'));
  const ctl = ClusterCtl.create(join(ROOT, '.chaos', 'failover-cluster'), { n: nodes, clusterId: 'failover', clientPort: 7601, peerPort: 7701, metricsPort: 7801, args: [] });
  // The SDK's channels (fast reconnects), each append pinned to one node so the figure is the cluster's, not the SDK's leader tracking.
  const addrs = ctl.slots.map((s) => ctl.client(s));
  const conn = new Connection({
    servers: addrs,
    discoverMembers: false,
    backoff: { baseMs: 10, maxMs: 50 },
    channelOptions: { 'grpc.initial_reconnect_backoff_ms': 50, 'grpc.min_reconnect_backoff_ms': 50, 'grpc.max_reconnect_backoff_ms': 300 },
  });
  let net: Net | undefined;
  // The writer: appends back to back, each through the next node, 300 ms per try.
  let running = true;
  const confirmed: { time: number; leader: number }[] = [];
  let at = 0;
  const writer = (async () => {
    while (running) {
      const addr = addrs[at % addrs.length]!;
      try {
        const r = await conn.call('Append', { stream: 'failover', messages: [{ body: Buffer.from('x') }] }, { route: addr, timeoutMs: 300, attemptTimeoutMs: 300 });
        confirmed.push({ time: Date.now(), leader: Number(r.leader) });
      } catch {
        at++;
      }
    }
  })();
  const firstAfter = (t0: number, old: number): Promise<number> =>
    waitFor('an append confirmed by a new leader', () => {
      const c = confirmed.find((x) => x.time >= t0 && x.leader !== old);
      return c ? c.time - t0 : undefined;
    }, 60_000, 5);
  const result: Record<string, unknown> = { nodes, timing: 'default (tick 25 ms, election 12 ticks)' };
  try {
    await Promise.all(ctl.slots.map((s) => ctl.start(s)));
    await ctl.waitHealthy();
    await waitFor('the stream', async () => {
      const p = ctl.pool();
      await p.call('DeclareStream', { name: 'failover', settings: {} });
      return true;
    }, 30_000, 200);
    const killTimes: number[] = [];
    for (let i = 0; i < kills; i++) {
      const leader = await ctl.waitHealthy(60_000, 100);
      await waitFor('appends flowing', () => confirmed.some((c) => c.time > Date.now() - 200), 20_000, 10);
      const t0 = Date.now();
      await ctl.stop(leader, 'SIGKILL');
      const dt = await firstAfter(t0, ctl.id(leader));
      killTimes.push(dt);
      say(`kill ${i + 1}/${kills}: killed leader node ${leader}; first append on a new leader after ${dt} ms`);
      const r = await ctl.start(leader);
      if (!r.ok) throw new Error(`node ${leader} did not restart: ${r.error}`);
    }
    result.kill = { n: killTimes.length, medianMs: pct(killTimes, 50), p99Ms: pct(killTimes, 99), maxMs: Math.max(...killTimes), all: killTimes };
    const problem = parts > 0 ? iptablesProblem() : 'not asked';
    if (problem) say(`partition figures skipped: ${problem}`);
    else {
      net = new Net(ctl, 'QUORUMQ-CHAOS-FAILOVER');
      net.setup();
      net.heal();
      const partTimes: number[] = [];
      for (let i = 0; i < parts; i++) {
        const leader = await ctl.waitHealthy(60_000, 100);
        await waitFor('appends flowing', () => confirmed.some((c) => c.time > Date.now() - 200), 20_000, 10);
        const t0 = Date.now();
        net.split([leader], ctl.slots.filter((s) => s !== leader));
        const dt = await firstAfter(t0, ctl.id(leader));
        partTimes.push(dt);
        const d = net.dropped();
        net.heal();
        say(`partition ${i + 1}/${parts}: cut off leader node ${leader}; first append on a new leader after ${dt} ms (${d.packets} packets dropped)`);
        await sleep(500);
      }
      result.partition = { n: partTimes.length, medianMs: pct(partTimes, 50), p99Ms: pct(partTimes, 99), maxMs: Math.max(...partTimes), all: partTimes };
    }
    writeFileSync(out, JSON.stringify(result, null, 2));
    const k = result.kill as { n: number; medianMs: number; p99Ms: number };
    const p = result.partition as { n: number; medianMs: number; p99Ms: number } | undefined;
    console.log(`failover: kill leader -> first confirmed append: median ${k.medianMs} ms, p99 ${k.p99Ms} ms over ${k.n} kills` +
      (p ? `; leader partitioned -> first confirmed append: median ${p.medianMs} ms, p99 ${p.p99Ms} ms over ${p.n} partitions` : ''));
  } finally {
    running = false;
    await writer;
    net?.heal();
    net?.teardown();
    await ctl.stopAll('SIGKILL');
    conn.close();
    ctl.close();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(`failover: ${(e as Error).stack ?? e}`);
    process.exit(1);
  },
);
