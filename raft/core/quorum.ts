// Majority arithmetic, pure and table-tested. Kept apart from the algorithm so
// a later move to joint consensus only changes this file's callers.

import type { NodeId } from './types.js';

export function majority(n: number): number {
  return (n >> 1) + 1;
}

/**
 * The highest index that a majority of voters has durably: sort the voters'
 * match indexes descending and take the one at position majority-1.
 * An empty voter set commits nothing.
 */
export function committedIndex(voters: readonly NodeId[], matchOf: (id: NodeId) => number): number {
  const n = voters.length;
  if (n === 0) return 0;
  if (n === 1) return matchOf(voters[0]!);
  const idx = new Array<number>(n);
  for (let i = 0; i < n; i++) idx[i] = matchOf(voters[i]!);
  idx.sort((a, b) => b - a);
  return idx[majority(n) - 1]!;
}

export type VoteResult = 'won' | 'lost' | 'pending';

/** Votes granted (true) or refused (false); voters not in the map have not answered. */
export function voteResult(voters: readonly NodeId[], votes: ReadonlyMap<NodeId, boolean>): VoteResult {
  if (voters.length === 0) return 'won';
  let granted = 0;
  let refused = 0;
  for (const v of voters) {
    const r = votes.get(v);
    if (r === true) granted++;
    else if (r === false) refused++;
  }
  const q = majority(voters.length);
  if (granted >= q) return 'won';
  if (voters.length - refused < q) return 'lost';
  return 'pending';
}

/** Whether the given set of voters that answered recently forms a majority. */
export function hasQuorum(voters: readonly NodeId[], active: (id: NodeId) => boolean): boolean {
  let n = 0;
  for (const v of voters) if (active(v)) n++;
  return n >= majority(voters.length);
}
