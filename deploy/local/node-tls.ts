// Mutual TLS between the nodes of a local cluster (make run): a throwaway CA
// in <cluster dir>/tls/, made once by `quorumq cert init`, and for each node a
// certificate for its id, copied into its node directory (the one its own
// user owns, see node-home.ts) as tls/{ca,node,node-key}.pem. The peer port
// then runs with --tls peer: nobody else on the machine can join the cluster
// or forward to it. The client port stays plaintext, so the CLI needs nothing.
// A chaos run with --tls asks for mode 'all' instead (the client and metrics
// ports too). A cluster directory without tls/ca.pem (a plaintext chaos run)
// runs plaintext as before.
//
//   node-tls.js init DIR                  make the CA (if missing)
//   node-tls.js args DIR SLOT ID DATADIR  provision node SLOT (Raft id ID) and print its server flags, one a line

import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { chownSync, copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/dist\/?$/, '');
const CLI = join(ROOT, 'dist/broker/cli/main.js');

function cert(args: string[]): void {
  execFileSync(process.execPath, [CLI, 'cert', ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/**
 * Issuing a certificate loads the CLI and signs (~1-2 s on a loaded machine):
 * done asynchronously, so a chaos run adding a member under a fresh id does
 * not stall its own clients for that long.
 */
async function certAsync(args: string[]): Promise<void> {
  try {
    await promisify(execFile)(process.execPath, [CLI, 'cert', ...args]);
  } catch (e) {
    const err = e as Error & { stderr?: string };
    throw new Error(`quorumq cert ${args.join(' ')}: ${(err.stderr ?? '').trim() || err.message}`);
  }
}

export function caDir(clusterDir: string): string {
  return join(resolve(clusterDir), 'tls');
}

/** Make the cluster's CA unless it exists. */
export function initClusterTls(clusterDir: string, clusterId = 'local'): void {
  if (!existsSync(join(caDir(clusterDir), 'ca.pem'))) cert(['init', '--dir', caDir(clusterDir), '--cluster-id', clusterId]);
}

/**
 * The --tls flags for node `id` whose data directory is `dataDir` (inside its
 * node directory), its certificate issued (CN quorumq-node-<id>, so a member
 * added under a fresh id gets its own when it first starts) and copied beside
 * the data, owned by the data directory's owner; none when the cluster has no
 * CA. `mode` 'all' also serves the client and metrics ports over TLS (the
 * certificate names `host`, the address clients dial).
 */
export async function nodeTlsArgs(clusterDir: string, id: number, dataDir: string, host: string, mode: 'peer' | 'all' = 'peer'): Promise<string[]> {
  const ca = caDir(clusterDir);
  if (!existsSync(join(ca, 'ca.pem'))) return [];
  if (!existsSync(join(ca, `node-${id}.pem`))) await certAsync(['issue', 'node', '--id', String(id), '--host', `${host},localhost`, '--dir', ca]);
  const dest = join(dirname(dataDir), 'tls');
  mkdirSync(dest, { recursive: true, mode: 0o700 });
  const files: [string, string][] = [
    ['ca.pem', 'ca.pem'],
    [`node-${id}.pem`, 'node.pem'],
    [`node-${id}-key.pem`, 'node-key.pem'],
  ];
  const owner = statSync(dataDir);
  for (const [from, to] of files) {
    copyFileSync(join(ca, from), join(dest, to));
    chownSync(join(dest, to), owner.uid, owner.gid);
  }
  chownSync(dest, owner.uid, owner.gid);
  return ['--tls', mode, '--tls-ca', join(dest, 'ca.pem'), '--tls-cert', join(dest, 'node.pem'), '--tls-key', join(dest, 'node-key.pem')];
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isMain) {
  const [cmd, dir, slot, id, data] = process.argv.slice(2);
  try {
    if (cmd === 'init' && dir) initClusterTls(dir);
    else if (cmd === 'args' && dir && slot && id && data) {
      const args = await nodeTlsArgs(dir, Number(id), data, `127.0.0.${Number(slot)}`);
      if (args.length) process.stdout.write(args.join('\n') + '\n');
    } else {
      process.stderr.write('usage: node-tls.js init DIR | args DIR SLOT ID DATADIR\n');
      process.exit(2);
    }
  } catch (e) {
    process.stderr.write(`node-tls: ${(e as Error).message}\n`);
    process.exit(1);
  }
}
