// The headers exchange's rule (RabbitMQ's): a binding's arguments are
// compared with a message's headers; 'x-match' says how.
//   all (default): every argument is a header with the same value
//   any:           at least one is
// Arguments whose key starts with 'x-' are not compared, except by the
// 'all-with-x' and 'any-with-x' variants, which compare them too.

export const X_MATCH = ['all', 'any', 'all-with-x', 'any-with-x'] as const;
export type XMatch = (typeof X_MATCH)[number];

export function xMatchOf(args: ReadonlyArray<readonly [string, string]>): string {
  for (const [k, v] of args) if (k === 'x-match') return v;
  return 'all';
}

export function headersMatch(args: ReadonlyArray<readonly [string, string]>, headers: ReadonlyArray<readonly [string, string]>): boolean {
  const mode = xMatchOf(args);
  const withX = mode.endsWith('-with-x');
  const any = mode.startsWith('any');
  for (const [k, v] of args) {
    if (k === 'x-match' || (!withX && k.startsWith('x-'))) continue;
    let hit = false;
    for (const [hk, hv] of headers) {
      if (hk === k && hv === v) {
        hit = true;
        break;
      }
    }
    if (any && hit) return true;
    if (!any && !hit) return false;
  }
  // all: every compared argument matched (also when none was compared); any: none did.
  return !any;
}
