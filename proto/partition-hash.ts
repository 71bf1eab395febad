// Which partition of a partitioned queue a message goes to: part of the wire
// contract, since a client that sends a partition's messages straight to its
// leader (PublishRequest.group) must pick the partition exactly as the server
// does, and the server refuses a request whose keys hash elsewhere. One copy,
// here in proto/, where both the server (broker/) and the SDK
// (broker/client/, which may import only proto/) can reach it. Pure: no I/O.
//
// A message's group key picks its partition with a jump consistent hash
// (Lamping & Veach) of the key's 64-bit FNV-1a: the same key lands in the
// same partition on every node, in every version, so a group keeps its
// order; and if a queue ever grows from n to n+1 partitions only 1/(n+1) of
// the keys would move.

const MASK = (1n << 64n) - 1n;
const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const utf8 = new TextEncoder();

/** The 64-bit FNV-1a hash of the key's UTF-8 bytes. */
export function keyHash(key: string): bigint {
  let h = FNV_OFFSET;
  for (const b of utf8.encode(key)) h = ((h ^ BigInt(b)) * FNV_PRIME) & MASK;
  return h;
}

/** Jump consistent hash: a bucket in [0, buckets) for a 64-bit key. */
export function jumpHash(key: bigint, buckets: number): number {
  let b = -1;
  let j = 0;
  let k = key;
  while (j < buckets) {
    b = j;
    k = (k * 2862933555777941757n + 1n) & MASK;
    j = Math.floor((b + 1) * (2 ** 31 / (Number(k >> 33n) + 1)));
  }
  return b;
}

/** The partition of a message with group key `key` in a queue of `partitions`. */
export function partitionOf(key: string, partitions: number): number {
  return partitions === 1 ? 0 : jumpHash(keyHash(key), partitions);
}
