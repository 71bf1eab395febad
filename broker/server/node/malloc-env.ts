// The C allocator settings a server runs with (glibc reads them from the
// GLIBC_TUNABLES environment variable when the process starts, so they are
// set by whatever launches it: deploy/, the test and bench clusters).
//
// Why: a node's large buffers — a request of 256 messages, a Raft entry, a
// peer batch, LevelDB's memtable blocks — are freed and allocated again many
// times a second. glibc serves allocations from 128 KiB up (its starting
// threshold) with a fresh mmap and returns them with munmap, and trims the
// top of its heap back to the kernel as soon as 128 KiB there are free; each
// new mapping is then faulted in page by page and zeroed by the kernel. On
// the 2-core virtual machines measured here a page fault costs several
// microseconds, and profiles of every node showed page faults under memmove
// (LevelDB's memtable insert, socket reads). Keeping allocations up to 32 MiB
// on the heap and the heap's free top up to 256 MiB mapped removes most of
// them. Measured alternately with and without (3 pairs each, one process per
// node): at 256 in flight, 1 message per request, page faults per message
// per node 0.67-0.98 -> 0.44-0.56, server CPU per message 5-10% lower, 6-13%
// more appends per second; in batches of 256, 0.53-0.66 -> 0.40-0.44 faults
// and 7-12% more per second. The price is memory a quiet node keeps mapped
// after a burst, bounded by the trim threshold.

/** The settings, in GLIBC_TUNABLES syntax. */
export const SERVER_MALLOC_TUNABLES = 'glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=268435456';

function parse(tunables: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (tunables ?? '').split(':')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return out;
}

/** glibc's older variables for the same settings: an operator who sets one has made the choice. */
const OLDER_NAMES: Record<string, string> = {
  'glibc.malloc.mmap_threshold': 'MALLOC_MMAP_THRESHOLD_',
  'glibc.malloc.trim_threshold': 'MALLOC_TRIM_THRESHOLD_',
};

const WANTED = parse(SERVER_MALLOC_TUNABLES);

/** Which of the server's allocator settings `env` lacks (names): neither in GLIBC_TUNABLES nor in an older variable. */
export function missingMallocSettings(env: NodeJS.ProcessEnv = process.env): string[] {
  const have = parse(env.GLIBC_TUNABLES);
  return [...WANTED.keys()].filter((k) => !have.has(k) && env[OLDER_NAMES[k] ?? ''] === undefined);
}

/** `env` with the server's allocator settings it lacks added to GLIBC_TUNABLES; settings already there, or in glibc's older MALLOC_*_ variables (an operator's choice), are kept. */
export function withServerMalloc(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const add = missingMallocSettings(env).map((k) => `${k}=${WANTED.get(k)!}`);
  if (add.length === 0) return env;
  return { ...env, GLIBC_TUNABLES: [env.GLIBC_TUNABLES, ...add].filter(Boolean).join(':') };
}

/** Whether this process runs on glibc (the settings mean nothing to musl or macOS). Costs a few ms: not on the way to serving. */
export function runsOnGlibc(): boolean {
  try {
    (process.report as { excludeNetwork?: boolean }).excludeNetwork = true;
    const header = (process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header;
    return typeof header?.glibcVersionRuntime === 'string';
  } catch {
    return false;
  }
}
