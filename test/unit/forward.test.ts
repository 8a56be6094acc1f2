import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unwrapInlineForward } from '../../src/ingest/forward.ts';

/**
 * Corpus: crisp-oss/email-forward-parser test fixtures @ 0ae6801 (MIT), read from
 * ../shared/corpora at test time (see its PROVENANCE.json); skipped when absent.
 */
const CORPUS = join(import.meta.dirname, '..', '..', '..', 'shared', 'corpora', 'email-forward-parser');

interface Case {
  id: string;
  body_file: string;
  subject_file: string | null;
  expect: Record<string, unknown>;
}

const read = (file: string) => readFileSync(join(CORPUS, file), 'utf8');
const cases: Case[] = existsSync(CORPUS) ? JSON.parse(read('expected.json')).cases : [];
const positives = cases.filter((c) => c.expect.forwarded === true);
const negatives = cases.filter((c) => c.expect.forwarded === false);
const norm = (s: string | null | undefined) =>
  (s ?? '')
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .trim();

describe.skipIf(cases.length === 0)('unwrapInlineForward on the email-forward-parser corpus', () => {
  it.each(positives)('recovers the sender, subject, note and body of $id', (c) => {
    const subject = c.subject_file ? read(c.subject_file).trim() : null;
    const f = unwrapInlineForward(read(c.body_file), subject);
    expect(f).not.toBeNull();
    expect(f?.via).toBe('inline');
    expect(f?.from?.address || null).toBe(c.expect['email.from.address']);
    expect(f?.from?.name || null).toBe(c.expect['email.from.name']);
    expect(f?.subject).toBe(c.expect['email.subject']);
    expect(f?.date).toBeTruthy();
    if ('message' in c.expect) expect(f?.note ?? null).toBe(c.expect.message);
    if ('email.body' in c.expect) expect(norm(f?.text)).toBe(norm(String(c.expect['email.body'])));
    for (const list of ['to', 'cc'] as const) {
      for (let i = 0; i < 2; i++) {
        const want = c.expect[`email.${list}[${i}].address`];
        if (want !== undefined) expect(f?.[list][i]?.address || null).toBe(want);
      }
    }
  });

  it.each(negatives)('does not take the reply $id for a forward', (c) => {
    const subject = c.subject_file ? read(c.subject_file).trim() : null;
    expect(unwrapInlineForward(read(c.body_file), subject)).toBeNull();
  });

  it.each(positives.filter((c) => /^(gmail|apple_mail|thunderbird|yahoo)_/.test(c.id)))(
    'still finds $id when the forwarder retyped the subject without "Fwd:"',
    (c) => {
      const f = unwrapInlineForward(read(c.body_file), 'Please have a look');
      expect(f?.from?.address).toBe(c.expect['email.from.address']);
    },
  );
});

const gmail = (separator: string, from = 'Bob Smith <Bob.Smith@Example.com>') =>
  [
    'Can you pay this one?',
    '',
    separator,
    `From: ${from}`,
    'Date: Mon, 1 Jan 2024 at 10:00',
    'Subject: Invoice 42',
    'To: Me <me@example.org>',
    '',
    'Please find the invoice attached.',
  ].join('\n');

