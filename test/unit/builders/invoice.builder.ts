import type { DatabaseHandle } from '../../../src/db/db.ts';
import { type ExtractedDocument, emptyDocument } from '../../../src/extract/extract.model.ts';
import type { Clock } from '../../../src/shared/clock.ts';
import { eml, store } from '../../support/pglite.ts';

/** Valid IBANs (ISO 13616 checksums) for tests. */
export const IBAN = {
  acme: 'DE89370400440532013000',
  acmeNew: 'DE02120300000000202051',
  lithuania: 'LT121000011101001000',
  netherlands: 'NL91ABNA0417164300',
} as const;

type DocOverrides = Partial<Omit<ExtractedDocument, 'vendor'>> & {
  vendor?: Partial<ExtractedDocument['vendor']>;
};

/** ACME GmbH's invoice 2024-0042 over EUR 1,190.00 (1,000.00 + 19% VAT), due 2024-03-31. */
export function invoiceDoc(o: DocOverrides = {}): ExtractedDocument {
  const base = emptyDocument('invoice.pdf', 'pdf-text');
  const { vendor, ...rest } = o;
  return {
    ...base,
    kind: 'invoice',
    vendor: { name: 'ACME GmbH', email: null, taxId: 'DE123456789', ...vendor },
    invoiceNumber: '2024-0042',
    issueDate: '2024-03-01',
    dueDate: '2024-03-31',
    currency: 'EUR',
    subtotal: 1000,
    tax: 190,
    total: 1190,
    iban: IBAN.acme,
    lines: [{ description: 'Consulting', quantity: 10, unitPrice: 100, amount: 1000 }],
    ...rest,
  };
}

/** A clock stopped at `iso` (default 2024-03-05 10:00 UTC); `set` moves it. */
export function fixedClock(iso = '2024-03-05T10:00:00Z'): Clock & { set(iso: string): void } {
  let now = new Date(iso);
  return {
    now: () => now,
    set(next: string) {
      now = new Date(next);
    },
  };
}

let uid = 1;
/** Stores one message and returns its messages.id. */
export async function newMessage(h: DatabaseHandle, from = 'billing@acme.example'): Promise<string> {
  const n = uid++;
  const { newIds } = await store(h, [eml({ from, messageId: `m${n}-${Date.now()}@acme.example` })], {
    firstUid: n,
  });
  return newIds[0]!;
}
