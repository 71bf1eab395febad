// pino JSON logs on stderr (stdout carries the one "ready" line), written
// synchronously so the last lines before an exit are never lost. Every line
// carries the node id, the group and the current term: the term comes from a
// mixin that reads it when the line is written.

import pino from 'pino';
import type { Logger as PinoLogger } from 'pino';

export interface LogContext {
  /** The current term of group 0, read at every log line. */
  term(): number;
}

export function createLogger(node: number, level: string, ctx: LogContext): PinoLogger {
  return pino(
    {
      level,
      base: { node, group: 0 },
      mixin: () => ({ term: ctx.term() }),
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    pino.destination({ fd: 2, sync: true }),
  );
}
