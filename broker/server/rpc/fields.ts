// Checks of request fields at the front door, the same for every service:
// what arrives from proto-loader (proto/load.ts: longs as Number, enums as
// String) is not yet what the proto promises.
//
//   * An enum value this server does not know arrives as its number (a
//     client generated from a newer proto, or a fuzzer): it is refused, never
//     read as the default.
//   * A uint64 arrives as a JavaScript number, exact only below 2^53: every
//     integer field above 2^53 - 1 is refused with the same message, naming
//     the field and the limit, before anything is proposed.
//
// Each refusal is INVALID_ARGUMENT whose message names the field (as the
// proto spells it) and the rule.

import * as grpc from '@grpc/grpc-js';
import { StatusError } from './status.js';

/** The largest integer a uint64 field may hold: every client reads it exactly, also as a JavaScript number. */
export const MAX_INTEGER = Number.MAX_SAFE_INTEGER;

export const invalidArgument = (msg: string): StatusError => new StatusError(grpc.status.INVALID_ARGUMENT, msg);

/** An integer field: a non-negative integer no larger than 2^53 - 1. Returns it. */
export function uint(field: string, v: number | undefined | null): number {
  const n = v ?? 0;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MAX_INTEGER) {
    throw invalidArgument(`${field} must be an integer from 0 to 2^53 - 1 (${MAX_INTEGER}); larger values are refused`);
  }
  return n;
}

/**
 * An enum field: one of `names`, where a name's position is its number in the
 * proto (0 first). Returns the name; an unknown value is refused.
 */
export function enumValue<T extends string>(field: string, v: string | number | undefined | null, names: readonly T[]): T {
  if (v === undefined || v === null) return names[0]!;
  if (typeof v === 'string' && (names as readonly string[]).includes(v)) return v as T;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < names.length) return names[v]!;
  throw invalidArgument(`${field} has the unknown value ${JSON.stringify(v)}; it must be one of ${names.map((n, i) => `${n} (${i})`).join(', ')}`);
}

export const CONSISTENCY = ['LINEARIZABLE', 'LOCAL'] as const;
export type ConsistencyName = (typeof CONSISTENCY)[number];

/** A read's consistency: LOCAL, or LINEARIZABLE (the default). */
export function consistency(v: string | number | undefined | null): ConsistencyName {
  return enumValue('consistency', v, CONSISTENCY);
}
