import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { OutboxRow } from '../db/db.types.ts';
import { OWN_MAIL_HEADER } from '../shared/headers.ts';

/**
 * Builds the exact bytes sent over SMTP and appended to Sent, from the outbox row.
 * Every message carries Auto-Submitted (RFC 3834) and X-Auto-Response-Suppress: All
 * (Exchange) so other robots do not answer us, plus our own marker header.
 */
export async function composeOutbound(row: OutboxRow, fromName: string, date: Date): Promise<Buffer> {
  const headers: Record<string, string> = {
    ...(row.extra_headers ?? {}),
    'X-Auto-Response-Suppress': 'All',
    [OWN_MAIL_HEADER]: row.message_id,
  };
  if (!headers['Auto-Submitted']) headers['Auto-Submitted'] = 'auto-generated';
  const composer = new MailComposer({
    from: { name: fromName, address: row.from_address },
    to: row.to_addresses,
    cc: row.cc_addresses.length ? row.cc_addresses : undefined,
    subject: row.subject,
    text: row.text_body,
    html: row.html_body ?? undefined,
    messageId: `<${row.message_id}>`,
    inReplyTo: row.in_reply_to ? `<${row.in_reply_to}>` : undefined,
    references: row.references ? row.references.split(' ').map((r) => `<${r}>`) : undefined,
    date,
    headers,
    // An invite: text/calendar beside text/plain (Outlook), METHOD in the part and the VCALENDAR
    // (Gmail), the .ics attached too; base64 keeps its CRLF line ends and folding byte for byte.
    ...(row.calendar
      ? {
          icalEvent: {
            method: row.calendar.method,
            content: row.calendar.content,
            filename: row.calendar.filename,
            contentTransferEncoding: 'base64' as const,
          },
        }
      : {}),
    // No remote content: nothing to fetch, nothing to track.
    disableUrlAccess: true,
    disableFileAccess: true,
  });
  return composer.compile().build();
}
