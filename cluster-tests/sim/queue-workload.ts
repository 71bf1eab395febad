// The queue clients of the host simulation: quorum-queue commands through the
// production host, as the server's queue service sends them. Two queues: a
// work queue with a delivery limit, an ack timeout and a retry backoff, whose
// dead letters move to a second queue. Producers publish with producer ids
// (retrying a sequence whose outcome is unknown, as a real client does) and
// without; consumers attached to nodes subscribe (or Get, as pull consumers),
// and settle what they were
// delivered (ack, requeue, reject) by the tags the queues machine's delivery
// effects gave to their node — observed exactly as a node serving Consume
// calls observes them, through the registry's executor. Nodes that are down
// are declared gone (node-down), consumers cancel, and schedules come and go.
//
// What the clients learn is the QueueHistory that machine-checks.ts checks at
// the end: every message of a confirmed publish is still held somewhere
// unless an ack of it was proposed, and no message whose ack was confirmed
// is held anywhere.

import type { Reply } from '../../broker/machine/api.js';
import { machineCommand } from '../../broker/machine/envelope.js';
import type { MachineRegistry } from '../../broker/machine/registry.js';
import type { QueueCommand, QueueMessage, SettleOutcome } from '../../broker/machine/queues/commands.js';
import { QUEUES_MACHINE_ID, encodeQueueCommand } from '../../broker/machine/queues/commands.js';
import type { QueueConfig } from '../../broker/machine/queues/config.js';
import { DEFAULT_QUEUE_CONFIG } from '../../broker/machine/queues/config.js';
import type { QueueEffect, QueueReply } from '../../broker/machine/queues/machine.js';
import type { NodeId } from '../../raft/core/types.js';
import type { HostNode } from './host-node.js';
import type { ConfirmedPublish, QueueHistory } from './machine-checks.js';
import { placeKey } from './machine-checks.js';
import type { Rng } from './prng.js';

/** A command for the queue clients' proposals, with what to do with its reply. */
export interface QueueCmd {
  readonly bytes: Uint8Array;
  /** The command was applied at (index, part) with this reply. */
  readonly applied?: (reply: Reply, index: number, part: number, node: NodeId) => void;
  /** Certainly applied (true) or certainly not, or unknown (false: may be retried). */
  readonly settled?: (stored: boolean) => void;
}

const WORK: QueueConfig = { ...DEFAULT_QUEUE_CONFIG, deliveryLimit: 3, ackTimeoutMs: 3000, deadLetterQueue: 'tasks-dead', retryBaseMs: 20, retryMaxMs: 200, maxMessages: 300 };
const DEAD: QueueConfig = { ...DEFAULT_QUEUE_CONFIG, deliveryLimit: 0 };
const QUEUES: ReadonlyArray<readonly [string, QueueConfig]> = [
  ['tasks', WORK],
  ['tasks-dead', DEAD],
];

interface QueueProducer {
  readonly id: string;
  seq: number;
  messages: readonly QueueMessage[] | undefined;
  busy: boolean;
}

export interface QueueWorkloadStats {
  published: number;
  settles: number;
  acksConfirmed: number;
  deliveriesSeen: number;
}

export class QueueWorkload implements QueueHistory {
  readonly publishes: ConfirmedPublish[] = [];
  readonly maybeAcked = new Set<string>();
  readonly acked = new Set<string>();
  readonly stats: QueueWorkloadStats = { published: 0, settles: 0, acksConfirmed: 0, deliveriesSeen: 0 };
  private readonly producers: QueueProducer[] = [0, 1].map((p) => ({ id: `qp${p}`, seq: 1, messages: undefined, busy: false }));
  /** Registries whose delivery effects are watched (one per node incarnation). */
  private readonly watched = new WeakSet<MachineRegistry>();
  /** "queue:tag" -> where the delivered message is in the log (tags are per queue, the same on every member). */
  private readonly tagPlace = new Map<string, string>();
  /** Per node: "queue\0consumer" -> tags delivered to it and not yet settled by these clients. */
  private readonly holding = new Map<NodeId, Map<string, Set<number>>>();
  private nextBody = 1;
  private nextRequest = 1;
  /** Queues whose declaration the clients saw confirmed. */
  private readonly declared = new Set<string>();

