// The front door on a real three-node cluster, as a client generated from the
// proto in another language or a fuzzer sees it: unknown enum values, uint64
// values above 2^53, limits and names. Every refusal is INVALID_ARGUMENT
// naming the field and the rule, and nothing invalid reaches any node's log.

import { status as grpcStatus } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrokerPool, CallError } from '../../broker/cli/client.js';
import type { ReadResponse__Output } from '../../proto/generated/quorumq/v1/ReadResponse.js';
import type { StreamInfoResponse__Output } from '../../proto/generated/quorumq/v1/StreamInfoResponse.js';
import { LocalCluster, waitFor } from './cluster.js';
import { body, closeRawClients, subscribe } from './streams-client.js';

const U64_MAX = '18446744073709551615';
const ABOVE_2_53 = '9007199254740993';
const RULE = /must be an integer from 0 to 2\^53 - 1 \(9007199254740991\)/;

describe('request validation at the front door', () => {
  let c: LocalCluster;
  let leader: number;
  let follower: number;
  let viaFollower: BrokerPool;
  let viaLeader: BrokerPool;

  const refusal = async (p: Promise<unknown>): Promise<CallError> => {
    try {
      await p;
    } catch (e) {
      return e as CallError;
    }
    throw new Error('expected the call to be refused');
  };
  const invalid = async (p: Promise<unknown>, message: RegExp): Promise<void> => {
    const e = await refusal(p);
    expect({ code: grpcStatus[e.code], details: e.details }).toEqual({ code: 'INVALID_ARGUMENT', details: expect.stringMatching(message) });
  };
  /** Every node's last log index, and the cluster's term. */
  const lastIndexes = async (): Promise<{ indexes: number[]; term: number }> => {
    const s = await c.status();
    return { indexes: s.members.map((m) => Number(m.lastIndex)).sort(), term: Number(s.term) };
  };
  /**
   * Nothing was proposed between two looks: no log grew, except by the one
   * empty entry each newly elected leader appends (a loaded machine may
   * elect; a proposed command would add an entry without a new term).
   */
  const nothingProposed = (before: { indexes: number[]; term: number }, after: { indexes: number[]; term: number }): void => {
    const elections = after.term - before.term;
    after.indexes.forEach((x, i) => expect(x - before.indexes[i]!, `log growth of node ${i + 1} with ${elections} new term(s)`).toBeLessThanOrEqual(elections));
  };

  beforeAll(async () => {
    c = await LocalCluster.create(3);
    await c.startAll();
    leader = await c.waitForLeader();
    follower = [1, 2, 3].find((id) => id !== leader)!;
    viaFollower = c.client([follower], 10_000);
    viaLeader = c.client([leader], 10_000);
    await viaLeader.call('DeclareStream', { name: 'v', settings: {} });
    await viaLeader.call('Append', { stream: 'v', messages: [{ body: body('a') }, { body: body('b') }] });
    // Quiet from here on: every node has registered its addresses (the last writes a fresh cluster makes on its own).
    await waitFor('every node in the address book, every log at the same index', async () => {
      const s = await c.status();
      return s.members.every((m) => m.clientAddress && Number(m.lastIndex) === Number(s.commit) && Number(m.applied) === Number(s.commit));
    });
  }, 60_000);

  afterAll(async () => {
    closeRawClients();
    await c?.destroy();
  });

  it('refuses unknown enum values, naming the field and the known values', async () => {
    await invalid(viaFollower.call('Get', { key: 'k', consistency: 7 }), /^consistency has the unknown value 7; it must be one of LINEARIZABLE \(0\), LOCAL \(1\)$/);
    await invalid(viaFollower.call('Read', { stream: 'v', consistency: 7 }), /^consistency has the unknown value 7/);
    await invalid(viaFollower.call('StreamInfo', { name: 'v', consistency: 2 }), /^consistency has the unknown value 2/);
    await invalid(viaFollower.call('ListStreams', { consistency: 9 }), /^consistency has the unknown value 9/);
    await invalid(viaFollower.call('GetOffset', { stream: 'v', consumer: 'c', consistency: 3 }), /^consistency has the unknown value 3/);
    await invalid(viaFollower.call('DeclareStream', { name: 'd5', settings: { discard: 5 } }), /^settings\.discard has the unknown value 5; it must be one of DISCARD_OLD \(0\), DISCARD_REJECT \(1\)$/);
    expect((await refusal(viaLeader.call('StreamInfo', { name: 'd5' }))).code).toBe(grpcStatus.NOT_FOUND);

    const sub = subscribe(c.node(follower).client, { stream: 'v', start: 9 as never, offset: 1, credit: 10 });
    await sub.closed;
    expect(sub.messages).toEqual([]);
    expect({ code: sub.error?.code, details: sub.error?.details }).toEqual({ code: grpcStatus.INVALID_ARGUMENT, details: expect.stringMatching(/^start has the unknown value 9; it must be one of START_AT_OFFSET \(0\)/) });
  });

  it('refuses every integer above 2^53 - 1 with one message naming the field, and none of it reaches a log', async () => {
    const before = await lastIndexes();
    await invalid(viaFollower.call('CommitOffset', { stream: 'v', consumer: 'c', offset: U64_MAX }), new RegExp(`^offset ${RULE.source}`));
    await invalid(viaLeader.call('CommitOffset', { stream: 'v', consumer: 'c', offset: ABOVE_2_53 }), new RegExp(`^offset ${RULE.source}`));
    await invalid(viaFollower.call('Append', { stream: 'v', producerId: 'p', sequence: ABOVE_2_53, messages: [{ body: body('x') }] }), new RegExp(`^sequence ${RULE.source}`));
    await invalid(viaFollower.call('Append', { stream: 'v', requestId: U64_MAX, messages: [{ body: body('x') }] }), new RegExp(`^request_id ${RULE.source}`));
    await invalid(viaFollower.call('Read', { stream: 'v', fromOffset: U64_MAX }), new RegExp(`^from_offset ${RULE.source}`));
    await invalid(viaFollower.call('Read', { stream: 'v', maxBytes: U64_MAX }), new RegExp(`^max_bytes ${RULE.source}`));
    await invalid(viaFollower.call('DeclareStream', { name: 'age', settings: { maxAgeMs: U64_MAX } }), new RegExp(`^settings\\.max_age_ms ${RULE.source}`));
    await invalid(viaFollower.call('DeclareStream', { name: 'age', settings: { dedupWindowMs: ABOVE_2_53 } }), new RegExp(`^settings\\.dedup_window_ms ${RULE.source}`));
    await invalid(viaFollower.call('TransferLeader', { id: U64_MAX }), new RegExp(`^id ${RULE.source}`));
    await invalid(viaFollower.call('RemoveNode', { id: ABOVE_2_53 }), new RegExp(`^id ${RULE.source}`));
    const sub = subscribe(c.node(follower).client, { stream: 'v', start: 'START_AT_TIMESTAMP', timestamp: U64_MAX, credit: 10 });
    await sub.closed;
    expect(sub.error?.details).toMatch(new RegExp(`^timestamp ${RULE.source}`));
    // Nothing was proposed: no node's log grew.
    nothingProposed(before, await lastIndexes());
  });

  it('refuses a stored setting outside its range and serves an over-limit read ceiling at the maximum', async () => {
    await invalid(viaFollower.call('DeclareStream', { name: 'big', settings: { maxMessageBytes: 9 << 20 } }), /^settings\.max_message_bytes must be at most 8388608/);
    await invalid(viaFollower.call('DeclareStream', { name: 'big', settings: { maxBytes: 10, maxMessageBytes: 100 } }), /^settings\.max_bytes \(10\) must be 0 or at least settings\.max_message_bytes \(100\)/);
    const r = await viaFollower.call<ReadResponse__Output>('Read', { stream: 'v', fromOffset: 0, maxMessages: 4_000_000_000, maxBytes: 1 << 30, waitMs: 4_000_000_000 });
    expect(r.messages.map((m) => m.body.toString())).toEqual(['a', 'b']);
    const info = await viaFollower.call<StreamInfoResponse__Output>('StreamInfo', { name: 'v' });
    expect(info.messageCount).toBe(2);
  });

  it('names the rule for producer ids and for a sequence without a producer', async () => {
    await invalid(viaFollower.call('Append', { stream: 'v', producerId: 'bad producer/1', sequence: 1, messages: [{ body: body('x') }] }), /^producer name "bad producer\/1" may contain only letters, digits/);
    await invalid(viaFollower.call('Append', { stream: 'v', sequence: 5, messages: [{ body: body('x') }] }), /^sequence is set but producer_id is empty/);
  });
});
