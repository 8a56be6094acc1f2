import { describe, expect, it } from 'vitest';
import {
  automaticSubjectKind,
  DESKHAND_ID_HEADER,
  isAutomatic,
  isMailSystemSender,
  readAutomaticSignals,
} from '../../src/ingest/automatic.ts';

/** Signals from a header map with lower-case names, as the parser hands them over. */
function signalsOf(headers: Record<string, string>, contentType = 'text/plain; charset=utf-8') {
  return readAutomaticSignals((name) => headers[name] ?? null, contentType);
}

function verdictOf(headers: Record<string, string>, contentType?: string) {
  return isAutomatic(signalsOf(headers, contentType));
}

describe('readAutomaticSignals', () => {
  it('reads nothing automatic from a person’s plain message', () => {
    const signals = signalsOf({ subject: 'Lunch on Friday?', 'return-path': '<dana@lumen.example>' });
    expect(signals).toEqual({
      autoSubmitted: null,
      precedence: null,
      listId: null,
      listUnsubscribe: false,
      returnPathEmpty: false,
      isDeliveryReport: false,
      autoReplyHeaders: [],
    });
    expect(isAutomatic(signals)).toEqual({ automatic: false, kind: null, reason: null });
  });

  it('lower-cases Auto-Submitted and Precedence and keeps the List-Id as written', () => {
    const signals = signalsOf({
      'auto-submitted': ' Auto-Replied ',
      precedence: 'BULK',
      'list-id': 'News <n.x.example>',
    });
    expect(signals.autoSubmitted).toBe('auto-replied');
    expect(signals.precedence).toBe('bulk');
    expect(signals.listId).toBe('News <n.x.example>');
  });

  it('takes X-Precedence when Precedence is missing', () => {
    expect(signalsOf({ 'x-precedence': 'junk' }).precedence).toBe('junk');
  });

  it('recognises a delivery report whatever the parameter order and quoting', () => {
    expect(
      signalsOf({}, 'multipart/report; report-type=delivery-status; boundary="b"').isDeliveryReport,
    ).toBe(true);
    expect(
      signalsOf({}, 'Multipart/Report; boundary="b";\r\n\treport-type="delivery-status"').isDeliveryReport,
    ).toBe(true);
    expect(signalsOf({}, 'multipart/mixed; report-type=delivery-status').isDeliveryReport).toBe(false);
  });

  it('treats only an empty Return-Path as a null sender', () => {
    expect(signalsOf({ 'return-path': '<>' }).returnPathEmpty).toBe(true);
    expect(signalsOf({ 'return-path': '< >' }).returnPathEmpty).toBe(true);
    expect(signalsOf({ 'return-path': '<bounces@lists.example>' }).returnPathEmpty).toBe(false);
  });

  it('keeps auto-reply, list and mass-mailer headers as "Name: value" evidence', () => {
    const signals = signalsOf({
      'x-autoreply': 'yes',
      'list-post': '<mailto:l@x.example>',
      'feedback-id': 'a:b:c',
    });
    expect(signals.autoReplyHeaders).toEqual([
      'X-Autoreply: yes',
      'Feedback-ID: a:b:c',
      'List-Post: <mailto:l@x.example>',
    ]);
  });
});

