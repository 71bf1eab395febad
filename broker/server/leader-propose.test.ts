import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { decodeStreamCommand, encodeStreamCommand } from '../machine/streams/commands.js';
import { decodeOutcome, encodeOutcome, stampAppendTime } from './leader-propose.js';
import { RESULT_STATUS } from './status.js';

describe('the leader stamps its clock into appends', () => {
  it('overwrites the time of an encoded append in place, and leaves other commands alone', () => {
    const cmd = encodeStreamCommand({ op: 'append', stream: 'orders☃', producer: 'p', seq: 7, time: 0, messages: [{ headers: [['k', 'v']], body: new Uint8Array([1, 2]) }] });
    expect(stampAppendTime(cmd, 1_700_000_000_123)).toBe(true);
    expect(decodeStreamCommand(cmd)).toMatchObject({ op: 'append', stream: 'orders☃', producer: 'p', seq: 7, time: 1_700_000_000_123 });
    const tick = encodeStreamCommand({ op: 'tick', time: 5 });
    expect(stampAppendTime(tick, 9)).toBe(false);
    expect(decodeStreamCommand(tick)).toEqual({ op: 'tick', time: 5 });
    expect(stampAppendTime(new Uint8Array([1, 2, 3, 0]), 9)).toBe(false);
  });
});

describe('forwarded batch outcomes', () => {
  it('carry a machine result or a status, per command', () => {
    const ok = { ok: true as const, index: 9, stream: { ok: true as const, kind: 'appended' as const, firstOffset: 4, count: 2, timestamp: 77, duplicate: true } };
    expect(decodeOutcome(encodeOutcome({ result: ok }))).toEqual({ result: ok });
    const bad = { ok: false as const, code: 'out-of-range' as const, message: 'first available offset is 3' };
    expect(decodeOutcome(encodeOutcome({ result: bad }))).toEqual({ result: bad });
    expect(decodeOutcome(encodeOutcome({ code: status.UNAVAILABLE, details: 'no leader' }))).toEqual({ code: status.UNAVAILABLE, details: 'no leader' });
  });

  it('map every machine error code to a gRPC status', () => {
    expect(RESULT_STATUS).toMatchObject({ 'not-found': status.NOT_FOUND, 'invalid-argument': status.INVALID_ARGUMENT, 'failed-precondition': status.FAILED_PRECONDITION, 'resource-exhausted': status.RESOURCE_EXHAUSTED, 'out-of-range': status.OUT_OF_RANGE });
  });
});
