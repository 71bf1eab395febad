// Counters and histograms that count before prom-client is loaded (metrics.ts
// loads it once the node has caught up after its start) and hand what they
// counted to prom-client's own when they are bound to them; from then on
// every call goes straight through. The calls take the arguments
// prom-client's take, and refuse what its refuse, at the call.

import { format, inspect } from 'node:util';
import type { Counter, Histogram, LabelValues } from 'prom-client';

type Labels<L extends string> = LabelValues<L>;

/** A counter's increment checked as prom-client's Counter.inc checks it. */
function checkIncrement(value: number | undefined): void {
  if (value && !Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${format(value)}`);
  if (value !== undefined && value < 0) throw new Error('It is not possible to decrease a counter');
}

/** Labels checked as prom-client's validateLabel checks them: only the metric's label names. */
function checkLabels(names: readonly string[], labels: object): void {
  for (const key of Object.keys(labels)) {
    if (!names.includes(key)) throw new Error(`Added label "${key}" is not included in initial labelset: ${inspect(names)}`);
  }
}

export class LazyCounter<L extends string = string> {
  constructor(private readonly labelNames: readonly L[] = []) {}

  private real: Counter<L> | undefined;
  /** Before binding: the sum per label set (keyed by their JSON; a call site passes its labels in one order). */
  private early: Map<string, { labels: Labels<L> | undefined; value: number }> | undefined = new Map();

  inc(value?: number): void;
  inc(labels: Labels<L>, value?: number): void;
  inc(labelsOrValue?: Labels<L> | number, value?: number): void {
    const real = this.real;
    const labels = typeof labelsOrValue === 'object' ? labelsOrValue : undefined;
    const v = labels ? value : (labelsOrValue as number | undefined);
    if (real) {
      if (labels) real.inc(labels, v);
      else real.inc(v);
      return;
    }
    if (labels) checkLabels(this.labelNames, labels);
    checkIncrement(v);
    const key = labels ? JSON.stringify(labels) : '';
    const sum = this.early!.get(key);
    if (sum) sum.value += v ?? 1;
    else this.early!.set(key, { labels, value: v ?? 1 });
  }

  /** Counts from now on go to `real`, which gets what was counted so far. */
  bind(real: Counter<L>): void {
    for (const { labels, value } of this.early!.values()) {
      if (labels) real.inc(labels, value);
      else real.inc(value);
    }
    this.early = undefined;
    this.real = real;
  }
}

export class LazyHistogram<L extends string = string> {
  constructor(private readonly labelNames: readonly L[] = []) {}

  private real: Histogram<L> | undefined;
  /** Before binding: every observation, in order. */
  private early: Array<{ labels: Labels<L> | undefined; value: number }> | undefined = [];

  observe(value: number): void;
  observe(labels: Labels<L>, value: number): void;
  observe(labelsOrValue: Labels<L> | number, value?: number): void {
    const real = this.real;
    const labels = typeof labelsOrValue === 'object' ? labelsOrValue : undefined;
    const v = labels ? value! : (labelsOrValue as number);
    if (real) {
      if (labels) real.observe(labels, v);
      else real.observe(v);
      return;
    }
    if (labels) checkLabels(this.labelNames, labels);
    if (!Number.isFinite(v)) throw new TypeError(`Value is not a valid number: ${format(v)}`);
    this.early!.push({ labels, value: v });
  }

  /** prom-client's Histogram.startTimer: the returned function observes the seconds since, and returns them. */
  startTimer(labels?: Labels<L>): (endLabels?: Labels<L>) => number {
    const start = process.hrtime();
    return (endLabels) => {
      const delta = process.hrtime(start);
      const seconds = delta[0] + delta[1] / 1e9;
      this.observe({ ...labels, ...endLabels } as Labels<L>, seconds);
      return seconds;
    };
  }

  /** Observations from now on go to `real`, which gets those made so far. */
  bind(real: Histogram<L>): void {
    for (const { labels, value } of this.early!) {
      if (labels) real.observe(labels, value);
      else real.observe(value);
    }
    this.early = undefined;
    this.real = real;
  }
}
