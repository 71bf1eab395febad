// How a message's size is counted against limits, the same for streams and
// queues: its header keys and values (as string lengths) plus its body.

export interface HeadersAndBody {
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: Uint8Array;
}

export function messageBytes(m: HeadersAndBody): number {
  let n = m.body.byteLength;
  for (const [k, v] of m.headers) n += k.length + v.length;
  return n;
}
