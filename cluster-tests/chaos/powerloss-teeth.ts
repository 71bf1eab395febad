// Shared by the power-loss teeth tests (e2e/powerloss-teeth.test.ts in make
// test, long/powerloss-switch-teeth.test.ts in make powerloss-teeth): a chaos
// run on powercut-fs with the log's directory fsyncs turned off, in a scratch
// directory the per-node users can reach.

import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { powercutProblem } from '../../deploy/chaos/powercut.js';
import type { RunOptions } from './run.js';

export interface TeethRuns {
  /** Options for one run of `nemesis` for `durationS` seconds, results under the scratch directory. */
  options(name: string, nemesis: string, durationS: number): RunOptions & { workload: string };
  /** Remove the scratch directory. */
  cleanup(): void;
}

export function powerlossTeeth(): TeethRuns {
  const problem = powercutProblem();
  if (problem) throw new Error(`power-loss tests need FUSE: ${problem}`);
  const out = mkdtempSync(join(tmpdir(), 'quorumq-powerloss-teeth-'));
  // The nodes run under their own uids (quorumq-n<i>) and must reach their data below it.
  chmodSync(out, 0o755);
  return {
    options: (name, nemesis, durationS) => ({
      nodes: 3,
      durationS,
      nemesis: [nemesis],
      out: join(out, name),
      seed: 15,
      holdMs: [1000, 2000],
      quietMs: [1000, 2000],
      serverArgs: [],
      keepData: false,
      portBase: 8700,
      unsafeNoDirSync: true,
      // Without the fix the cluster may never converge again (a node lost what it acknowledged): do not wait long for it.
      settleMs: 30_000,
      workload: 'stream-append',
    }),
    cleanup: () => rmSync(out, { recursive: true, force: true }),
  };
}
