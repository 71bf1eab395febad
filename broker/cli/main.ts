#!/usr/bin/env node
// The quorumq command: `quorumq server ...` runs a node; every other command
// is a client of the Broker service (commands.ts).
//
// Only a dispatcher: each branch loads its own modules, so a node's start
// loads the server alone and begins opening its log while the rest of the
// server's modules load (server/main.ts), and a client command loads no server.

const argv = process.argv.slice(2);

async function run(): Promise<number> {
  if (argv[0] === 'server') {
    const { runServer } = await import('../server/main.js');
    await runServer(argv.slice(1));
    return -1; // keeps running; the server exits the process itself
  }
  const { main } = await import('./commands.js');
  return main(argv);
}

run().then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (e: unknown) => {
    process.stderr.write(`quorumq: ${(e as Error)?.message ?? String(e)}\n`);
    process.exit(1);
  },
);
