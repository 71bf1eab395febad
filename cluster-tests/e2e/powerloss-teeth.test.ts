// The power-loss nemesis has teeth: with the log's directory fsyncs turned off
// (QUORUMQ_UNSAFE_NO_DIR_SYNC=1 on every node, the state before the fix), the
// chaos suite finds that a new cluster cut in its first seconds never starts
// again ("no meta-nextfile entry in descriptor"). (Cuts right after a LevelDB
// log switch losing confirmed appends: cluster-tests/long/, make powerloss-teeth
// — it needs minutes and finds the loss in most runs, not all; the log-level
// test cluster-tests/powerloss/log-powercut.test.ts shows it every time.) The same
// nemeses with the fix on run in CI as `make chaos-powerloss-ci` (lost=0,
// every node starting). Real nodes on powercut-fs; needs root and FUSE.

import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { powercutProblem } from '../../deploy/chaos/powercut.js';
import { runChaos } from '../chaos/run.js';
import type { RunOptions } from '../chaos/run.js';

describe('the power-loss nemesis finds what the log lost before directory fsyncs', () => {
  let out: string;
  beforeAll(() => {
    const problem = powercutProblem();
    if (problem) throw new Error(`power-loss tests need FUSE: ${problem}`);
    out = mkdtempSync(join(tmpdir(), 'quorumq-powerloss-teeth-'));
    // The nodes run under their own uids (quorumq-n<i>) and must reach their data below it.
    chmodSync(out, 0o755);
  });
  afterAll(() => {
    if (out) rmSync(out, { recursive: true, force: true });
  });

  const options = (name: string, nemesis: string, durationS: number): RunOptions & { workload: string } => ({
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
  });

  it('a new cluster cut in its first seconds: every node refuses to start', async () => {
    const r = await runChaos(options('fresh', 'power-loss-fresh', 20));
    expect(r.summary).toMatch(/refused-to-start-after-power-loss=3/);
    expect(r.violations).toBeGreaterThan(0);
  }, 240_000);
});
