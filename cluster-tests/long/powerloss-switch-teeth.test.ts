// The power-loss nemesis at a LevelDB log switch, with the log's directory
// fsyncs turned off (QUORUMQ_UNSAFE_NO_DIR_SYNC=1 on every node, the state
// before the fix): 75 s of cuts right after switches lose confirmed appends.
// Minutes long, and the cuts are timed against a running cluster, so it finds
// the loss in most runs rather than every one: `make powerloss-teeth`, not
// part of `make test` (whose e2e keeps the fresh-cluster teeth, and whose
// log-level power-cut test shows the switch loss every time). Real nodes on
// powercut-fs; needs root and FUSE.

import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { powercutProblem } from '../../deploy/chaos/powercut.js';
import { runChaos } from '../chaos/run.js';
import type { RunOptions } from '../chaos/run.js';

describe('the power-loss nemesis at log switches, without directory fsyncs', () => {
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

  it('cuts right after log switches: confirmed appends lost', async () => {
    const r = await runChaos(options('switch', 'power-loss-switch', 75));
    const lost = Number(/lost=(\d+)/.exec(r.summary)?.[1] ?? 0);
    expect(lost, r.summary).toBeGreaterThan(0);
  }, 420_000);
});
