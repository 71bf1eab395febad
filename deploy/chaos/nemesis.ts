// The faults, each a small plug-in: inject, hold, heal. They act on a local
// cluster through ClusterCtl (processes, signals, data files) and Net
// (iptables), and report every action through `record`, which prints a
// timestamped line (and, in the chaos test, writes the history).

import { readdirSync, statSync, openSync, readSync, writeSync, closeSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import type { AddNodeResponse__Output } from '../../proto/generated/quorumq/v1/AddNodeResponse.js';
import type { ClusterCtl } from './cluster-ctl.js';
import { say, sleep, waitFor } from './cluster-ctl.js';
import { addLatency, Net, netemProblem, removeLatency } from './net.js';
import { cutPower, nextLogSwitch, startFiller } from './powerloss.js';
import type { PowercutDisks } from './powerloss.js';

export interface NemesisCtx {
  readonly ctl: ClusterCtl;
  /** Undefined when iptables cannot be used (partitions and loss are then skipped). */
  readonly net: Net | undefined;
  /** Undefined unless the nodes' data sits on powercut-fs (power-loss nemeses are then skipped). */
  readonly disks?: PowercutDisks | undefined;
  /** Starts extra appenders of large messages, recorded and checked like the workload's (absent: an unrecorded filler). */
  readonly bulkLoad?: (() => { stop(): void }) | undefined;
  readonly rng: () => number;
  /** How long a fault is held, ms. */
  readonly holdMs: () => number;
  record(kind: string, action: 'start' | 'stop' | 'info', detail: string, majority?: boolean): void;
}

export interface Nemesis {
  readonly kind: string;
  /** Inject the fault, hold it, heal it. Must leave the cluster healed when it returns (or throws). */
  run(ctx: NemesisCtx): Promise<void>;
}

const pick = <T>(rng: () => number, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
const shuffle = <T>(rng: () => number, xs: readonly T[]): T[] => {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
};

/** Which slot a target names: leader, follower, random, or a slot number. */
export async function target(ctx: NemesisCtx, which: string): Promise<number> {
  const live = ctx.ctl.slots.filter((s) => ctx.ctl.running(s) && !ctx.ctl.paused(s));
  if (/^\d+$/.test(which)) return Number(which);
  if (which === 'random') return pick(ctx.rng, live);
  const leader = await waitFor('a leader', () => ctx.ctl.leaderSlot(), 30_000, 100).catch(() => undefined);
  if (which === 'leader') {
    if (leader === undefined) throw new Error('no leader to target');
    return leader;
  }
  const followers = live.filter((s) => s !== leader);
  return pick(ctx.rng, followers.length ? followers : live);
}

/** Restart a stopped node; a node that refuses to start is reported, not retried here. */
export async function restart(ctx: NemesisCtx, slot: number, kind: string): Promise<boolean> {
  const r = await ctx.ctl.start(slot);
  if (r.ok) ctx.record(kind, 'stop', `restarted node ${slot} (id ${ctx.ctl.id(slot)})`);
  else ctx.record(kind, 'info', `node ${slot} refused to start: ${r.error}`);
  return r.ok;
}

/** SIGKILL a node (leader, follower or random), hold, restart it. */
export function killNemesis(which = 'random'): Nemesis {
  return {
    kind: `kill-${which}`,
    async run(ctx) {
      const slot = await target(ctx, which);
      await ctx.ctl.stop(slot, 'SIGKILL');
      ctx.record(this.kind, 'start', `SIGKILL node ${slot} (id ${ctx.ctl.id(slot)}, ${which})`, true);
      try {
        await sleep(ctx.holdMs());
      } finally {
        await restart(ctx, slot, this.kind);
      }
    },
  };
}

/** SIGSTOP a node, hold, SIGCONT. */
export function pauseNemesis(which = 'random'): Nemesis {
  return {
    kind: `pause-${which}`,
    async run(ctx) {
      const slot = await target(ctx, which);
      ctx.ctl.signal(slot, 'SIGSTOP');
      ctx.record(this.kind, 'start', `SIGSTOP node ${slot} (${which})`, true);
      try {
        await sleep(ctx.holdMs());
      } finally {
        ctx.ctl.signal(slot, 'SIGCONT');
        ctx.record(this.kind, 'stop', `SIGCONT node ${slot}`);
      }
    },
  };
}

/**
 * Jump one node's wall clock (the leader's, whose clock stamps every entry,
 * or a random node's) forward or back by 2 s to 2 min, hold, and put it back
 * (itself a jump the other way). Needs the cluster on fake clocks
 * (cfg.fakeClocks, clock.ts); the monotonic clock stays real.
 */
export function clockJumpNemesis(which: 'leader' | 'random'): Nemesis {
  return {
    kind: `clock-jump-${which}`,
    async run(ctx) {
      const clocks = ctx.ctl.clocks;
      if (!clocks) throw new Error('clock-jump needs the nodes started on fake clocks (ClusterConfig.fakeClocks; run.ts sets it when a clock kind is asked for)');
      const slot = await target(ctx, which);
      const magnitude = Math.round(2 + ctx.rng() * ctx.rng() * 118);
      const seconds = ctx.rng() < 0.5 ? magnitude : -magnitude;
      clocks.set(slot, seconds);
      ctx.record(this.kind, 'start', `node ${slot}'s wall clock ${seconds > 0 ? 'forward' : 'back'} ${Math.abs(seconds)} s (${which})`, true);
      try {
        await sleep(ctx.holdMs());
      } finally {
        clocks.set(slot, 0);
        ctx.record(this.kind, 'stop', `node ${slot}'s wall clock back to real time`);
      }
    },
  };
}

export type PartitionShape = 'isolate' | 'leader' | 'minority' | 'ring' | 'one-way' | 'bridge';

/** Apply a partition shape; returns a description and whether a majority stays connected. */
export async function partition(ctx: NemesisCtx, shape: PartitionShape): Promise<{ detail: string; majority: boolean }> {
  const net = ctx.net!;
  const all = ctx.ctl.slots;
  const n = all.length;
  switch (shape) {
    case 'isolate':
    case 'leader': {
      const s = shape === 'leader' ? await target(ctx, 'leader') : pick(ctx.rng, all);
      net.split([s], all.filter((x) => x !== s));
      return { detail: `isolated node ${s}${shape === 'leader' ? ' (the leader)' : ''} from ${all.filter((x) => x !== s).join(',')}`, majority: true };
    }
    case 'minority': {
      const order = shuffle(ctx.rng, all);
      const minority = order.slice(0, Math.floor((n - 1) / 2));
      const rest = order.slice(minority.length);
      net.split(minority, rest);
      return { detail: `split minority {${minority.join(',')}} from majority {${rest.join(',')}}`, majority: true };
    }
    case 'ring': {
      // Each node keeps its ring neighbours within distance floor(n/2)-... : with
      // 5 nodes node i sees i±1 (itself + 2 = a majority) and loses i±2, so
      // every node sees a different majority; with 3 nodes it degenerates to nothing cut.
      const order = shuffle(ctx.rng, all);
      const keep = Math.floor(n / 2) / 2; // neighbours on each side: 1 for n=5 (1.25 rounded down)
      const reach = Math.max(1, Math.floor(keep));
      const cuts: string[] = [];
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          const d = Math.min(j - i, n - (j - i));
          if (d > reach) {
            net.split([order[i]!], [order[j]!]);
            cuts.push(`${order[i]}-${order[j]}`);
          }
        }
      }
      return { detail: `ring ${order.join('-')}-${order[0]}: each node sees only its neighbours; cut ${cuts.join(' ') || 'nothing (too few nodes)'}`, majority: true };
    }
    case 'one-way': {
      const leader = await target(ctx, 'leader').catch(() => pick(ctx.rng, all));
      const others = all.filter((x) => x !== leader);
      for (const o of others) net.cut(leader, o);
      return { detail: `one-way: node ${leader} (leader) cannot send to ${others.join(',')}, but hears them`, majority: true };
    }
    case 'bridge': {
      const order = shuffle(ctx.rng, all);
      const bridge = order[0]!;
      const half = Math.floor((n - 1) / 2) || 1;
      const a = order.slice(1, 1 + half);
      const b = order.slice(1 + half);
      net.split(a, b);
      return { detail: `bridge: {${a.join(',')}} and {${b.join(',')}} see only node ${bridge} between them`, majority: true };
    }
  }
}

