// Bearer tokens: made here, shown to the user once, kept only as a hash.
//
// Why sha256 and not scrypt (or bcrypt, argon2): a slow, salted hash protects
// low-entropy secrets — passwords a person chose — against guessing from a
// stolen hash. Our tokens are 256 random bits: finding one from its hash takes
// ~2^255 tries whatever the hash's speed, so a slow hash adds no safety. It
// would cost ~50 ms of CPU per call (or a cache of plaintext tokens in memory,
// which is what hashing avoids), and a random salt would make a token
// impossible to find by its hash: with sha256 the replicated state indexes
// users by hash, and a call is authenticated by one map lookup.
// A token a user brings (the bootstrap admin's file) must be long enough for
// that argument to hold: MIN_TOKEN_LENGTH.

import { createHash, randomBytes } from 'node:crypto';

const PREFIX = 'qq_';

/** Shorter tokens are refused: guessing must stay out of reach. */
export const MIN_TOKEN_LENGTH = 24;

/** A new token: "qq_" and 32 random bytes, base64url. */
export function newToken(): string {
  return PREFIX + randomBytes(32).toString('base64url');
}

/** The hash the replicated state keeps: sha256, lowercase hex. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Why a token a user supplied is unusable, or undefined. */
export function checkToken(token: string): string | undefined {
  if (token.length < MIN_TOKEN_LENGTH) return `the token is ${token.length} characters; at least ${MIN_TOKEN_LENGTH} are needed (make one with: openssl rand -base64 32)`;
  if (/\s/.test(token)) return 'the token must not contain white space';
  return undefined;
}
