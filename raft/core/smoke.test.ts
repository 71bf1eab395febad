import { describe, expect, it } from 'vitest';
import { TestCluster, utf8 } from './testing/cluster.js';

describe('a three-node cluster', () => {
  it('elects one leader and replicates proposals to every node', () => {
    const c = new TestCluster([1, 2, 3]);
    const leader = c.electLeader();
    for (let i = 0; i < 10; i++) c.get(leader).node.propose(utf8(`v${i}`));
    c.stabilize();
    c.tick(leader);
    c.stabilize();
    for (const id of [1, 2, 3]) expect(c.appliedData(id)).toEqual([...Array(10)].map((_, i) => `v${i}`));
  });
});
