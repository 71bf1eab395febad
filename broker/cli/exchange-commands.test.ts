import { describe, expect, it } from 'vitest';
import { parseTx } from './exchange-commands.js';
import { UsageError } from './usage.js';

describe('quorumq tx input', () => {
  it('reads a JSON array or one object per line into operations', () => {
    const ops = parseTx(
      JSON.stringify([
        { exchange: 'orders', key: 'a.b', mandatory: true, messages: ['x', { body: 'y', headers: { k: 'v' } }] },
        { queue: 'out', messages: ['z'] },
        { stream: 'audit', messages: ['z'] },
        { settle: 'in', consumer: 'c1', ack: [3, 4] },
      ]),
    );
    expect(ops.map((o) => o.kind)).toEqual(['TX_PUBLISH_EXCHANGE', 'TX_PUBLISH_QUEUE', 'TX_APPEND_STREAM', 'TX_SETTLE']);
    expect(ops[0]).toMatchObject({ exchange: 'orders', routingKey: 'a.b', mandatory: true });
    expect(ops[0]!.messages![1]).toMatchObject({ body: Buffer.from('y'), headers: [{ key: 'k', value: 'v' }] });
    expect(ops[3]).toMatchObject({ queue: 'in', consumer: 'c1', ack: [3, 4] });
    expect(parseTx('{"queue":"q","messages":["a"]}\n\n{"settle":"q","consumer":"c","reject":[1]}\n').map((o) => o.kind)).toEqual(['TX_PUBLISH_QUEUE', 'TX_SETTLE']);
  });

  it('says what is wrong with bad input', () => {
    expect(() => parseTx('[{"queue":"q","messages":[]}]')).toThrow(/operation 0: "messages" must be a non-empty array/);
    expect(() => parseTx('[{"topic":"q"}]')).toThrow(UsageError);
    expect(() => parseTx('{not json')).toThrow(/not JSON/);
  });
});
