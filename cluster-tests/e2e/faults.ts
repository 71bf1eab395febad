// Real faults for end-to-end tests: a cut link (iptables, matching the
// sending node's uid as deploy/chaos/net.ts does, in a chain of this test
// process's own so concurrent runs never heal each other), and a paused
// process (SIGSTOP). Every fault is undone by heal()/teardown(), which the
// tests call in afterAll/finally, failures included.

import { execFileSync, spawnSync } from 'node:child_process';
import type { LocalCluster } from './cluster.js';

function ipt(...args: string[]): void {
  execFileSync('iptables', ['-w', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
}

const ok = (...args: string[]): boolean => spawnSync('iptables', ['-w', ...args]).status === 0;

export class Links {
  /** Chain names are at most 28 characters. */
  readonly chain = `QQ-E2E-${process.pid}`;

  constructor(private readonly cluster: LocalCluster) {
    if (!ok('-L', 'OUTPUT', '-n')) throw new Error('iptables does not work here (the link tests need root and iptables)');
    if (!ok('-L', this.chain, '-n')) ipt('-N', this.chain);
    if (!ok('-C', 'OUTPUT', '-j', this.chain)) ipt('-I', 'OUTPUT', '1', '-j', this.chain);
  }

  /** Drop every packet node `from` sends to node `to`'s peer port (the other direction still flows). */
  cut(from: number, to: number): void {
    const uid = this.cluster.uidOf(from);
    if (uid === undefined) throw new Error('the cluster was not created with ownUids: cannot cut one node\'s link');
    const [host, port] = this.cluster.node(to).peer.split(':') as [string, string];
    ipt('-A', this.chain, '-m', 'owner', '--uid-owner', String(uid), '-d', host, '-p', 'tcp', '--dport', port, '-j', 'DROP');
  }

  /** Reject (TCP reset) node `from`'s packets to node `to`'s peer port: connections fail at once. */
  refuse(from: number, to: number): void {
    const uid = this.cluster.uidOf(from)!;
    const [host, port] = this.cluster.node(to).peer.split(':') as [string, string];
    ipt('-A', this.chain, '-m', 'owner', '--uid-owner', String(uid), '-d', host, '-p', 'tcp', '--dport', port, '-j', 'REJECT', '--reject-with', 'tcp-reset');
  }

  heal(): void {
    ok('-F', this.chain);
  }

  teardown(): void {
    while (ok('-D', 'OUTPUT', '-j', this.chain)) {
      /* every jump */
    }
    ok('-F', this.chain);
    ok('-X', this.chain);
  }
}

/** SIGSTOP / SIGCONT a node's process. */
export function pause(cluster: LocalCluster, id: number): void {
  cluster.node(id).proc!.kill('SIGSTOP');
}

export function resume(cluster: LocalCluster, id: number): void {
  const p = cluster.node(id).proc;
  if (p && p.exitCode === null && p.signalCode === null) p.kill('SIGCONT');
}