export function partitionNemesis(shape: PartitionShape): Nemesis {
  return {
    kind: `partition-${shape}`,
    async run(ctx) {
      if (!ctx.net) return;
      const before = ctx.net.dropped().packets;
      const p = await partition(ctx, shape);
      ctx.record(this.kind, 'start', p.detail, p.majority);
      try {
        await sleep(ctx.holdMs());
      } finally {
        const d = ctx.net.dropped();
        ctx.net.heal();
        ctx.record(this.kind, 'stop', `healed; ${d.packets - before} packets dropped by ${d.rules} rules`);
      }
    },
  };
}

/** Random packet loss on every peer link. */
export function lossNemesis(probability?: number): Nemesis {
  return {
    kind: 'loss',
    async run(ctx) {
      if (!ctx.net) return;
      const p = probability ?? pick(ctx.rng, [0.05, 0.1, 0.2, 0.3]);
      const before = ctx.net.dropped().packets;
      ctx.net.loss(p);
      ctx.record(this.kind, 'start', `dropping ${(p * 100).toFixed(0)}% of peer packets at random`, true);
      try {
        await sleep(ctx.holdMs());
      } finally {
        const d = ctx.net.dropped();
        ctx.net.heal();
        ctx.record(this.kind, 'stop', `healed; ${d.packets - before} packets dropped`);
      }
    },
  };
}

