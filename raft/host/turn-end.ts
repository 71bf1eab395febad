// One deferral per event-loop turn for everything that gathers "what this
// turn produced" and hands it on at the end of the turn.
//
// The write path gathers a turn's requests into one proposal, the host
// gathers everything stepped in a turn into one Ready, and the transport
// gathers a Ready's messages into one write per peer. When each deferred with
// its own setImmediate, a request waited three loop iterations (each with its
// poll for I/O) before its append left for the followers. Deferred here, they
// run in one callback at the end of the turn, in the order they were asked
// for: the write path proposes, the host's Ready (queued by the proposal)
// hands its messages to the transport, the transport's flush (queued by those
// messages) writes them — all in the same turn.
//
// Callbacks queued while the queue drains run in the same drain, up to a
// bound, so a callback that keeps queueing more cannot starve I/O: the rest
// waits for the next turn.

const MAX_PER_DRAIN = 100_000;

let queue: (() => void)[] = [];
let scheduled = false;

/** Run `fn` once the work of this turn is done (after the poll phase, like setImmediate), together with every other callback queued in this turn. */
export function atTurnEnd(fn: () => void): void {
  queue.push(fn);
  if (scheduled) return;
  scheduled = true;
  setImmediate(drain);
}

function drain(): void {
  const q = queue;
  let failure: { error: unknown } | undefined;
  let i = 0;
  for (; i < q.length && i < MAX_PER_DRAIN; i++) {
    try {
      q[i]!();
    } catch (error) {
      // The others still run; the first error is thrown afterwards, as an
      // exception thrown from its own setImmediate would have been.
      failure ??= { error };
    }
  }
  queue = i < q.length ? q.slice(i) : [];
  scheduled = queue.length > 0;
  if (scheduled) setImmediate(drain);
  if (failure) throw failure.error;
}
