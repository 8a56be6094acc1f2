import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { htmlToText } from '../../src/ingest/html.ts';
import { extractReplyText, stripSignature } from '../../src/ingest/reply.ts';

/**
 * Corpora, read from ../shared/corpora at test time (skipped when absent; sources in its
 * PROVENANCE.json): crisp-oss/email-reply-parser @ 0b3704c (MIT), github/email_reply_parser
 * @ 59e5859 (MIT), zapier/email-reply-parser @ f67a872 (MIT), mailgun/talon @ 71d9b6e (Apache-2.0).
 */
const CORPORA = join(import.meta.dirname, '..', '..', '..', 'shared', 'corpora');
const present = existsSync(CORPORA);
const read = (...p: string[]) => readFileSync(join(CORPORA, ...p), 'utf8');
const norm = (s: string) =>
  s
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .trim();

interface ErpCase {
  id: string;
  file: string;
  expected_reply_trimmed?: string;
  reply_must_match?: string[];
  reply_must_not_match?: string[];
}

/** README §4 caveat: these expectations disagree between upstreams ("-Abhishek Kona", em-dash signature). */
const DISPUTED = new Set(['crisp/email_1', 'crisp/email_3', 'crisp/email_emoji']);

function erp(set: string): (ErpCase & { key: string; text: string })[] {
  if (!present) return [];
  const { cases } = JSON.parse(read('email-reply-parser', set, 'expected.json')) as { cases: ErpCase[] };
  return cases
    .map((c) => ({ ...c, key: `${set}/${c.id}`, text: read('email-reply-parser', set, c.file) }))
    .filter((c) => !DISPUTED.has(c.key));
}

interface TalonCase {
  id: string;
  input: string;
  expected: string;
  expected_text_no_whitespace?: string;
  upstream_patches?: string[];
}

const erpCases = ['crisp', 'github', 'zapier'].flatMap(erp);
const talon: { text_quotations: TalonCase[]; html_quotations: TalonCase[] } = present
  ? JSON.parse(read('talon', 'inline_cases.json'))
  : { text_quotations: [], html_quotations: [] };
/** talon-specific: its DOM walk keeps a blockquote's text without the ">" our text conversion adds. */
const talonHtml = talon.html_quotations.filter(
  (c) => !c.upstream_patches && c.id !== 'test_regular_blockquote',
);

describe.skipIf(!present)('extractReplyText on the public reply corpora', () => {
  it.each(erpCases.filter((c) => c.expected_reply_trimmed !== undefined))(
    'gives exactly the written text of $key',
    (c) => {
      expect(norm(extractReplyText(c.text))).toBe(norm(c.expected_reply_trimmed ?? ''));
    },
  );

  it.each(erpCases.filter((c) => c.reply_must_match || c.reply_must_not_match))(
    'keeps what must stay and drops what must go in $key',
    (c) => {
      const reply = norm(extractReplyText(c.text));
      for (const re of c.reply_must_match ?? []) expect(reply).toMatch(new RegExp(re, 'mu'));
      for (const re of c.reply_must_not_match ?? []) expect(reply).not.toMatch(new RegExp(re, 'mu'));
    },
  );

  it.each(talon.text_quotations.filter((c) => !c.upstream_patches))(
    'cuts talon case $id where talon cuts it (signatures aside)',
    (c) => {
      expect([norm(c.expected), norm(stripSignature(c.expected))]).toContain(norm(extractReplyText(c.input)));
    },
  );

  it.each(talonHtml)('reduces talon HTML case $id to its reply once converted to text', (c) => {
    expect(extractReplyText(htmlToText(c.input)).replace(/\s+/g, '')).toBe(c.expected_text_no_whitespace);
  });

  it.each(
    present
      ? readdirSync(join(CORPORA, 'talon', 'fixtures', 'standard_replies')).filter((f) => f.endsWith('.eml'))
      : [],
  )('reduces the %s client reply to "Hello"', async (file) => {
    const mail = await simpleParser(read('talon', 'fixtures', 'standard_replies', file));
    expect(extractReplyText(mail.text ?? '')).toBe('Hello');
  });

  it.each(present ? readdirSync(join(CORPORA, 'talon', 'fixtures', 'html_replies')) : [])(
    'reduces the %s HTML reply to the written text',
    (file) => {
      const text = htmlToText(read('talon', 'fixtures', 'html_replies', file));
      expect(extractReplyText(text).replace(/\s+/g, '')).toBe('Hi.Iamfine.Thanks,Alex');
    },
  );

  it('processes the 767 KB long-quote and the pathological fixtures in under a second each', () => {
    for (const file of ['email_long_quote.txt', 'pathological.txt']) {
      const text = read('email-reply-parser', 'github', 'emails', file);
      const start = performance.now();
      extractReplyText(text);
      expect(performance.now() - start).toBeLessThan(1000);
    }
  });
});

