import { walConformance } from './conformance.js';
import { openWal } from './level-wal.js';
import { removeDir, tempDir } from './testing/tmp.js';
import type { Wal } from './wal.js';

walConformance('LevelWal', () => {
  let dir: string | undefined;
  const open = async (options?: { cacheBytes?: number }): Promise<Wal> =>
    openWal({ dir: dir!, clusterId: 'conformance', nodeId: 1, cacheBytes: options?.cacheBytes, verifyOnOpen: 'full' });
  return {
    open: async (options) => {
      dir = await tempDir('conf');
      return open(options);
    },
    reopen: async (wal, options) => {
      await wal.close();
      return open(options);
    },
    evicts: true,
    cleanup: async () => {
      if (dir) await removeDir(dir);
    },
  };
});
