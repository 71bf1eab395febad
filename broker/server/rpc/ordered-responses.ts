// The response side of a bidi call whose requests are answered out of order
// internally but must be answered in request order on the wire (one confirm
// per request, in order). Requests reserve a slot as they arrive; a slot is
// filled when its answer is known; filled slots at the head leave at once.
// With `window` answers outstanding the call stops reading (HTTP/2 flow
// control then slows the client), and resumes below half of it.

import type * as grpc from '@grpc/grpc-js';

export class OrderedResponses<Res> {
  private readonly slots: Array<Res | undefined> = [];
  private head = 0;
  private paused = false;
  private inputDone = false;
  private closed = false;

  constructor(
    private readonly call: grpc.ServerDuplexStream<unknown, Res>,
    private readonly window: number,
  ) {
    call.on('end', () => {
      this.inputDone = true;
      this.finishIfDone();
    });
    const abort = (): void => {
      this.closed = true;
    };
    call.on('cancelled', abort);
    call.on('error', abort);
  }

  /** Reserve the next response's place; the returned function answers it (once). */
  reserve(): (res: Res) => void {
    const slot = this.slots.length;
    this.slots.push(undefined);
    if (!this.paused && this.slots.length - this.head >= this.window) {
      this.paused = true;
      this.call.pause();
    }
    return (res: Res) => {
      this.slots[slot] = res;
      this.flush();
    };
  }

  private flush(): void {
    while (this.head < this.slots.length && this.slots[this.head] !== undefined) {
      if (!this.closed) this.call.write(this.slots[this.head]!);
      this.slots[this.head++] = undefined;
    }
    if (this.head > 4096 && this.head === this.slots.length) {
      this.slots.length = 0;
      this.head = 0;
    }
    if (this.paused && this.slots.length - this.head < this.window / 2 && !this.closed) {
      this.paused = false;
      this.call.resume();
    }
    this.finishIfDone();
  }

  private finishIfDone(): void {
    if (this.inputDone && this.head === this.slots.length && !this.closed) {
      this.closed = true;
      this.call.end();
    }
  }
}
