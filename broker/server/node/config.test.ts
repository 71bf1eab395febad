import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const base = ['--id', '2', '--members', '1=127.0.0.1:7101,2=127.0.0.2:7101,3=127.0.0.3:7101', '--client', '127.0.0.2:7001', '--data-dir', '/tmp/x'];

describe('server configuration', () => {
  it('takes flags, defaults the peer address from --members, and applies default timing', () => {
    const c = loadConfig(base, {});
    expect(c.id).toBe(2);
    expect(c.peerAddress).toBe('127.0.0.2:7101');
    expect(c.members.size).toBe(3);
    expect(c.tickMs).toBe(25);
    expect(c.electionTicks).toBe(12);
    expect(c.clusterId).toBe('quorumq');
  });

  it('ranks flags over environment over config file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qcfg-'));
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ id: 3, clusterId: 'from-file', tickMs: 40, members: { 1: '127.0.0.1:7101', 3: '127.0.0.3:7101' }, client: '127.0.0.3:7001', dataDir: '/d' }));
    expect(loadConfig(['--config', file], {}).clusterId).toBe('from-file');
    expect(loadConfig(['--config', file], { QUORUMQ_CLUSTER_ID: 'from-env' }).clusterId).toBe('from-env');
    expect(loadConfig(['--config', file, '--cluster-id', 'from-flag'], { QUORUMQ_CLUSTER_ID: 'from-env' }).clusterId).toBe('from-flag');
    expect(loadConfig(['--config', file], { QUORUMQ_TICK_MS: '30' }).tickMs).toBe(30);
  });

  const refuses: [string, string[], RegExp][] = [
    ['an unknown member id', ['--id', '9', ...base.slice(2)], /unknown member id 9/],
    ['a malformed id', ['--id', 'two', ...base.slice(2)], /--id must be an integer/],
    ['a malformed address', [...base, '--metrics', 'localhost'], /--metrics must be host:port/],
    ['a port out of range', [...base, '--metrics', '127.0.0.1:70000'], /invalid port/],
    ['a duplicated member', ['--id', '1', '--members', '1=a:1,1=b:2', '--client', 'c:3', '--data-dir', 'd'], /lists node 1 twice/],
    ['the same address twice', [...base, '--metrics', '127.0.0.2:7001'], /both 127.0.0.2:7001/],
    ['election not longer than heartbeat', [...base, '--election-ticks', '2', '--heartbeat-ticks', '2'], /must be greater/],
    ['a missing data directory', base.slice(0, 6), /--data-dir is required/],
    ['an unknown flag', [...base, '--bogus', '1'], /Unknown option '--bogus'/],
    ['an unknown TLS mode', [...base, '--tls', 'some'], /--tls must be off, peer or all/],
    ['TLS without its key', [...base, '--tls', 'peer', '--tls-ca', 'ca.pem', '--tls-cert', 'n.pem'], /--tls peer needs --tls-key/],
    ['a TLS file with TLS off', [...base, '--tls', 'off', '--tls-cert', 'n.pem'], /--tls-cert is set but --tls is off/],
    ['an unknown auth mode', [...base, '--auth', 'yes'], /--auth must be on or off, got "yes"/],
    ['an admin token file with auth off', [...base, '--admin-token-file', 't'], /--admin-token-file is set but --auth is off/],
    ['no connections per address', [...base, '--max-connections-per-address', '0'], /--max-connections-per-address must be between 1 and/],
  ];

  it('keeps client auth off unless asked, and takes the admin token file and the client port limits', () => {
    expect(loadConfig(base, {}).auth).toEqual({ on: false, adminTokenFile: undefined });
    expect(loadConfig([...base, '--auth', 'on', '--admin-token-file', '/etc/q/admin.token'], {}).auth).toEqual({ on: true, adminTokenFile: '/etc/q/admin.token' });
    expect(loadConfig(base, { QUORUMQ_AUTH: 'on' }).auth.on).toBe(true);
    const c = loadConfig([...base, '--max-streams-per-connection', '64'], {});
    expect([c.maxStreamsPerConnection, c.maxConnectionsPerAddress]).toEqual([64, 1000]);
  });

  it('turns TLS on for every port when a certificate is given, or for the peer port alone with --tls peer', () => {
    const files = ['--tls-ca', 'ca.pem', '--tls-cert', 'n.pem', '--tls-key', 'k.pem'];
    expect(loadConfig(base, {}).tls).toBeUndefined();
    expect(loadConfig([...base, ...files], {}).tls).toEqual({ mode: 'all', files: { ca: 'ca.pem', cert: 'n.pem', key: 'k.pem' } });
    expect(loadConfig([...base, ...files, '--tls', 'peer'], {}).tls?.mode).toBe('peer');
    expect(loadConfig(base, { QUORUMQ_TLS: 'peer', QUORUMQ_TLS_CA: 'a', QUORUMQ_TLS_CERT: 'b', QUORUMQ_TLS_KEY: 'c' }).tls).toEqual({ mode: 'peer', files: { ca: 'a', cert: 'b', key: 'c' } });
  });
  for (const [what, argv, msg] of refuses) {
    it(`refuses ${what} with a one-line message`, () => {
      let err: unknown;
      try {
        loadConfig(argv, {});
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toMatch(msg);
      expect((err as Error).message).not.toContain('\n');
    });
  }
});
