import { type AddressObject, type Attachment, type ParsedMail, simpleParser } from 'mailparser';
import { sha256Hex } from '../shared/ids.ts';
import { type InvisibleKind, stripInvisible } from '../shared/invisible.ts';
import { readAutomaticSignals } from './automatic.ts';
import { unwrapInlineForward } from './forward.ts';
import { htmlToText } from './html.ts';
import type { Address, AttachmentInfo, ForwardedMessage, NormalizedMessage } from './message.model.ts';
import { assertPartCount, DEFAULT_PARSE_LIMITS, type ParseLimits } from './parse.limits.ts';
import { extractReplyText } from './reply.ts';

const PARSER_OPTIONS = {
  skipImageLinks: true,
  skipTextLinks: true,
  skipTextToHtml: true,
  // We convert HTML ourselves (bounded) instead of mailparser's converter.
  skipHtmlToText: true,
  keepDeliveryStatus: true,
  checksumAlgo: false,
} as const;

/** Headers kept verbatim on the normalized message for rules (first value, lower-cased names). */
const KEPT_HEADERS = [
  'auto-submitted',
  'precedence',
  'list-id',
  'list-unsubscribe',
  'list-post',
  'return-path',
  'x-autoreply',
  'x-autorespond',
  'x-auto-response-suppress',
  'x-spam-flag',
  'x-spam-status',
  'x-deskhand-id',
  'feedback-id',
  'authentication-results',
  'x-ms-exchange-inbox-rules-loop',
  'x-mailer',
  'content-type',
  'delivered-to',
  'x-original-to',
  'x-failed-recipients',
  'x-loop',
  'x-spam',
  'x-spam-score',
  'x-rspamd-score',
  'x-spam-level',
  'x-ms-exchange-organization-scl',
  'x-forefront-antispam-report',
];

/**
 * Parses a raw RFC 5322 message once into the normalized model every later stage reads.
 * Never executes anything; bounded by `limits`. Throws QuarantineError for input over the
 * limits; any other parse failure is also an error the caller quarantines.
 */
export async function parseMessage(
  raw: Buffer,
  limits: ParseLimits = DEFAULT_PARSE_LIMITS,
): Promise<NormalizedMessage> {
  assertPartCount(raw, limits);
  const mail = await simpleParser(raw, PARSER_OPTIONS);
  const warnings: string[] = [];
  const rawHeader = headerReader(mail);
  // Rules read the decoded subject (RFC 2047), not the encoded header line.
  const header = (name: string) => (name === 'subject' ? (mail.subject ?? null) : rawHeader(name));
  // Invisible characters are removed before any rule or model reads the text; what was removed
  // (and any ASCII smuggled in tag characters) is kept so triage can flag it.
  const invisible = new InvisibleTally();
  const text = invisible.strip(bodyText(mail, limits, warnings));
  const attachments = mail.attachments.map(toAttachmentInfo);
  const subject = invisible.strip(mail.subject ?? '');
  // A bounce (multipart/report, RFC 6522) carries the original as message/rfc822: not a forward.
  const isReport = /^multipart\/report/i.test(rawHeader('content-type') ?? '');
  const forwarded = isReport
    ? null
    : ((await rfc822Forward(mail.attachments, limits, invisible)) ?? unwrapInlineForward(text, subject));
  return {
    messageId: cleanId(mail.messageId) ?? `${sha256Hex(raw).slice(0, 32)}@deskhand.invalid`,
    inReplyTo: cleanId(mail.inReplyTo),
    references: referencesOf(mail.references),
    subject,
    date: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date : null,
    from: firstAddress(mail.from),
    sender: addressesOf(mail.headers.get('sender') as AddressObject | undefined)[0] ?? null,
    replyTo: addressesOf(mail.replyTo),
    to: addressesOf(mail.to),
    cc: addressesOf(mail.cc),
    deliveredTo: allValues(mail, ['delivered-to', 'x-original-to']),
    text,
    html: typeof mail.html === 'string' ? mail.html : null,
    attachments,
    headers: Object.fromEntries(KEPT_HEADERS.map((h) => [h, header(h)]).filter(([, v]) => v !== null)),
    automatic: readAutomaticSignals(header, rawHeader('content-type') ?? ''),
    forwarded,
    replyText: extractReplyText(text),
    parseWarnings: warnings,
    invisible: invisible.result(),
  };
}

/** Strips invisible Unicode from every text of one message and adds up what was removed. */
class InvisibleTally {
  private readonly removed: Partial<Record<InvisibleKind, number>> = {};
  private hidden = '';