/** Latency with tc netem, when the kernel has it (reported and skipped otherwise). */
export function latencyNemesis(ms = 50): Nemesis {
  let problem: string | undefined | null = null;
  return {
    kind: 'latency',
    async run(ctx) {
      if (problem === null) problem = netemProblem();
      if (problem) {
        ctx.record(this.kind, 'info', problem);
        return;
      }
      if (!addLatency(ms, ms / 2)) return;
      ctx.record(this.kind, 'start', `${ms} ms ± ${ms / 2} ms latency on lo (tc netem)`, true);
      try {
        await sleep(ctx.holdMs());
      } finally {
        removeLatency();
        ctx.record(this.kind, 'stop', 'latency removed');
      }
    },
  };
}

/** SIGTERM and restart every node in turn, waiting for the cluster to be healthy between nodes. */
export function rollingRestartNemesis(): Nemesis {
  return {
    kind: 'rolling-restart',
    async run(ctx) {
      ctx.record(this.kind, 'start', `rolling restart of nodes ${ctx.ctl.slots.join(',')}`, true);
      for (const s of ctx.ctl.slots) {
        await ctx.ctl.waitHealthy(60_000).catch(() => undefined);
        await ctx.ctl.stop(s, 'SIGTERM');
        ctx.record(this.kind, 'info', `stopped node ${s} (SIGTERM)`);
        const r = await ctx.ctl.start(s);
        ctx.record(this.kind, 'info', r.ok ? `node ${s} back` : `node ${s} refused to start: ${r.error}`);
        if (!r.ok) throw new Error(`rolling restart: node ${s} refused to start: ${r.error}`);
      }
      ctx.record(this.kind, 'stop', 'every node restarted');
    },
  };
}

/** The newest LevelDB table and log files of a data directory, newest first. */
export function newestDbFiles(dir: string): string[] {
  const out: { p: string; t: number; size: number }[] = [];
  const walk = (d: string): void => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if ((f.endsWith('.ldb') || f.endsWith('.log')) && f !== 'LOG' && st.size > 0) out.push({ p, t: st.mtimeMs, size: st.size });
    }
  };
  walk(dir);
  return out.sort((a, b) => b.t - a.t).map((x) => x.p);
}

/** Flip `count` random bits of a file, or truncate it to a random shorter length. */
export function damageFile(file: string, how: 'flip' | 'truncate', rng: () => number, count = 8): string {
  const size = statSync(file).size;
  if (how === 'truncate') {
    const to = Math.floor(size * rng() * 0.9);
    truncateSync(file, to);
    return `truncated ${file} from ${size} to ${to} bytes`;
  }
  const fd = openSync(file, 'r+');
  const at: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const pos = Math.floor(rng() * size);
      const b = Buffer.alloc(1);
      readSync(fd, b, 0, 1, pos);
      b[0] = b[0]! ^ (1 << Math.floor(rng() * 8));
      writeSync(fd, b, 0, 1, pos);
      at.push(pos);
    }
  } finally {
    closeSync(fd);
  }
  return `flipped ${count} bits in ${file} (${size} bytes) at ${at.sort((a, b) => a - b).join(',')}`;
}

/**
 * Remove a member and bring its slot back as a fresh member: wipe its data,
 * give it a new id, start it with --join, add it (learner, promoted when
 * caught up). A wiped node never returns under its old identity.
 */
