import { parse } from 'csv-parse/sync';
import { type DecimalMark, detectDecimalMark, parseDecimal, splitCurrency } from './csv.numbers.ts';
import { poNumberKey, taxIdKey } from './keys.ts';
import { HEADERS, type PoColumn } from './po.headers.ts';
import { foldText } from './vendor.names.ts';

/**
 * Purchase orders from the owner's CSV export: English or German headers, `;`, `,` or tab
 * separated, decimal comma or point (detected per file). Every line becomes a row or an error
 * with its line number — a bad line is reported, never silently skipped. Pure.
 */

export interface PoCsvRow {
  /** 1-based line in the file. */
  line: number;
  number: string;
  numberKey: string;
  vendorName: string | null;
  vendorTaxId: string | null;
  amount: number;
  currency: string | null;
  status: 'open' | 'closed';
  description: string | null;
}

export interface PoCsvError {
  line: number;
  message: string;
}

export type { PoColumn };

export interface PoCsvResult {
  rows: PoCsvRow[];
  errors: PoCsvError[];
  delimiter: string;
  decimalMark: DecimalMark;
  /** Which header became which column (null: not in the file). */
  columns: Record<PoColumn, string | null>;
}

const OPEN = new Set(['', 'open', 'offen', 'active', 'aktiv', 'o']);
const CLOSED = new Set([
  'closed',
  'geschlossen',
  'erledigt',
  'abgeschlossen',
  'done',
  'cancelled',
  'canceled',
  'storniert',
  'c',
]);

/** The separator that occurs most in the header line outside quotes (`,` on a tie). */
export function detectDelimiter(text: string): string {
  const header =
    text
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/)
      .find((l) => l.trim() !== '') ?? '';
  const outside = header.replace(/"[^"]*"/g, '');
  const counts = [';', '\t', ','].map((d) => ({ d, n: outside.split(d).length - 1 }));
  const best = counts.reduce((a, b) => (b.n > a.n ? b : a));
  return best.n > 0 ? best.d : ',';
}

function mapColumns(header: string[]): Record<PoColumn, number | null> {
  const map: Record<PoColumn, number | null> = {
    number: null,
    vendorName: null,
    vendorTaxId: null,
    amount: null,
    currency: null,
    status: null,
    description: null,
  };
  header.forEach((h, i) => {
    const key = foldText(h).replace(/ /g, '');
    const col = (Object.keys(HEADERS) as PoColumn[]).find((c) => map[c] === null && HEADERS[c].includes(key));
    if (col) map[col] = i;
  });
  return map;
}

export function parsePurchaseOrdersCsv(text: string): PoCsvResult {
  const delimiter = detectDelimiter(text);
  const errors: PoCsvError[] = [];
  let lastLine = 0;
  const records = parse(text, {
    bom: true,
    delimiter,
    relax_column_count: true,
    // A stray quote inside a field ("AC"ME) stays part of the value instead of derailing the
    // lines after it; an opening quote never closed is still an error naming the lines it swallowed.
    relax_quotes: true,
    skip_empty_lines: true,
    trim: true,
    info: true,
    skip_records_with_error: true,
    on_skip: (err) => {
      const at = Number(err?.lines ?? lastLine + 1);
      const span = at > lastLine + 1 ? `lines ${lastLine + 1}–${at}` : `line ${at}`;
      errors.push({
        line: lastLine + 1,
        message: `${span} could not be read: ${err?.message ?? 'malformed CSV'}`,
      });
      lastLine = at;
      return undefined;
    },
    on_record: (rec, ctx) => {
      lastLine = ctx.lines;
      return rec;
    },
  }) as unknown as { record: string[]; info: { lines: number } }[];
  const empty = {
    number: null,
    vendorName: null,
    vendorTaxId: null,
    amount: null,
    currency: null,
    status: null,
    description: null,
  };
  const [head, ...body] = records;
  if (!head)
    return {
      rows: [],
      errors: [{ line: 1, message: 'the file is empty' }, ...errors],
      delimiter,
      decimalMark: '.',
      columns: empty,
    };
  const cols = mapColumns(head.record);
  const columns = Object.fromEntries(
    Object.entries(cols).map(([k, i]) => [k, i === null ? null : head.record[i]!]),
  ) as Record<PoColumn, string | null>;
  const missing = (['number', 'amount'] as const).filter((c) => cols[c] === null);
  if (missing.length > 0) {
    const message = `no column for ${missing.map((c) => (c === 'number' ? 'the PO number' : 'the amount')).join(' or ')} (headers: ${head.record.join(', ')})`;
    return {
      rows: [],
      errors: [{ line: head.info.lines, message }, ...errors],
      delimiter,
      decimalMark: '.',
      columns,
    };
  }
  const decimalMark = detectDecimalMark(
    body.map((r) => r.record[cols.amount!] ?? ''),
    delimiter === ';' ? ',' : '.',
  );
  const rows: PoCsvRow[] = [];
  const seen = new Map<string, number>();
  for (const { record, info } of body) {
    const r = readRow(record, info.lines, head.record.length, cols, decimalMark);
    if ('message' in r) {
      errors.push(r);
      continue;
    }
    const first = seen.get(r.numberKey);
    if (first !== undefined) {
      errors.push({
        line: r.line,
        message: `PO ${r.number} is already on line ${first}; this line was not imported`,
      });
      continue;
    }
    seen.set(r.numberKey, r.line);
    rows.push(r);
  }
  errors.sort((a, b) => a.line - b.line);
  return { rows, errors, delimiter, decimalMark, columns };
}

function readRow(
  rec: string[],
  line: number,
  width: number,
  cols: Record<PoColumn, number | null>,
  mark: DecimalMark,
): PoCsvRow | PoCsvError {
  const cell = (c: PoColumn) => (cols[c] === null ? '' : (rec[cols[c]!] ?? '').trim());
  if (rec.length !== width) return { line, message: `expected ${width} fields, found ${rec.length}` };
  const number = cell('number');
  const numberKey = poNumberKey(number);
  if (!numberKey) return { line, message: 'the PO number is empty' };
  const raw = cell('amount');
  const { number: digits, currency: fromAmount } = splitCurrency(raw);
  const amount = parseDecimal(digits, mark);
  if (amount === null) {
    const how = mark === ',' ? 'decimal comma' : 'decimal point';
    return { line, message: `amount "${raw}" is not a number in this file's format (${how})` };
  }
  if (amount < 0) return { line, message: `amount "${raw}" is negative` };
  const cur = cell('currency').toUpperCase() || fromAmount;
  if (cur && !/^[A-Z]{3}$/.test(cur))
    return { line, message: `currency "${cell('currency')}" is not an ISO 4217 code` };
  const st = cell('status').toLowerCase();
  if (!OPEN.has(st) && !CLOSED.has(st))
    return { line, message: `status "${cell('status')}" is neither open nor closed` };
  return {
    line,
    number,
    numberKey,
    vendorName: cell('vendorName') || null,
    vendorTaxId: taxIdKey(cell('vendorTaxId')),
    amount,
    currency: cur || null,
    status: CLOSED.has(st) ? 'closed' : 'open',
    description: cell('description') || null,
  };
}
