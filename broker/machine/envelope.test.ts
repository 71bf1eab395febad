import { describe, expect, it } from 'vitest';
import { DEFAULT_QUEUE_CONFIG } from './queues/config.js';
import { QueuesMachine } from './queues/machine.js';
import type { QueueCommand } from './queues/commands.js';
import { DEFAULT_STREAM_CONFIG } from './streams/config.js';
import { StreamsMachine } from './streams/machine.js';
import type { StreamCommand } from './streams/commands.js';
import { commandFor, machineCommand } from './envelope.js';

const body = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => i % 251);

describe('a machine command', () => {
  it('written at once (encodeCommandWithId) is byte for byte the id byte and encodeCommand', () => {
    const streams = new StreamsMachine();
    const sc: StreamCommand[] = [
      { op: 'declare', name: 'orders', config: DEFAULT_STREAM_CONFIG },
      { op: 'append', stream: 'orders', producer: 'p-1', seq: 7, messages: [{ headers: [['k', 'v'], ['é', '✓']], body: body(1024) }, { headers: [], body: body(0) }] },
      { op: 'delete', name: 'orders' },
    ];
    for (const c of sc) expect(commandFor(streams, c)).toEqual(machineCommand(streams.id, streams.encodeCommand(c)));
    const queues = new QueuesMachine();
    const qc: QueueCommand[] = [
      { op: 'declare', name: 'jobs', config: DEFAULT_QUEUE_CONFIG },
      { op: 'purge', name: 'jobs' },
      {
        op: 'publish',
        queue: 'jobs',
        producer: 'p',
        seq: 3,
        messages: [{ headers: [['a', 'b']], body: body(1024), priority: 2, ttlMs: 5000, delayMs: 0, id: 'm-1', group: 'g' }],
      },
    ];
    for (const c of qc) expect(commandFor(queues, c)).toEqual(machineCommand(queues.id, queues.encodeCommand(c)));
  });
});
