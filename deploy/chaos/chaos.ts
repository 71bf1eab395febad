// quorumq chaos: faults against a running local cluster (make cluster N=3|5).
// Every command prints what it did and when. Run as root for partitions and
// loss (nodes must then run under their own users, which cluster.sh does when
// started as root).
//
//   chaos.sh kill leader|follower|random|<slot>    SIGKILL a node
//   chaos.sh restart <slot>|all                    start stopped nodes again
//   chaos.sh pause leader|follower|random|<slot>   SIGSTOP
//   chaos.sh resume <slot>|all                     SIGCONT
//   chaos.sh partition isolate|leader|minority|ring|one-way|bridge [--hold S]
//   chaos.sh heal                                  remove every rule, resume, restart
//   chaos.sh loss <probability> [--hold S]         random loss on peer links
//   chaos.sh latency <ms> [--hold S]               tc netem (reports when the kernel lacks it)
//   chaos.sh rolling-restart
//   chaos.sh disk-damage [<slot>]                  stop, damage newest LevelDB files, start (replace when it refuses)
//   chaos.sh membership                            remove and re-add a follower while partitions flap
//   chaos.sh nemesis --duration S [--kinds kill,pause,partition,...] [--seed N]
//   chaos.sh drops                                 packets dropped by the current rules
//
// --dir DIR selects the cluster directory (default .data/cluster). Without
// --hold, a partition/loss/latency stays until `chaos.sh heal`.

import { ClusterCtl, say, sleep } from './cluster-ctl.js';
import { addLatency, iptablesProblem, Net } from './net.js';
import type { NemesisCtx, PartitionShape } from './nemesis.js';
import { diskDamageNemesis, healAll, membershipNemesis, partition, restart, rollingRestartNemesis, runNemesis, target } from './nemesis.js';

function flag(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const v = argv[i + 1];
  argv.splice(i, 2);
  return v;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const dir = flag(argv, 'dir');
  const hold = flag(argv, 'hold');
  const duration = flag(argv, 'duration');
  const kinds = flag(argv, 'kinds');
  const seed = Number(flag(argv, 'seed') ?? Date.now() % 1_000_000);
  const [cmd, arg] = argv;
  const ctl = ClusterCtl.open(dir);
  let s = seed >>> 0;
  const rng = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const needNet = (): Net => {
    const p = iptablesProblem();
    if (p) throw new Error(p);
    const net = new Net(ctl);
    net.setup();
    return net;
  };
  const netIfAny = (): Net | undefined => (iptablesProblem() ? undefined : needNet());
  const ctx = (net: Net | undefined): NemesisCtx => ({
    ctl,
    net,
    rng,
    holdMs: () => (hold ? Number(hold) * 1000 : 2000 + rng() * 6000),
    record: (kind, action, detail) => say(`${kind} ${action}: ${detail}`),
  });
  const holdThenHeal = async (net: Net, before: number): Promise<void> => {
    if (!hold) {
      say('in effect until "chaos.sh heal"');
      return;
    }
    await sleep(Number(hold) * 1000);
    const d = net.dropped();
    net.heal();
    say(`healed after ${hold} s; ${d.packets - before} packets dropped`);
  };
  try {
    switch (cmd) {
      case 'kill': {
        const slot = await target(ctx(undefined), arg ?? 'random');
        await ctl.stop(slot, 'SIGKILL');
        say(`SIGKILL node ${slot} (${arg ?? 'random'}, pid ${ctl.pid(slot)})`);
        return 0;
      }
      case 'restart': {
        const slots = !arg || arg === 'all' ? ctl.slots : [Number(arg)];
        for (const sl of slots) if (!ctl.running(sl)) await restart(ctx(undefined), sl, 'restart');
        return 0;
      }
      case 'pause': {
        const slot = await target(ctx(undefined), arg ?? 'random');
        ctl.signal(slot, 'SIGSTOP');
        say(`SIGSTOP node ${slot} (${arg ?? 'random'}); resume with "chaos.sh resume ${slot}"`);
        return 0;
      }
      case 'resume': {
        const slots = !arg || arg === 'all' ? ctl.slots : [Number(arg)];
        for (const sl of slots) if (ctl.signal(sl, 'SIGCONT')) say(`SIGCONT node ${sl}`);
        return 0;
      }
      case 'partition': {
        const net = needNet();
        const before = net.dropped().packets;
        const p = await partition(ctx(net), (arg ?? 'isolate') as PartitionShape);
        say(`partition ${arg ?? 'isolate'}: ${p.detail}`);
        say(`rules:\n${net.rulesText()}`);
        await sleep(2000);
        say(`${net.dropped().packets - before} packets dropped so far (the partition is in effect)`);
        await holdThenHeal(net, before);
        return 0;
      }
      case 'loss': {
        const net = needNet();
        const before = net.dropped().packets;
        const p = Number(arg ?? 0.1);
        net.loss(p);
        say(`dropping ${(p * 100).toFixed(1)}% of peer packets at random (iptables statistic match)`);
        await holdThenHeal(net, before);
        return 0;
      }
      case 'latency': {
        if (!addLatency(Number(arg ?? 50), Number(arg ?? 50) / 2)) return 1;
        say(`${arg ?? 50} ms latency on lo`);
        if (hold) {
          await sleep(Number(hold) * 1000);
          await healAll(ctl, undefined);
          say('latency removed');
        }
        return 0;
      }
      case 'heal': {
        const net = iptablesProblem(false) ? undefined : new Net(ctl);
        const d = net?.dropped();
        await healAll(ctl, net);
        say(`healed: rules flushed${d ? ` (${d.packets} packets had been dropped)` : ''}, latency removed, nodes resumed and running`);
        return 0;
      }
      case 'drops': {
        const net = needNet();
        const d = net.dropped();
        say(`${d.rules} rules, ${d.packets} packets dropped\n${net.rulesText()}`);
        return 0;
      }
      case 'rolling-restart':
        await rollingRestartNemesis().run(ctx(undefined));
        return 0;
      case 'disk-damage':
        await diskDamageNemesis().run(ctx(undefined));
        return 0;
      case 'membership':
        await membershipNemesis().run(ctx(netIfAny()));
        return 0;
      case 'nemesis': {
        const net = netIfAny();
        if (!net) say(`partitions and loss skipped: ${iptablesProblem(false)}`);
        const until = Date.now() + Number(duration ?? 60) * 1000;
        say(`nemesis for ${duration ?? 60} s: ${kinds ?? 'kill,pause,partition'} (seed ${seed})`);
        let stop = false;
        process.once('SIGINT', () => (stop = true));
        await runNemesis(ctx(net), (kinds ?? 'kill,pause,partition').split(','), until, () => 1000 + rng() * 3000, () => stop);
        say('nemesis over; everything healed');
        return 0;
      }
      default:
        console.error('usage: chaos.sh kill|restart|pause|resume|partition|heal|loss|latency|rolling-restart|disk-damage|membership|nemesis|drops ... (see deploy/README.md)');
        return 2;
    }
  } finally {
    ctl.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    say(`chaos: ${(e as Error).message}`);
    process.exit(1);
  },
);
