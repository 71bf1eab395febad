// Server configuration from flags, QUORUMQ_* environment variables and a JSON
// config file, in that order of precedence. Every problem is a ConfigError
// whose message fits on one line and says which setting is wrong and why.

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { NodeId } from '../../../raft/core/types.js';
import { DEFAULT_TIMING } from '../../../raft/host/replica-host.js';
import type { TlsFiles } from './tls.js';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export interface ServerConfig {
  readonly id: NodeId;
  readonly clusterId: string;
  /** host:port of the Broker (client) service. */
  readonly clientAddress: string;
  /** host:port of the Raft (peer) service. */
  readonly peerAddress: string;
  /** host:port of the metrics and health HTTP server, or undefined for none. */
  readonly metricsAddress: string | undefined;
  /** Initial members: id → peer address. */
  readonly members: ReadonlyMap<NodeId, string>;
  /** Start outside the membership and wait to be added (quorumq cluster add-node). */
  readonly join: boolean;
  readonly dataDir: string;
  readonly tickMs: number;
  readonly electionTicks: number;
  readonly heartbeatTicks: number;
  /** Snapshot the state machine and compact the log every this many applied entries. */
  readonly snapshotEvery: number;
  readonly logLevel: string;
  /**
   * TLS: 'peer' runs the peer port with mutual TLS (a certificate from the
   * cluster CA required of every peer); 'all' also serves the client port and
   * the metrics/health port over TLS. Undefined: everything plaintext.
   */
  readonly tls: { readonly mode: 'peer' | 'all'; readonly files: TlsFiles } | undefined;
  /**
   * Client authentication: when on, every Broker call needs a token or a
   * client certificate of a user in the replicated users machine, and the
   * permission its table entry names (broker/server/auth/).
   */
  readonly auth: { readonly on: boolean; readonly adminTokenFile: string | undefined };
  /** Client port: connections one client address may hold open (more are closed at once). */
  readonly maxConnectionsPerAddress: number;
  /** Client port: calls open at once on one connection (HTTP/2 concurrent streams). */
  readonly maxStreamsPerConnection: number;
  /** Publishes this node receives are refused (RESOURCE_EXHAUSTED) while its queues hold more message bytes than this (0: no limit). */
  readonly maxQueuedBytes: number;
}

/** Settings as strings, whatever their source. */
type Raw = Partial<Record<keyof typeof SETTINGS, string>>;

/** Every setting: its flag, environment variable and JSON key are derived from this name. */
const SETTINGS = {
  id: 'node id (positive integer)',
  'cluster-id': 'cluster name; a node refuses data and peers of another cluster',
  client: 'host:port for clients (Broker service)',
  peer: 'host:port for other nodes (Raft service); defaults to this node in --members',
  metrics: 'host:port for /metrics, /healthz and /readyz',
  members: 'initial members, id=host:port of their peer service, comma-separated',
  join: 'start outside the membership, to be added with "quorumq cluster add-node"',
  'data-dir': 'directory for the log (created if missing)',
  'tick-ms': `length of a Raft tick in ms (default ${DEFAULT_TIMING.tickMs})`,
  'election-ticks': `ticks without a leader before an election (default ${DEFAULT_TIMING.electionTicks})`,
  'heartbeat-ticks': `ticks between heartbeats (default ${DEFAULT_TIMING.heartbeatTicks})`,
  'snapshot-every': 'applied entries between snapshots (and log compactions) (default 20000)',
  'log-level': 'pino level: fatal, error, warn, info, debug, trace (default info)',
  tls: 'off, peer (mutual TLS between nodes) or all (also the client and metrics ports); default all when --tls-cert is set, else off',
  'tls-ca': 'PEM file: the cluster CA certificate (quorumq cert init)',
  'tls-cert': 'PEM file: this node\'s certificate, issued by the CA to quorumq-node-<id> (quorumq cert issue node)',
  'tls-key': 'PEM file: the private key of --tls-cert',
  auth: 'on or off (default off): when on, client calls need a token or a client certificate, and permissions',
  'admin-token-file': 'file holding the first administrator\'s token (user "admin"), installed once per cluster; created with a new token (mode 0600) if missing',
  'max-connections-per-address': 'client port: connections one client address may hold open; more are closed at once (default 1000)',
  'max-streams-per-connection': 'client port: calls open at once on one connection (default 1000)',
  'max-queued-bytes': 'publishes to this node are refused (RESOURCE_EXHAUSTED) while its queues hold more message bytes than this (default 0: no limit)',
} as const;

