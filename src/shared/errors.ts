/**
 * Errors carry a stable code, whether a retry can help, and context.
 * Library errors are classified into these in one place per library.
 */
export class DeskhandError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly context: Record<string, unknown>;

  constructor(
    code: string,
    message: string,
    opts: { retryable?: boolean; context?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = 'DeskhandError';
    this.code = code;
    this.retryable = opts.retryable ?? false;
    this.context = opts.context ?? {};
  }
}

/** Configuration is wrong: the message names the variable and why. Never retryable. */
export class ConfigError extends DeskhandError {
  constructor(message: string, context: Record<string, unknown> = {}) {
    super('CONFIG_INVALID', message, { context });
    this.name = 'ConfigError';
  }
}

/** Input that can never be processed (too large, malformed beyond repair): quarantine, do not retry. */
export class QuarantineError extends DeskhandError {
  constructor(code: string, message: string, context: Record<string, unknown> = {}) {
    super(code, message, { retryable: false, context });
    this.name = 'QuarantineError';
  }
}

/** Renders any thrown value as one line for logs and notices. Never throws. */
export function describeError(err: unknown): string {
  if (err instanceof DeskhandError) return `${err.code}: ${err.message}`;
  if (err instanceof Error) return err.message;
  return String(err);
}
