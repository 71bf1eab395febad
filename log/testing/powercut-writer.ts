// The child process of the power-cut tests (cluster-tests/powerloss): opens a
// log, appends synced batches of 8 × 1 KiB entries with a hard state, and
// reports on stdout (synchronous writes, so a line printed is a line the
// parent reads):
//   O <last>          opened, continuing after <last>
//   S <last>          every entry up to <last> is confirmed durable
//   N <file>          a new LevelDB log file appeared (seen after a confirm)
// until it is killed.
//
// Mode 'tail' instead writes unsynced batches until LevelDB switches to a new
// log file, then one synced batch (reported with S), then nothing: the
// unsynced batches at the end of the old log come before a confirmed write.
//
// Usage: node dist/log/testing/powercut-writer.js <dir> <writeBufferBytes> <on|off> [synced|tail]

import { readdirSync, writeSync } from 'node:fs';
import { openWal } from '../level-wal.js';
import { range } from './payload.js';

const [dir, bufferArg, dirSync, mode = 'synced'] = process.argv.slice(2);
if (!dir || !bufferArg || (dirSync !== 'on' && dirSync !== 'off')) {
  process.stderr.write('usage: powercut-writer <dir> <writeBufferBytes> <on|off>\n');
  process.exit(2);
}
const say = (line: string): void => void writeSync(1, line + '\n');
const logs = (): string[] => readdirSync(dir).filter((f) => /^\d+\.log$/.test(f));

const wal = await openWal({ dir, clusterId: 'powercut', nodeId: 1, syncDirectory: dirSync === 'on', level: { writeBufferSize: Number(bufferArg) } });
const log = await wal.group(1);
let last = log.lastIndex();
say(`O ${last}`);
const seen = new Set(logs());
if (mode === 'tail') {
  // Past the first switch and its flush first (a new database's first MANIFEST is another matter).
  while (!readdirSync(dir).some((f) => f.endsWith('.ldb'))) {
    await log.persist({ entries: range(last + 1, last + 9, 1, 1024), hardState: { term: 1, vote: 1, commit: last } }, true);
    last += 8;
  }
  for (const f of logs()) seen.add(f);
  for (;;) {
    await log.persist({ entries: range(last + 1, last + 9, 1, 1024), hardState: { term: 1, vote: 1, commit: last } }, false);
    last += 8;
    if (logs().some((f) => !seen.has(f))) break;
  }
  await log.persist({ entries: range(last + 1, last + 9, 1, 1024), hardState: { term: 1, vote: 1, commit: last } }, true);
  last += 8;
  say(`S ${last}`);
  await new Promise(() => undefined);
}
for (;;) {
  await log.persist({ entries: range(last + 1, last + 9, 1, 1024), hardState: { term: 1, vote: 1, commit: last } }, true);
  last += 8;
  say(`S ${last}`);
  for (const f of logs()) {
    if (!seen.has(f)) {
      seen.add(f);
      say(`N ${f}`);
    }
  }
}
