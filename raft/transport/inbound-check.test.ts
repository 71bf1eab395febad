import { describe, expect, it } from 'vitest';
import type { Message } from '../core/types.js';
import { checkMessage, MAX_PEER_NUMBER } from './inbound-check.js';

const h = { group: 0, from: 1, to: 2, term: 5 };
const empty = new Uint8Array(0);
const entry = (index: number, term: number) => ({ index, term, type: 0 as const, data: empty });
const snap = (index: number, term: number, voters: number[]): Message => ({ ...h, type: 'snap', snapshot: { meta: { index, term, conf: { voters, learners: [] } }, data: empty } });

describe('checkMessage', () => {
  it('passes what honest peers send', () => {
    const good: Message[] = [
      { ...h, type: 'vote', preVote: true, lastIndex: 10, lastTerm: 4, transfer: false },
      { ...h, type: 'vote-resp', preVote: false, reject: true },
      { ...h, type: 'app', prevIndex: 9, prevTerm: 3, commit: 20, entries: [entry(10, 3), entry(11, 5)] },
      { ...h, type: 'app-resp', index: 9, reject: true, hintIndex: 7, hintTerm: 2 },
      { ...h, type: 'heartbeat', commit: 11, context: new Uint8Array(8) },
      { ...h, type: 'heartbeat-resp', context: empty },
      { ...h, type: 'timeout-now' },
      { ...h, type: 'read-index', context: new Uint8Array(8) },
      { ...h, type: 'read-index-resp', context: empty, index: 3 },
      { ...h, type: 'transfer-leader', target: 3 },
      snap(100, 4, [1, 2, 3]),
      { ...h, term: MAX_PEER_NUMBER, type: 'heartbeat', commit: MAX_PEER_NUMBER, context: empty },
    ];
    for (const m of good) expect(checkMessage(m, 2, 1), m.type).toBeUndefined();
  });

  it.each<[string, Message, RegExp]>([
    ['a term the log cannot hold after an election', { ...h, term: 2 ** 53 - 1, type: 'heartbeat', commit: 0, context: empty }, /term .* above the limit/],
    ['a negative commit', { ...h, type: 'heartbeat', commit: -1, context: empty }, /commit -1/],
    ['a fractional index', { ...h, type: 'read-index-resp', context: empty, index: 1.5 }, /index 1.5/],
    ['a huge context', { ...h, type: 'read-index', context: new Uint8Array(5000) }, /context of 5000 bytes/],
    ['a lastTerm above the term', { ...h, type: 'vote', preVote: false, lastIndex: 1, lastTerm: 6, transfer: false }, /lastTerm 6/],
    ['entries with a gap', { ...h, type: 'app', prevIndex: 9, prevTerm: 3, commit: 0, entries: [entry(11, 3)] }, /expected 10/],
    ['entry terms going down', { ...h, type: 'app', prevIndex: 9, prevTerm: 3, commit: 0, entries: [entry(10, 4), entry(11, 3)] }, /below the term 4/],
    ['an entry term above the message term', { ...h, type: 'app', prevIndex: 9, prevTerm: 3, commit: 0, entries: [entry(10, 9)] }, /above the message's term/],
    ['a bad transfer target', { ...h, type: 'transfer-leader', target: 0 }, /not a node id/],
    ['a snapshot with no voters', snap(10, 4, []), /no voters/],
    ['a snapshot term above the message term', snap(10, 6, [1]), /above the message's term/],
    ['a snapshot listing a node twice', snap(10, 4, [1, 1]), /twice/],
    ['an empty snapshot', snap(0, 0, [1]), /empty/],
    ['an unknown type', { ...h, type: 'bogus' } as unknown as Message, /unknown message type bogus/],
  ])('refuses %s', (_what, m, why) => {
    expect(checkMessage(m, 2, 1)).toMatch(why);
  });

  it('refuses a from that is not the sending peer, and a message for another node', () => {
    expect(checkMessage({ ...h, type: 'timeout-now' }, 2, 3)).toMatch(/claims to be from node 1 but came from node 3/);
    expect(checkMessage({ ...h, type: 'timeout-now' }, 4, 1)).toMatch(/is for node 2, not this node \(4\)/);
  });
});
