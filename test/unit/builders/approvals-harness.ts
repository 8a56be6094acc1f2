import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { readHeaderFields } from '../../../src/auth/header-fields.ts';
import type { SenderAuthVerdict } from '../../../src/auth/sender-auth.model.ts';
import { coveredFields } from '../../../src/auth/signed-fields.ts';
import type { Config } from '../../../src/config/config.ts';
import type { DatabaseHandle } from '../../../src/db/db.ts';
import { closePdfReader } from '../../../src/extract/pdf/pdf.reader.ts';
import { handleProcessJob, type PipelineDeps } from '../../../src/jobs/handlers.ts';
import { silentLogger } from '../../../src/shared/logger.ts';
import { bareAddress } from '../../../src/triage/address.ts';
import { memoryDb, resetDb, store, testConfig } from '../../support/pglite.ts';
import { fixedClock } from './invoice.builder.ts';

/**
 * The approvals pipeline on PGlite with a fake DKIM check: the owner's mail counts as signed when
 * it carries `X-Test-Signed`. Its value says what the signature covers, as a DKIM `h=` tag would:
 * `yes` signs every field the message has; `h=from:to:…` signs the bottom-most instance of each
 * listed name (RFC 6376 §5.4.2, via coveredFields), so a field prepended after signing is not covered.
 */

export const OWNER = 'maya@northwind.example';
export const ASSISTANT = 'assistant@northwind.example';
/** The h= list a typical mail client's DKIM signer uses. */
export const TYPICAL_H = 'from:to:cc:subject:date:message-id:in-reply-to:references';

const unsigned = (reason: string): SenderAuthVerdict => ({
  authenticated: false,
  method: 'dkim',
  domain: null,
  reason,
});

/** The fake `authenticate`: models an aligned DKIM signature of the owner's domain. */
export function fakeDkim(ownerEmail = OWNER): (raw: Buffer) => Promise<SenderAuthVerdict> {
  return async (raw) => {
    const fields = readHeaderFields(raw);
    const from = fields.find((f) => f.name === 'from')?.value ?? '';
    const mark = fields.find((f) => f.name === 'x-test-signed')?.value;
    if (bareAddress(from) !== bareAddress(ownerEmail) || !mark) return unsigned('no signature');
    const h = /^h=(.+)$/i.exec(mark)?.[1];
    const signedFields = h ? coveredFields(fields, h.split(':')) : fields;
    return {
      authenticated: true,
      method: 'dkim',
      domain: 'northwind.example',
      reason: 'test',
      signed: { fields: signedFields, wholeBody: true },
    };
  };
}

export interface Harness {
  deps: PipelineDeps;
  clock: ReturnType<typeof fixedClock>;
  /** Outbox ids handed to the send queue. */
  sent: string[];
  /** Stores a raw message at the next UID and runs the process job; null when it was a duplicate. */
  deliver(raw: Buffer): Promise<string>;
  /** Stores only (no processing); returns the new row id or null for a duplicate. */
  storeOnly(raw: Buffer): Promise<string | null>;
}

export function harness(h: DatabaseHandle, config: Config = approvalsConfig()): Harness {
  const clock = fixedClock('2026-03-16T09:00:00Z');
  const sent: string[] = [];
  let uid = 1;
  const deps: PipelineDeps = {
    db: h.db,
    config,
    clock,
    log: silentLogger(),
    jobs: {
      enqueueProcess: async () => undefined,
      enqueueSend: async (ids) => void sent.push(...ids),
      close: async () => undefined,
    },
    filing: null,
    model: null,
    authenticate: fakeDkim(config.owner.email),
  };
  const storeOnly = async (raw: Buffer): Promise<string | null> => {
    const { newIds } = await store(h, [raw], { firstUid: uid++, receivedAt: clock.now() });
    return newIds[0] ?? null;
  };
  return {
    deps,
    clock,
    sent,
    storeOnly,
    async deliver(raw) {
      const id = await storeOnly(raw);
      if (!id) throw new Error('not stored (duplicate)');
      await handleProcessJob(deps, id);
      return id;
    },
  };
}

