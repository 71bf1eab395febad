// Where a node's CPU went, from a V8 .cpuprofile (the bench writes them with
// --node-arg=--cpu-prof --node-arg=--cpu-prof-dir=DIR, when the nodes stop):
// self time per function and per file, and inclusive time per function.
// A whole bench profile is mostly filling and warm-up: `window` keeps only the
// `seconds` that end at the last sample inside a frame named `fn` (e.g. the
// queue machine's `settle` for a drain), and `under` the self time spent
// below a frame of that name.
//
//   node dist/cluster-tests/bench/profile-summary.js FILE.cpuprofile [--top 25]
//     [--window-fn settle --window-s 4.6] [--under apply]

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export interface CpuProfile {
  readonly nodes: ReadonlyArray<{ readonly id: number; readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number }; readonly children?: readonly number[] }>;
  readonly startTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface Summary {
  /** Microseconds sampled (in the window). */
  readonly totalUs: number;
  /** Microseconds by frame (`name file:line`), by file, inclusive by frame, and self below `under`; each sorted, largest first. */
  readonly selfByFunction: ReadonlyArray<[string, number]>;
  readonly selfByFile: ReadonlyArray<[string, number]>;
  readonly inclusive: ReadonlyArray<[string, number]>;
  readonly under: ReadonlyArray<[string, number]>;
}

const shortUrl = (url: string): string => url.replace(/^.*\/(dist|node_modules)\//, '$1/');

export function summarise(p: CpuProfile, opts: { windowFn?: string; windowS?: number; under?: string } = {}): Summary {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const frame = (id: number): string => {
    const f = byId.get(id)!.callFrame;
    return `${f.functionName || '(anonymous)'} ${shortUrl(f.url)}:${f.lineNumber + 1}`;
  };
  const below = (id: number, fn: string): boolean => {
    for (let k: number | undefined = id; k !== undefined; k = parent.get(k)) if (byId.get(k)!.callFrame.functionName === fn) return true;
    return false;
  };
  const times: number[] = [];
  let t = p.startTime;
  for (let i = 0; i < p.samples.length; i++) times.push((t += p.timeDeltas[i] ?? 0));
  let lo = -Infinity;
  let hi = Infinity;
  if (opts.windowFn) {
    hi = -Infinity;
    for (let i = 0; i < p.samples.length; i++) if (below(p.samples[i]!, opts.windowFn)) hi = times[i]!;
    lo = hi - (opts.windowS ?? 0) * 1e6;
  }
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) if (times[i]! >= lo && times[i]! <= hi) self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i] ?? 0));
  const add = (m: Map<string, number>, k: string, v: number): void => void m.set(k, (m.get(k) ?? 0) + v);
  const fns = new Map<string, number>();
  const files = new Map<string, number>();
  const incl = new Map<string, number>();
  const under = new Map<string, number>();
  let totalUs = 0;
  for (const [id, us] of self) {
    totalUs += us;
    const f = byId.get(id)!.callFrame;
    add(fns, frame(id), us);
    add(files, shortUrl(f.url) || f.functionName, us);
    const seen = new Set<string>();
    for (let k: number | undefined = id; k !== undefined; k = parent.get(k)) {
      const name = frame(k);
      if (!seen.has(name)) add(incl, name, us);
      seen.add(name);
    }
    if (opts.under && below(id, opts.under)) add(under, frame(id), us);
  }
  const sorted = (m: Map<string, number>): Array<[string, number]> => [...m].sort((a, b) => b[1] - a[1]);
  return { totalUs, selfByFunction: sorted(fns), selfByFile: sorted(files), inclusive: sorted(incl), under: sorted(under) };
}

function main(): void {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string' }, 'window-fn': { type: 'string' }, 'window-s': { type: 'string' }, under: { type: 'string' } } });
  const top = Number(values.top ?? 25);
  for (const file of positionals) {
    const s = summarise(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, { windowFn: values['window-fn'], windowS: Number(values['window-s'] ?? 0), under: values.under });
    const show = (title: string, rows: ReadonlyArray<[string, number]>): void => {
      process.stdout.write(`== ${title}\n`);
      for (const [k, us] of rows.slice(0, top)) process.stdout.write(`${((100 * us) / (s.totalUs || 1)).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}\n`);
    };
    process.stdout.write(`### ${file}: ${(s.totalUs / 1e6).toFixed(2)} s sampled\n`);
    show('self by function', s.selfByFunction);
    show('self by file', s.selfByFile);
    show('inclusive', s.inclusive);
    if (values.under) show(`self below ${values.under}`, s.under);
  }
}

// Run as a script, not when a test imports it.
if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) main();
