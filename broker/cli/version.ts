// The package's version, read from package.json: beside the sources two
// levels up (broker/cli/), three from the build (dist/broker/cli/).

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function version(): string {
  for (const rel of ['../../package.json', '../../../package.json']) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    if (!existsSync(p)) continue;
    const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'quorumq' && pkg.version) return pkg.version;
  }
  throw new Error('package.json of quorumq not found next to the CLI');
}
