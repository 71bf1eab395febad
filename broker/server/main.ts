// `quorumq server`: load and validate the configuration, start the node,
// print one line when it is ready, and stop gracefully on SIGTERM/SIGINT.
// Any problem before that is one line on stderr and exit code 2.
//
// The CLI (broker/cli/main.ts) runs it as `quorumq server ...`; run directly
// (`node dist/broker/server/main.js --help`) it is the same command.

import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { ConfigError, loadConfig, usage } from './node/config.js';
import { openNodeLogEarly } from './node/log-open.js';
import { createLogger } from './node/logger.js';
// Loaded once the log is being opened (below): gRPC and the node are most of a start's module loading.
import type { QuorumqNode } from './node/node.js';

/** Exit codes: 0 clean stop, 1 failure while running, 2 refused to start. */
export const EXIT_STARTUP = 2;

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0]!;
}

export async function runServer(argv: readonly string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(usage() + '\n');
    return;
  }
  let cfg;
  try {
    cfg = loadConfig(argv);
  } catch (e) {
    process.stderr.write(`quorumq server: ${e instanceof ConfigError ? e.message : firstLine(e)}\n`);
    process.exit(EXIT_STARTUP);
  }

  let node: QuorumqNode | undefined;
  const logger: Logger = createLogger(cfg.id, cfg.logLevel, { term: (group) => node?.termOf(group) ?? 0 });
  // The log opens on libuv's threads while the modules below load (log-open.ts says why);
  // a failure is reported by node.start(), after the ports are checked.
  const opening = openNodeLogEarly(cfg, logger);
  opening.catch(() => undefined);
  const grpc = await import('@grpc/grpc-js');
  // grpc-js writes its own errors to stderr ("No address added..."); ours say
  // it better, in the log. GRPC_VERBOSITY still turns them back on.
  if (!process.env.GRPC_VERBOSITY) grpc.setLogVerbosity(grpc.logVerbosity.NONE);
  const { QuorumqNode: Node } = await import('./node/node.js');
  node = new Node(
    cfg,
    logger,
    (err) => {
      logger.fatal({ err: err.message }, 'fatal error; exiting');
      process.exit(1);
    },
    opening,
  );
  try {
    await node.start();
  } catch (e) {
    const msg = firstLine(e);
    logger.error({ err: msg }, 'refusing to start');
    process.stderr.write(`quorumq server: cannot start node ${cfg.id}: ${msg}\n`);
    process.exit(EXIT_STARTUP);
  }
  let signalled = false;
  const onSignal = (sig: NodeJS.Signals): void => {
    if (signalled) {
      logger.warn({ signal: sig }, 'second signal: exiting now');
      process.exit(1);
    }
    signalled = true;
    logger.info({ signal: sig }, 'shutting down');
    // Never hang: a stop that takes longer than this exits anyway.
    const hard = setTimeout(() => {
      logger.error('graceful shutdown timed out; exiting');
      process.exit(1);
    }, 15_000);
    hard.unref();
    node!.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        logger.error({ err: firstLine(e) }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  // SIGHUP: read the TLS files again; bad new files are logged and the old ones kept.
  process.on('SIGHUP', () => {
    try {
      if (!node!.reloadTls()) logger.info('SIGHUP: TLS is off; nothing to reload');
    } catch (e) {
      logger.error({ err: firstLine(e) }, 'TLS reload refused; keeping the certificates in use');
    }
  });
  // Only now: a supervisor may signal the moment it reads this line (a pipe
  // write is synchronous), and the graceful handler must already be there.
  process.stdout.write(
    `quorumq node ${cfg.id} ready: client ${cfg.clientAddress} peer ${cfg.peerAddress}${cfg.metricsAddress ? ` metrics ${cfg.metricsAddress}` : ''} data ${cfg.dataDir}\n`,
  );
}

/** Run as a program rather than imported by the CLI. */
function isEntryPoint(): boolean {
  const argv1 = process.argv[1];
  if (!argv1) return false;
  try {
    return realpathSync(argv1) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  runServer(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`quorumq server: ${firstLine(e)}\n`);
    process.exit(1);
  });
}
