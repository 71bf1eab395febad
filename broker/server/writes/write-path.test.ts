// The write path's byte budget on a leader: bounded bytes proposed and not
// yet applied, the rest held back in arrival order and proposed as earlier
// proposals settle. The host here is a scripted stand-in for ReplicaHost:
// the test decides when each proposal applies, which is what it is about.

import { describe, expect, it } from 'vitest';
import { buildEntry, decodeEntry, entryCommand } from '../../machine/envelope.js';
import type { EntryResult } from '../../machine/registry.js';
import { ClusterClock } from '../node/cluster-clock.js';
import type { NodeContext } from '../node/context.js';
import { WritePath } from './write-path.js';

interface Proposal {
  readonly commands: string[];
  apply(): void;
  fail(e: Error): void;
}

function leader(): { ctx: NodeContext; proposals: Proposal[]; held: () => number } {
  const proposals: Proposal[] = [];
  let held = 0;
  const host = {
    isLeader: true,
    currentLeader: 1,
    tickMs: 25,
    electionTicks: 12,
    proposeBatch(entries: readonly Uint8Array[]) {
      return entries.map(
        (data) =>
          new Promise<{ index: number; term: number; result: EntryResult }>((resolve, reject) => {
            const commands = decodeEntry(data).commands.map((c) => Buffer.from(c).subarray(1).toString());
            proposals.push({
              commands,
              apply: () => resolve({ index: proposals.length, term: 1, result: { replies: commands.map(() => ({ ok: true }) as never) } }),
              fail: reject,
            });
          }),
      );
    },
  };
  const ctx = {
    id: 1,
    host,
    machines: { now: 0 },
    clock: new ClusterClock(),
    metrics: { held: { inc: (n = 1) => (held += n) }, resent: { inc: () => undefined } },
  } as unknown as NodeContext;
  return { ctx, proposals, held: () => held };
}

const cmd = (name: string, bytes: number): Uint8Array => {
  const b = Buffer.alloc(bytes, 0x2e);
  b[0] = 9; // a machine id; the write path never reads further
  b.write(name, 1);
  return b.subarray(0, bytes);
};
const name = (s: string): string => s.replace(/\.+$/, '');
const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('write path byte budget', () => {
  it('proposes at most the budget unapplied, holds the rest in order, and proposes it as earlier writes apply', async () => {
    const { ctx, proposals, held } = leader();
    const w = new WritePath(ctx, { maxUnappliedBytes: 1000 });
    const done: string[] = [];
    const all = [...Array(10)].map((_, i) => w.submit(cmd(`c${i}`, 300)).then(() => void done.push(`c${i}`)));
    await turn();
    // 3 × 300 fit in 1000; 7 wait.
    expect(proposals.map((p) => p.commands.map(name))).toEqual([['c0', 'c1', 'c2']]);
    expect(w.backlog).toEqual({ unappliedBytes: 900, held: 7 });
    expect(held()).toBe(7);
    // A command arriving now queues behind the held ones.
    const late = w.submit(cmd('late', 300)).then(() => void done.push('late'));
    await turn();
    expect(proposals).toHaveLength(1);
    proposals[0]!.apply();
    await turn();
    await turn();
    expect(proposals.map((p) => p.commands.map(name))).toEqual([['c0', 'c1', 'c2'], ['c3', 'c4', 'c5']]);
    for (let k = 1; k < 4; k++) {
      proposals[k]!.apply();
      await turn();
      await turn();
    }
    await Promise.all([...all, late]);
    expect(proposals.flatMap((p) => p.commands.map(name))).toEqual([...[...Array(10)].map((_, i) => `c${i}`), 'late']);
    expect(done).toEqual([...[...Array(10)].map((_, i) => `c${i}`), 'late']);
    expect(w.backlog).toEqual({ unappliedBytes: 0, held: 0 });
    expect(held()).toBe(8);
  });

  it('always proposes one command when nothing is unapplied, however large', async () => {
    const { ctx, proposals } = leader();
    const w = new WritePath(ctx, { maxUnappliedBytes: 100 });
    const big = w.submit(cmd('big', 500));
    const next = w.submit(cmd('next', 10));
    await turn();
    expect(proposals.map((p) => p.commands.map(name))).toEqual([['big']]);
    proposals[0]!.apply();
    await big;
    await turn();
    expect(proposals.map((p) => p.commands.map(name))).toEqual([['big'], ['next']]);
    proposals[1]!.apply();
    await next;
  });

  it('a held command whose deadline passes is answered and never proposed; a failed proposal frees its bytes', async () => {
    const { ctx, proposals } = leader();
    const w = new WritePath(ctx, { maxUnappliedBytes: 100 });
    const first = w.submit(cmd('first', 100));
    const expiring = w.submit(cmd('expiring', 50), Date.now() + 30);
    const kept = w.submit(cmd('kept', 50));
    await turn();
    expect(proposals).toHaveLength(1);
    await expect(expiring).rejects.toThrow(/deadline exceeded/);
    proposals[0]!.fail(new Error('lost'));
    await expect(first).rejects.toThrow('lost');
    await turn();
    expect(proposals.map((p) => p.commands.map(name))).toEqual([['first'], ['kept']]);
    proposals[1]!.apply();
    await kept;
    expect(w.backlog).toEqual({ unappliedBytes: 0, held: 0 });
  });
});

// buildEntry is what the write path uses; a sanity check that the stand-in host decodes what it is given.
it('the scripted host reads back the commands of an entry', () => {
  const e = buildEntry([cmd('a', 5), cmd('b', 5)], 1);
  expect([0, 1].map((i) => name(Buffer.from(entryCommand(e, i)).subarray(1).toString()))).toEqual(['a', 'b']);
});