  constructor(private readonly rng: Rng) {}

  /** Watch the delivery effects of every live node's registry, as a node serving Consume calls does. */
  watch(nodes: readonly HostNode[]): void {
    for (const n of nodes) {
      const reg = n.registry;
      if (!n.alive || !reg || this.watched.has(reg)) continue;
      this.watched.add(reg);
      // A new incarnation: whatever the old one's consumers held, its calls are gone.
      this.holding.set(n.id, new Map());
      const id = n.id;
      reg.attach(QUEUES_MACHINE_ID, (effects) => {
        if (n.registry !== reg) return;
        const mine = this.holding.get(id)!;
        for (const e of effects as QueueEffect[]) {
          if (e.kind === 'deliver') {
            for (const d of e.deliveries) this.tagPlace.set(`${e.queue}:${d.tag}`, placeKey(d.raftIndex, d.part, d.slot));
            if (e.node !== id) continue;
            const k = `${e.queue}\u0000${e.consumer}`;
            let tags = mine.get(k);
            if (!tags) mine.set(k, (tags = new Set()));
            for (const d of e.deliveries) tags.add(d.tag);
            this.stats.deliveriesSeen += e.deliveries.length;
          } else if (e.kind === 'ended' && e.node === id) mine.delete(`${e.queue}\u0000${e.consumer}`);
        }
      });
    }
  }

  /** One queue command, drawn; a declare first while a queue is not known to exist. */
  command(nodes: readonly HostNode[]): QueueCmd {
    const ids = nodes.map((n) => n.id);
    const missing = QUEUES.find(([name]) => !this.declared.has(name));
    if (missing && this.rng.chance(0.7)) return this.declare(missing);
    return this.rng.weighted<() => QueueCmd>([
      [1, () => this.declare(this.rng.pick(QUEUES))],
      [6, () => this.publish()],
      [3, () => this.subscribe(ids)],
      [2, () => this.pull(ids)],
      [8, () => this.settle() ?? this.publish()],
      [1, () => this.cancel()],
      [1, () => this.schedule()],
      [1, () => this.nodeDown(nodes)],
    ])();
  }

  private cmd(c: QueueCommand): Uint8Array {
    return machineCommand(QUEUES_MACHINE_ID, encodeQueueCommand(c));
  }

  private declare([name, config]: readonly [string, QueueConfig]): QueueCmd {
    return {
      bytes: this.cmd({ op: 'declare', name, config }),
      applied: (r) => {
        if (r.ok) this.declared.add(name);
      },
    };
  }

  private messages(): QueueMessage[] {
    return Array.from({ length: this.rng.range(1, 3) }, () => {
      const id = this.nextBody++;
      const body = new Uint8Array(8);
      new DataView(body.buffer).setUint32(0, id);
      return { headers: [], body, priority: this.rng.chance(0.2) ? this.rng.range(1, 3) : 0, ttlMs: 0, delayMs: this.rng.chance(0.1) ? this.rng.range(10, 100) : 0, id: '', group: this.rng.chance(0.2) ? `g${this.rng.range(0, 2)}` : '' };
    });
  }

  /** From an idempotent producer (retrying a sequence whose outcome is open) or an anonymous one. */
  private publish(): QueueCmd {
    const idle = this.producers.filter((p) => !p.busy);
    const record = (r: Reply, index: number, part: number, node: NodeId): boolean => {
      const q = r as QueueReply;
      if (!q.ok || q.kind !== 'published') return false;
      this.stats.published++;
      // A duplicate was stored by an earlier try whose place the client never learned.
      if (!q.duplicate) this.publishes.push({ queue: 'tasks', index, part, count: q.count, node });
      return true;
    };
    if (idle.length && this.rng.chance(0.6)) {
      const p = this.rng.pick(idle);
      p.messages ??= this.messages();
      p.busy = true;
      const seq = p.seq;
      return {
        bytes: this.cmd({ op: 'publish', queue: 'tasks', producer: p.id, seq, messages: p.messages }),
        applied: (r, index, part, node) => {
          p.busy = false;
          if (record(r, index, part, node)) {
            p.seq = seq + 1;
            p.messages = undefined;
          }
        },
        settled: (stored) => {
          if (stored) return;
          p.busy = false;
        },
      };
    }
    return { bytes: this.cmd({ op: 'publish', queue: 'tasks', producer: '', seq: 0, messages: this.messages() }), applied: (r, index, part, node) => void record(r, index, part, node) };
  }

