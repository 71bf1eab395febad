// A workload plug-in: what the clients do while the nemesis runs. The stream
// append workload is the first; queue workloads plug in the same way.

import type { ClusterCtl } from '../../../deploy/chaos/cluster-ctl.js';
import type { HistoryWriter } from '../history.js';

export interface WorkloadCtx {
  readonly ctl: ClusterCtl;
  readonly history: HistoryWriter;
  readonly rng: () => number;
  /** How long the end of a run waits for the cluster to settle and converge (default 120 s). */
  readonly settleMs?: number | undefined;
  /** Print a timestamped line. */
  say(msg: string): void;
}

export interface Workload {
  readonly name: string;
  /** Create what the clients need (a stream, a queue). */
  setup(ctx: WorkloadCtx): Promise<void>;
  /** Run every client until `until` (ms since the epoch); every operation goes into ctx.history. */
  run(ctx: WorkloadCtx, until: number): Promise<void>;
  /** After healing: the final contents as each node returns them, keyed by node label. */
  finalRead(ctx: WorkloadCtx): Promise<Record<string, string[]>>;
}
