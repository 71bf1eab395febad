// quorumq cluster status | add-node | remove-node | transfer-leader | rebalance

import type { ClusterStatusResponse__Output } from '../../proto/generated/quorumq/v1/ClusterStatusResponse.js';
import type { AddNodeResponse__Output } from '../../proto/generated/quorumq/v1/AddNodeResponse.js';
import type { TransferLeaderResponse__Output } from '../../proto/generated/quorumq/v1/TransferLeaderResponse.js';
import type { RebalanceResponse__Output } from '../../proto/generated/quorumq/v1/RebalanceResponse.js';
import type { BrokerPool } from './client.js';
import { table } from './output.js';
import { UsageError } from './usage.js';

export interface Out {
  json: boolean;
  print(text: string): void;
}

function strip<T extends { _server?: string }>(r: T): Omit<T, '_server'> {
  const { _server, ...rest } = r;
  void _server;
  return rest;
}

function positiveId(v: string | undefined, what: string): number {
  if (!v || !/^\d+$/.test(v) || Number(v) <= 0) throw new UsageError(`${what} needs a node id (a positive integer), got "${v ?? ''}"`);
  return Number(v);
}

export async function clusterCommand(pool: BrokerPool, args: string[], flags: Record<string, string | boolean | undefined>, out: Out): Promise<void> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'status': {
      const s = await pool.call<ClusterStatusResponse__Output>('ClusterStatus', {});
      if (out.json) return out.print(JSON.stringify(strip(s), null, 2));
      out.print(`cluster ${s.clusterId}: leader ${s.leader || 'none'}, term ${s.term}, commit ${s.commit} (answered by node ${s.servedBy} at ${s._server})`);
      out.print(
        table(
          ['ID', 'ROLE', 'VOTER', 'CLIENT', 'PEER', 'TERM', 'COMMIT', 'APPLIED', 'MATCH', 'LAG', 'GROUPS', 'LEADS', 'NOTE'],
          s.members.map((m) => [
            m.id,
            m.role === 'ROLE_UNKNOWN' ? 'unreachable' : m.role.toLowerCase().replace('_', '-'),
            m.voter ? 'yes' : 'no',
            m.clientAddress || '-',
            m.peerAddress || '-',
            m.reachable ? m.term : '-',
            m.reachable ? m.commit : '-',
            m.reachable ? m.applied : '-',
            s.leader ? m.match : '-',
            s.leader ? m.lag : '-',
            m.reachable ? m.groups : '-',
            m.reachable ? m.leading : '-',
            m.reachable ? '' : m.error,
          ]),
        ),
      );
      if (s.groups.length) {
        const per = dataLeaders(s);
        out.print(`${s.groups.length} data group${s.groups.length === 1 ? '' : 's'}; leaders per node: ${[...per].map(([id, n]) => `${id}:${n}`).join(' ')}`);
        out.print(
          table(
            ['GROUP', 'QUEUE', 'PARTITION', 'LEADER', 'PREFERRED', 'MEMBERS', 'VOTERS', 'TERM', 'COMMIT', 'APPLIED'],
            s.groups.map((g) => [g.group, g.kind === 'stream' ? `${g.queue} (stream)` : g.queue, g.partition, g.leader || 'none', g.preferredLeader, g.members.join(','), g.voters.join(',') || '-', g.term, g.commit, g.applied]),
          ),
        );
      }
      return;
    }
    case 'add-node': {
      const id = positiveId(rest[0], 'add-node');
      const peer = (flags.peer as string | undefined) ?? rest[1];
      const client = (flags.client as string | undefined) ?? rest[2] ?? '';
      if (!peer) throw new UsageError('add-node needs the new node\'s peer address: quorumq cluster add-node ID --peer HOST:PORT [--client HOST:PORT]');
      const r = await pool.call<AddNodeResponse__Output>('AddNode', { id, peerAddress: peer, clientAddress: client }, 60_000);
      if (out.json) return out.print(JSON.stringify(strip(r)));
      out.print(`node ${id} added and promoted to voter; voters ${r.voters.join(',')}${r.learners.length ? `, learners ${r.learners.join(',')}` : ''}`);
      return;
    }
    case 'remove-node': {
      const id = positiveId(rest[0], 'remove-node');
      const r = await pool.call<AddNodeResponse__Output>('RemoveNode', { id }, 30_000);
      if (out.json) return out.print(JSON.stringify(strip(r)));
      out.print(`node ${id} removed; voters ${r.voters.join(',')}${r.learners.length ? `, learners ${r.learners.join(',')}` : ''}`);
      return;
    }
    case 'transfer-leader': {
      const id = positiveId(rest[0], 'transfer-leader');
      const r = await pool.call<TransferLeaderResponse__Output>('TransferLeader', { id }, 30_000);
      if (out.json) return out.print(JSON.stringify(strip(r)));
      out.print(`node ${r.leader} leads (term ${r.term})`);
      return;
    }
    case 'rebalance':
      return rebalanceCommand(pool, flags, out);
    default:
      throw new UsageError(`unknown cluster command "${sub ?? ''}": use status, add-node, remove-node, transfer-leader or rebalance`);
  }
}