export async function replaceMember(ctx: NemesisCtx, slot: number, kind: string): Promise<void> {
  const old = ctx.ctl.id(slot);
  const others = ctx.ctl.slots.filter((s) => s !== slot);
  const pool = ctx.ctl.pool(others, 30_000);
  await waitFor(`removing node ${old}`, async () => {
    try {
      await pool.call('RemoveNode', { id: old }, 30_000);
      return true;
    } catch (e) {
      if (/NOT_FOUND/.test(String((e as Error).message))) return true;
      throw e;
    }
  }, 120_000, 500);
  ctx.record(kind, 'info', `removed node ${old} (slot ${slot}) from the membership`);
  await ctx.ctl.stop(slot, 'SIGKILL');
  ctx.ctl.wipe(slot);
  const id = ctx.ctl.freshId();
  ctx.ctl.setId(slot, id, true);
  const r = await ctx.ctl.start(slot);
  if (!r.ok) throw new Error(`fresh node ${id} in slot ${slot} did not start: ${r.error}`);
  await waitFor(`adding node ${id}`, async () => {
    try {
      const res = await pool.call<AddNodeResponse__Output>('AddNode', { id, peerAddress: ctx.ctl.peer(slot), clientAddress: ctx.ctl.client(slot) }, 120_000);
      return res.voters.includes(id) ? res : undefined;
    } catch (e) {
      if (/ALREADY_EXISTS/.test(String((e as Error).message))) return true;
      throw e;
    }
  }, 240_000, 500);
  ctx.record(kind, 'info', `slot ${slot} rejoined as node ${id} (wiped, added as a learner, promoted once caught up)`);
}

/**
 * Stop a node, damage its newest LevelDB files, start it. It must refuse to
 * start with a clear error (then it is replaced by a fresh member) or come up;
 * either way, the checker later proves confirmed data survived.
 */
export function diskDamageNemesis(): Nemesis {
  return {
    kind: 'disk-damage',
    async run(ctx) {
      const slot = await target(ctx, 'random');
      await ctx.ctl.stop(slot, 'SIGKILL');
      const files = newestDbFiles(ctx.ctl.dataDir(slot)).slice(0, 2);
      const how = ctx.rng() < 0.5 ? 'flip' : 'truncate';
      const done = files.map((f) => damageFile(f, how, ctx.rng));
      ctx.record(this.kind, 'start', `SIGKILL node ${slot}; ${done.join('; ') || 'no LevelDB files to damage'}`, true);
      try {
        const r = await ctx.ctl.start(slot);
        if (r.ok) ctx.record(this.kind, 'info', `node ${slot} started on its damaged data (damage outside live records, or repaired from the log)`);
        else {
          ctx.record(this.kind, 'info', `node ${slot} refused to start: ${r.error}`);
          await replaceMember(ctx, slot, this.kind);
        }
      } finally {
        if (!ctx.ctl.running(slot)) await ctx.ctl.start(slot);
        ctx.record(this.kind, 'stop', `node ${slot} serving`);
      }
    },
  };
}

/** Remove a follower and re-add it (wiped, fresh id), with partitions coming and going meanwhile. */
export function membershipNemesis(): Nemesis {
  return {
    kind: 'membership',
    async run(ctx) {
      const slot = await target(ctx, 'follower');
      ctx.record(this.kind, 'start', `replacing node ${slot} (id ${ctx.ctl.id(slot)}) while partitions come and go`, true);
      let flapping = true;
      const flap = (async () => {
        if (!ctx.net) return;
        while (flapping) {
          // Cut one other node from the rest briefly: the majority without it stays connected.
          const others = ctx.ctl.slots.filter((s) => s !== slot);
          const victim = pick(ctx.rng, others);
          if (ctx.ctl.slots.length >= 5) {
            ctx.net.split([victim], ctx.ctl.slots.filter((s) => s !== victim));
            ctx.record(this.kind, 'info', `partition: isolated node ${victim} during the change`);
          } else {
            ctx.net.cut(victim, slot);
            ctx.record(this.kind, 'info', `partition: node ${victim} cannot send to node ${slot} during the change`);
          }
          await sleep(500 + ctx.rng() * 1500);
          ctx.net.heal();
          await sleep(500 + ctx.rng() * 1500);
        }
      })();
      try {
        await replaceMember(ctx, slot, this.kind);
      } finally {
        flapping = false;
        await flap;
        ctx.net?.heal();
        ctx.record(this.kind, 'stop', `membership change done`);
      }
    },
  };
}