describe('isAutomatic', () => {
  it('calls Auto-Submitted: auto-replied an auto-reply (RFC 3834)', () => {
    expect(verdictOf({ 'auto-submitted': 'auto-replied' })).toEqual({
      automatic: true,
      kind: 'auto_reply',
      reason: 'Auto-Submitted: auto-replied',
    });
  });

  it('reads the Auto-Submitted keyword before its parameters', () => {
    expect(verdictOf({ 'auto-submitted': 'auto-replied; owner-email="maya@northwind.example"' }).kind).toBe(
      'auto_reply',
    );
  });

  it('treats any Auto-Submitted value but "no" as automatic', () => {
    expect(verdictOf({ 'auto-submitted': 'auto-generated' }).kind).toBe('bulk');
    expect(verdictOf({ 'auto-submitted': 'auto-notified' }).kind).toBe('bulk');
    expect(verdictOf({ 'auto-submitted': 'no' }).automatic).toBe(false);
  });

  it('calls a multipart/report delivery-status message a bounce even when it says auto-replied', () => {
    const v = verdictOf(
      { 'auto-submitted': 'auto-replied' },
      'multipart/report; report-type=delivery-status',
    );
    expect(v.kind).toBe('bounce');
    expect(v.reason).toContain('RFC 3464');
  });

  it('calls a null Return-Path alone a bounce, but a null-sender auto-reply an auto-reply', () => {
    expect(verdictOf({ 'return-path': '<>' }).kind).toBe('bounce');
    expect(verdictOf({ 'return-path': '<>', 'auto-submitted': 'auto-replied' }).kind).toBe('auto_reply');
  });

  it('calls a read receipt (report-type=disposition-notification) an auto-reply, not a bounce', () => {
    expect(verdictOf({}, 'multipart/report; report-type=disposition-notification').kind).toBe('auto_reply');
  });

  it.each([
    ['list-id', 'Team news <news.acme.example>'],
    ['list-unsubscribe', '<mailto:unsubscribe@acme.example>'],
    ['list-post', '<mailto:team@lists.acme.example>'],
    ['list-help', '<mailto:help@lists.acme.example>'],
    ['precedence', 'list'],
  ])('calls mail with %s a list message (RFC 2369/2919)', (name, value) => {
    expect(verdictOf({ [name]: value })).toMatchObject({ automatic: true, kind: 'list' });
  });

  it.each(['bulk', 'junk'])('calls Precedence: %s bulk mail', (value) => {
    expect(verdictOf({ precedence: value })).toMatchObject({ automatic: true, kind: 'bulk' });
  });

  it.each([
    ['x-autoreply', 'yes'],
    ['x-autorespond', 'Out of office'],
    ['x-autoreply-from', 'maya@northwind.example'],
    ['precedence', 'auto_reply'],
  ])('calls mail with %s an auto-reply', (name, value) => {
    expect(verdictOf({ [name]: value }).kind).toBe('auto_reply');
  });

  it('does not take X-Autoreply: no for an auto-reply', () => {
    expect(verdictOf({ 'x-autoreply': 'no' }).automatic).toBe(false);
  });

  it('does not call a message automatic for X-Auto-Response-Suppress alone: Exchange adds it to ordinary mail', () => {
    expect(verdictOf({ 'x-auto-response-suppress': 'All' }).automatic).toBe(false);
  });

  it('calls an Exchange out-of-office (auto-generated plus X-Auto-Response-Suppress) an auto-reply', () => {
    const v = verdictOf({ 'auto-submitted': 'auto-generated', 'x-auto-response-suppress': 'All' });
    expect(v.kind).toBe('auto_reply');
  });

  it('treats mail passed on by an Exchange inbox rule as automatic, and says so', () => {
    const v = verdictOf({ 'x-ms-exchange-inbox-rules-loop': 'maya@northwind.example' });
    expect(v).toMatchObject({ automatic: true, kind: 'bulk' });
    expect(v.reason).toContain('inbox rule');
  });

  it('treats mail with a Feedback-ID as sent through a mass-mailing service', () => {
    expect(verdictOf({ 'feedback-id': '112:weekly:ledgerline:esp' })).toMatchObject({
      automatic: true,
      kind: 'bulk',
    });
  });

  it('prefers the auto-reply over the list when an auto-reply goes to a list', () => {
    expect(verdictOf({ 'auto-submitted': 'auto-replied', 'list-id': '<l.example>' }).kind).toBe('auto_reply');
  });

  it.each([
    'Out of Office: Re: contract',
    'Out of office',
    'Automatic reply: Q3 pilot',
    'Auto-Reply: your message',
    'AutoReply: your message',
    'Abwesenheitsnotiz: Angebot',
    'Automatische Antwort: Rechnung',
    'Réponse automatique : facture',
    'Autosvar: faktura',
    'Auto: Re: meeting',
    'Automatisch antwoord: offerte',
    'Respuesta automática: factura',
    'Risposta automatica: fattura',
  ])('calls the subject "%s" an auto-reply', (subject) => {
    expect(automaticSubjectKind(subject)).toBe('auto_reply');
    expect(verdictOf({ subject }).kind).toBe('auto_reply');
  });

  it.each([
    'Undeliverable: Q3 pilot',
    'Undelivered Mail Returned to Sender',
    'Delivery Status Notification (Failure)',
    'Mail delivery failed: returning message to sender',
    'Returned mail: see transcript for details',
    'Unzustellbar: Angebot',
  ])('calls the subject "%s" a bounce', (subject) => {
    expect(automaticSubjectKind(subject)).toBe('bounce');
    expect(verdictOf({ subject }).kind).toBe('bounce');
  });

  it.each([
    'Out of office next week, can you cover?',
    'Re: automatic replies are annoying',
    'Absence request for Friday',
    'Autumn plans',
  ])('leaves the human subject "%s" alone', (subject) => {
    expect(automaticSubjectKind(subject)).toBeNull();
  });
});

describe('isMailSystemSender', () => {
  it.each([
    'MAILER-DAEMON@amazonses.com',
    'mailer-daemon@mail.northwind.example',
    'postmaster@lumen.example',
  ])('knows %s is a mail system', (address) => {
    expect(isMailSystemSender(address)).toBe(true);
  });

  it.each(['mailer@acme.example', 'daemon@acme.example', 'postmaster.general@acme.example'])(
    'knows %s is not',
    (address) => {
      expect(isMailSystemSender(address)).toBe(false);
    },
  );
});

describe('DESKHAND_ID_HEADER', () => {
  it('names the header our own mail carries', () => {
    expect(DESKHAND_ID_HEADER).toBe('X-Deskhand-Id');
  });
});
