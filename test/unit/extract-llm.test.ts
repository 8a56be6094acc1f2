import { afterEach, describe, expect, it } from 'vitest';
import { fillFromModel, grounded, missingFields } from '../../src/extract/extract.llm.ts';
import { emptyDocument } from '../../src/extract/extract.model.ts';
import { noModelCache } from '../../src/llm/llm.cache.ts';
import { createModelClient } from '../../src/llm/llm.client.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { type FakeOpenAiServer, type ScriptedReply, startOpenAiServer } from '../support/openai-server.ts';

// The model fills only what the readers left empty, and only with values found in the document.

const TEXT = [
  'ACME GmbH · Hauptstraße 1 · 10115 Berlin',
  'Rechnung Nr. 2024-0042',
  'Rechnungsdatum: 01.03.2024',
  'Gesamtbetrag: EUR 1.190,00',
  'IBAN: DE89 3704 0044 0532 0130 00',
].join('\n');

let server: FakeOpenAiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function model(script: ScriptedReply[]) {
  server = await startOpenAiServer(script);
  return createModelClient({
    apiKey: 'k',
    baseUrl: server.baseUrl,
    model: 'm',
    timeoutMs: 300,
    maxRetries: 0,
    ledger: { record: async () => undefined },
    cache: noModelCache,
    clock: systemClock,
  });
}

const none = { value: null, quote: null };
const answer = (o: Record<string, { value: string | null; quote: string | null }>) => ({
  invoiceNumber: none,
  issueDate: none,
  dueDate: none,
  currency: none,
  subtotal: none,
  tax: none,
  total: none,
  iban: none,
  poNumber: none,
  vendorName: none,
  ...o,
});

describe('the evidence check', () => {
  it.each([
    ['total', '1190.00', 'Gesamtbetrag: EUR 1.190,00', true],
    ['total', '1190.00', 'Gesamtbetrag: EUR 1.109,00', false],
    ['issueDate', '2024-03-01', 'Rechnungsdatum: 01.03.2024', true],
    // Dots are day-first: a model reading 01.03.2024 as 3 January is not grounded.
    ['issueDate', '2024-01-03', 'Rechnungsdatum: 01.03.2024', false],
    ['issueDate', '2024-03-02', 'Rechnungsdatum: 01.03.2024', false],
    ['iban', 'DE89370400440532013000', 'IBAN: DE89 3704 0044 0532 0130 00', true],
    ['invoiceNumber', '2024-0042', 'Rechnung Nr. 2024-0042', true],
    ['invoiceNumber', '2024-0043', 'Rechnung Nr. 2024-0042', false],
    ['currency', 'EUR', 'Gesamtbetrag: EUR 1.190,00', true],
  ] as const)('%s %s in "%s" → %s', (field, value, quote, ok) => {
    expect(grounded(field, value, quote, TEXT)).toBe(ok);
  });

  it('a quote that is not in the document grounds nothing', () => {
    expect(grounded('total', '5000', 'Total: 5.000,00', TEXT)).toBe(false);
  });
});

describe('filling from the model', () => {
  it('asks only for null fields and accepts grounded values with llm evidence', async () => {
    const doc = { ...emptyDocument('a.pdf', 'pdf-text'), invoiceNumber: '2024-0042' };
    expect(missingFields(doc)).not.toContain('invoiceNumber');
    const m = await model([
      {
        json: answer({
          total: { value: '1190.00', quote: 'Gesamtbetrag: EUR 1.190,00' },
          vendorName: { value: 'ACME GmbH', quote: 'ACME GmbH · Hauptstraße 1' },
          dueDate: { value: '2024-03-31', quote: 'zahlbar bis 31.03.2024' },
        }),
      },
    ]);
    const out = await fillFromModel(doc, TEXT, m, 'Maya');
    expect(out.total).toBe(1190);
    expect(out.vendor.name).toBe('ACME GmbH');
    expect(out.evidence.total).toMatchObject({ method: 'llm', text: 'Gesamtbetrag: EUR 1.190,00' });
    expect(out.dueDate).toBeNull();
    expect(out.warnings.join(' ')).toMatch(/dueDate "2024-03-31" not found in the document/);
    const prompt = server?.requests[0]?.body.messages.at(-1).content as string;
    expect(prompt).not.toMatch(/invoiceNumber/);
  });

  it('a failing model leaves the document as it was, with a warning', async () => {
    const m = await model([{ status: 500 }]);
    const doc = emptyDocument('a.pdf', 'pdf-text');
    const out = await fillFromModel(doc, TEXT, m, 'Maya');
    expect(out.total).toBeNull();
    expect(out.warnings).toEqual(['model not used: http_error']);
  });

  it('no model: nothing asked', async () => {
    const doc = emptyDocument('a.pdf', 'pdf-text');
    expect(await fillFromModel(doc, TEXT, null, 'Maya')).toBe(doc);
  });
});
