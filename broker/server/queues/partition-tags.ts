// How a delivery tag of a partitioned queue says which partition delivered it.

import { MAX_PARTITIONS } from '../../machine/placement/machine.js';

/**
 * A delivery tag of a partitioned queue: the partition's own tag times 64
 * plus the partition, so a settle names its partition without a lookup and
 * no two partitions' tags can be confused (tags stay below 2^53 while a
 * partition's own tags stay below 2^47).
 */
export function partitionTag(tag: number, partition: number): number {
  return tag * MAX_PARTITIONS + partition;
}

export function splitTag(wire: number): { readonly tag: number; readonly partition: number } {
  return { tag: Math.floor(wire / MAX_PARTITIONS), partition: wire % MAX_PARTITIONS };
}
