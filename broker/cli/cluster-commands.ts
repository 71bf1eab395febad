// quorumq cluster status | add-node | remove-node | transfer-leader

import type { ClusterStatusResponse__Output } from '../../proto/generated/quorumq/v1/ClusterStatusResponse.js';
import type { AddNodeResponse__Output } from '../../proto/generated/quorumq/v1/AddNodeResponse.js';
import type { TransferLeaderResponse__Output } from '../../proto/generated/quorumq/v1/TransferLeaderResponse.js';
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
        out.print(`${s.groups.length} data group${s.groups.length === 1 ? '' : 's'}:`);
        out.print(
          table(
            ['GROUP', 'QUEUE', 'PARTITION', 'LEADER', 'PREFERRED', 'MEMBERS', 'TERM', 'COMMIT', 'APPLIED'],
            s.groups.map((g) => [g.group, g.kind === 'stream' ? `${g.queue} (stream)` : g.queue, g.partition, g.leader || 'none', g.preferredLeader, g.members.join(','), g.term, g.commit, g.applied]),
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
    default:
      throw new UsageError(`unknown cluster command "${sub ?? ''}": use status, add-node, remove-node or transfer-leader`);
  }
}