export function usage(): string {
  const lines = ['usage: quorumq server [--config file.json] [flags]', ''];
  for (const [k, v] of Object.entries(SETTINGS)) lines.push(`  --${k.padEnd(16)} ${v}  [${envName(k)}]`);
  lines.push(`  --${'config'.padEnd(16)} JSON file with any of the settings above (camelCase or as spelled here)  [QUORUMQ_CONFIG]`);
  return lines.join('\n');
}

function envName(k: string): string {
  return 'QUORUMQ_' + k.toUpperCase().replace(/-/g, '_');
}

function camel(k: string): string {
  return k.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/** Parse argv (after "server"), the environment and the config file into a validated config. */
export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const options: Record<string, { type: 'string' | 'boolean' }> = { config: { type: 'string' }, help: { type: 'boolean' } };
  for (const k of Object.keys(SETTINGS)) options[k] = { type: k === 'join' ? 'boolean' : 'string' };
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false });
  } catch (e) {
    throw new ConfigError((e as Error).message.split('\n')[0]!);
  }
  const flags = parsed.values as Record<string, string | boolean | undefined>;
  if (flags.help) throw new ConfigError(usage());

  const raw: Raw = {};
  const configFile = (flags.config as string | undefined) ?? env.QUORUMQ_CONFIG;
  if (configFile) Object.assign(raw, readConfigFile(configFile));
  for (const k of Object.keys(SETTINGS) as (keyof typeof SETTINGS)[]) {
    const e = env[envName(k)];
    if (e !== undefined && e !== '') raw[k] = e;
  }
  for (const k of Object.keys(SETTINGS) as (keyof typeof SETTINGS)[]) {
    const f = flags[k];
    if (f !== undefined) raw[k] = String(f);
  }
  return validate(raw);
}

function readConfigFile(path: string): Raw {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read config file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`config file ${path} is not valid JSON: ${(e as Error).message}`);
  }
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new ConfigError(`config file ${path} must hold a JSON object`);
  const raw: Raw = {};
  const known = new Map<string, keyof typeof SETTINGS>();
  for (const k of Object.keys(SETTINGS) as (keyof typeof SETTINGS)[]) {
    known.set(k, k);
    known.set(camel(k), k);
  }
  for (const [k, v] of Object.entries(obj)) {
    const key = known.get(k);
    if (!key) throw new ConfigError(`config file ${path}: unknown setting "${k}"`);
    if (key === 'members' && v && typeof v === 'object' && !Array.isArray(v)) {
      raw.members = Object.entries(v as Record<string, unknown>)
        .map(([id, a]) => `${id}=${String(a)}`)
        .join(',');
    } else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
      raw[key] = String(v);
    } else {
      throw new ConfigError(`config file ${path}: setting "${k}" must be a string, number or boolean`);
    }
  }
  return raw;
}

