// What a peer message must be before the Raft core sees it. Pure.
//
// The core trusts its inputs: a term it is told becomes its term, an index
// becomes a log position, and both end up in the hard state the log refuses
// to persist when they are out of range (the node then exits and crashes
// again at every restart). So every field a peer sends is checked here, on
// the transport's side, and a message that fails is dropped and counted —
// never stepped, never fatal. This holds between members too: a buggy or
// corrupted peer must not take the others down.

import type { Entry, Message, NodeId, SnapshotMeta } from '../core/types.js';

/**
 * The largest term or index a peer may send. Far below 2^53 on purpose: the
 * core adds to terms (an election) and indexes (appends), and every result
 * must stay a safe integer the log can store. 2^50 elections or entries is
 * beyond any real cluster's life, so this refuses only forgeries and garbage.
 */
export const MAX_PEER_NUMBER = 2 ** 50;

/** Largest read-index context a peer may send (the core's contexts are a few bytes). */
export const MAX_CONTEXT_BYTES = 1024;

/** Node ids are u32, 0 meaning none. */
export function isNodeId(x: number): boolean {
  return Number.isInteger(x) && x > 0 && x <= 0xffff_ffff;
}

function num(name: string, x: number): string | undefined {
  if (!Number.isSafeInteger(x) || x < 0) return `${name} ${x} is not a non-negative integer`;
  if (x > MAX_PEER_NUMBER) return `${name} ${x} is above the limit of 2^50`;
  return undefined;
}

function ctx(c: Uint8Array): string | undefined {
  return c.byteLength > MAX_CONTEXT_BYTES ? `context of ${c.byteLength} bytes exceeds ${MAX_CONTEXT_BYTES}` : undefined;
}

function checkEntries(prevIndex: number, prevTerm: number, term: number, entries: readonly Entry[]): string | undefined {
  let last = prevTerm;
  for (let k = 0; k < entries.length; k++) {
    const e = entries[k]!;
    const bad = num('entry index', e.index) ?? num('entry term', e.term);
    if (bad) return bad;
    if (e.index !== prevIndex + 1 + k) return `entry ${k} has index ${e.index}, expected ${prevIndex + 1 + k} (entries must follow prevIndex ${prevIndex} without gaps)`;
    if (e.term < last) return `entry ${e.index} has term ${e.term}, below the term ${last} before it`;
    if (e.term > term) return `entry ${e.index} has term ${e.term}, above the message's term ${term}`;
    if (e.type !== 0 && e.type !== 1) return `entry ${e.index} has unknown type ${String(e.type)}`;
    last = e.term;
  }
  return undefined;
}

/** Snapshot metadata a receiver can install: a real position and a membership of valid ids. */
export function checkSnapshotMeta(meta: SnapshotMeta, term: number): string | undefined {
  const bad = num('snapshot index', meta.index) ?? num('snapshot term', meta.term);
  if (bad) return bad;
  if (meta.index < 1 || meta.term < 1) return `snapshot at index ${meta.index}, term ${meta.term} is empty`;
  if (meta.term > term) return `snapshot term ${meta.term} is above the message's term ${term}`;
  const ids = [...meta.conf.voters, ...meta.conf.learners];
  if (meta.conf.voters.length === 0) return 'snapshot membership has no voters';
  for (const id of ids) if (!isNodeId(id)) return `snapshot membership holds invalid node id ${id}`;
  if (new Set(ids).size !== ids.length) return 'snapshot membership lists a node twice';
  return undefined;
}

/**
 * Why `m`, received from `sender` by `self`, must not reach the core, or
 * undefined when it may. `sender` is the peer's identity as the transport
 * knows it (its certificate under TLS, else the connection's metadata).
 */
export function checkMessage(m: Message, self: NodeId, sender: NodeId): string | undefined {
  if (m.from !== sender) return `message claims to be from node ${m.from} but came from node ${sender}`;
  if (m.to !== self) return `message is for node ${m.to}, not this node (${self})`;
  if (!Number.isSafeInteger(m.group) || m.group < 0) return `bad group ${m.group}`;
  const t = num('term', m.term);
  if (t) return t;
  switch (m.type) {
    case 'vote': {
      const bad = num('lastIndex', m.lastIndex) ?? num('lastTerm', m.lastTerm);
      if (bad) return bad;
      if (m.lastTerm > m.term) return `vote lastTerm ${m.lastTerm} is above its term ${m.term}`;
      return undefined;
    }
    case 'vote-resp':
    case 'timeout-now':
      return undefined;
    case 'app': {
      const bad = num('prevIndex', m.prevIndex) ?? num('prevTerm', m.prevTerm) ?? num('commit', m.commit);
      if (bad) return bad;
      if (m.prevTerm > m.term) return `append prevTerm ${m.prevTerm} is above its term ${m.term}`;
      return checkEntries(m.prevIndex, m.prevTerm, m.term, m.entries);
    }
    case 'app-resp': {
      const bad = num('index', m.index) ?? num('hintIndex', m.hintIndex) ?? num('hintTerm', m.hintTerm);
      if (bad) return bad;
      if (m.hintTerm > m.term) return `append answer hintTerm ${m.hintTerm} is above its term ${m.term}`;
      return undefined;
    }
    case 'heartbeat':
      return num('commit', m.commit) ?? ctx(m.context);
    case 'heartbeat-resp':
    case 'read-index':
      return ctx(m.context);
    case 'read-index-resp':
      return num('index', m.index) ?? ctx(m.context);
    case 'transfer-leader':
      return isNodeId(m.target) ? undefined : `transfer target ${m.target} is not a node id`;
    case 'snap':
      return checkSnapshotMeta(m.snapshot.meta, m.term);
    default:
      return `unknown message type ${String((m as { type: unknown }).type)}`;
  }
}
