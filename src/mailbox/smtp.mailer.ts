import { format } from 'node:util';
import nodemailer from 'nodemailer';
import type { Config } from '../config/config.ts';

export type SmtpSettings = NonNullable<Config['smtp']>;

/** Where an SMTP transaction failed, which decides whether a retry can duplicate mail. */
export type SmtpStage = 'connect' | 'envelope' | 'data' | 'after-data';

export class SmtpSendError extends Error {
  readonly stage: SmtpStage;
  readonly responseCode: number | null;
  readonly code: string | null;

  constructor(message: string, stage: SmtpStage, responseCode: number | null, code: string | null) {
    super(message);
    this.name = 'SmtpSendError';
    this.stage = stage;
    this.responseCode = responseCode;
    this.code = code;
  }

  /**
   * RFC 5321 §4.2.5 / §6.1: once the server has answered DATA with 354 and we have sent
   * the message, a lost connection leaves us unable to know whether it was accepted.
   * A definite reply (4xx/5xx to the final dot) means it was not delivered.
   */
  get mayHaveBeenDelivered(): boolean {
    return this.stage === 'after-data' && this.responseCode === null;
  }

  /** 4xx and connection faults before the message went out may be retried. */
  get retryable(): boolean {
    if (this.mayHaveBeenDelivered) return false;
    return this.responseCode === null || (this.responseCode >= 400 && this.responseCode < 500);
  }
}

export interface Mailer {
  /** Sends raw RFC 5322 bytes. Throws SmtpSendError with the stage the failure happened in. */
  sendRaw(envelope: { from: string; to: string[] }, raw: Buffer): Promise<{ response: string }>;
  verify(): Promise<void>;
}

/**
 * nodemailer with no pooling and no automatic retry: one connection per message, so the
 * SMTP transaction's stage is known exactly. The stage comes from nodemailer's protocol
 * log (client "DATA", server "354"), its public debug hook.
 */
export function createSmtpMailer(s: SmtpSettings): Mailer {
  const base = {
    host: s.host,
    port: s.port,
    secure: s.secure,
    auth: s.user ? { user: s.user, pass: s.password } : undefined,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  };
  return {
    async verify() {
      await nodemailer.createTransport(base).verify();
    },
    async sendRaw(envelope, raw) {
      let stage: SmtpStage = 'connect';
      // Stages only move forward: nothing logged later can make a sent message look unsent.
      const advance = (next: SmtpStage) => {
        if (STAGES.indexOf(next) > STAGES.indexOf(stage)) stage = next;
      };
      const observe = (line: string) => {
        if (/^C: (MAIL FROM|RCPT TO)/i.test(line)) advance('envelope');
        else if (/^C: DATA\b/i.test(line)) advance('data');
        else if (/^S: 354\b/.test(line)) advance('after-data');
      };
      const logger = protocolLogger(observe);
      const transport = nodemailer.createTransport({ ...base, logger, debug: true });
      try {
        const info = await transport.sendMail({ envelope, raw });
        return { response: String(info.response ?? '') };
      } catch (err) {
        const e = err as { message?: string; responseCode?: number; code?: string };
        throw new SmtpSendError(e.message ?? String(err), stage, e.responseCode ?? null, e.code ?? null);
      } finally {
        transport.close();
      }
    },
  };
}

const STAGES: readonly SmtpStage[] = ['connect', 'envelope', 'data', 'after-data'];

/**
 * nodemailer calls a custom logger bunyan-style, `(entry, message, ...args)`, with the direction
 * in `entry.tnx` ('client' | 'server'); the "C: " / "S: " prefixes exist only in its own console
 * logger, so they are added back here before the line is observed.
 */
function protocolLogger(observe: (line: string) => void) {
  const log = (entry: unknown, message?: unknown, ...args: unknown[]) => {
    const tnx = typeof entry === 'object' && entry !== null ? (entry as { tnx?: unknown }).tnx : undefined;
    const prefix = tnx === 'client' ? 'C: ' : tnx === 'server' ? 'S: ' : '';
    const text =
      typeof message === 'string'
        ? format(message, ...args)
        : typeof entry === 'string'
          ? format(entry, message, ...args)
          : '';
    for (const l of text.split(/\r?\n/)) observe(prefix + l);
  };
  const noop = () => undefined;
  return { level: noop, trace: noop, debug: log, info: log, warn: noop, error: noop, fatal: noop };
}
