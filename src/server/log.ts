/**
 * Structured logs: one JSON object a line, on stdout by default. Request
 * lines carry the method, the path (never the query, consent ids replaced by
 * `:consentId`), the status and the duration; never a record or a token.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

/** One log line as an object: `time`, `level` and `msg`, then fields. */
export interface LogLine {
  time: string;
  level: Exclude<LogLevel, 'silent'>;
  msg: string;
  [field: string]: unknown;
}

/** Where log lines go: given each line (at or above the level) as an object. */
export type LogSink = (line: LogLine) => void;

export type Log = (level: LogLine['level'], msg: string, fields?: Record<string, unknown>) => void;

const toStdout: LogSink = (line) => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};

/** A log function writing lines at `level` or above to `sink` (default: JSON lines on stdout). */
export function createLog(level: LogLevel = 'info', sink: LogSink = toStdout): Log {
  if (!LOG_LEVELS.includes(level)) throw new TypeError(`logLevel must be one of ${LOG_LEVELS.join(', ')} (got ${JSON.stringify(level)})`);
  const threshold = LOG_LEVELS.indexOf(level);
  return (lineLevel, msg, fields = {}) => {
    if (LOG_LEVELS.indexOf(lineLevel) < threshold) return;
    sink({ time: new Date().toISOString(), level: lineLevel, msg, ...fields });
  };
}
