import type { ExtractedDocument } from '../../extract/extract.model.ts';
import type { CheckResult } from './checks.model.ts';
import { formatMoney } from './money.ts';

/**
 * Exceptions: what the owner must look at before money moves, each one sentence with its context
 * (which vendor, which invoice, which earlier invoice or account). Several duplicate signals for
 * the same invoice make one duplicate exception, not three. Pure.
 */

export type ExceptionCode =
  | 'unreadable'
  | 'duplicate'
  | 'bank_change'
  | 'invalid_iban'
  | 'no_po'
  | 'po_mismatch';

export interface InvoiceException {
  code: ExceptionCode;
  message: string;
}

export interface ExceptionInput {
  doc: ExtractedDocument;
  vendorName: string | null;
  filename: string;
  checks: CheckResult[];
}

const failed = (checks: CheckResult[], prefix: string) =>
  checks.filter((c) => c.ok === false && (c.check === prefix || c.check.startsWith(`${prefix}.`)));

function whichInvoice({ doc, vendorName, filename }: ExceptionInput): string {
  const number = doc.invoiceNumber ? `invoice ${doc.invoiceNumber}` : `${filename} (no invoice number)`;
  const amount = doc.total !== null ? ` over ${formatMoney(doc.total, doc.currency)}` : '';
  return `${vendorName ?? 'an unknown vendor'}'s ${number}${amount}`;
}

export function exceptionsFrom(input: ExceptionInput): InvoiceException[] {
  const out: InvoiceException[] = [];
  const { doc, checks } = input;

  const missing = [
    input.vendorName === null ? 'the vendor' : null,
    doc.invoiceNumber === null ? 'the invoice number' : null,
    doc.total === null ? 'the total' : null,
    doc.currency === null ? 'the currency' : null,
  ].filter((m): m is string => m !== null);
  if (missing.length > 0) {
    const notes = doc.warnings.length ? ` Reader's notes: ${doc.warnings.slice(0, 3).join('; ')}.` : '';
    out.push({
      code: 'unreadable',
      message: `Could not read ${joinAnd(missing)} of ${input.filename} (${whichInvoice(input)}); left empty rather than guessed — reply with the right values.${notes}`,
    });
  }

  const dups = failed(checks, 'duplicate');
  if (dups.length > 0) {
    const reasons = dups.map((c) => REASON[c.check] ?? c.check);
    const earlier = new Map<string, Record<string, unknown>>();
    for (const c of dups) {
      for (const e of (c.data?.['earlier'] as Record<string, unknown>[] | undefined) ?? [])
        earlier.set(String(e['invoiceId']), e);
    }
    const list = [...earlier.values()]
      .slice(0, 3)
      .map(
        (e) =>
          `invoice ${e['number'] ?? '(no number)'} of ${e['issueDate'] ?? `received ${e['receivedOn']}`} (#${e['invoiceId']}, ${e['status']})`,
      );
    out.push({
      code: 'duplicate',
      message: `Possible duplicate — do not pay twice: ${whichInvoice(input)} matches ${list.join(', ')} (${joinAnd(reasons)}).`,
    });
  }

  for (const c of failed(checks, 'bank.changed')) {
    out.push({
      code: 'bank_change',
      message: `${c.message} Confirm the new account with ${input.vendorName ?? 'the vendor'} by phone, on a number you already have, before paying ${whichInvoice(input)}.`,
    });
  }
  for (const c of failed(checks, 'iban.checksum'))
    out.push({ code: 'invalid_iban', message: `${c.message} (${whichInvoice(input)})` });

  const poMatch = failed(checks, 'po.match');
  const noPo = poMatch.filter((c) => !c.data?.['purchaseOrderId']);
  for (const c of noPo) out.push({ code: 'no_po', message: `${c.message} (${whichInvoice(input)})` });
  const mismatch = [
    ...poMatch.filter((c) => c.data?.['purchaseOrderId']),
    ...failed(checks, 'po.amount'),
    ...failed(checks, 'po.currency'),
  ];
  if (mismatch.length > 0) {
    out.push({
      code: 'po_mismatch',
      message: `Purchase order mismatch on ${whichInvoice(input)}: ${mismatch.map((c) => c.message).join(' ')}`,
    });
  }
  return out;
}

const REASON: Record<string, string> = {
  'duplicate.number': 'same invoice number',
  'duplicate.file': 'same file',
  'duplicate.amount': 'same amount within a few days',
};

function joinAnd(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
