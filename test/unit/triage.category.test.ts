import { describe, expect, it } from 'vitest';
import { triageMessage } from '../../src/triage/triage.rules.ts';
import {
  addr,
  aForwardedMessage,
  aMessage,
  anAttachment,
  demoContext,
  OWNER,
} from './builders/message.builder.ts';

const ctx = demoContext();
const MAYA = addr(`Maya Chen <${OWNER}>`);

describe('category', () => {
  it.each([
    ['X-Spam-Flag', 'YES'],
    ['X-Spam-Status', 'Yes, score=9.1 required=5.0'],
    ['X-Spam-Score', '7.4'],
    ['X-Spam-Level', '*******'],
    ['X-MS-Exchange-Organization-SCL', '6'],
    ['X-Forefront-Antispam-Report', 'CIP:192.0.2.1;SFV:SPM;SCL:9'],
  ])('is spam when the filter says %s: %s', (name, value) => {
    const r = triageMessage(
      aMessage({ headers: { [name.toLowerCase()]: value }, text: 'Can you help?' }),
      ctx,
    );
    expect(r.category).toBe('spam');
  });

  it('is not spam for a low score or a "No" verdict', () => {
    const headers = { 'x-spam-status': 'No, score=1.2', 'x-spam-score': '1.2', 'x-spam-flag': 'NO' };
    expect(triageMessage(aMessage({ headers }), ctx).category).not.toBe('spam');
  });

  it('is a newsletter for list mail even when it talks about invoices and asks questions', () => {
    const msg = aMessage({
      subject: 'Get your invoices paid faster',
      headers: { 'list-id': '<n.example>' },
      text: 'Can you?',
    });
    expect(triageMessage(msg, ctx).category).toBe('newsletter');
  });

  it('is an invoice when a billing system sends its invoice PDF as bulk mail', () => {
    const msg = aMessage({
      headers: { precedence: 'bulk' },
      attachments: [anAttachment('Invoice-88.pdf', 'application/pdf')],
    });
    expect(triageMessage(msg, ctx)).toMatchObject({ category: 'invoice', automatic: true });
  });

  it.each([
    'invoice-2024-0042.pdf',
    'Rechnung_2024-17.pdf',
    'facture-889.pdf',
    'Factuur 2024 03.pdf',
    'factura_12.pdf',
    'fattura-3.pdf',
    'INV-20931.pdf',
  ])('is an invoice with the attachment %s', (filename) => {
    const r = triageMessage(aMessage({ attachments: [anAttachment(filename, 'application/pdf')] }), ctx);
    expect(r.category).toBe('invoice');
    expect(r.reasons).toContain(`attachment ${filename} looks like an invoice`);
    expect(r.confidence).toBeGreaterThanOrEqual(0.85);
  });

  it('is an invoice for a CII e-invoice XML, whatever its name', () => {
    const xml = Buffer.from('<?xml version="1.0"?><rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece"/>');
    const r = triageMessage(
      aMessage({ attachments: [anAttachment('data.xml', 'application/xml', xml)] }),
      ctx,
    );
    expect(r.category).toBe('invoice');
    expect(r.reasons.join(' ')).toContain('e-invoice XML');
  });

  it('is an invoice for a PDF that embeds factur-x.xml', () => {
    const pdf = Buffer.from(
      '%PDF-1.7\n... /EmbeddedFiles << /Names [(factur-x.xml) 12 0 R] >> ...',
      'latin1',
    );
    const r = triageMessage(
      aMessage({ attachments: [anAttachment('RE-5521.pdf', 'application/pdf', pdf)] }),
      ctx,
    );
    expect(r.category).toBe('invoice');
  });

  it('is an invoice for a plainly named PDF under an invoice subject', () => {
    const msg = aMessage({
      subject: 'Rechnung März',
      attachments: [anAttachment('scan0001.pdf', 'application/pdf')],
    });
    expect(triageMessage(msg, ctx).category).toBe('invoice');
  });

  it('is an invoice for an HTML invoice in the body', () => {
    const msg = aMessage({ subject: 'Your statement', text: 'Invoice number 4471\nAmount due: $120.00' });
    expect(triageMessage(msg, ctx).category).toBe('invoice');
  });

  it('does not mistake "Berechnung" (calculation) for an invoice', () => {
    const msg = aMessage({ subject: 'Berechnung der Reisekosten', text: 'Anbei die Berechnung.' });
    expect(triageMessage(msg, ctx).category).not.toBe('invoice');
  });

  it.each([
    ['an attachment named receipt', { attachments: [anAttachment('receipt-1842.pdf', 'application/pdf')] }],
    ['a photographed Quittung', { attachments: [anAttachment('Quittung_Taxi.jpg', 'image/jpeg')] }],
    ['a "reçu" subject', { subject: 'Votre reçu Uber' }],
    ['a receipt for an invoice', { subject: 'Receipt for invoice #77' }],
    ['"payment received" in the body', { subject: 'Thanks!', text: 'Payment received: $12.00' }],
  ])('is a receipt for %s', (_name, overrides) => {
    expect(triageMessage(aMessage(overrides), ctx).category).toBe('receipt');
  });

  it.each(['signed-contract.pdf', 'Kontoauszug_2026-02.pdf', 'NDA Lumen.docx', 'scan0001.pdf'])(
    'is a document with the attachment %s',
    (filename) => {
      const r = triageMessage(aMessage({ attachments: [anAttachment(filename, 'application/pdf')] }), ctx);
      expect(r.category).toBe('document');
    },
  );

  it('gives a named document more confidence than an anonymous PDF', () => {
    const named = triageMessage(
      aMessage({ attachments: [anAttachment('contract.pdf', 'application/pdf')] }),
      ctx,
    );
    const anonymous = triageMessage(
      aMessage({ attachments: [anAttachment('scan.pdf', 'application/pdf')] }),
      ctx,
    );
    expect(named.confidence).toBeGreaterThan(anonymous.confidence);
  });

  it('ignores body images: a signature logo is not a document', () => {
    const logo = { ...anAttachment('logo.png', 'image/png'), inline: true, contentId: 'logo@x' };
    expect(triageMessage(aMessage({ attachments: [logo] }), ctx).category).toBe('fyi');
  });

  it('is a meeting for a text/calendar invitation', () => {
    const r = triageMessage(aMessage({ attachments: [anAttachment('invite.ics', 'text/calendar')] }), ctx);
    expect(r).toMatchObject({ category: 'meeting' });
    expect(r.confidence).toBeGreaterThanOrEqual(0.9);
  });

  it.each([
    'Could you find us a time next week?',
    'Are you free on Thursday afternoon?',
    'Können wir einen Termin für nächste Woche finden?',
    'Pouvons-nous fixer une réunion mardi ?',
    'Zullen we een afspraak maken?',
    '¿Podemos tener una reunión el lunes?',
    'Possiamo fissare una riunione?',
  ])('is a meeting for "%s"', (text) => {
    expect(triageMessage(aMessage({ subject: 'Hello', text }), ctx).category).toBe('meeting');
  });

  it.each([
    'Can you send me the signed copy?',
    'What is the status of our order?',
    'Please confirm the delivery address.',
    'Könnten Sie mir die Unterlagen schicken',
    'Send the deck to Jo.',
  ])('is a request for "%s"', (text) => {
    const r = triageMessage(aMessage({ subject: 'Hello', text }), ctx);
    expect(r.category).toBe('request');
    expect(r.confidence).toBeLessThan(0.8);
  });

  it('does not take the "?" of a link for a question', () => {
    const msg = aMessage({
      subject: 'Hello',
      text: 'The slides: https://x.example/deck?id=7 for your files.',
    });
    expect(triageMessage(msg, ctx).category).toBe('fyi');
  });

  it('ignores asks in quoted lines and judges only the new text', () => {
    const msg = aMessage({
      subject: 'Hello',
      text: 'Thanks, noted.\n\n> Can you send it?',
      replyText: 'Thanks, noted.',
    });
    expect(triageMessage(msg, ctx).category).toBe('fyi');
  });

  it('falls back to fyi with low confidence', () => {
    const r = triageMessage(aMessage({ subject: 'Photos from the offsite', text: 'Here they are.' }), ctx);
    expect(r.category).toBe('fyi');
    expect(r.confidence).toBeLessThanOrEqual(0.3);
  });

  it('classifies a forward by the forwarded message: an invoice forwarded without attachment', () => {
    const forwarded = aForwardedMessage(
      'billing@acme.example',
      'Invoice 2024-0042',
      'Invoice number 2024-0042, amount due EUR 1.190,00',
    );
    const msg = aMessage({ from: MAYA, subject: 'Fwd: stuff', text: 'fyi', forwarded });
    expect(triageMessage(msg, ctx)).toMatchObject({ addressing: 'forward', category: 'invoice' });
  });

  it('classifies a forward by the forwarded message: a customer question', () => {
    const forwarded = aForwardedMessage('dana@lumen.example', 'pilot', 'Could you send us the pilot terms?');
    const msg = aMessage({ from: MAYA, subject: 'Fwd: pilot', text: '', forwarded });
    expect(triageMessage(msg, ctx).category).toBe('request');
  });
});
