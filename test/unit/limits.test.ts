import { describe, expect, it } from 'vitest';
import { assertPartCount, DEFAULT_PARSE_LIMITS } from '../../src/ingest/parse.limits.ts';
import { backoffMs } from '../../src/mailbox/imap.client.ts';
import { SmtpSendError } from '../../src/mailbox/smtp.mailer.ts';
import { QuarantineError } from '../../src/shared/errors.ts';

function manyParts(n: number): Buffer {
  const parts = Array.from(
    { length: n },
    (_, i) => `--b\r\nContent-Type: text/plain\r\n\r\npart ${i}\r\n`,
  ).join('');
  return Buffer.from(
    `From: a@example.com\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n${parts}--b--\r\n`,
  );
}

describe('parse limits', () => {
  it('refuses a message with more MIME parts than the limit before parsing it', () => {
    const started = performance.now();
    expect(() => assertPartCount(manyParts(5000), DEFAULT_PARSE_LIMITS)).toThrow(QuarantineError);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('lets a message with a normal number of parts through', () => {
    expect(() => assertPartCount(manyParts(20), DEFAULT_PARSE_LIMITS)).not.toThrow();
  });
});

describe('reconnect backoff', () => {
  it('grows exponentially, stays jittered between half and all of the ceiling, and is capped', () => {
    expect(backoffMs(0, () => 0)).toBe(250);
    expect(backoffMs(0, () => 1)).toBe(500);
    expect(backoffMs(3, () => 1)).toBe(4000);
    expect(backoffMs(30, () => 1)).toBe(30_000);
    expect(backoffMs(30, () => 0)).toBe(15_000);
  });
});

describe('SMTP failure classification', () => {
  it('treats a connection lost after the message was sent as possibly delivered, never retried', () => {
    const e = new SmtpSendError('Connection closed', 'after-data', null, 'ECONNECTION');
    expect(e.mayHaveBeenDelivered).toBe(true);
    expect(e.retryable).toBe(false);
  });

  it('retries a connection lost before DATA, and a 4xx at any stage', () => {
    expect(new SmtpSendError('refused', 'connect', null, 'ECONNREFUSED').retryable).toBe(true);
    expect(new SmtpSendError('try later', 'envelope', 451, 'EENVELOPE').retryable).toBe(true);
    expect(new SmtpSendError('greylisted', 'after-data', 451, 'EMESSAGE').retryable).toBe(true);
  });

  it('does not retry a permanent 5xx rejection', () => {
    const e = new SmtpSendError('no such user', 'envelope', 550, 'EENVELOPE');
    expect(e.retryable).toBe(false);
    expect(e.mayHaveBeenDelivered).toBe(false);
  });
});
