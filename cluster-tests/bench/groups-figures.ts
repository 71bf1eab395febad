// The pure arithmetic of the many-groups workload (groups.ts): how many
// partitions each queue gets to reach a number of groups, how evenly the
// nodes shared the CPU of a phase, and what one idle group costs.

/** Partitions per queue to place exactly `groups` groups with at most `max` partitions per queue (fullest first). */
export function partitionPlan(groups: number, max: number): number[] {
  if (!Number.isSafeInteger(groups) || groups < 0) throw new Error(`groups must be a non-negative integer, got ${groups}`);
  if (!Number.isSafeInteger(max) || max < 1) throw new Error(`max must be a positive integer, got ${max}`);
  const plan: number[] = [];
  for (let left = groups; left > 0; left -= max) plan.push(Math.min(max, left));
  return plan;
}

export interface Balance {
  /** The busiest node's share over the idlest one's (1 = even). */
  readonly maxOverMin: number;
  /** The largest distance of a node from the mean, in % of the mean (0 = even). */
  readonly maxDeviationPct: number;
}

/** How evenly `values` (e.g. CPU seconds per node during a phase) are spread. */
export function balance(values: readonly number[]): Balance {
  if (values.length === 0 || values.some((v) => !Number.isFinite(v) || v < 0)) return { maxOverMin: NaN, maxDeviationPct: NaN };
  const min = Math.min(...values);
  const max = Math.max(...values);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return {
    maxOverMin: min > 0 ? max / min : max > 0 ? Infinity : 1,
    maxDeviationPct: mean > 0 ? (Math.max(max - mean, mean - min) / mean) * 100 : 0,
  };
}

/** What one group adds, on average over the nodes: (mean of `after` - mean of `before`) / `groups`. */
export function perGroup(before: readonly number[], after: readonly number[], groups: number): number {
  if (before.length === 0 || after.length === 0 || groups <= 0) return NaN;
  const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  return (mean(after) - mean(before)) / groups;
}
