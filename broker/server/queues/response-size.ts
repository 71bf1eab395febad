// How much one answer carries. A client's default receive limit is 4 MiB
// (grpc-js and most others), and prefetch × message size easily exceeds it
// (256 × 64 KiB is 16 MiB): a response over it kills the call with
// RESOURCE_EXHAUSTED. Deliveries are therefore sent in responses of at most
// MAX_RESPONSE_BYTES each (at least one delivery per response, so a single
// large message still goes out alone), and unary answers stop adding items
// once that much is in them.

/** The payload bytes one response carries at most (one larger item still goes out alone). */
export const MAX_RESPONSE_BYTES = 1 << 20;

/** What an item adds to a response: its body, its headers, and a little framing. */
export function itemBytes(m: { readonly body?: Uint8Array | string | null; readonly headers?: ReadonlyArray<{ readonly key?: string; readonly value?: string }> | null }): number {
  let n = 32 + (typeof m.body === 'string' ? Buffer.byteLength(m.body) : (m.body?.byteLength ?? 0));
  for (const h of m.headers ?? []) n += 8 + Buffer.byteLength(h.key ?? '') + Buffer.byteLength(h.value ?? '');
  return n;
}

/** `items` cut, in order, into runs of at most `limit` bytes each (a run holds at least one item). */
export function chunkByBytes<T>(items: readonly T[], size: (t: T) => number, limit = MAX_RESPONSE_BYTES): T[][] {
  const out: T[][] = [];
  let run: T[] = [];
  let bytes = 0;
  for (const t of items) {
    const b = size(t);
    if (run.length > 0 && bytes + b > limit) {
      out.push(run);
      run = [];
      bytes = 0;
    }
    run.push(t);
    bytes += b;
  }
  if (run.length > 0) out.push(run);
  return out;
}

/** How many of `items`, from the first, fit in `limit` bytes (at least one when there is one). */
export function fitting<T>(items: readonly T[], size: (t: T) => number, limit = MAX_RESPONSE_BYTES): number {
  let bytes = 0;
  for (let i = 0; i < items.length; i++) {
    bytes += size(items[i]!);
    if (i > 0 && bytes > limit) return i;
  }
  return items.length;
}
