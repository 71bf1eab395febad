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

/**
 * At least the bytes a command's writer needs for these messages (UTF-8 takes
 * at most 3 bytes per UTF-16 unit; `perMessage` covers the fixed fields): the
 * writer is sized once and each body copied once into it.
 */
export function encodedBytesBound(ms: readonly HeadersAndBody[], perMessage: number, strings: number): number {
  let n = 3 * strings + 64;
  for (const m of ms) {
    n += perMessage + m.body.byteLength + 8 * m.headers.length;
    for (const [k, v] of m.headers) n += 3 * (k.length + v.length);
  }
  return n;
}
