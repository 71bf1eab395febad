// A quorum queue's Consume call as a test drives it: deliveries as they come,
// settles confirmed by request id (shared by the queue e2e tests).

import type * as grpc from '@grpc/grpc-js';
import type { ConsumeRequest } from '../../proto/generated/quorumq/v1/ConsumeRequest.js';
import type { ConsumeResponse__Output } from '../../proto/generated/quorumq/v1/ConsumeResponse.js';
import type { Delivery__Output } from '../../proto/generated/quorumq/v1/Delivery.js';
import { waitFor } from './cluster.js';
import { rawClient } from './streams-client.js';

/** A Consume call: deliveries as they come, settles with confirmation. */
export class Consumer {
  readonly deliveries: Delivery__Output[] = [];
  readonly confirmed = new Map<number, number[]>();
  name = '';
  ended: string | undefined;
  error: grpc.ServiceError | undefined;
  private readonly call: grpc.ClientDuplexStream<ConsumeRequest, ConsumeResponse__Output>;
  private nextId = 1;
  readonly closed: Promise<void>;

  constructor(addr: string, queue: string, prefetch: number, priority = 0) {
    this.call = rawClient(addr).Consume();
    this.closed = new Promise((resolve) => {
      this.call.on('data', (r: ConsumeResponse__Output) => {
        if (r.consumer) this.name = r.consumer;
        this.deliveries.push(...r.deliveries);
        if (r.confirmed) this.confirmed.set(Number(r.confirmed), r.unknownTags.map(Number));
        if (r.ended) this.ended = r.ended;
      });
      this.call.on('error', (e: grpc.ServiceError) => {
        this.error = e;
        resolve();
      });
      this.call.on('end', () => resolve());
    });
    this.call.write({ queue, prefetch, priority });
  }

  /** Settle and wait for the confirmation; resolves with the tags the server did not hold. */
  async settle(s: Pick<ConsumeRequest, 'ack' | 'requeue' | 'reject'>, timeoutMs = 20_000): Promise<number[]> {
    const id = this.nextId++;
    this.call.write({ ...s, requestId: id });
    return waitFor(`settle ${id} to be confirmed`, () => this.confirmed.get(id), timeoutMs);
  }

  bodies(): string[] {
    return this.deliveries.map((d) => Buffer.from(d.body).toString());
  }

  cancel(): void {
    this.call.cancel();
  }
}
