// A Ready is everything the core asks the driver to do, in this order:
//   1. send `messages` (they may leave at once: a leader's appends go out while
//      it persists the same entries itself);
//   2. persist `snapshot`, `entries` (truncating any conflicting suffix, in the
//      same atomic write) and `hardState` in ONE write, synced when `mustSync`;
//   3. then send `persistedMessages` (votes and acknowledgements, which promise
//      durability);
//   4. apply `committedEntries` (and install `snapshot` into the application);
//   5. serve `readStates` once applied has reached their index;
//   6. call advance(ready).
// The split between messages and persistedMessages is in the type, so a driver
// cannot send an acknowledgement of state that is not durable yet.

import type { Entry, HardState, Message, ReadState, Snapshot, SoftState } from './types.js';

export interface Ready {
  /** Changed since the last Ready, for the application's leader hint and metrics. */
  readonly softState: SoftState | undefined;
  /** Changed since the last Ready; persist with the entries. */
  readonly hardState: HardState | undefined;
  /** Entries to append. The first may overwrite (truncate) existing ones at its index and after. */
  readonly entries: readonly Entry[];
  /** A snapshot received from the leader, to persist and install. */
  readonly snapshot: Snapshot | undefined;
  /** Messages that may leave before this Ready is persisted. */
  readonly messages: readonly Message[];
  /** Messages that may leave only after this Ready is persisted. */
  readonly persistedMessages: readonly Message[];
  /** Committed entries to apply, in order. */
  readonly committedEntries: readonly Entry[];
  /** Linearizable reads confirmed by a quorum. */
  readonly readStates: readonly ReadState[];
  /** Whether the write must be fsynced (term, vote or entries changed). */
  readonly mustSync: boolean;
}

/** A one-line-per-field description, stable across runs, for golden tests and debugging. */
export function describeReady(rd: Ready): string {
  const out: string[] = [];
  if (rd.softState) out.push(`Lead:${rd.softState.leader} State:${rd.softState.role}`);
  if (rd.hardState) out.push(`HardState Term:${rd.hardState.term} Vote:${rd.hardState.vote} Commit:${rd.hardState.commit}`);
  if (rd.entries.length) out.push(`Entries:\n${rd.entries.map((e) => '  ' + describeEntry(e)).join('\n')}`);
  if (rd.snapshot) out.push(`Snapshot Index:${rd.snapshot.meta.index} Term:${rd.snapshot.meta.term} Voters:${rd.snapshot.meta.conf.voters.join(',')}`);
  if (rd.committedEntries.length) out.push(`CommittedEntries:\n${rd.committedEntries.map((e) => '  ' + describeEntry(e)).join('\n')}`);
  if (rd.messages.length) out.push(`Messages:\n${rd.messages.map((m) => '  ' + describeMessage(m)).join('\n')}`);
  if (rd.persistedMessages.length) out.push(`PersistedMessages:\n${rd.persistedMessages.map((m) => '  ' + describeMessage(m)).join('\n')}`);
  if (rd.readStates.length) out.push(`ReadStates: ${rd.readStates.map((r) => r.index).join(',')}`);
  return out.join('\n');
}

export function describeEntry(e: Entry): string {
  const kind = e.type === 1 ? 'ConfChange' : 'Normal';
  return `${e.term}/${e.index} ${kind} ${e.data.byteLength}B`;
}

export function describeMessage(m: Message): string {
  const head = `${m.from}->${m.to} ${m.type} Term:${m.term}`;
  switch (m.type) {
    case 'vote':
      return `${head}${m.preVote ? ' pre' : ''} Last:${m.lastTerm}/${m.lastIndex}${m.transfer ? ' transfer' : ''}`;
    case 'vote-resp':
      return `${head}${m.preVote ? ' pre' : ''}${m.reject ? ' Rejected' : ''}`;
    case 'app':
      return `${head} Prev:${m.prevTerm}/${m.prevIndex} Commit:${m.commit} Entries:[${m.entries.map((e) => `${e.term}/${e.index}`).join(' ')}]${m.noReply ? ' NoReply' : ''}`;
    case 'app-resp':
      return `${head} Index:${m.index}${m.reject ? ` Rejected Hint:${m.hintTerm}/${m.hintIndex}` : ''}`;
    case 'heartbeat':
      return `${head} Commit:${m.commit}${m.context.byteLength ? ' ctx' : ''}`;
    case 'snap':
      return `${head} Snapshot:${m.snapshot.meta.term}/${m.snapshot.meta.index}`;
    case 'read-index-resp':
      return `${head} Index:${m.index}`;
    case 'transfer-leader':
      return `${head} Target:${m.target}`;
    default:
      return head;
  }
}
