// The history of a chaos run: every operation's invocation and its outcome,
// and every fault the nemesis injected, one JSON object per line. Lines are
// written synchronously, so the file is complete up to the moment the
// recorder stopped (a crash of the recorder leaves invocations without an
// outcome, which the checker treats as unknown).

import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';

/** Streams: append, read, subscribe. Queues: publish, consume (one Consume call), settle (one settling request on it), transact (one Transact). */
export type OpKind = 'append' | 'read' | 'subscribe' | 'publish' | 'consume' | 'settle' | 'transact';
export type Outcome = 'ok' | 'fail' | 'unknown';

/** An operation began. */
export interface InvokeEvent {
  readonly type: 'invoke';
  /** Unique per history. */
  readonly id: number;
  /** The logical client process (a worker) that ran it. */
  readonly proc: string;
  readonly f: OpKind;
  /** Milliseconds (Date.now() of the recorder). */
  readonly time: number;
  /** The node(s) it was sent to first. */
  readonly node?: string;
  /** append: the unique value, its producer and sequence. */
  readonly value?: string;
  readonly producer?: string;
  readonly seq?: number;
  /** read / subscribe: where it starts, and how. */
  readonly from?: number;
  readonly consistency?: 'local' | 'linearizable';
  /** publish: the queue, and the message group when it has one (the value is the message body). */
  readonly queue?: string;
  /** publish through an exchange: its name (the queue is then absent). */
  readonly exchange?: string;
  /** transact: the source values it moves (transformed, to the destination queue). */
  readonly values?: readonly string[];
  readonly group?: string;
  /** publish: the message's priority, TTL and delay when it has them. */
  readonly priority?: number;
  readonly ttlMs?: number;
  readonly delayMs?: number;
  /** consume: the prefetch asked for. */
  readonly prefetch?: number;
  /** settle: the consume call (its invocation id) whose delivery tags these are. */
  readonly session?: number;
  readonly ack?: readonly number[];
  readonly requeue?: readonly number[];
  readonly reject?: readonly number[];
}

/** An operation ended. */
export interface CompleteEvent {
  readonly type: Outcome;
  readonly id: number;
  readonly proc: string;
  readonly f: OpKind;
  readonly time: number;
  readonly node?: string;
  /** append ok: the offset the cluster confirmed. */
  readonly offset?: number;
  /** read ok: what it saw, [offset, value] pairs, and the stream's end offset on the serving node. */
  readonly reads?: ReadonlyArray<readonly [number, string]>;
  readonly end?: number;
  readonly error?: string;
  /** How many tries it took (appends, publishes). */
  readonly tries?: number;
  /** settle ok: the tags the server said this consumer did not hold (those settles did nothing). */
  readonly unknownTags?: readonly number[];
}

/** A subscription delivered messages (between its invoke and its completion). */
export interface DeliverEvent {
  readonly type: 'deliver';
  readonly id: number;
  readonly proc: string;
  readonly time: number;
  readonly msgs: ReadonlyArray<readonly [number, string]>;
}

/**
 * A Consume call received deliveries: [tag, value, acquired, deliveredAt] each
 * (acquired counts every delivery of that message; deliveredAt is the queue's
 * time when it made the delivery, absent in histories recorded before the
 * server said it).
 */
export interface QueueDeliverEvent {
  readonly type: 'qdeliver';
  /** The consume call's invocation id. */
  readonly id: number;
  readonly proc: string;
  readonly time: number;
  readonly deliveries: ReadonlyArray<readonly [number, string, number, number?]>;
}

/** The nemesis did something. `majority: false` on a start means the fault leaves no connected majority. */
export interface NemesisEvent {
  readonly type: 'nemesis';
  readonly time: number;
  readonly kind: string;
  readonly action: 'start' | 'stop' | 'info';
  readonly detail: string;
  readonly majority?: boolean;
}

/**
 * The Raft groups' leaders changed, as a sample of ClusterStatus shows them:
 * [group, leader node id (0: none known), the queue partition it serves, or
 * -1 for group 0 and groups of no partition] for every group.
 */
export interface LeadersEvent {
  readonly type: 'leaders';
  readonly time: number;
  readonly groups: ReadonlyArray<readonly [number, number, number]>;
}

export type HistoryEvent = InvokeEvent | CompleteEvent | DeliverEvent | QueueDeliverEvent | NemesisEvent | LeadersEvent;

export class HistoryWriter {
  private fd: number | undefined;
  private nextId = 1;
  readonly counts = { invoke: 0, ok: 0, fail: 0, unknown: 0 };

  constructor(readonly file: string) {
    this.fd = openSync(file, 'w');
  }

  write(e: HistoryEvent): void {
    if (e.type === 'invoke' || e.type === 'ok' || e.type === 'fail' || e.type === 'unknown') this.counts[e.type]++;
    if (this.fd !== undefined) writeSync(this.fd, JSON.stringify(e) + '\n');
  }

  /** Record an invocation; returns its id. */
  invoke(e: Omit<InvokeEvent, 'type' | 'id' | 'time'>): number {
    const id = this.nextId++;
    this.write({ type: 'invoke', id, time: Date.now(), ...e });
    return id;
  }

  complete(id: number, outcome: Outcome, e: Omit<CompleteEvent, 'type' | 'id' | 'time'>): void {
    this.write({ type: outcome, id, time: Date.now(), ...e });
  }

  nemesis(kind: string, action: NemesisEvent['action'], detail: string, majority?: boolean): void {
    this.write({ type: 'nemesis', time: Date.now(), kind, action, detail, ...(majority === undefined ? {} : { majority }) });
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

export function readHistory(file: string): HistoryEvent[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as HistoryEvent);
}
