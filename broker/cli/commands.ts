// The quorumq client commands: every command but `server` (main.ts
// dispatches) is a client of the Broker service on whichever of --server answers.

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as grpc from '@grpc/grpc-js';
import { BrokerPool, CallError, parseServers } from './client.js';
import { clusterCommand } from './cluster-commands.js';
import type { Out } from './cluster-commands.js';
import { bindCommand, exchangeCommand, txCommand } from './exchange-commands.js';
import { getCommand, loadCommand, putCommand } from './kv-commands.js';
import { explain, WrongPortError } from './port-check.js';
import { consumeCommand, dlqCommand, publishCommand, queueCommand, scheduleCommand } from './queue-commands.js';
import { appendCommand, readCommand, streamCommand } from './stream-commands.js';
import { USAGE, UsageError } from './usage.js';
import { userCommand } from './user-commands.js';
import { version } from './version.js';

/** Runs one client command; resolves to the process's exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--version' || command === 'version') {
    process.stdout.write(`quorumq ${version()}\n`);
    return 0;
  }
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE + '\n');
    return command ? 0 : 2;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: {
        server: { type: 'string', short: 's' },
        json: { type: 'boolean' },
        timeout: { type: 'string' },
        local: { type: 'boolean' },
        peer: { type: 'string' },
        client: { type: 'string' },
        count: { type: 'string' },
        size: { type: 'string' },
        concurrency: { type: 'string' },
        prefix: { type: 'string' },
        header: { type: 'string', multiple: true },
        producer: { type: 'string' },
        seq: { type: 'string' },
        batch: { type: 'string' },
        from: { type: 'string' },
        follow: { type: 'boolean', short: 'f' },
        consistency: { type: 'string' },
        'max-age': { type: 'string' },
        'max-bytes': { type: 'string' },
        'max-messages': { type: 'string' },
        'max-message-bytes': { type: 'string' },
        partitions: { type: 'string' },
        replicas: { type: 'string' },
        partition: { type: 'string' },
        'dedup-window': { type: 'string' },
        discard: { type: 'string' },
        priority: { type: 'string' },
        id: { type: 'string' },
        group: { type: 'string' },
        ttl: { type: 'string' },
        delay: { type: 'string' },
        prefetch: { type: 'string' },
        ack: { type: 'boolean' },
        requeue: { type: 'boolean' },
        reject: { type: 'boolean' },
        wait: { type: 'string' },
        every: { type: 'string' },
        cron: { type: 'string' },
        'first-at': { type: 'string' },
        at: { type: 'string' },
        'single-active-consumer': { type: 'boolean' },
        'dead-letter-queue': { type: 'string' },
        'dead-letter-exchange': { type: 'string' },
        'dead-letter-routing-key': { type: 'string' },
        'retry-base': { type: 'string' },
        'retry-max': { type: 'string' },
        'retry-factor': { type: 'string' },
        'retry-jitter': { type: 'string' },
        keep: { type: 'boolean' },
        consumer: { type: 'string' },
        lease: { type: 'string' },
        overflow: { type: 'string' },
        'delivery-limit': { type: 'string' },
        'ack-timeout': { type: 'string' },
        'dead-letter': { type: 'string' },
        'max-dead-letters': { type: 'string' },
        dir: { type: 'string' },
        host: { type: 'string' },
        days: { type: 'string' },
        name: { type: 'string' },
        'not-after': { type: 'string' },
        'cluster-id': { type: 'string' },
        'tls-ca': { type: 'string' },
        type: { type: 'string' },
        alternate: { type: 'string' },
        force: { type: 'boolean' },
        exchange: { type: 'string' },
        key: { type: 'string' },
        queue: { type: 'string' },
        stream: { type: 'string' },
        arg: { type: 'string', multiple: true },
        mandatory: { type: 'boolean' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        token: { type: 'string' },
        'token-file': { type: 'string' },
        configure: { type: 'string' },
        write: { type: 'string' },
        read: { type: 'string' },
        admin: { type: 'boolean' },
      },
    });
  } catch (e) {
    process.stderr.write(`quorumq: ${(e as Error).message.split('\n')[0]}\n`);
    return 2;
  }
  const flags = parsed.values as Record<string, string | boolean | undefined>;
  const allFlags = parsed.values as Record<string, string | boolean | string[] | undefined>;
  const out: Out = { json: flags.json === true, print: (t) => process.stdout.write(t + '\n') };
  const timeout = flags.timeout ? Number(flags.timeout) : 5000;
  if (!Number.isFinite(timeout) || timeout <= 0) {
    process.stderr.write('quorumq: --timeout must be a positive number of milliseconds\n');
    return 2;
  }
  if (command === 'cert') {
    try {
      const { certCommand } = await import('./cert-commands.js');
      await certCommand(parsed.positionals, flags, out);
      return 0;
    } catch (e) {
      process.stderr.write(`quorumq: ${(e as Error).message}\n`);
      return e instanceof UsageError ? 2 : 1;
    }
  }
  let creds;
  let token;
  try {
    creds = clientCredentials(flags);
    token = clientToken(flags);
  } catch (e) {
    process.stderr.write(`quorumq: ${(e as Error).message}\n`);
    return 2;
  }
  const pool = new BrokerPool(parseServers(flags.server as string | undefined), timeout, creds, token);
  try {
    switch (command) {
      case 'cluster':
        await clusterCommand(pool, parsed.positionals, flags, out);
        break;
      case 'put':
        await putCommand(pool, parsed.positionals, out);
        break;
      case 'get':
        await getCommand(pool, parsed.positionals, flags, out);
        break;
      case 'load':
        await loadCommand(pool, flags, out);
        break;
      case 'stream':
        await streamCommand(pool, parsed.positionals, allFlags, out);
        break;
      case 'append':
        await appendCommand(pool, parsed.positionals, allFlags, out);
        break;
      case 'read':
        await readCommand(pool, parsed.positionals, allFlags, out);
        break;
      case 'queue':
        await queueCommand(pool, parsed.positionals, allFlags, out);
        break;
      case 'publish':
        await publishCommand(pool, parsed.positionals, allFlags, out);
        break;
      case 'consume':
        await consumeCommand(pool, parsed.positionals, allFlags, out);
        break;
      case 'dlq':
        await dlqCommand(pool, parsed.positionals, allFlags, out);
        break;
      case 'exchange':
        await exchangeCommand(pool, parsed.positionals, allFlags, out);
        break;
      case 'bind':
      case 'unbind':
        await bindCommand(pool, command === 'unbind', parsed.positionals, allFlags, out);
        break;
      case 'tx':
        await txCommand(pool, parsed.positionals, allFlags, out);
        break;
      case 'user':
        await userCommand(pool, parsed.positionals, flags, out);
        break;
      case 'schedule':
        await scheduleCommand(pool, parsed.positionals, allFlags, out);
        break;
      default:
        throw new UsageError(`unknown command "${command}"\n${USAGE}`);
    }
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`quorumq: ${e.message}\n`);
      return 2;
    }
    if (e instanceof CallError) {
      // Pointed at a peer or metrics port: say so (port-check.ts).
      const shown = await explain(e);
      if (out.json) process.stdout.write(JSON.stringify({ error: shown.message, code: shown.code, server: shown.server }) + '\n');
      if (shown instanceof WrongPortError) process.stderr.write(`quorumq: ${shown.message}\n`);
      else process.stderr.write(`quorumq: ${e.message}${e.server ? ` (from ${e.server})` : ''}\n`);
      return 1;
    }
    process.stderr.write(`quorumq: ${(e as Error).message}\n`);
    return 1;
  } finally {
    pool.close();
  }
}

/** A flag, else its environment variable. */
const setting = (flags: Record<string, string | boolean | undefined>, name: string): string | undefined =>
  (flags[name] as string | undefined) ?? (process.env['QUORUMQ_' + name.toUpperCase().replace(/-/g, '_')] || undefined);