/**
 * One embedded database for a test file, emptied before each test, with a fresh harness on it
 * (`config` is read per test); `use` hands both to the file. The PDF reader pool and the database
 * are closed after the file.
 */
export function pipelineOnPglite(
  use: (h: DatabaseHandle, t: Harness) => void,
  config: () => Config = () => approvalsConfig(),
): void {
  let h: DatabaseHandle;
  beforeAll(async () => {
    h = await memoryDb();
  });
  afterAll(async () => {
    await closePdfReader();
    await h.close();
  });
  beforeEach(async () => {
    await resetDb(h);
    use(h, harness(h, config()));
  });
}

export function approvalsConfig(extra: Record<string, string> = {}): Config {
  return testConfig({
    OWNER_NAME: 'Maya Chen',
    ASSISTANT_NAME: 'Northwind Assistant',
    OWNER_TIMEZONE: 'Europe/Berlin',
    ...extra,
  });
}

/** A demo mailbox message with the test signature header on top (when `signed`). */
export function demoMail(file: string, signed = true): Buffer {
  const raw = readFileSync(new URL(`../../../examples/demo-mailbox/${file}`, import.meta.url));
  return signed ? Buffer.concat([Buffer.from('X-Test-Signed: yes\r\n'), raw]) : raw;
}

let n = 0;
/** A fresh Message-ID under the owner's domain. */
export const ownerMessageId = (): string => `answer-${++n}-${Date.now()}@mail.northwind.example`;

export interface AnswerSpec {
  /** Message-ID the answer replies to (the approval email's or the ask-back's). */
  inReplyTo: string;
  references?: string[];
  /** The approval email's subject ("Re: " is added). */
  subject: string;
  /** The owner's new text, above the quote. */
  text: string;
  /** The approval email's text, quoted below. */
  quoted?: string;
  /** To: by default the plus-address the approval's Reply-To named (or the assistant). */
  to?: string;
  from?: string;
  /** `yes` (every field), `h=…` (a DKIM h= list), or false: no signature. */
  signed?: string | false;
  /** Extra fields after the signed ones. */
  headers?: Record<string, string>;
  messageId?: string;
}

/** The owner's answer to an approval email, as a mail client writes it (quoting the request). */
export function ownerAnswer(a: AnswerSpec): Buffer {
  const signed = a.signed === undefined ? 'yes' : a.signed;
  const head = [
    ...(signed ? [`X-Test-Signed: ${signed}`] : []),
    `Delivered-To: ${ASSISTANT}`,
    'MIME-Version: 1.0',
    'Date: Mon, 16 Mar 2026 11:00:00 +0100',
    `Message-ID: <${a.messageId ?? ownerMessageId()}>`,
    `From: ${a.from ?? `Maya Chen <${OWNER}>`}`,
    `To: ${a.to ?? ASSISTANT}`,
    `Subject: Re: ${a.subject}`,
    `In-Reply-To: <${a.inReplyTo}>`,
    `References: ${(a.references ?? [a.inReplyTo]).map((r) => `<${r}>`).join(' ')}`,
    ...Object.entries(a.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    'Content-Type: text/plain; charset="UTF-8"',
  ];
  const quote = a.quoted
    ? `\n\nOn Mon, 16 Mar 2026 at 10:00, Northwind Assistant <${ASSISTANT}> wrote:\n${a.quoted
        .split('\n')
        .map((l) => `> ${l}`)
        .join('\n')}\n`
    : '\n';
  return Buffer.from(`${head.join('\r\n')}\r\n\r\n${`${a.text}${quote}`.replace(/\r?\n/g, '\r\n')}`);
}

/** Prepends header fields to a raw message (as a relay, or an attacker, can without breaking DKIM). */
export function prepend(raw: Buffer, fields: string[]): Buffer {
  return Buffer.concat([Buffer.from(fields.map((f) => `${f}\r\n`).join('')), raw]);
}