/** Data groups led per voter (0 included), from a status. */
function dataLeaders(s: ClusterStatusResponse__Output): Map<number, number> {
  const per = new Map<number, number>(s.members.filter((m) => m.voter).map((m) => [m.id, 0]));
  for (const g of s.groups) if (g.leader) per.set(g.leader, (per.get(g.leader) ?? 0) + 1);
  return new Map([...per].sort((a, b) => a[0] - b[0]));
}

/**
 * Ask for a plan (any node makes it and records it in group 0), then watch
 * ClusterStatus until every planned group is led by its planned node, saying
 * on stderr how many are; the result is the moves and leaders per node
 * before, as planned, and after.
 */
async function rebalanceCommand(pool: BrokerPool, flags: Record<string, string | boolean | undefined>, out: Out): Promise<void> {
  const waitMs = flags.wait === undefined ? 120_000 : Number(flags.wait);
  if (!Number.isFinite(waitMs) || waitMs < 0) throw new UsageError(`--wait must be a number of milliseconds, got "${String(flags.wait)}"`);
  const started = Date.now();
  const plan = await pool.call<RebalanceResponse__Output>('Rebalance', {}, 30_000);
  const moves = plan.groups.filter((g) => g.leaderBefore !== g.planned);
  process.stderr.write(`rebalance: plan from node ${plan.servedBy}: ${moves.length} leadership move${moves.length === 1 ? '' : 's'}, ${plan.preferredChanged} preferred leader${plan.preferredChanged === 1 ? '' : 's'} changed\n`);
  let status: ClusterStatusResponse__Output | undefined;
  let matched = 0;
  let said = -1;
  for (;;) {
    status = await pool.call<ClusterStatusResponse__Output>('ClusterStatus', {});
    const leaderOf = new Map(status.groups.map((g) => [g.group, g.leader]));
    matched = plan.groups.filter((g) => leaderOf.get(g.group) === g.planned).length;
    if (matched !== said) {
      process.stderr.write(`rebalance: ${matched}/${plan.groups.length} groups led by their planned node\n`);
      said = matched;
    }
    if (matched === plan.groups.length || Date.now() - started >= waitMs) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const done = matched === plan.groups.length;
  const before = new Map(plan.before.map((n) => [n.id, n.leaders]));
  const planned = new Map(plan.planned.map((n) => [n.id, n.leaders]));
  const after = dataLeaders(status);
  const ids = [...new Set([...before.keys(), ...planned.keys(), ...after.keys()])].sort((a, b) => a - b);
  const result = {
    done,
    waitedMs: Date.now() - started,
    moves: moves.map((g) => ({ group: g.group, queue: g.queue, partition: g.partition, from: g.leaderBefore, to: g.planned })),
    preferredChanged: plan.preferredChanged,
    nodes: ids.map((id) => ({ id, before: before.get(id) ?? 0, planned: planned.get(id) ?? 0, after: after.get(id) ?? 0 })),
  };
  if (out.json) out.print(JSON.stringify(result, null, 2));
  else {
    out.print(`${done ? 'rebalanced' : 'NOT rebalanced yet'}: ${moves.length} move${moves.length === 1 ? '' : 's'} in ${result.waitedMs} ms`);
    if (moves.length) out.print(table(['GROUP', 'QUEUE', 'PARTITION', 'FROM', 'TO'], result.moves.map((m) => [m.group, m.queue, m.partition, m.from || 'none', m.to])));
    out.print(table(['NODE', 'BEFORE', 'PLANNED', 'AFTER'], result.nodes.map((n) => [n.id, n.before, n.planned, n.after])));
  }
  if (!done) throw new Error(`${plan.groups.length - matched} group(s) not yet led by their planned node after ${waitMs} ms (they hand over once the planned node has caught up; see cluster status)`);
}