  strip(text: string): string {
    const s = stripInvisible(text);
    for (const [k, n] of Object.entries(s.removed) as [InvisibleKind, number][]) {
      this.removed[k] = (this.removed[k] ?? 0) + n;
    }
    if (s.hidden) this.hidden += (this.hidden ? '\n' : '') + s.hidden;
    return s.text;
  }

  result(): NormalizedMessage['invisible'] {
    return Object.keys(this.removed).length ? { removed: { ...this.removed }, hidden: this.hidden } : null;
  }
}

function bodyText(mail: ParsedMail, limits: ParseLimits, warnings: string[]): string {
  let text = mail.text ?? '';
  if (!text.trim() && typeof mail.html === 'string') {
    let html = mail.html;
    if (html.length > limits.maxHtmlChars) {
      warnings.push(
        `HTML body truncated from ${html.length} to ${limits.maxHtmlChars} characters before conversion`,
      );
      html = html.slice(0, limits.maxHtmlChars);
    }
    text = htmlToText(html);
  }
  if (text.length > limits.maxTextChars) {
    warnings.push(`text body truncated from ${text.length} to ${limits.maxTextChars} characters`);
    text = text.slice(0, limits.maxTextChars);
  }
  return text.replace(/\r\n/g, '\n');
}

/** A message/rfc822 attachment is the most faithful forward there is: parse it (one level only). */
async function rfc822Forward(
  atts: Attachment[],
  limits: ParseLimits,
  invisible: InvisibleTally,
): Promise<ForwardedMessage | null> {
  const inner = atts.find((a) => a.contentType === 'message/rfc822');
  if (!inner) return null;
  try {
    assertPartCount(inner.content, limits);
    const m = await simpleParser(inner.content, PARSER_OPTIONS);
    const warnings: string[] = [];
    return {
      from: firstAddress(m.from),
      to: addressesOf(m.to),
      cc: addressesOf(m.cc),
      subject: m.subject ? invisible.strip(m.subject) : null,
      date: m.date ? m.date.toISOString() : null,
      text: invisible.strip(bodyText(m, limits, warnings)),
      note: null,
      via: 'rfc822',
    };
  } catch {
    return null;
  }
}

function toAttachmentInfo(a: Attachment): AttachmentInfo {
  return {
    filename: a.filename ?? null,
    contentType: a.contentType,
    size: a.size ?? a.content.length,
    sha256: sha256Hex(a.content),
    inline: a.contentDisposition === 'inline' && Boolean(a.contentId),
    contentId: a.contentId ?? null,
    content: a.content,
  };
}

function headerReader(mail: ParsedMail): (name: string) => string | null {
  return (name) => {
    const line = mail.headerLines.find((h) => h.key === name);
    if (!line) return null;
    const idx = line.line.indexOf(':');
    return line.line
      .slice(idx + 1)
      .replace(/\r?\n[ \t]+/g, ' ')
      .trim();
  };
}

function allValues(mail: ParsedMail, names: string[]): string[] {
  return mail.headerLines
    .filter((h) => names.includes(h.key))
    .map((h) =>
      h.line
        .slice(h.line.indexOf(':') + 1)
        .trim()
        .replace(/^<|>$/g, '')
        .toLowerCase(),
    );
}

function cleanId(id: string | undefined | null): string | null {
  if (!id) return null;
  const m = /<([^>]+)>/.exec(id);
  const v = (m ? m[1] : id)?.trim();
  return v ? v : null;
}

function referencesOf(refs: string | string[] | undefined): string[] {
  if (!refs) return [];
  const all = (Array.isArray(refs) ? refs : [refs]).flatMap((r) => r.match(/<[^>]+>/g) ?? [r]);
  return all.map((r) => cleanId(r)).filter((r): r is string => Boolean(r));
}

function addressesOf(obj: AddressObject | AddressObject[] | undefined): Address[] {
  if (!obj) return [];
  const out: Address[] = [];
  const walk = (list: AddressObject['value']) => {
    for (const a of list) {
      if (a.group) walk(a.group);
      else if (a.address) out.push({ name: a.name ?? '', address: a.address.toLowerCase() });
    }
  };
  for (const o of Array.isArray(obj) ? obj : [obj]) walk(o.value);
  return out;
}

function firstAddress(obj: AddressObject | undefined): Address | null {
  return addressesOf(obj)[0] ?? null;
}
