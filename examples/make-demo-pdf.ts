/**
 * Writes the demo invoice PDF (ACME GmbH, invoice 2024-0042) used by
 * examples/demo-mailbox/02-forwarded-invoice.eml: a minimal, valid PDF 1.4 with one page,
 * the standard Helvetica fonts (ISO 32000-1 §9.6.2.2: no embedding needed) and a real text
 * layer, so text extraction works without OCR. Node built-ins only; the output is
 * byte-for-byte reproducible (no timestamps, no random ids).
 *
 *   node examples/make-demo-pdf.ts out.pdf     write the PDF
 *   node examples/make-demo-pdf.ts --base64    print it base64, 76 columns (RFC 2045 §6.8)
 */
import { writeFileSync } from 'node:fs';

const PAGE_WIDTH = 595; // A4 in points
const PAGE_HEIGHT = 842;
const RIGHT_EDGE = 545;

interface TextRun {
  x: number;
  y: number;
  size: number;
  bold?: boolean;
  text: string;
  /** Right-align at x instead of starting there. */
  right?: boolean;
}

/** Helvetica glyph widths (1/1000 em) for what amounts are made of; AFM of the standard 14 fonts. */
const HELVETICA_WIDTHS: Record<string, number> = {
  ' ': 278,
  ',': 278,
  '.': 278,
  '%': 889,
  A: 667,
  E: 667,
  R: 722,
  S: 667,
  T: 611,
  U: 722,
  V: 667,
  a: 556,
  b: 556,
  l: 222,
  o: 556,
  t: 278,
  u: 556,
  m: 833,
  n: 556,
};
/** Digits and anything not listed; close enough for right-aligning a few words. */
const DEFAULT_WIDTH = 556;

const RUNS: TextRun[] = [
  { x: 50, y: 790, size: 18, bold: true, text: 'ACME GmbH' },
  { x: 50, y: 772, size: 9, text: 'Industriestraße 12 · 10115 Berlin · Germany' },
  { x: 50, y: 760, size: 9, text: 'VAT ID DE123456789 · billing@acme.example · +49 30 1234567' },
  { x: 50, y: 700, size: 22, bold: true, text: 'INVOICE' },
  { x: 350, y: 704, size: 10, text: 'Invoice number: 2024-0042' },
  { x: 350, y: 690, size: 10, text: 'Issue date: 2024-03-01' },
  { x: 350, y: 676, size: 10, text: 'Due date: 2024-03-31' },
  { x: 350, y: 662, size: 10, text: 'Currency: EUR' },
  { x: 50, y: 640, size: 10, bold: true, text: 'Bill to' },
  { x: 50, y: 626, size: 10, text: 'Northwind Studio GmbH' },
  { x: 50, y: 612, size: 10, text: 'Attn. Maya Chen' },
  { x: 50, y: 598, size: 10, text: 'Torstraße 5, 10119 Berlin, Germany' },
  { x: 50, y: 550, size: 10, bold: true, text: 'Description' },
  { x: 300, y: 550, size: 10, bold: true, text: 'Qty × Unit price' },
  { x: RIGHT_EDGE, y: 550, size: 10, bold: true, text: 'Amount', right: true },
  { x: 50, y: 530, size: 10, text: 'Consulting' },
  { x: 300, y: 530, size: 10, text: '10 × 100,00' },
  { x: RIGHT_EDGE, y: 530, size: 10, text: '1.000,00', right: true },
  // One run per totals line, label and amount together: text extractors that join runs
  // without spaces still read "Total EUR 1.190,00".
  { x: RIGHT_EDGE, y: 490, size: 10, text: 'Subtotal EUR 1.000,00', right: true },
  { x: RIGHT_EDGE, y: 476, size: 10, text: 'VAT 19% EUR 190,00', right: true },
  { x: RIGHT_EDGE, y: 458, size: 11, bold: true, text: 'Total EUR 1.190,00', right: true },
  { x: 50, y: 400, size: 10, text: 'Please transfer the total by 2024-03-31, quoting the invoice number.' },
  { x: 50, y: 386, size: 10, text: 'Commerzbank · IBAN DE89 3704 0044 0532 0130 00 · BIC COBADEFFXXX' },
  {
    x: 50,
    y: 80,
    size: 8,
    text: 'ACME GmbH · Amtsgericht Berlin-Charlottenburg HRB 123456 · Managing director: Jonas Weber',
  },
];

