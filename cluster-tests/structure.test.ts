// The project's shape, checked on every test run: the deterministic cores take
// time, randomness and I/O only from their inputs; imports flow one way
// (broker → raft, log, proto; log → raft/core; raft/core → nothing of ours);
// nothing imports cluster-tests; and there are no import cycles.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function sources(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (name === 'node_modules' || name === 'dist' || name === 'generated') continue;
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(p);
    }
  };
  walk(join(root, dir));
  return out;
}

const isTest = (f: string): boolean => f.endsWith('.test.ts') || f.includes('/testing/');

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)) out.push(m[1]!);
  for (const m of text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) out.push(m[1]!);
  for (const m of text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]!);
  return out;
}

/** Repository-relative path of a relative import, as a .ts file. */
function target(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  return relative(root, resolve(dirname(from), spec)).replace(/\.js$/, '.ts');
}

const code = ['raft', 'log', 'broker', 'proto', 'cluster-tests', 'deploy']
  .filter((d) => {
    try {
      return statSync(join(root, d)).isDirectory();
    } catch {
      return false;
    }
  })
  .flatMap(sources);

describe('project structure', () => {
  it.each(['raft/core', 'broker/machine'])('%s takes time, randomness and I/O only from its inputs', (dir) => {
    const forbidden = /\b(Date\.now|new Date\(|Math\.random|performance\.now|setTimeout|setInterval|setImmediate|process\.|crypto\.randomUUID)/;
    const bad: string[] = [];
    for (const f of code.filter((f) => relative(root, f).startsWith(dir + '/') && !isTest(f))) {
      const lines = readFileSync(f, 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (/^\s*(\/\/|\*)/.test(line)) return;
        if (forbidden.test(line)) bad.push(`${relative(root, f)}:${i + 1}: ${line.trim()}`);
      });
      for (const spec of imports(f)) {
        if (spec.startsWith('node:') || ['fs', 'net', 'os', 'crypto', 'child_process'].includes(spec)) bad.push(`${relative(root, f)} imports ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('imports flow one way', () => {
    // For each area, the areas it may import from (besides itself).
    const allowed: Record<string, string[]> = {
      'raft/core': [],
      'raft/host': ['raft/core', 'proto'],
      'raft/transport': ['raft/core', 'raft/host', 'proto'],
      'raft/bench': ['raft/core'],
      log: ['raft/core', 'raft/host'],
      proto: [],
      broker: ['raft', 'log', 'proto'],
      deploy: ['broker', 'raft', 'log', 'proto'],
    };
    const area = (p: string): string | undefined => Object.keys(allowed).find((a) => p === a || p.startsWith(a + '/'));
    const bad: string[] = [];
    for (const f of code) {
      const rel = relative(root, f);
      if (rel.startsWith('cluster-tests/')) continue; // may import anything
      const from = area(rel);
      for (const spec of imports(f)) {
        const t = target(f, spec);
        if (!t) continue;
        if (t.startsWith('cluster-tests/')) {
          bad.push(`${rel} imports ${t}: nothing imports cluster-tests`);
          continue;
        }
        const to = area(t);
        if (!from || !to || from === to) continue;
        if (!allowed[from]!.some((a) => to === a || to.startsWith(a + '/') || a.startsWith(to + '/') || (a === 'raft' && to.startsWith('raft/')))) {
          bad.push(`${rel} (${from}) imports ${t} (${to})`);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it("loads at a node's start none of the packages it needs only on demand", () => {
    // What `quorumq server` loads before it serves (broker/server/main.ts, its
    // value imports and dynamic imports, transitively): server reflection's
    // library, proto-loader and protobufjs's .proto parser, and the CLI's
    // certificate tooling are loaded on first use (createRequire), not here:
    // each is tens to ~140 ms of a restart (proto/load.ts, node/reflection.ts);
    // prom-client a second after the ready line (node/metrics.ts).
    const onDemand = ['@grpc/reflection', '@grpc/proto-loader', 'protobufjs', '@peculiar/x509', 'reflect-metadata', 'prom-client'];
    const valueImports = (file: string): string[] => {
      const text = readFileSync(file, 'utf8');
      const out: string[] = [];
      for (const m of text.matchAll(/^\s*(?:import|export)\s+(?!type\s)[^'"]*?from\s+['"]([^'"]+)['"]/gm)) out.push(m[1]!);
      for (const m of text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) out.push(m[1]!);
      for (const m of text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]!);
      return out;
    };
    const seen = new Set<string>();
    const packages = new Map<string, string>();
    const walk = (rel: string): void => {
      if (seen.has(rel)) return;
      seen.add(rel);
      const file = join(root, rel);
      for (const spec of valueImports(file)) {
        const t = target(file, spec);
        if (t) walk(t);
        else if (!spec.startsWith('node:')) packages.set(spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/'), rel);
      }
    };
    walk('broker/server/main.ts');
    expect(seen.has('broker/server/node/node.ts'), 'the walk reaches the node').toBe(true);
    expect(packages.has('@grpc/grpc-js'), 'the walk sees packages').toBe(true);
    expect(onDemand.filter((p) => packages.has(p)).map((p) => `${p} (imported by ${packages.get(p)})`)).toEqual([]);
  });

  it('keeps the client SDK (broker/client) free of server code: it speaks only the public proto', () => {
    const bad: string[] = [];
    for (const f of code.filter((f) => relative(root, f).startsWith('broker/client/'))) {
      for (const spec of imports(f)) {
        const t = target(f, spec);
        if (t && !t.startsWith('broker/client/') && !t.startsWith('proto/')) bad.push(`${relative(root, f)} imports ${t}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("keeps the server's generic files and the Raft and log layers free of any one machine's code", () => {
    // Only a machine's own service folder (and the two registration points) may know its commands and state.
    const generic = (rel: string): boolean =>
      rel.startsWith('raft/') || rel.startsWith('log/') || ['broker/server/node/', 'broker/server/rpc/', 'broker/server/writes/'].some((d) => rel.startsWith(d)) || rel === 'broker/server/main.ts';
    const machineSpecific = /^broker\/(machine\/(streams|kv|queues|exchanges)\/|server\/(streams|kv|queues|exchanges)\/)/;
    const bad: string[] = [];
    for (const f of code) {
      const rel = relative(root, f);
      if (!generic(rel)) continue;
      for (const spec of imports(f)) {
        const t = target(f, spec);
        if (t && machineSpecific.test(t)) bad.push(`${rel} imports ${t}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('has no import cycles', () => {
    const graph = new Map<string, string[]>();
    for (const f of code) {
      if (isTest(f)) continue;
      const rel = relative(root, f);
      graph.set(
        rel,
        imports(f)
          .map((s) => target(f, s))
          .filter((t): t is string => t !== undefined),
      );
    }
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (n: string): void => {
      if (state.get(n) === 'done') return;
      if (state.get(n) === 'open') {
        cycles.push([...stack.slice(stack.indexOf(n)), n].join(' -> '));
        return;
      }
      state.set(n, 'open');
      stack.push(n);
      for (const m of graph.get(n) ?? []) if (graph.has(m)) visit(m);
      stack.pop();
      state.set(n, 'done');
    };
    for (const n of graph.keys()) visit(n);
    expect(cycles).toEqual([]);
  });
});