/** Hand leadership to a random follower (TransferLeader), as an operator would during maintenance. */
export function transferLeaderNemesis(): Nemesis {
  return {
    kind: 'transfer-leader',
    async run(ctx) {
      const to = await target(ctx, 'follower');
      const id = ctx.ctl.id(to);
      ctx.record(this.kind, 'start', `transferring leadership to node ${to} (id ${id})`, true);
      try {
        const r = await ctx.ctl.pool(ctx.ctl.slots, 30_000).call<{ leader: number; term: number }>('TransferLeader', { id }, 30_000);
        ctx.record(this.kind, 'stop', `node ${r.leader} leads (term ${r.term})`);
      } catch (e) {
        ctx.record(this.kind, 'stop', `transfer failed: ${(e as Error).message}`);
      }
    },
  };
}

/**
 * Power loss (needs powercut disks, see powerloss.ts): SIGKILL, drop what was
 * not durable, hold, start again. Power loss alone must never keep a node from
 * starting; a refusal is recorded ("refused to start") and the run counts it.
 *   one: one random node; all: every node at once, at a random moment;
 *   switch: every node, 30-300 ms after every node (or, failing that
 *   within 45 s, a majority) switched LevelDB log files within 600 ms,
 *   while a filler appends large batches; fresh: every node, in a new
 *   cluster's first seconds (the run does this first when power loss is asked for).
 */
export type PowerLossScope = 'one' | 'all' | 'switch' | 'fresh';

export function powerLossNemesis(scope: PowerLossScope): Nemesis {
  return {
    kind: `power-loss-${scope}`,
    async run(ctx) {
      if (!ctx.disks) return;
      const slots = scope === 'one' ? [await target(ctx, 'random')] : ctx.ctl.slots;
      let why = scope === 'fresh' ? 'in the cluster\'s first seconds' : 'at a random moment';
      if (scope === 'switch') {
        const bulk = ctx.bulkLoad?.();
        const filler = bulk ? undefined : startFiller(ctx.ctl);
        try {
          const sw = await nextLogSwitch(ctx.ctl, 90_000);
          // LevelDB makes the new file's name durable when the flush that follows ends (a MANIFEST sync): ~0.5-2 s here.
          const delay = Math.round(30 + ctx.rng() * 270);
          await sleep(delay);
          why = sw ? `${delay} ms after ${sw?.files.length === ctx.ctl.slots.length ? 'every node' : 'a majority'} switched log files (${sw.files.join(', ')}; ${sw.spreadMs} ms apart)` : 'no log switch seen within 90 s';
          // The cut happens with the filler still writing: what it had confirmed must survive too.
          const lost = await cutPower(ctx.ctl, ctx.disks, slots);
          ctx.record(this.kind, 'start', `power cut on nodes ${slots.join(',')} ${why}; ${lost}`, false);
        } finally {
          bulk?.stop();
          await filler?.stop();
        }
      } else {
        const lost = await cutPower(ctx.ctl, ctx.disks, slots);
        ctx.record(this.kind, 'start', `power cut on node${slots.length > 1 ? 's' : ''} ${slots.join(',')} ${why}; ${lost}`, slots.length === 1);
      }
      try {
        await sleep(ctx.holdMs());
      } finally {
        // Power back: the nodes come up in a random order over a second or two, as machines do after an outage.
        const order = shuffle(ctx.rng, slots);
        const ok = await Promise.all(
          order.map(async (s, i) => {
            if (i > 0) await sleep(ctx.rng() * 1500);
            return restart(ctx, s, this.kind);
          }),
        );
        ctx.record(this.kind, 'stop', ok.every(Boolean) ? `power back: nodes ${order.join(',')} started` : `power back: nodes ${order.filter((_, i) => !ok[i]).join(',')} refused to start`);
      }
    },
  };
}

function powerLossNemeses(kind: string): Nemesis[] | undefined {
  switch (kind) {
    case 'power-loss':
      return [powerLossNemesis('one'), powerLossNemesis('all'), powerLossNemesis('switch')];
    case 'power-loss-one':
      return [powerLossNemesis('one')];
    case 'power-loss-all':
      return [powerLossNemesis('all')];
    case 'power-loss-switch':
      return [powerLossNemesis('switch')];
    case 'power-loss-fresh':
      // Only meaningful first: the chaos run does it when the cluster is new.
      return [];
    default:
      return undefined;
  }
}

