// A queue's figures as QueueInfo and ListQueues answer them, from this
// node's applied state; a partitioned queue's are its partitions' sums.

import type { QueueInfoResponse } from '../../../proto/generated/quorumq/v1/QueueInfoResponse.js';
import type { QueueBreakdown, QueueInfo, QueuesMachine } from '../../machine/queues/machine.js';
import type { NodeContext } from '../node/context.js';
import { fromQueueConfig } from './convert.js';

/** Per-priority and per-group counts as QueueInfoResponse has them: only levels in use, highest first; the top groups (bounded). */
function breakdownFields(b: QueueBreakdown): Pick<QueueInfoResponse, 'readyByPriority' | 'groups' | 'groupsReady' | 'topGroups'> {
  const readyByPriority: { priority: number; ready: number }[] = [];
  for (let p = b.readyByPriority.length - 1; p >= 0; p--) if (b.readyByPriority[p]! > 0) readyByPriority.push({ priority: p, ready: b.readyByPriority[p]! });
  return { readyByPriority, groups: b.groups.groups, groupsReady: b.groups.withReady, topGroups: b.groups.top.map((g) => ({ group: g.group, ready: g.ready, inFlight: g.inFlight })) };
}

export function infoResponse(ctx: NodeContext, q: QueuesMachine, i: QueueInfo): QueueInfoResponse {
  const s = i.stats;
  return {
    name: i.name,
    settings: fromQueueConfig(q.queue(i.name)!.config),
    ready: s.ready,
    delayed: s.delayed,
    unacked: s.unacked,
    deadLettered: s.deadLettered,
    bytes: s.bytes,
    consumers: i.consumers,
    published: s.published,
    delivered: s.delivered,
    redelivered: s.redelivered,
    acked: s.acked,
    failed: s.failed,
    expired: s.expired,
    deadLetterDropped: s.deadLetterDropped,
    servedBy: ctx.id,
    activeConsumer: i.activeConsumer,
    deadLetterMoved: s.deadLetterMoved,
    deadLetterReceived: s.deadLetterReceived,
    schedules: q.queue(i.name)!.schedules.size,
    scheduleSkipped: s.scheduleSkipped,
    ...breakdownFields(q.breakdown(i.name)!),
  };
}

/** The figures that add up over a queue's partitions. */
const SUMMED = ['ready', 'delayed', 'unacked', 'deadLettered', 'bytes', 'consumers', 'published', 'delivered', 'redelivered', 'acked', 'failed', 'expired', 'deadLetterDropped', 'deadLetterMoved', 'deadLetterReceived', 'schedules', 'scheduleSkipped', 'groups', 'groupsReady'] as const;

/** A partitioned queue's info: partition 0's settings and name, every count summed, priorities merged, top groups of all partitions. */
export function partitionedInfo(parts: readonly QueueInfoResponse[]): QueueInfoResponse {
  const out: QueueInfoResponse = { ...parts[0]!, partitions: parts.length };
  for (const f of SUMMED) out[f] = parts.reduce((n, p) => n + Number(p[f] ?? 0), 0);
  const byPriority = new Map<number, number>();
  for (const p of parts) for (const r of p.readyByPriority ?? []) byPriority.set(r.priority!, (byPriority.get(r.priority!) ?? 0) + Number(r.ready));
  out.readyByPriority = [...byPriority].sort((a, b) => b[0] - a[0]).map(([priority, ready]) => ({ priority, ready }));
  const top = parts.flatMap((p) => p.topGroups ?? []).sort((a, b) => Number(b.ready) - Number(a.ready) || String(a.group).localeCompare(String(b.group)));
  out.topGroups = top.slice(0, parts[0]!.topGroups?.length ? Math.max(...parts.map((p) => p.topGroups?.length ?? 0)) : 0);
  out.activeConsumer = parts.map((p) => p.activeConsumer).find((c) => c) ?? '';
  return out;
}
