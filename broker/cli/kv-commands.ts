// quorumq put | get | load: the replicated key-value store.

import type { GetResponse__Output } from '../../proto/generated/quorumq/v1/GetResponse.js';
import type { PutResponse__Output } from '../../proto/generated/quorumq/v1/PutResponse.js';
import type { BrokerPool } from './client.js';
import type { Out } from './cluster-commands.js';
import { Progress } from './output.js';
import { UsageError } from './usage.js';

export async function putCommand(pool: BrokerPool, args: string[], out: Out): Promise<void> {
  const [key, value] = args;
  if (!key || value === undefined) throw new UsageError('usage: quorumq put KEY VALUE');
  const r = await pool.call<PutResponse__Output>('Put', { key, value: Buffer.from(value) });
  if (out.json) out.print(JSON.stringify({ key, index: r.index, leader: r.leader, server: r._server }));
  else out.print(`put ${key} at index ${r.index} (leader node ${r.leader}, via ${r._server})`);
}

export async function getCommand(pool: BrokerPool, args: string[], flags: Record<string, string | boolean | undefined>, out: Out): Promise<void> {
  const [key] = args;
  if (!key) throw new UsageError('usage: quorumq get KEY [--local]');
  const r = await pool.call<GetResponse__Output>('Get', { key, consistency: flags.local ? 'LOCAL' : 'LINEARIZABLE' });
  const value = r.value.toString('utf8');
  if (out.json) out.print(JSON.stringify({ key, found: r.found, value, index: r.index, applied: r.applied, servedBy: r.servedBy }));
  else if (!r.found) out.print(`${key}: not found (node ${r.servedBy}, applied ${r.applied})`);
  else out.print(`${key} = ${value} (written at index ${r.index}; served by node ${r.servedBy})`);
}

/** Write COUNT keys with a bounded number in flight; shows progress. */
export async function loadCommand(pool: BrokerPool, flags: Record<string, string | boolean | undefined>, out: Out): Promise<void> {
  const count = Number(flags.count ?? 1000);
  const concurrency = Number(flags.concurrency ?? 64);
  const size = Number(flags.size ?? 100);
  const prefix = String(flags.prefix ?? 'key');
  for (const [n, v] of [['--count', count], ['--concurrency', concurrency], ['--size', size]] as const) {
    if (!Number.isSafeInteger(v) || v <= 0) throw new UsageError(`${n} must be a positive integer`);
  }
  const value = Buffer.alloc(size, 'x');
  const progress = new Progress('put', count);
  const t0 = Date.now();
  let next = 0;
  let failed = 0;
  let firstError = '';
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      try {
        await pool.call('Put', { key: `${prefix}-${i}`, value });
      } catch (e) {
        failed++;
        firstError ||= (e as Error).message;
      }
      progress.tick();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  progress.finish();
  const secs = (Date.now() - t0) / 1000;
  const summary = { count, failed, seconds: secs, perSecond: Math.round(count / secs) };
  if (out.json) out.print(JSON.stringify({ ...summary, firstError: firstError || undefined }));
  else out.print(`wrote ${count - failed} of ${count} keys in ${secs.toFixed(2)} s (${summary.perSecond}/s)${failed ? `; ${failed} failed, first: ${firstError}` : ''}`);
  if (failed) process.exitCode = 1;
}