function int(name: string, v: string | undefined, dflt: number, min: number, max: number): number {
  if (v === undefined) return dflt;
  if (!/^\d+$/.test(v.trim())) throw new ConfigError(`--${name} must be an integer, got "${v}"`);
  const n = Number(v);
  if (n < min || n > max) throw new ConfigError(`--${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

/** host:port with a port in 1..65535 (port 0 allowed where `zero`), or a ConfigError naming the setting. */
export function parseAddress(name: string, v: string, zero = false): string {
  const m = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(v.trim());
  if (!m) throw new ConfigError(`${name} must be host:port, got "${v}"`);
  const port = Number(m[2]);
  if (port > 65535 || (port === 0 && !zero)) throw new ConfigError(`${name} has an invalid port ${m[2]} in "${v}"`);
  return `${m[1]}:${port}`;
}

export function parseMembers(v: string): Map<NodeId, string> {
  const out = new Map<NodeId, string>();
  for (const part of v.split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new ConfigError(`--members entries must be id=host:port, got "${part}"`);
    const idText = part.slice(0, eq);
    if (!/^\d+$/.test(idText) || Number(idText) <= 0 || Number(idText) > 0xffff_ffff) {
      throw new ConfigError(`--members has an invalid node id "${idText}" (must be a positive integer)`);
    }
    const id = Number(idText);
    if (out.has(id)) throw new ConfigError(`--members lists node ${id} twice`);
    out.set(id, parseAddress(`--members entry for node ${id}`, part.slice(eq + 1)));
  }
  return out;
}

function validate(raw: Raw): ServerConfig {
  if (raw.id === undefined) throw new ConfigError('--id is required (this node\'s id, a positive integer)');
  const id = int('id', raw.id, 0, 1, 0xffff_ffff);
  const join = raw.join === 'true' || raw.join === '1';
  if (raw.join !== undefined && !['true', 'false', '1', '0'].includes(raw.join)) throw new ConfigError(`--join must be true or false, got "${raw.join}"`);
  const members = raw.members ? parseMembers(raw.members) : new Map<NodeId, string>();
  if (!join && members.size === 0) throw new ConfigError('--members is required: the initial members as id=host:port,... (or --join to be added later)');
  if (!join && !members.has(id)) {
    throw new ConfigError(`unknown member id ${id}: --members lists nodes ${[...members.keys()].join(', ')}; use one of them or start with --join`);
  }
  const peerRaw = raw.peer ?? members.get(id);
  if (!peerRaw) throw new ConfigError('--peer is required (host:port for other nodes) when this node is not in --members');
  const peerAddress = parseAddress('--peer', peerRaw);
  if (members.has(id) && members.get(id) !== peerAddress) {
    throw new ConfigError(`--peer ${peerAddress} differs from node ${id}'s address ${members.get(id)} in --members`);
  }
  if (!raw.client) throw new ConfigError('--client is required (host:port for clients)');
  const clientAddress = parseAddress('--client', raw.client);
  const metricsAddress = raw.metrics ? parseAddress('--metrics', raw.metrics) : undefined;
  const seen = new Map<string, string>([[clientAddress, '--client']]);
  for (const [name, a] of [['--peer', peerAddress], ['--metrics', metricsAddress]] as const) {
    if (!a) continue;
    if (seen.has(a)) throw new ConfigError(`${name} and ${seen.get(a)} are both ${a}`);
    seen.set(a, name);
  }
  if (!raw['data-dir']) throw new ConfigError('--data-dir is required (where this node keeps its log)');
  const clusterId = raw['cluster-id'] ?? 'quorumq';
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(clusterId)) throw new ConfigError(`--cluster-id must be 1-64 letters, digits, ".", "_" or "-", got "${clusterId}"`);
  const tickMs = int('tick-ms', raw['tick-ms'], DEFAULT_TIMING.tickMs, 1, 10_000);
  const heartbeatTicks = int('heartbeat-ticks', raw['heartbeat-ticks'], DEFAULT_TIMING.heartbeatTicks, 1, 1000);
  const electionTicks = int('election-ticks', raw['election-ticks'], DEFAULT_TIMING.electionTicks, 2, 10_000);
  if (electionTicks <= heartbeatTicks) {
    throw new ConfigError(`--election-ticks (${electionTicks}) must be greater than --heartbeat-ticks (${heartbeatTicks})`);
  }
  const snapshotEvery = int('snapshot-every', raw['snapshot-every'], 20_000, 10, 100_000_000);
  const maxQueuedBytes = int('max-queued-bytes', raw['max-queued-bytes'], 0, 0, Number.MAX_SAFE_INTEGER);
  const logLevel = raw['log-level'] ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError(`--log-level must be one of fatal, error, warn, info, debug, trace, silent; got "${logLevel}"`);
  }
  const tls = tlsSettings(raw);
  const authRaw = raw.auth ?? 'off';
  if (authRaw !== 'on' && authRaw !== 'off') throw new ConfigError(`--auth must be on or off, got "${authRaw}"`);
  if (raw['admin-token-file'] && authRaw === 'off') throw new ConfigError('--admin-token-file is set but --auth is off; remove it or set --auth on');
  return {
    tls,
    auth: { on: authRaw === 'on', adminTokenFile: raw['admin-token-file'] },
    id,
    clusterId,
    clientAddress,
    peerAddress,
    metricsAddress,
    members,
    join,
    dataDir: raw['data-dir'],
    tickMs,
    electionTicks,
    heartbeatTicks,
    snapshotEvery,
    logLevel,
    maxQueuedBytes,
    maxConnectionsPerAddress: int('max-connections-per-address', raw['max-connections-per-address'], 1000, 1, 1_000_000),
    maxStreamsPerConnection: int('max-streams-per-connection', raw['max-streams-per-connection'], 1000, 1, 1_000_000),
  };
}

function tlsSettings(raw: Raw): ServerConfig['tls'] {
  const mode = raw.tls ?? (raw['tls-cert'] ? 'all' : 'off');
  if (!['off', 'peer', 'all'].includes(mode)) throw new ConfigError(`--tls must be off, peer or all; got "${mode}"`);
  if (mode === 'off') {
    const stray = (['tls-ca', 'tls-cert', 'tls-key'] as const).find((k) => raw[k]);
    if (stray) throw new ConfigError(`--${stray} is set but --tls is off; remove it or set --tls peer or all`);
    return undefined;
  }
  for (const k of ['tls-ca', 'tls-cert', 'tls-key'] as const) {
    if (!raw[k]) throw new ConfigError(`--tls ${mode} needs --${k} (${SETTINGS[k]})`);
  }
  return { mode: mode as 'peer' | 'all', files: { ca: raw['tls-ca']!, cert: raw['tls-cert']!, key: raw['tls-key']! } };
}
