import { walConformance } from './conformance.js';
import { MemoryWal } from './memory-wal.js';

walConformance('MemoryWal', () => ({
  open: async () => new MemoryWal({ clusterId: 'conformance', nodeId: 1 }),
  evicts: false,
  cleanup: async () => undefined,
}));
