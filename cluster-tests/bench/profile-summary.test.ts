import { describe, expect, it } from 'vitest';
import type { CpuProfile } from './profile-summary.js';
import { summarise } from './profile-summary.js';

// (root) -> main (a.js) -> apply (b.js) -> settle (b.js); main -> fill (c.js)
const frame = (functionName: string, url: string) => ({ functionName, url: `file:///w/dist/${url}`, lineNumber: 0 });
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)', ''), children: [2] },
    { id: 2, callFrame: frame('main', 'a.js'), children: [3, 5] },
    { id: 3, callFrame: frame('apply', 'b.js'), children: [4] },
    { id: 4, callFrame: frame('settle', 'b.js') },
    { id: 5, callFrame: frame('fill', 'c.js') },
  ],
  startTime: 0,
  // 1 s of filling, then 1 s alternating apply / settle, 100 ms apart.
  samples: [...Array(10).fill(5), ...Array.from({ length: 10 }, (_, i) => (i % 2 ? 4 : 3))],
  timeDeltas: Array(20).fill(100_000),
};

describe('profile summary', () => {
  it('self time per function and per file, inclusive time per function', () => {
    const s = summarise(profile);
    expect(s.totalUs).toBe(2_000_000);
    expect(s.selfByFunction).toEqual([
      ['fill dist/c.js:1', 1_000_000],
      ['apply dist/b.js:1', 500_000],
      ['settle dist/b.js:1', 500_000],
    ]);
    expect(s.selfByFile).toEqual([
      ['dist/c.js', 1_000_000],
      ['dist/b.js', 1_000_000],
    ]);
    expect(Object.fromEntries(s.inclusive)).toMatchObject({ 'main dist/a.js:1': 2_000_000, 'apply dist/b.js:1': 1_000_000, 'settle dist/b.js:1': 500_000 });
  });

  it('a window that ends at the last sample inside a frame leaves out what came before (the fill), and `under` keeps what ran below a frame', () => {
    const s = summarise(profile, { windowFn: 'apply', windowS: 0.95, under: 'apply' });
    // The last sample below apply is the 20th (t = 2.0 s): the window is (1.05 s, 2.0 s], ten samples of apply or settle.
    expect(s.totalUs).toBe(1_000_000);
    expect(s.selfByFunction.map(([k]) => k).sort()).toEqual(['apply dist/b.js:1', 'settle dist/b.js:1']);
    expect(s.under).toEqual([
      ['apply dist/b.js:1', 500_000],
      ['settle dist/b.js:1', 500_000],
    ]);
  });
});