describe('unwrapInlineForward', () => {
  it('unwraps a Gmail forward and lower-cases the sender address', () => {
    const f = unwrapInlineForward(gmail('---------- Forwarded message ---------'), 'Fwd: Invoice 42');
    expect(f).toEqual({
      from: { name: 'Bob Smith', address: 'bob.smith@example.com' },
      to: [{ name: 'Me', address: 'me@example.org' }],
      cc: [],
      subject: 'Invoice 42',
      date: 'Mon, 1 Jan 2024 at 10:00',
      text: 'Please find the invoice attached.',
      note: 'Can you pay this one?',
      via: 'inline',
    });
  });

  it('unwraps a Russian or Czech Gmail separator the library does not know', () => {
    for (const separator of [
      '---------- Пересылаемое сообщение ---------',
      '---------- Přeposlaná zpráva ---------',
    ]) {
      const f = unwrapInlineForward(gmail(separator), null);
      expect(f?.from?.address).toBe('bob.smith@example.com');
      expect(f?.note).toBe('Can you pay this one?');
    }
  });

  it('finds a forward whose subject the user retyped, through its explicit separator', () => {
    const f = unwrapInlineForward(gmail('---------- Forwarded message ---------'), 'Invoice to pay');
    expect(f?.from?.address).toBe('bob.smith@example.com');
  });

  it('reads the subject prefix behind a gateway tag such as "[EXT]"', () => {
    const body = 'FYI\n\nFrom: Bob <bob@example.com>\nSent: Monday\nTo: me@x.com\nSubject: Offer\n\nBody';
    expect(unwrapInlineForward(body, '[EXT] FW: Offer')?.from?.address).toBe('bob@example.com');
    expect(unwrapInlineForward(body, '[EXT] RE: Offer')).toBeNull();
  });

  it('never takes a message with a reply subject for a forward', () => {
    expect(unwrapInlineForward(gmail('---------- Forwarded message ---------'), 'Re: Invoice 42')).toBeNull();
    expect(unwrapInlineForward(gmail('---------- Forwarded message ---------'), 'AW: Rechnung')).toBeNull();
  });

  it('treats an Outlook header block under a neutral subject as a quote, not a forward', () => {
    const body =
      'Sure.\n\n________________________________\nFrom: Bob <bob@example.com>\nSent: Monday\nTo: me@x.com\nSubject: Hi\n\nOld text';
    expect(unwrapInlineForward(body, 'Lunch')).toBeNull();
    expect(unwrapInlineForward(body, 'FW: Lunch')?.from?.address).toBe('bob@example.com');
  });

  it('does not read a lone "From:" line in prose as a forwarded header', () => {
    expect(unwrapInlineForward('Hello, just a note.\nFrom: my heart', 'Fwd: hello')).toBeNull();
  });

  it('keeps the address of a sender written over two lines', () => {
    const body =
      'FYI\n\nFrom: Human Resources\n<hr+123@example.com>\nSent: Monday, 1 Jan 2024 10:00\nTo: me@x.com\nSubject: Offer\n\nBody';
    expect(unwrapInlineForward(body, 'FW: Offer')?.from).toEqual({
      name: 'Human Resources',
      address: 'hr+123@example.com',
    });
  });

  it('reads bold Outlook labels and Japanese labels', () => {
    const bold =
      'FYI\n\n*From:* Bob <bob@example.com>\n*Sent:* Monday\n*To:* me@x.com\n*Subject:* Offer\n\nBody';
    expect(unwrapInlineForward(bold, 'FW: Offer')?.subject).toBe('Offer');
    const ja =
      'FYI\n\n転送されたメッセージ:\n\n差出人: Taro <taro@example.jp>\n日付: 2024年1月1日\n件名: 請求書\n宛先: me@x.com\n\n本文';
    const f = unwrapInlineForward(ja, 'Fwd: 請求書');
    expect([f?.from?.address, f?.subject, f?.text]).toEqual(['taro@example.jp', '請求書', '本文']);
  });

  it('returns the outermost of nested forwards, its text keeping the inner one', () => {
    const body = [
      'Note',
      '',
      'Begin forwarded message:',
      '',
      '> From: A <a@x.com>',
      '> Subject: One',
      '> Date: today',
      '> To: me@x.com',
      '>',
      '> ---------- Forwarded message ---------',
      '> From: B <b@x.com>',
      '> Subject: Two',
      '>',
      '> inner',
    ].join('\n');
    const f = unwrapInlineForward(body, 'Fwd: One');
    expect(f?.from?.address).toBe('a@x.com');
    expect(f?.text).toBe('---------- Forwarded message ---------\nFrom: B <b@x.com>\nSubject: Two\n\ninner');
  });

  it('keeps commas inside quoted display names and drops mailto duplicates', () => {
    const f = unwrapInlineForward(
      gmail('---------- Forwarded message ---------', 'Bob <bob@x.com<mailto:bob@x.com>>'),
      'Fwd: s',
    );
    expect(f?.from).toEqual({ name: 'Bob', address: 'bob@x.com' });
    const list =
      'fyi\n---------- Forwarded message ---------\nFrom: a@x.com\nSubject: s\nTo: Ann <ann@x.com>, "Doe, John" <john@x.com>\n\nbody';
    expect(unwrapInlineForward(list, 'Fwd: s')?.to).toEqual([
      { name: 'Ann', address: 'ann@x.com' },
      { name: 'Doe, John', address: 'john@x.com' },
    ]);
  });

  it('gives an empty address when the client wrote the sender name only', () => {
    const body =
      'FYI\n\n-----Original Message-----\nFrom: John Smith\nSent: Monday\nTo: Ann Lee\nSubject: Offer\n\nBody';
    const f = unwrapInlineForward(body, 'FW: Offer');
    expect(f?.from).toEqual({ name: 'John Smith', address: '' });
    expect(f?.note).toBe('FYI');
  });

  it('stays fast on the long blank runs that make the library backtrack', () => {
    const body = `${' '.repeat(60_000)}x\n---------- Forwarded message ---------\nFrom: Bob <bob@example.com>\nSubject: s\n\nbody`;
    const start = performance.now();
    expect(unwrapInlineForward(body, null)?.from?.address).toBe('bob@example.com');
    expect(performance.now() - start).toBeLessThan(500);
  });

  it('returns null for empty or non-forward text and never throws on junk', () => {
    expect(unwrapInlineForward('', 'Fwd: x')).toBeNull();
    expect(unwrapInlineForward('Just a message.', null)).toBeNull();
    expect(() => unwrapInlineForward('\u0000<<<>>>\uD800'.repeat(1000), 'Fwd:')).not.toThrow();
  });
});
