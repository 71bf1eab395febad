// The plug-in shape of `make bench`: a workload is a named set of phases that
// records figures into the shared report. The machine-limit workloads run
// first, so every later figure can be shown beside its limit; the streams
// workloads follow, then the queue workloads (see main.ts).

import type { Report } from './report.js';

export interface BenchOptions {
  /** Messages per phase (each phase is also bounded in time). */
  messages: number;
  /** Message body size in bytes. */
  size: number;
  /** Cluster size for the main phases. */
  nodes: number;
  /** Requests in flight per producer for the windowed append phase. */
  window: number;
  /** Concurrent producers (AppendStream calls) in the windowed and batched phases. */
  producers: number;
  /** Concurrent subscribers in the subscribe phase. */
  consumers: number;
  /** Runs per figure (the median is reported). */
  runs: number;
  /** Time bound per run of a phase, ms. */
  phaseMs: number;
  /** Messages in the stream (and queued in the queue) for the recovery phases. */
  recoveryMessages: number;
  /** Failovers measured per kind. */
  failovers: number;
  /** Data groups placed for the idle-group figures of the groups workload. */
  idleGroups: number;
  /** Only run workloads whose name matches (comma-separated), or all. */
  only: string[];
  /** Skip workloads by name (comma-separated). */
  skip: string[];
  /** Only run these variants of a workload that has several (queue-features: plain, groups, priority, ttl; append: w1, w256, b16, b256), or all. */
  variants: string[];
  /** Where results are written (git-ignored). */
  out: string;
  /** Extra flags for every server process (e.g. to profile). */
  serverArgs: string[];
  /** Node options for every server process (e.g. --cpu-prof). */
  nodeArgs: string[];
  /** How long a fresh cluster may take to elect a leader before its phase fails. */
  startTimeoutMs: number;
}

export interface Workload {
  /** Short name used by --only / --skip. */
  readonly name: string;
  /** One line: what it measures, with its fixed shape. */
  describe(o: BenchOptions): string;
  run(o: BenchOptions, report: Report): Promise<void>;
}
