// Which partition a message (a queue message, a stream batch) goes to.
//
// A message's group key picks its partition with a jump consistent hash
// (Lamping & Veach) of the key's 64-bit FNV-1a: the same key lands in the
// same partition on every node, in every version, so a group (a key) keeps its
// order; and if a queue or stream ever grows from n to n+1 partitions only 1/(n+1) of
// the keys would move.

const MASK = (1n << 64n) - 1n;
const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;

/** The 64-bit FNV-1a hash of the key's UTF-8 bytes. */
export function keyHash(key: string): bigint {
  let h = FNV_OFFSET;
  for (const b of Buffer.from(key, 'utf8')) h = ((h ^ BigInt(b)) * FNV_PRIME) & MASK;
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

/** The partition of a message with group key (or a batch with key) `key` among `partitions`. */
export function partitionOf(key: string, partitions: number): number {
  return partitions === 1 ? 0 : jumpHash(keyHash(key), partitions);
}