function readFlagFile(flag: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new Error(`--${flag} ${path}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/**
 * TLS to a client port served with --tls all: the CA that signed the nodes'
 * certificates (--tls-ca), and a client certificate (--tls-cert, --tls-key)
 * when the cluster authenticates clients by certificate. Undefined: plaintext.
 */
function clientCredentials(flags: Record<string, string | boolean | undefined>): grpc.ChannelCredentials | undefined {
  const ca = setting(flags, 'tls-ca');
  const cert = setting(flags, 'tls-cert');
  const key = setting(flags, 'tls-key');
  if (!ca) {
    if (cert || key) throw new Error('--tls-cert and --tls-key need --tls-ca (the cluster CA that signed the nodes\' certificates)');
    return undefined;
  }
  if (!cert !== !key) throw new Error('--tls-cert and --tls-key go together: give both or neither');
  // Node warns (DEP0123) when TLS is used with an IP address as the server name; the certificate's IP SAN is still checked.
  process.noDeprecation = true;
  return grpc.credentials.createSsl(readFlagFile('tls-ca', ca), key ? readFlagFile('tls-key', key) : null, cert ? readFlagFile('tls-cert', cert) : null);
}

/** A user's token: --token, $QUORUMQ_TOKEN, or the first line of --token-file / $QUORUMQ_TOKEN_FILE. */
function clientToken(flags: Record<string, string | boolean | undefined>): string | undefined {
  const t = setting(flags, 'token');
  if (t) return t.trim();
  const file = setting(flags, 'token-file');
  if (!file) return undefined;
  const v = readFlagFile('token-file', file).toString('utf8').trim();
  if (!v) throw new Error(`--token-file ${file}: the file is empty`);
  return v;
}
