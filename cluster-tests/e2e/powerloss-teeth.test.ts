// The power-loss nemesis has teeth: with the log's directory fsyncs turned off
// (QUORUMQ_UNSAFE_NO_DIR_SYNC=1 on every node, the state before the fix), the
// chaos suite finds that a new cluster cut in its first seconds never starts
// again ("no meta-nextfile entry in descriptor"). (Cuts right after a LevelDB
// log switch losing confirmed appends: cluster-tests/long/, make powerloss-teeth
// — it needs minutes and finds the loss in most runs, not all; the log-level
// test cluster-tests/powerloss/log-powercut.test.ts shows it every time.) The same
// nemeses with the fix on run in CI as `make chaos-powerloss-ci` (lost=0,
// every node starting). Real nodes on powercut-fs; needs root and FUSE.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TeethRuns } from '../chaos/powerloss-teeth.js';
import { powerlossTeeth } from '../chaos/powerloss-teeth.js';
import { runChaos } from '../chaos/run.js';

describe('the power-loss nemesis finds what the log lost before directory fsyncs', () => {
  let teeth: TeethRuns | undefined;
  beforeAll(() => {
    teeth = powerlossTeeth();
  });
  afterAll(() => teeth?.cleanup());
  const options = (name: string, nemesis: string, durationS: number) => teeth!.options(name, nemesis, durationS);

  it('a new cluster cut in its first seconds: every node refuses to start', async () => {
    const r = await runChaos(options('fresh', 'power-loss-fresh', 20));
    expect(r.summary).toMatch(/refused-to-start-after-power-loss=3/);
    expect(r.violations).toBeGreaterThan(0);
  }, 240_000);
});
