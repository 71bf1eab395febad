// pino JSON logs on stderr (stdout carries the one "ready" line), written
// synchronously so the last lines before an exit are never lost. Every line
// carries the node id, the group and the current term: the term comes from a
// mixin that reads it, for the line's group, when the line is written (a data
// group's lines come from a child logger that binds its group again, so the
// line carries "group" twice and the last one — the data group — is the one
// JSON readers keep).

import pino from 'pino';
import type { Logger as PinoLogger } from 'pino';

export interface LogContext {
  /** The current term of a group, read at every log line. */
  term(group: number): number;
}

export function createLogger(node: number, level: string, ctx: LogContext): PinoLogger {
  return pino(
    {
      level,
      base: { node, group: 0 },
      mixin: (_obj, _level, logger) => ({ term: ctx.term(Number((logger as PinoLogger).bindings().group ?? 0)) }),
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    pino.destination({ fd: 2, sync: true }),
  );
}
