// A quick look inside one append phase: runs appends at a window and prints
// the leader's counters (applied entries, persists and their time) around
// it, so entries per message and messages per persist are visible.
//   node dist/cluster-tests/bench/probe.js [window] [batch] [ms]

import { readFileSync } from 'node:fs';
import { LocalCluster } from '../e2e/cluster.js';

function cpu(pid: number | undefined): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return (Number(rest[11]) + Number(rest[12])) / 100;
}
import { appendWindowed, closeClients } from './driver.js';

async function metrics(addr: string): Promise<Map<string, number>> {
  const text = await (await fetch(`http://${addr}/metrics`)).text();
  const m = new Map<string, number>();
  for (const line of text.split('\n')) {
    const r = /^(quorumq_raft_applied_entries_total|quorumq_log_persist_seconds_(?:sum|count)|quorumq_log_fsync_seconds_(?:sum|count))(?:\{[^}]*\})? ([0-9.e+-]+)$/.exec(line);
    if (r) m.set(r[1]!, (m.get(r[1]!) ?? 0) + Number(r[2]));
  }
  return m;
}

const [window = 256, batch = 1, ms = 3000, producers = 1] = process.argv.slice(2).map(Number);
const c = await LocalCluster.create(3, { clusterId: 'probe' });
const prof = process.env.PROF_DIR;
if (prof) {
  const orig = c.serverArgs.bind(c);
  c.serverArgs = (id, extra, members) => ['--cpu-prof', `--cpu-prof-dir=${prof}`, `--cpu-prof-name=node${id}.cpuprofile`, ...orig(id, extra, members)];
}
try {
  await c.startAll();
  const leader = await c.waitForLeader();
  const pool = c.client();
  await pool.call('DeclareStream', { name: 'p', settings: {} });
  const addr = c.node(leader).client;
  await appendWindowed([addr], { stream: 'p', batch: 1, window: 64, size: 1024, messages: 3000, timeMs: 3000, producers: 1 });
  const before = await metrics(c.node(leader).metrics);
  const cpu0 = [...c.nodes.values()].map((n) => cpu(n.proc?.pid));
  const u0 = process.cpuUsage();
  const run = window > 0 ? await appendWindowed([addr], { stream: 'p', batch, window, size: 1024, messages: 1e6, timeMs: ms, producers }) : await new Promise<{ confirmed: number; rate: number }>((r) => setTimeout(() => r({ confirmed: 1, rate: 0 }), ms));
  const after = await metrics(c.node(leader).metrics);
  const cpuUs = [...c.nodes.values()].map((n, i) => `${n.id === leader ? 'L' : 'F'}${n.id}:${Math.round(((cpu(n.proc?.pid) - cpu0[i]!) * 1e6) / run.confirmed)}`);
  const u = process.cpuUsage(u0);
  console.log(`cpu us/msg ${cpuUs.join(' ')} client:${Math.round((u.user + u.system) / run.confirmed)}`);
  if (prof) console.log(`leader is node ${leader}`);
  const d = (k: string): number => (after.get(k) ?? 0) - (before.get(k) ?? 0);
  const entries = d('quorumq_raft_applied_entries_total');
  const persists = d('quorumq_log_persist_seconds_count');
  console.log(JSON.stringify({ window, batch, rate: Math.round(run.rate), confirmed: run.confirmed, entries, msgsPerEntry: +(run.confirmed / entries).toFixed(2), persists, msgsPerPersist: +(run.confirmed / persists).toFixed(1), persistMsAvg: +((d('quorumq_log_persist_seconds_sum') / persists) * 1000).toFixed(2), fsyncMsAvg: +((d('quorumq_log_fsync_seconds_sum') / Math.max(1, d('quorumq_log_fsync_seconds_count'))) * 1000).toFixed(2) }));
} finally {
  closeClients();
  for (const id of c.nodes.keys()) await c.stopNode(id, 'SIGTERM');
  if (process.env.KEEP) { const fs = await import("node:fs"); for (const id of c.nodes.keys()) fs.copyFileSync(c.node(id).logFile, `/tmp/node${id}.log`); }
  await c.destroy();
}
process.exit(0);