  private subscribe(ids: readonly NodeId[]): QueueCmd {
    const k = this.rng.range(0, 3);
    const queue = this.rng.chance(0.75) ? 'tasks' : 'tasks-dead';
    // A consumer stays on one node (its name says which), as a Consume call's does.
    const node = ids[k % ids.length]!;
    return { bytes: this.cmd({ op: 'subscribe', queue, consumer: `c${k}-n${node}`, node, prefetch: this.rng.range(1, 4), priority: this.rng.range(0, 2) }) };
  }

  /** A Get by a pull consumer (on one node, as its name says): its deliveries come as any consumer's do. */
  private pull(ids: readonly NodeId[]): QueueCmd {
    const k = this.rng.range(0, 1);
    const node = ids[(k + 1) % ids.length]!;
    const request = this.nextRequest++;
    return { bytes: this.cmd({ op: 'pull', queue: 'tasks', consumer: `g${k}-n${node}`, node, max: this.rng.range(1, 4), waitMs: this.rng.pick([0, 50, 200]), leaseMs: this.rng.pick([300, 2000]), request, priority: 0, maxBytes: 0 }) };
  }

  /** Settle some tags a consumer was delivered on its node; undefined when none holds any. */
  private settle(): QueueCmd | undefined {
    const held: Array<[Map<string, Set<number>>, string, Set<number>]> = [];
    for (const m of this.holding.values()) for (const [k, tags] of m) if (tags.size) held.push([m, k, tags]);
    if (!held.length) return undefined;
    const [, k, tags] = this.rng.pick(held);
    const [queue, consumer] = k.split('\u0000') as [string, string];
    const picked = [...tags].slice(0, this.rng.range(1, 3));
    for (const t of picked) tags.delete(t);
    const outcome = this.rng.weighted<SettleOutcome>([
      [6, 'ack'],
      [2, 'requeue'],
      [1, 'reject'],
    ]);
    const places = picked.map((t) => this.tagPlace.get(`${queue}:${t}`));
    if (outcome === 'ack') for (const p of places) if (p) this.maybeAcked.add(p);
    this.stats.settles++;
    return {
      bytes: this.cmd({ op: 'settle', queue, consumer, outcome, delayMs: 0, tags: picked }),
      applied: (r) => {
        const q = r as QueueReply;
        if (outcome !== 'ack' || !q.ok || q.kind !== 'settled') return;
        picked.forEach((t, i) => {
          if (q.unknown.includes(t) || !places[i]) return;
          this.acked.add(places[i]);
          this.stats.acksConfirmed++;
        });
      },
    };
  }

  /** Add or remove one of two schedules on the work queue (their messages are the machine's, not confirmed publishes). */
  private schedule(): QueueCmd {
    const name = `s${this.rng.range(0, 1)}`;
    if (this.rng.chance(0.3)) return { bytes: this.cmd({ op: 'schedule-remove', queue: 'tasks', name }) };
    const [message] = this.messages();
    return { bytes: this.cmd({ op: 'schedule-add', queue: 'tasks', name, everyMs: name === 's0' ? 300 : 1000, firstAt: 0, message: { ...message!, delayMs: 0 } }) };
  }

  private cancel(): QueueCmd {
    const k = this.rng.range(0, 3);
    const queue = this.rng.chance(0.75) ? 'tasks' : 'tasks-dead';
    const node = this.rng.range(1, 5);
    return { bytes: this.cmd({ op: 'cancel', queue, consumer: `c${k}-n${node}` }) };
  }

  /** A node that is down (or any, now and then) is declared gone, as the leader's NodeWatch does. */
  private nodeDown(nodes: readonly HostNode[]): QueueCmd {
    const down = nodes.filter((n) => !n.alive);
    const node = down.length ? this.rng.pick(down).id : this.rng.pick(nodes).id;
    return { bytes: this.cmd({ op: 'node-down', node }) };
  }
}
