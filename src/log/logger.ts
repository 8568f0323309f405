// Structured JSON logs (pino): one line per event, machine-readable on Heroku's log drains.
import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, name = 'web'): Logger {
  return pino({ level, base: { proc: name }, timestamp: pino.stdTimeFunctions.isoTime });
}
