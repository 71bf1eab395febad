// Queue commands on their way to the leader: which may be re-sent after a
// leader change, refusals as statuses, and settles (shared by Consume calls
// and the Settle call).

import { commandFor } from '../../machine/envelope.js';
import type { QueueCommand, SettleOutcome } from '../../machine/queues/commands.js';
import type { QueueReply, QueuesMachine } from '../../machine/queues/machine.js';
import type { NodeContext } from '../node/context.js';
import { resultError } from '../rpc/status.js';
import { safe } from './convert.js';

/**
 * Whether applying `c` twice has the effect of applying it once, so the
 * write path may send it again to a new leader whatever became of the first
 * copy: settles, cancels and node-downs (a second finds nothing to do),
 * subscribes, declares and Gets (a second is answered as existing, or as a
 * repeat of the same request, granting nothing more), a producer's
 * publish (deduplicated by sequence). Not a plain publish, a purge, a delete
 * or a dead-letter replay.
 */
function idempotent(c: QueueCommand): boolean {
  switch (c.op) {
    case 'settle':
    case 'cancel':
    case 'node-down':
    case 'subscribe':
    case 'declare':
    case 'prefetch':
    case 'pull':
    case 'schedule-add':
      return true;
    case 'publish':
      return c.producer !== '';
    default:
      return false;
  }
}

/** Propose a queue command through the leader; refusals become statuses. */
export async function queueWrite(ctx: Pick<NodeContext, 'writes'>, queues: QueuesMachine, c: QueueCommand, deadline = Date.now() + 30_000): Promise<{ reply: Exclude<QueueReply, { ok: false }>; index: number; leader: number }> {
  const out = await ctx.writes.submit(commandFor(queues, c), deadline, { idempotent: idempotent(c) });
  const reply = out.reply as QueueReply;
  if (!reply.ok) throw resultError(reply);
  return { reply, index: out.index, leader: out.leader };
}

/** What a settle names: tags per outcome, and the delay of the requeued ones. */
export interface SettleTags {
  readonly ack: readonly number[];
  readonly requeue: readonly number[];
  readonly reject: readonly number[];
  readonly requeueDelayMs: number;
}

/** Settle deliveries of `consumer` (one command per outcome); resolves with the tags it did not hold, ascending. */
export async function settleTags(ctx: Pick<NodeContext, 'writes'>, queues: QueuesMachine, queue: string, consumer: string, req: SettleTags, deadline?: number): Promise<number[]> {
  const unknown: number[] = [];
  const groups: Array<[SettleOutcome, number[]]> = [
    ['ack', req.ack.map((t, i) => safe(`ack[${i}]`, t))],
    ['requeue', req.requeue.map((t, i) => safe(`requeue[${i}]`, t))],
    ['reject', req.reject.map((t, i) => safe(`reject[${i}]`, t))],
  ];
  const delayMs = safe('requeue_delay_ms', req.requeueDelayMs);
  const writes: Promise<void>[] = [];
  for (const [outcome, tags] of groups) {
    if (!tags.length) continue;
    writes.push(
      queueWrite(ctx, queues, { op: 'settle', queue, consumer, outcome, delayMs: outcome === 'requeue' ? delayMs : 0, tags }, deadline).then((r) => {
        if (r.reply.kind === 'settled') unknown.push(...r.reply.unknown);
      }),
    );
  }
  await Promise.all(writes);
  return unknown.sort((a, b) => a - b);
}

