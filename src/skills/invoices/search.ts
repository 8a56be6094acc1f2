import { sql } from 'kysely';
import type { Db } from '../../db/db.types.ts';
import type { InvoiceStatus } from '../../db/invoice.tables.ts';
import type { DocumentKind } from '../../extract/extract.model.ts';
import { type CsvCell, toCsv } from './csv.write.ts';
import { fractionDigits, fromNumeric } from './money.ts';
import { foldText } from './vendor.names.ts';

/**
 * Finding filed documents (`deskhand docs search …`) and the accountant's export
 * (`deskhand invoices export --csv`). Search is PostgreSQL full text over the folded words of the
 * fields and the text (documents.search_vector, GIN-indexed; works on PGlite too), every query
 * word a prefix, all words required; newest first.
 */

export interface SearchOptions {
  /** Default 20, at most 200. */
  limit?: number;
  kinds?: DocumentKind[];
  vendorId?: string;
}

export interface DocumentHit {
  documentId: string;
  messageId: string;
  filename: string;
  kind: string;
  createdAt: Date;
  vendorId: string | null;
  vendorName: string | null;
  invoiceId: string | null;
  invoiceNumber: string | null;
  issueDate: string | null;
  dueDate: string | null;
  currency: string | null;
  total: number | null;
  status: InvoiceStatus | null;
  keyDates: { label: string; date: string }[];
  /** Up to ~160 characters of the text around the first query word, when the text has it. */
  snippet: string | null;
}

/** "ACME Rech" → "'acme':* & 'rech':*"; null for a query with no words. Folded like the index. */
export function toPrefixQuery(query: string): string | null {
  const words = foldText(query).split(' ').filter(Boolean).slice(0, 16);
  return words.length ? words.map((w) => `'${w}':*`).join(' & ') : null;
}

export async function searchDocuments(
  db: Db,
  query: string,
  opts: SearchOptions = {},
): Promise<DocumentHit[]> {
  const limit = Math.min(Math.max(opts.limit ?? 20, 1), 200);
  const tsq = toPrefixQuery(query);
  let q = db
    .selectFrom('documents')
    .leftJoin('invoices', 'invoices.document_id', 'documents.id')
    .leftJoin('vendors', 'vendors.id', 'documents.vendor_id')
    .select([
      'documents.id as documentId',
      'documents.message_id as messageId',
      'documents.filename',
      'documents.kind',
      'documents.created_at as createdAt',
      'documents.text',
      'documents.extracted',
      'vendors.id as vendorId',
      'vendors.name as vendorName',
      'invoices.id as invoiceId',
      'invoices.number as invoiceNumber',
      'invoices.issue_date as issueDate',
      'invoices.due_date as dueDate',
      'invoices.currency',
      'invoices.total',
      'invoices.status',
    ]);
  if (tsq) q = q.where(sql<boolean>`documents.search_vector @@ to_tsquery('simple', ${tsq})`);
  if (opts.kinds?.length) q = q.where('documents.kind', 'in', opts.kinds);
  if (opts.vendorId) q = q.where('vendors.id', '=', opts.vendorId);
  const rows = await q
    .orderBy('documents.created_at', 'desc')
    .orderBy('documents.id', 'desc')
    .limit(limit)
    .execute();
  const firstWord = foldText(query).split(' ')[0] ?? '';
  return rows.map((r) => {
    const extracted = r.extracted as {
      vendor?: { name?: string | null };
      keyDates?: { label: string; date: string }[];
    };
    return {
      documentId: r.documentId,
      messageId: r.messageId,
      filename: r.filename,
      kind: r.kind,
      createdAt: r.createdAt,
      vendorId: r.vendorId,
      vendorName: r.vendorName ?? extracted.vendor?.name ?? null,
      invoiceId: r.invoiceId,
      invoiceNumber: r.invoiceNumber,
      issueDate: r.issueDate,
      dueDate: r.dueDate,
      currency: r.currency,
      total: fromNumeric(r.total),
      status: r.status,
      keyDates: (extracted.keyDates ?? []).map((k) => ({ label: k.label, date: k.date })),
      snippet: snippet(r.text, firstWord),
    };
  });
}

function snippet(text: string, word: string): string | null {
  if (!word || !text) return null;
  const at = foldText(text).indexOf(word);
  if (at < 0) return null;
  // Folding keeps positions close enough for a snippet (it removes dots and accents only).
  const start = Math.max(0, at - 60);
  return text
    .slice(start, start + 160)
    .replace(/\s+/g, ' ')
    .trim();
}

export interface ExportOptions {
  /** Issue date (or received date when none) on or after, ISO. */
  from?: string;
  /** …and on or before, ISO. */
  to?: string;
  statuses?: InvoiceStatus[];
}

const HEADER = [
  'Invoice ID',
  'Type',
  'Status',
  'Risk',
  'Vendor',
  'Vendor tax ID',
  'Invoice number',
  'Issue date',
  'Due date',
  'Currency',
  'Net',
  'Tax',
  'Gross',
  'IBAN',
  'BIC',
  'PO number',
  'File',
  'Received',
  'Exceptions',
];

/** One row per invoice, oldest issue date first; amounts with the currency's decimals and a point. */
export async function exportInvoicesCsv(db: Db, opts: ExportOptions = {}): Promise<string> {
  const day = sql<string>`coalesce(invoices.issue_date, to_char(invoices.created_at, 'YYYY-MM-DD'))`;
  let q = db
    .selectFrom('invoices')
    .innerJoin('documents', 'documents.id', 'invoices.document_id')
    .leftJoin('vendors', 'vendors.id', 'invoices.vendor_id')
    .selectAll('invoices')
    .select([
      'vendors.name as vendorName',
      'vendors.tax_id as vendorTaxId',
      'documents.filename',
      'documents.extracted',
    ]);
  if (opts.from) q = q.where(day, '>=', opts.from);
  if (opts.to) q = q.where(day, '<=', opts.to);
  if (opts.statuses?.length) q = q.where('invoices.status', 'in', opts.statuses);
  const rows = await q.orderBy(day).orderBy('invoices.id').execute();
  const money = (v: string | null, currency: string | null): CsvCell => {
    const n = fromNumeric(v);
    return n === null ? null : { number: n.toFixed(fractionDigits(currency)) };
  };
  return toCsv(
    HEADER,
    rows.map((r) => {
      const extracted = r.extracted as { vendor?: { name?: string | null; taxId?: string | null } };
      const exceptions = (r.exceptions as { code: string }[]).map((e) => e.code);
      return [
        r.id,
        r.kind === 'credit_note' ? 'credit note' : 'invoice',
        r.status,
        r.risk,
        r.vendorName ?? extracted.vendor?.name ?? null,
        r.vendorTaxId ?? extracted.vendor?.taxId ?? null,
        r.number,
        r.issue_date,
        r.due_date,
        r.currency,
        money(r.subtotal, r.currency),
        money(r.tax, r.currency),
        money(r.total, r.currency),
        r.iban,
        r.bic,
        r.po_number,
        r.filename,
        r.created_at.toISOString().slice(0, 10),
        [...new Set(exceptions)].join('; ') || null,
      ];
    }),
  );
}