describe('extractReplyText', () => {
  it('cuts an "On … wrote:" header wrapped over lines, with no ">" quoting after it', () => {
    const text =
      'Sounds good.\n\nOn Wed, May 18, 2016 at 11:10 PM Steven Scott <s@example.com>\nwrote:\n\nOld text\nmore old text';
    expect(extractReplyText(text)).toBe('Sounds good.');
  });

  it('cuts localized headers', () => {
    const headers = [
      'Le 23 janv. 2015 à 22:03, Brendan <b@x.com> a écrit :',
      'El 10 de julio de 2017, 16:32, Ana <a@x.es> escribió:',
      'Am 13.12.2017 21:11 schrieb "Hans" <h@x.de>:',
      'Op 17-feb.-2015, om 13:18 heeft Julius <j@x.nl> het volgende geschreven:',
      'W dniu 28 stycznia 2015 01:53 użytkownik Zoe <z@x.pl> napisał:',
      'ср, 30 апр. 2025 г. в 15:19, Иван <ivan@x.ru>:',
      '2017/01/12 10:00 Taro <taro@x.jp>のメッセージ:',
      'Taro <t@x.cn> 于2024年3月5日周二 10:15写道：',
      '2024년 3월 5일 (화) 오전 10:15, Kim <k@x.kr>님이 작성:',
      'út 5. 3. 2024 v 10:15 odesílatel Jan <j@x.cz> napsal:',
      'Στις Τρί 5 Μαρ 2024 στις 10:15, ο/η Nikos <n@x.gr> έγραψε:',
      '------- Original Message -------',
    ];
    for (const header of headers) expect(extractReplyText(`Ok.\n\n${header}\n\n> old`)).toBe('Ok.');
  });

  it('cuts Outlook header blocks, bold, localized or after "-----Original Message-----"', () => {
    const blocks = [
      '*From:* Bob [mailto:bob@x.com]\n*Sent:* Monday\n*To:* me@x.com\n*Subject:* Hi',
      'Von: Max <max@x.de>\nGesendet: Dienstag, 25. November 2014 14:59\nAn: Erika\nBetreff: Anfrage',
      '-----Ursprüngliche Nachricht-----\nVon: Max <max@x.de>',
      '________________________________\nFrom: Bob <bob@x.com>\nSent: Monday\nTo: me@x.com\nSubject: Hi',
    ];
    for (const block of blocks) expect(extractReplyText(`Ok.\n\n${block}\n\nOld text`)).toBe('Ok.');
  });

  it('keeps prose that only looks like a header', () => {
    const texts = [
      'On the other hand, we could wait.\nOn average it works.',
      'Read https://example.com/on-date-someone-wrote-about-parsing today.',
      'Mails come from: john@example.com and from: jane@example.com.',
      'Invitation:\n\nDate: Wednesday 3, October 2011\nTime: 7:00am\nAddress: 130 Fox St',
      'Timestamps:\n2024-01-15 14:30:25\n01/15/2024 at 2:30 PM',
      'The plan:\nDate: Friday\nTo: everyone in sales\n\nSee you.',
      'Good news.\n10 people signed up via <signup@example.com>:\n\nAnn, Bob and others.',
    ];
    for (const text of texts) expect(extractReplyText(text)).toBe(text);
  });

  it('keeps unquoted answers between quotes and drops the quotes', () => {
    const text =
      'On Dec 15, 2024, at 2:00 PM, Jane <jane@x.com> wrote:\n> Option A?\n\nYes.\n\n> Option B?\n\nNo.';
    expect(extractReplyText(text)).toBe('Yes.\n\nNo.');
  });

  it('keeps a reply that shares its line with the quote header', () => {
    expect(extractReplyText('reply On Wed, Apr 4, 2012 at 3:59 PM, bob@example.com wrote:\n> Hi')).toBe(
      'reply',
    );
  });

  it('keeps a forwarded block, which is not quoted history', () => {
    const text = 'FYI\n\n---------- Forwarded message ---------\nFrom: bob@example.com\nSubject: Two\n\nText';
    expect(extractReplyText(text)).toBe(text);
  });

  it('removes signatures: "-- ", mobile lines and regards-type sign-offs', () => {
    expect(extractReplyText('Done.\n\n-- \nBob\nACME')).toBe('Done.');
    expect(extractReplyText('Done.\n\nSent from my iPhone')).toBe('Done.');
    expect(extractReplyText('Done.\n\nGesendet von Outlook für Android<https://aka.ms/x>\n\nold')).toBe(
      'Done.',
    );
    expect(extractReplyText('Done.\n\nBest regards,\nBob Smith\nCEO')).toBe('Done.');
  });

  it('keeps text that only mentions a signature', () => {
    const texts = [
      'Here it is.\n\nSent from my desk, is much easier then my mobile phone.',
      'And here is a fix -- this is not a signature.',
      'Thanks,\nAlex',
      'I wrote this with regards to the payment.',
      '```\nsig = "x"\n--\n```\nDone.',
    ];
    for (const text of texts) expect(extractReplyText(text)).toBe(text);
  });

  it('handles CRLF line endings and empty input', () => {
    expect(extractReplyText('Yes.\r\n\r\nOn 1 Jan 2024, at 10:00, Bob <b@x.com> wrote:\r\n> q\r\n')).toBe(
      'Yes.',
    );
    expect(extractReplyText('')).toBe('');
  });

  it('stays linear on a megabyte of header-like lines', () => {
    const text = Array.from(
      { length: 20_000 },
      () => 'On 1 Jan 2020 Bob <bob@x.com> said a thing here:',
    ).join('\n');
    const start = performance.now();
    extractReplyText(text);
    expect(performance.now() - start).toBeLessThan(1000);
  });
});

describe('htmlToText', () => {
  it('turns blockquotes into ">" lines and keeps link text without the URL', () => {
    const html =
      '<p>See <a href="https://x.com/very/long">the doc</a>.</p><blockquote>old<br>text</blockquote>';
    expect(htmlToText(html)).toBe('See the doc.\n\n> old\n> text');
  });

  it('does not wrap long lines and reads tables row by row', () => {
    const long = 'word '.repeat(60).trim();
    expect(htmlToText(`<div>${long}</div>`)).toBe(long);
    expect(
      htmlToText('<table><tr><td>Total</td><td>42.00</td></tr><tr><td>VAT</td><td>7.00</td></tr></table>'),
    ).toBe('Total 42.00\nVAT 7.00');
  });

  it('drops style, script and images and never throws on broken HTML', () => {
    expect(htmlToText('<style>p{}</style><script>x()</script><img src="a.png" alt="logo">Hi')).toBe('Hi');
    expect(() => htmlToText('<div><p><<<</b>'.repeat(5000))).not.toThrow();
    expect(htmlToText('')).toBe('');
  });
});
