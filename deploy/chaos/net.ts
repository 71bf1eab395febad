// Network faults with real packet drops: iptables rules in one chain of our
// own, QUORUMQ-CHAOS, jumped to from OUTPUT, so healing is a flush and
// cleanup is certain.
//
// Why uids and not source addresses: a loopback connection to 127.0.0.3
// leaves from 127.0.0.1 whatever address its node listens on (grpc-js cannot
// bind a client's local address), so a rule on the source address cannot tell
// which node sent a packet. Every node runs under its own system user
// (quorumq-n<i>, see cluster-ctl.ts), and a cut from node I to node J is
//   -A QUORUMQ-CHAOS -m owner --uid-owner quorumq-nI -d 127.0.0.J -p tcp --dport <peer> -j DROP
// Network namespaces would also work, but need a veth pair and addresses per
// node and change how a user reaches the nodes; uid matching leaves the local
// cluster exactly as `make cluster` starts it. Client traffic (this process,
// root) is never cut.

import { execFileSync, spawnSync } from 'node:child_process';
import type { ClusterCtl } from './cluster-ctl.js';
import { isRoot, say } from './cluster-ctl.js';

export const CHAIN = 'QUORUMQ-CHAOS';

function run(cmd: string, args: string[]): { ok: boolean; out: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`.trim() };
}

/** Why iptables cannot be used here, or undefined when it can (installing the Debian package when missing). */
export function iptablesProblem(install = true): string | undefined {
  if (!isRoot()) return 'partitions and packet loss need root (iptables rules and a user per node); run as root, e.g. with sudo';
  if (!run('iptables', ['-V']).ok) {
    if (!install) return 'iptables is not installed';
    say('iptables is missing: installing the Debian package (apt-get install -y iptables)');
    run('apt-get', ['update', '-qq']);
    const r = run('apt-get', ['install', '-y', '-qq', 'iptables']);
    if (!r.ok || !run('iptables', ['-V']).ok) return `iptables is missing and could not be installed: ${r.out.split('\n').slice(-2).join(' ')}`;
  }
  const probe = run('iptables', ['-L', 'OUTPUT', '-n']);
  if (!probe.ok) return `iptables does not work here: ${probe.out}`;
  return undefined;
}

function ipt(...args: string[]): void {
  execFileSync('iptables', ['-w', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
}

export class Net {
  /** The chain: QUORUMQ-CHAOS for the local cluster; a run of the chaos test uses its own (QUORUMQ-CHAOS-<port>), so concurrent runs never heal each other. */
  readonly chain: string;
  constructor(private readonly ctl: ClusterCtl, chain = CHAIN) {
    this.chain = chain;
  }

  /** Create the chain and the jump to it (idempotent). */
  setup(): void {
    const problem = iptablesProblem();
    if (problem) throw new Error(problem);
    if (!run('iptables', ['-w', '-L', this.chain, '-n']).ok) ipt('-N', this.chain);
    if (!run('iptables', ['-w', '-C', 'OUTPUT', '-j', this.chain]).ok) ipt('-I', 'OUTPUT', '1', '-j', this.chain);
  }

  private uid(slot: number): number {
    const u = this.ctl.user(slot);
    if (!u) throw new Error('nodes do not run under their own users (not root, or QUORUMQ_SAME_UID=1): cannot cut one link');
    return u.uid;
  }

  /** Drop every packet node `from` sends to node `to`'s peer port. */
  cut(from: number, to: number): void {
    ipt('-A', this.chain, '-m', 'owner', '--uid-owner', String(this.uid(from)), '-d', this.ctl.host(to), '-p', 'tcp', '--dport', String(this.ctl.cfg.peerPort), '-j', 'DROP');
  }

  /** Both directions between every node of `a` and every node of `b`. */
  split(a: number[], b: number[]): void {
    for (const x of a) for (const y of b) if (x !== y) {
      this.cut(x, y);
      this.cut(y, x);
    }
  }

  /** Random loss on every peer link. */
  loss(probability: number): void {
    ipt('-A', this.chain, '-p', 'tcp', '--dport', String(this.ctl.cfg.peerPort), '-m', 'statistic', '--mode', 'random', '--probability', String(probability), '-j', 'DROP');
  }

  /** Packets dropped by the chain's rules so far (and the rule count). */
  dropped(): { packets: number; rules: number } {
    const r = run('iptables', ['-w', '-L', this.chain, '-v', '-n', '-x']);
    if (!r.ok) return { packets: 0, rules: 0 };
    let packets = 0;
    let rules = 0;
    for (const line of r.out.split('\n')) {
      const m = /^\s*(\d+)\s+\d+\s+DROP\b/.exec(line);
      if (m) {
        packets += Number(m[1]);
        rules++;
      }
    }
    return { packets, rules };
  }

  rulesText(): string {
    return run('iptables', ['-w', '-S', this.chain]).out;
  }

  /** Remove every rule (a heal). */
  heal(): void {
    if (run('iptables', ['-w', '-L', this.chain, '-n']).ok) ipt('-F', this.chain);
  }

  /** Remove the chain and the jump (cleanup). */
  teardown(): void {
    if (!isRoot() || !run('iptables', ['-V']).ok) return;
    while (run('iptables', ['-w', '-D', 'OUTPUT', '-j', this.chain]).ok) { /* every jump */ }
    run('iptables', ['-w', '-F', this.chain]);
    run('iptables', ['-w', '-X', this.chain]);
  }
}

/** Why `tc netem` cannot add latency here, or undefined when it can. */
export function netemProblem(): string | undefined {
  if (!isRoot()) return 'tc netem needs root';
  const r = run('tc', ['qdisc', 'add', 'dev', 'lo', 'root', 'netem', 'delay', '1ms']);
  if (!r.ok) return `tc netem is not available on this kernel (\`tc qdisc add dev lo root netem delay 1ms\` failed: ${r.out || 'no output'}); latency faults are skipped`;
  run('tc', ['qdisc', 'del', 'dev', 'lo', 'root']);
  return undefined;
}

/** Add latency (and jitter) to every loopback packet; returns false (and says why) when netem is unavailable. */
export function addLatency(ms: number, jitterMs: number): boolean {
  const problem = netemProblem();
  if (problem) {
    say(problem);
    return false;
  }
  const r = run('tc', ['qdisc', 'add', 'dev', 'lo', 'root', 'netem', 'delay', `${ms}ms`, `${jitterMs}ms`]);
  if (!r.ok) say(`tc netem delay failed: ${r.out}`);
  return r.ok;
}

export function removeLatency(): void {
  if (isRoot()) run('tc', ['qdisc', 'del', 'dev', 'lo', 'root']);
}
