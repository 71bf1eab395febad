// How a node opens its log, in one place: the node's start uses it, and the
// server's entry point starts it early (server/main.ts), so that LevelDB's
// recovery and the metadata group's open run on libuv's threads while the
// server's modules load: ~450 ms of module loading on this machine, against
// ~300 ms of opening a log that holds 1 000 000 messages.
//
// Every entry the restart replays (above the checkpoint) and every
// uncommitted one is checked before the node says ready: damage at or below
// the recorded commit index is discarded and fetched again from the leader;
// other damage refuses. Older entries are checked when read; damage met then
// makes the next open check every entry ('full') and repair the same way. A
// full check at every open cost ~14 s for a stream of 1 000 000 x 1 KiB messages.

import type { Logger } from 'pino';
import { openWal } from '../../../log/level-wal.js';
import type { LevelWal } from '../../../log/level-wal.js';
import type { ServerConfig } from './config.js';
import { GROUP } from './context.js';

export function openNodeLog(cfg: Pick<ServerConfig, 'dataDir' | 'clusterId' | 'id'>, logger: Logger): Promise<LevelWal> {
  return openWal({ dir: cfg.dataDir, clusterId: cfg.clusterId, nodeId: cfg.id, logger, verifyOnOpen: 'replay' });
}

/** openNodeLog, with the metadata group's open started as soon as the database is open (wal.group returns the same log when asked again). */
export function openNodeLogEarly(cfg: Pick<ServerConfig, 'dataDir' | 'clusterId' | 'id'>, logger: Logger): Promise<LevelWal> {
  return openNodeLog(cfg, logger).then((wal) => {
    // Its failure is reported where the node asks for the group.
    wal.group(GROUP).catch(() => undefined);
    return wal;
  });
}
