// Results of `make bench`: every figure is a median over runs, printed as one
// JSON line the moment it is known, and kept for the closing table (each
// figure beside the machine's limit for the same shape, and the ratio).

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Result {
  metric: string;
  value: number;
  unit: string;
  runs: number;
  min: number;
  max: number;
}

/** A line of the closing table: a figure, optionally beside its limit. */
export interface Row {
  readonly section: string;
  readonly label: string;
  readonly metric: string;
  /** The machine-limit metric to compare with; the ratio is value / limit (or limit / value when lowerIsBetter). */
  readonly limit?: string;
  /** A goal to show (e.g. ">= 24000"), never asserted. */
  readonly goal?: string;
  readonly lowerIsBetter?: boolean;
}

export function round(x: number): number {
  if (!Number.isFinite(x)) return x;
  return Math.abs(x) >= 100 ? Math.round(x) : Math.round(x * 1000) / 1000;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The p-th percentile (0..100) of a sample, nearest rank. */
export function percentile(xs: ArrayLike<number>, p: number): number {
  if (xs.length === 0) return NaN;
  const s = Float64Array.from(xs).sort();
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

export function progress(msg: string): void {
  process.stderr.write(`bench: ${msg}\n`);
}

export class Report {
  readonly results = new Map<string, Result>();
  readonly rows: Row[] = [];
  readonly notes: string[] = [];

  /** Record a figure from its per-run samples (the median is the value). */
  record(metric: string, unit: string, samples: readonly number[]): Result {
    const ok = samples.filter((x) => Number.isFinite(x));
    const sorted = [...ok].sort((a, b) => a - b);
    const r: Result = { metric, value: round(median(ok)), unit, runs: ok.length, min: round(sorted[0] ?? NaN), max: round(sorted[sorted.length - 1] ?? NaN) };
    this.results.set(metric, r);
    process.stdout.write(JSON.stringify(r) + '\n');
    return r;
  }

  row(r: Row): void {
    this.rows.push(r);
  }

  note(s: string): void {
    this.notes.push(s);
  }

  value(metric: string): number {
    return this.results.get(metric)?.value ?? NaN;
  }

  table(): string {
    const fmt = (x: number | undefined): string => (x === undefined || !Number.isFinite(x) ? '-' : x >= 100 ? Math.round(x).toLocaleString('en-US') : String(round(x)));
    const out: string[] = [];
    const head = ['figure', 'value', 'unit', 'min..max (runs)', 'limit', 'ratio', 'goal'];
    const lines: string[][] = [];
    let section = '';
    for (const r of this.rows) {
      const res = this.results.get(r.metric);
      if (!res) continue;
      if (r.section !== section) {
        section = r.section;
        lines.push([`[${section}]`, '', '', '', '', '', '']);
      }
      const lim = r.limit ? this.results.get(r.limit) : undefined;
      const ratio = lim && lim.value ? (r.lowerIsBetter ? lim.value / res.value : res.value / lim.value) : undefined;
      lines.push([
        '  ' + r.label,
        fmt(res.value),
        res.unit,
        `${fmt(res.min)}..${fmt(res.max)} (${res.runs})`,
        lim ? `${fmt(lim.value)} ${lim.unit}` : '',
        ratio === undefined ? '' : `${(ratio * 100).toFixed(0)}%`,
        r.goal ?? '',
      ]);
    }
    const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
    const pad = (cells: string[]): string => cells.map((c, i) => (i === 0 || i === 2 || i === 6 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
    out.push(pad(head));
    out.push(widths.map((w) => '-'.repeat(w)).join('  '));
    for (const l of lines) out.push(pad(l));
    if (this.notes.length) {
      out.push('');
      for (const n of this.notes) out.push('note: ' + n);
    }
    return out.join('\n');
  }

  /** Write results (JSON lines, table, settings) under dir/<timestamp>/ and dir/latest/. */
  save(dir: string, header: string): string {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const body = [...this.results.values()].map((r) => JSON.stringify(r)).join('\n') + '\n';
    const text = header + '\n\n' + this.table() + '\n';
    for (const sub of [stamp, 'latest']) {
      const d = join(dir, sub);
      mkdirSync(d, { recursive: true });
      writeFileSync(join(d, 'results.jsonl'), body);
      writeFileSync(join(d, 'table.txt'), text);
    }
    return join(dir, stamp);
  }
}
