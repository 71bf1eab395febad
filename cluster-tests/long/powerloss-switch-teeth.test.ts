// The power-loss nemesis at a LevelDB log switch, with the log's directory
// fsyncs turned off (QUORUMQ_UNSAFE_NO_DIR_SYNC=1 on every node, the state
// before the fix): 75 s of cuts right after switches lose confirmed appends.
// Minutes long, and the cuts are timed against a running cluster, so it finds
// the loss in most runs rather than every one: `make powerloss-teeth`, not
// part of `make test` (whose e2e keeps the fresh-cluster teeth, and whose
// log-level power-cut test shows the switch loss every time). Real nodes on
// powercut-fs; needs root and FUSE.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TeethRuns } from '../chaos/powerloss-teeth.js';
import { powerlossTeeth } from '../chaos/powerloss-teeth.js';
import { runChaos } from '../chaos/run.js';

describe('the power-loss nemesis at log switches, without directory fsyncs', () => {
  let teeth: TeethRuns | undefined;
  beforeAll(() => {
    teeth = powerlossTeeth();
  });
  afterAll(() => teeth?.cleanup());
  const options = (name: string, nemesis: string, durationS: number) => teeth!.options(name, nemesis, durationS);

  it('cuts right after log switches: confirmed appends lost', async () => {
    const r = await runChaos(options('switch', 'power-loss-switch', 75));
    const lost = Number(/lost=(\d+)/.exec(r.summary)?.[1] ?? 0);
    expect(lost, r.summary).toBeGreaterThan(0);
  }, 420_000);
});
