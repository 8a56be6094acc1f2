import { type Logger, pino } from 'pino';

export type { Logger };

/** One logger per process; JSON to stderr so stdout stays free for command output. */
export function createLogger(level: string = process.env['LOG_LEVEL'] ?? 'info'): Logger {
  return pino({ level, base: { app: 'deskhand' } }, pino.destination(2));
}

/** A logger that drops everything (demo and unit tests). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
