// Which partition a message (a queue message, a stream batch) goes to: the
// hash lives in proto/partition-hash.ts, shared with the SDK, which routes a
// producer's messages to each partition's leader with the same function.

export { jumpHash, keyHash, partitionOf } from '../../../proto/partition-hash.js';
