import { createHash } from 'node:crypto';
import EmailForwardParser from 'email-forward-parser';
import EmailReplyParser from 'email-reply-parser';
import { type AddressObject, type ParsedMail, simpleParser } from 'mailparser';
import { readAutomaticSignals } from '../../../src/ingest/automatic.ts';
import type {
  Address,
  AttachmentInfo,
  ForwardedMessage,
  NormalizedMessage,
} from '../../../src/ingest/message.model.ts';
import type { TriageContext } from '../../../src/triage/triage.model.ts';

/** The demo mailbox's people (examples/demo-mailbox). */
export const OWNER = 'maya@northwind.example';
export const ASSISTANT = 'assistant@northwind.example';

export function demoContext(overrides: Partial<TriageContext> = {}): TriageContext {
  return { ownerEmail: OWNER, assistantEmail: ASSISTANT, teamDomains: ['northwind.example'], ...overrides };
}

/** `"Maya Chen <maya@northwind.example>"` or `"maya@northwind.example"` → Address. */
export function addr(spec: string): Address {
  const match = /^\s*(.*?)\s*<([^>]+)>\s*$/.exec(spec);
  if (match === null) return { name: '', address: spec.trim().toLowerCase() };
  return { name: (match[1] ?? '').replace(/^"|"$/g, ''), address: (match[2] ?? '').trim().toLowerCase() };
}

export function anAttachment(
  filename: string | null,
  contentType: string,
  content = Buffer.from('x'),
): AttachmentInfo {
  return {
    filename,
    contentType,
    size: content.length,
    sha256: createHash('sha256').update(content).digest('hex'),
    inline: false,
    contentId: null,
    content,
  };
}

/**
 * A NormalizedMessage with sensible defaults: an external person writing to the assistant.
 * Automatic signals are read from `headers` (lower-case names) unless given.
 */
export function aMessage(overrides: Partial<NormalizedMessage> = {}): NormalizedMessage {
  const headers = overrides.headers ?? {};
  const subject = overrides.subject ?? 'Hello';
  const header = (name: string) => (name === 'subject' ? subject : (headers[name] ?? null));
  return {
    messageId: 'm1@lumen.example',
    inReplyTo: null,
    references: [],
    subject,
    date: new Date('2026-03-09T14:00:00Z'),
    from: addr('Dana Lee <dana@lumen.example>'),
    sender: null,
    replyTo: [],
    to: [addr(ASSISTANT)],
    cc: [],
    deliveredTo: [ASSISTANT],
    text: 'Thanks for the update.',
    html: null,
    attachments: [],
    automatic: readAutomaticSignals(header, headers['content-type'] ?? 'text/plain'),
    forwarded: null,
    replyText: '',
    parseWarnings: [],
    invisible: null,
    ...overrides,
    headers,
  } as NormalizedMessage;
}

/** Parses raw RFC 5322 source with mailparser and builds the NormalizedMessage (test-grade, simple). */
export async function messageFromEml(source: Buffer | string): Promise<NormalizedMessage> {
  return messageFromParsed(await simpleParser(source));
}

export function messageFromParsed(p: ParsedMail): NormalizedMessage {
  const headers = rawHeaders(p);
  const subject = p.subject ?? '';
  const text = p.text ?? '';
  const header = (name: string) => (name === 'subject' ? subject : (headers[name] ?? null));
  return {
    messageId: (p.messageId ?? '').replace(/^<|>$/g, ''),
    inReplyTo: p.inReplyTo ? p.inReplyTo.replace(/^<|>$/g, '') : null,
    references: (typeof p.references === 'string' ? [p.references] : (p.references ?? [])).map((r) =>
      r.replace(/^<|>$/g, ''),
    ),
    subject,
    date: p.date ?? null,
    from: addresses(p.from)[0] ?? null,
    sender: null,
    replyTo: addresses(p.replyTo),
    to: addresses(p.to),
    cc: addresses(p.cc),
    deliveredTo: p.headerLines
      .filter((h) => h.key === 'delivered-to' || h.key === 'x-original-to')
      .map((h) => headerValue(h.line)),
    text,
    html: typeof p.html === 'string' ? p.html : null,
    attachments: p.attachments.map((a) => ({
      filename: a.filename ?? null,
      contentType: a.contentType,
      size: a.size,
      sha256: createHash('sha256').update(a.content).digest('hex'),
      inline: a.contentDisposition === 'inline',
      contentId: a.contentId ?? null,
      content: a.content,
    })),
    headers,
    automatic: readAutomaticSignals(header, headers['content-type'] ?? 'text/plain'),
    forwarded: inlineForward(text, subject),
    replyText: new EmailReplyParser().parseReply(text),
    parseWarnings: [],
    invisible: null,
  };
}

function rawHeaders(p: ParsedMail): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const { key, line } of p.headerLines) headers[key] ??= headerValue(line);
  return headers;
}

/** The value of a raw header line, unfolded (RFC 5322 §2.2.3). */
function headerValue(line: string): string {
  return line
    .slice(line.indexOf(':') + 1)
    .replace(/\r?\n[ \t]+/g, ' ')
    .trim();
}

function addresses(field: AddressObject | AddressObject[] | undefined): Address[] {
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return objects
    .flatMap((o) => o.value)
    .filter((a) => a.address)
    .map((a) => ({ name: a.name ?? '', address: (a.address ?? '').toLowerCase() }));
}

function inlineForward(text: string, subject: string): ForwardedMessage | null {
  const result = new EmailForwardParser().read(text, subject);
  if (!result.forwarded) return null;
  const email = result.email;
  const list = (v: typeof email.to) => (v == null ? [] : Array.isArray(v) ? v : [v]);
  const toAddress = (m: { address: string | null; name: string | null }) => ({
    name: m.name ?? '',
    address: (m.address ?? '').toLowerCase(),
  });
  return {
    from: email.from.address ? toAddress(email.from) : null,
    to: list(email.to).map(toAddress),
    cc: list(email.cc).map(toAddress),
    subject: email.subject,
    date: email.date ?? null,
    text: email.body ?? '',
    note: result.message,
    via: 'inline',
  };
}

/** A message forwarded inline to the owner, as the forward parser returns it. */
export function aForwardedMessage(from: string, subject: string, text: string): ForwardedMessage {
  return {
    from: addr(from),
    to: [addr(`Maya Chen <${OWNER}>`)],
    cc: [],
    subject,
    date: 'Fri, Mar 1, 2024 at 9:12 AM',
    text,
    note: null,
    via: 'inline',
  };
}
