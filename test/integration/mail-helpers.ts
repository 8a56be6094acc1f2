import { simpleParser } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { listMessages, type StackMessage } from './stack.ts';

/** Helpers for tests that read what deskhand delivered and answer it as a mail client would. */

/** The text/plain body of a delivered message (quoted-printable decoded, good enough for our own mail). */
export function bodyOf(source: string): string {
  const parts = source.split(/\r?\n\r?\n/);
  const plain =
    source.match(/Content-Type: text\/plain[\s\S]*?\r?\n\r?\n([\s\S]*?)\r?\n--/i)?.[1] ??
    parts.slice(1).join('\n\n');
  return plain
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)))
    .replace(/\r\n/g, '\n');
}

export function decoded(source: string): string {
  return Buffer.from(bodyOf(source), 'latin1').toString('utf8');
}

export async function waitUntil(check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Waits until exactly `n` messages in the INBOX match (fails on more, or on fewer at the deadline). */
export async function waitCount(
  address: string,
  want: (m: StackMessage) => boolean,
  n: number,
  ms = 40_000,
): Promise<StackMessage[]> {
  let hits: StackMessage[] = [];
  await waitUntil(async () => {
    hits = (await listMessages(address)).filter(want);
    if (hits.length > n) throw new Error(`${hits.length} messages, expected ${n}`);
    return hits.length === n;
  }, ms);
  return hits;
}

/** A reply to `request` as a mail client writes it: new text on top, the request quoted, threaded. */
export async function replyTo(
  request: StackMessage,
  o: {
    from: string;
    text: string;
    to?: string;
    cc?: string;
    date?: Date;
    extraHeaders?: Record<string, string>;
  },
): Promise<Buffer> {
  const id = request.header('message-id') ?? '';
  const refs = [...(request.header('references') ?? '').split(/\s+/).filter(Boolean), id].join(' ');
  const text = (await simpleParser(Buffer.from(request.source))).text ?? '';
  const quoted = text
    .split(/\r?\n/)
    .map((l) => `> ${l}`)
    .join('\n');
  return new MailComposer({
    from: o.from,
    to: o.to ?? request.header('reply-to') ?? request.header('from'),
    ...(o.cc ? { cc: o.cc } : {}),
    subject: /^re:/i.test(request.subject) ? request.subject : `Re: ${request.subject}`,
    text: `${o.text}\n\nOn Mon, 23 Nov 2026 at 10:42, ${request.from[0] ?? 'someone'} wrote:\n${quoted}\n`,
    inReplyTo: id,
    references: refs,
    ...(o.date ? { date: o.date } : {}),
    headers: o.extraHeaders,
  })
    .compile()
    .build();
}