/**
 * The PDF's bytes. `replace` swaps exact texts of runs ("Invoice number: 2024-0042" → …) for
 * variants in tests (another number, a new IBAN); without it the output is the demo's PDF.
 */
export function buildInvoicePdf(replace: Record<string, string> = {}): Buffer {
  const runs = RUNS.map((r) => ({ ...r, text: replace[r.text] ?? r.text }));
  const content = Buffer.concat(runs.map(runToOperators));
  const objects: Buffer[] = [
    latin1('<< /Type /Catalog /Pages 2 0 R >>'),
    latin1('<< /Type /Pages /Kids [3 0 R] /Count 1 >>'),
    latin1(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE_WIDTH} ${PAGE_HEIGHT}] ` +
        '/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>',
    ),
    latin1('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>'),
    latin1('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>'),
    Buffer.concat([latin1(`<< /Length ${content.length} >>\nstream\n`), content, latin1('\nendstream')]),
    latin1(
      '<< /Title (Invoice 2024-0042) /Author (ACME GmbH) /Producer (deskhand examples/make-demo-pdf.ts) >>',
    ),
  ];
  return assemble(objects);
}

/** Header, numbered objects, cross-reference table and trailer (ISO 32000-1 §7.5). */
function assemble(objects: Buffer[]): Buffer {
  // The second line's high bytes tell transfer tools the file is binary (§7.5.2).
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n%\xE2\xE3\xCF\xD3\n', 'latin1')];
  const offsets: number[] = [];
  let length = parts[0]!.length;
  objects.forEach((body, i) => {
    const obj = Buffer.concat([latin1(`${i + 1} 0 obj\n`), body, latin1('\nendobj\n')]);
    offsets.push(length);
    parts.push(obj);
    length += obj.length;
  });
  // Each xref entry is exactly 20 bytes, ending in space + LF (§7.5.4).
  const entries = offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  const xref = `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${entries}`;
  const trailer = `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 7 0 R >>\nstartxref\n${length}\n%%EOF\n`;
  parts.push(latin1(xref + trailer));
  return Buffer.concat(parts);
}

function runToOperators(run: TextRun): Buffer {
  const font = run.bold ? 'F2' : 'F1';
  const x = run.right ? run.x - textWidth(run.text, run.size) : run.x;
  return Buffer.concat([
    latin1(`BT /${font} ${run.size} Tf ${x.toFixed(2)} ${run.y} Td (`),
    winAnsi(escapePdfString(run.text)),
    latin1(') Tj ET\n'),
  ]);
}

function textWidth(text: string, size: number): number {
  let units = 0;
  for (const ch of text) units += HELVETICA_WIDTHS[ch] ?? DEFAULT_WIDTH;
  return (units * size) / 1000;
}

/** Literal strings escape backslash and parentheses (§7.3.4.2). */
function escapePdfString(text: string): string {
  return text.replace(/[\\()]/g, (c) => `\\${c}`);
}

/** WinAnsiEncoding is Latin-1 for every character used here (ß, ×, ·). */
function winAnsi(text: string): Buffer {
  for (const ch of text) {
    if (ch.charCodeAt(0) > 0xff) throw new Error(`character ${ch} is not in WinAnsiEncoding here`);
  }
  return Buffer.from(text, 'latin1');
}

function latin1(text: string): Buffer {
  return Buffer.from(text, 'latin1');
}

function wrapBase64(data: Buffer): string {
  return (data.toString('base64').match(/.{1,76}/g) ?? []).join('\n');
}

if (import.meta.main) {
  const pdf = buildInvoicePdf();
  const target = process.argv[2];
  if (target === undefined || target === '--base64') process.stdout.write(`${wrapBase64(pdf)}\n`);
  else writeFileSync(target, pdf);
}
