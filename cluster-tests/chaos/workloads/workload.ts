// A workload plug-in: what the clients do while the nemesis runs, what the
// cluster holds at the end, and how the history is judged against it. The
// stream append workload was the first; the queue workload plugs in the same
// way.

import type { ClusterCtl } from '../../../deploy/chaos/cluster-ctl.js';
import { waitFor } from '../../../deploy/chaos/cluster-ctl.js';
import type { ProbeTry } from '../groups.js';
import type { HistoryEvent, HistoryWriter } from '../history.js';
import { describeError } from './clients.js';
import type { NodeClients } from './clients.js';

export interface WorkloadCtx {
  readonly ctl: ClusterCtl;
  readonly history: HistoryWriter;
  readonly rng: () => number;
  /** How long the end of a run waits for the cluster to settle and converge (default 120 s). */
  readonly settleMs?: number | undefined;
  /** Print a timestamped line. */
  say(msg: string): void;
}

/** What the checker made of a run. */
export interface Verdict {
  readonly violations: number;
  /** The one `chaos: ...` line. */
  readonly summary: string;
  /** Up to 10 examples per anomaly. */
  readonly examples: Record<string, string[]>;
  /** Everything the checker counted, for results.json. */
  readonly result: object;
}

export interface Workload<Final = unknown> {
  readonly name: string;
  /** Create what the clients need (a stream, a queue). */
  setup(ctx: WorkloadCtx): Promise<void>;
  /** Run every client until `until` (ms since the epoch); every operation goes into ctx.history. */
  run(ctx: WorkloadCtx, until: number): Promise<void>;
  /** After healing: what each node holds at the end (drained first when the workload needs it), keyed by node label. */
  finalRead(ctx: WorkloadCtx): Promise<Final>;
  /** Judge the history against the final state (a pure function). */
  judge(history: readonly HistoryEvent[], final: Final): Verdict;
  /**
   * Extra writers of large messages (`bytes` each), recorded and checked like
   * the others, until stopped: the power-loss nemesis cuts power right after a
   * log switch with many confirms in flight.
   */
  bulk?(ctx: WorkloadCtx, writers: number, bytes: number): { stop(): void };
  /**
   * A workload on a partitioned queue: its name and partitions, and probe
   * publishers, one per partition, each publishing one message at a time (a
   * deadline per try, no retry) through the given nodes until `until`,
   * recorded and checked like the others: the isolation measurement.
   */
  readonly partitioned?: { readonly queue: string; readonly partitions: number } | undefined;
  probe?(ctx: WorkloadCtx, addrs: readonly string[], until: number): Promise<ProbeTry[]>;
  close?(): void;
}

/** Every node's client address, in slot order. */
export function nodeAddrs(ctx: WorkloadCtx): string[] {
  return ctx.ctl.slots.map((s) => ctx.ctl.client(s));
}

/**
 * A setup call (a declare, a bind) sent to the nodes round robin until one
 * answers (a young cluster may still be electing): ALREADY_EXISTS counts as
 * done, since a try whose answer was lost may have landed.
 */
export async function setupCall(clients: NodeClients, ctx: WorkloadCtx, what: string, method: string, req: object): Promise<void> {
  const addrs = nodeAddrs(ctx);
  let i = 0;
  await waitFor(what, async () => {
    try {
      await clients.unary(addrs[i++ % addrs.length]!, method, req, 5000);
    } catch (e) {
      if (!/ALREADY_EXISTS/.test(describeError(e))) throw e;
    }
    return true;
  }, 60_000, 200);
}