export const NEMESIS_KINDS = [
  'kill', 'kill-leader', 'kill-follower', 'pause', 'pause-leader', 'partition', 'partition-isolate', 'partition-leader',
  'partition-minority', 'partition-ring', 'partition-one-way', 'partition-bridge', 'loss', 'latency', 'rolling-restart',
  'disk-damage', 'membership', 'transfer-leader', 'power-loss', 'power-loss-one', 'power-loss-all', 'power-loss-switch',
  'power-loss-fresh', 'clock-jump', 'clock-jump-leader', 'all',
] as const;

/** The nemeses a kind name stands for (`kill` = leader, follower and random kills; `partition` = every shape). */
export function nemesesFor(kind: string, nodes: number): Nemesis[] {
  switch (kind) {
    case 'kill':
      return [killNemesis('leader'), killNemesis('follower'), killNemesis('random')];
    case 'kill-leader':
      return [killNemesis('leader')];
    case 'kill-follower':
      return [killNemesis('follower')];
    case 'pause':
      return [pauseNemesis('leader'), pauseNemesis('random')];
    case 'pause-leader':
      return [pauseNemesis('leader')];
    case 'partition':
      return (['isolate', 'leader', 'minority', 'one-way', 'bridge', ...(nodes >= 5 ? ['ring' as const] : [])] as PartitionShape[]).map(partitionNemesis);
    case 'loss':
      return [lossNemesis()];
    case 'latency':
      return [latencyNemesis()];
    case 'rolling-restart':
      return [rollingRestartNemesis()];
    case 'disk-damage':
      return [diskDamageNemesis()];
    case 'membership':
      return [membershipNemesis()];
    case 'transfer-leader':
      return [transferLeaderNemesis()];
    // Not in 'all': it needs the nodes started on fake clocks (run.ts does that when a clock kind is asked for).
    case 'clock-jump':
      return [clockJumpNemesis('leader'), clockJumpNemesis('random')];
    case 'clock-jump-leader':
      return [clockJumpNemesis('leader')];
    case 'all':
      return ['kill', 'pause', 'partition', 'loss', 'latency', 'rolling-restart', 'disk-damage', 'membership', 'transfer-leader', 'power-loss'].flatMap((k) =>
        nemesesFor(k, nodes),
      );
    default:
      if (kind.startsWith('power-loss')) {
        const p = powerLossNemeses(kind);
        if (p) return p;
      }
      if (kind.startsWith('partition-')) return [partitionNemesis(kind.slice('partition-'.length) as PartitionShape)];
      throw new Error(`unknown nemesis kind "${kind}"; known: ${NEMESIS_KINDS.join(', ')}`);
  }
}

/**
 * Run randomly chosen nemeses until the deadline, one at a time with a quiet
 * pause between them; everything is healed when it returns.
 */
export async function runNemesis(ctx: NemesisCtx, kinds: string[], until: number, quietMs: () => number, stop: () => boolean = () => false): Promise<void> {
  const all = kinds.flatMap((k) => nemesesFor(k, ctx.ctl.slots.length));
  const usable = all.filter(
    (n) => (ctx.net || !(n.kind.startsWith('partition') || n.kind === 'loss')) && (ctx.disks || !n.kind.startsWith('power-loss')) && (ctx.ctl.clocks || !n.kind.startsWith('clock')),
  );
  if (usable.length < all.length) {
    ctx.record('nemesis', 'info', `iptables, powercut-fs or libfaketime unavailable: skipping ${all.filter((n) => !usable.includes(n)).map((n) => n.kind).join(', ')}`);
  }
  if (!usable.length) return;
  try {
    while (Date.now() < until && !stop()) {
      const n = pick(ctx.rng, usable);
      await n.run(ctx);
      await healAll(ctx.ctl, ctx.net);
      await sleep(quietMs());
    }
  } finally {
    await healAll(ctx.ctl, ctx.net);
  }
}

/** Heal everything: no rules, no latency, no paused node, every node running. */
export async function healAll(ctl: ClusterCtl, net: Net | undefined): Promise<void> {
  net?.heal();
  ctl.clocks?.resetAll();
  removeLatency();
  for (const s of ctl.slots) if (ctl.paused(s)) ctl.signal(s, 'SIGCONT');
  for (const s of ctl.slots) {
    if (!ctl.running(s)) {
      const r = await ctl.start(s);
      if (!r.ok) say(`heal: node ${s} does not start: ${r.error}`);
    }
  }
}
