/**
 * Issue date and due date from their labels. The issue date also comes from the line that names
 * the document ("Facture n°562044387 du 02 Juillet 2015", "Nr. 471102 vom 05.03.2018"), and last
 * from a bare "Date:". A due date also sits under a "Fälligkeit"/"Due" column header. A date that
 * is written day/month-ambiguously in a document that does not settle the order is not read: the
 * field stays null and a warning says why. Pure.
 */
import { findDates } from './text.dates.ts';
import { findLabeled } from './text.labeled.ts';
import { DUE_DATE, ISSUE_DATE, PLAIN_DATE } from './text.labels.ts';
import type { Line } from './text.lines.ts';
import type { Doc, Found, Hit, Parser } from './text.model.ts';

/** A date value; `iso` null when the date was there but day and month could not be told apart. */
export interface DateValue {
  iso: string | null;
  raw: string;
}

const CONNECTOR = /^[\s:.,-]*(?:(?:du|vom|von|le|am|den|on|of|del|de|dated|issued\s+(?:at|on)|au)\s+)?/i;

export function dateParser(doc: Doc): Parser<DateValue> {
  return (text) => {
    const skip = CONNECTOR.exec(text)?.[0].length ?? 0;
    const rest = text.slice(skip);
    const first = findDates(rest.slice(0, 60), doc.order)[0];
    if (first?.start !== 0) return null;
    return { value: { iso: first.iso, raw: rest.slice(0, first.end) }, length: skip + first.end };
  };
}

function choose(
  hits: Array<Hit<DateValue>>,
  confidence: number,
  what: string,
  warnings: string[],
): Found<string> | null {
  const readable = hits.filter((h) => h.value.iso !== null);
  if (readable.length === 0) {
    const ambiguous = hits[0];
    if (ambiguous)
      warnings.push(`${what} "${ambiguous.value.raw}" is ambiguous (day/month order unknown); not read`);
    return null;
  }
  const counts = new Map<string, number>();
  for (const h of readable) counts.set(h.value.iso!, (counts.get(h.value.iso!) ?? 0) + 1);
  const top = [...readable].sort(
    (a, b) => (counts.get(b.value.iso!) ?? 0) - (counts.get(a.value.iso!) ?? 0),
  )[0]!;
  let c = confidence - (top.how === 'inline' ? 0 : 0.05);
  if (counts.size > 1) {
    warnings.push(`several ${what}s labelled (${[...counts.keys()].join(', ')}); the most repeated chosen`);
    c -= 0.2;
  }
  return { value: top.value.iso!, line: top.line, confidence: Math.round(c * 100) / 100 };
}

/** A discount clause's date ("3 % Skonto bei Zahlung bis …") is not the due date. */
const DISCOUNT = /skonto|escompte|discount|korting|descuento|rabatt/;

const CONNECTOR_WORD = /(?<![a-z])(?:vom|von|du|of|dated|issued(?:\s+(?:at|on))?|del|de)(?![a-z])/;

/**
 * The one date on the line naming the document ("Nr. 471102 vom 05.03.2018"), or on the next line
 * when the title ends with its connector ("… Nr. 471102 vom" / "05.03.2018").
 */
function titleDate(doc: Doc, index: number): { iso: string | null; raw: string; line: Line } | null {
  const line = doc.lines[index];
  const folded = doc.folded[index] ?? '';
  if (!line) return null;
  const dates = findDates(line.text, doc.order);
  if (dates.length === 1 && CONNECTOR_WORD.test(folded)) {
    const d = dates[0]!;
    return { iso: d.iso, raw: line.text.slice(d.start, d.end), line };
  }
  const next = doc.lines[index + 1];
  if (dates.length > 0 || !next) return null;
  // "… Nr. 471102 vom" / "05.03.2018", or "… Nr. 471102" / "vom 05.03.2018".
  const lead = new RegExp(`^${CONNECTOR_WORD.source}\\s*`).exec(doc.folded[next.index] ?? '');
  const ends = new RegExp(`${CONNECTOR_WORD.source}\\s*$`).test(folded);
  if (!ends && !lead) return null;
  const skip = ends ? 0 : (lead?.[0].length ?? 0);
  const d = findDates(next.text.slice(skip), doc.order)[0];
  return d && d.start === 0
    ? { iso: d.iso, raw: next.text.slice(skip + d.start, skip + d.end), line: next }
    : null;
}

/** `titleLine`: the line the invoice number was read from, whose date (after "vom", "du", "of") is the issue date. */
export function readIssueDate(
  doc: Doc,
  titleLine: number | null,
): { found: Found<string> | null; warnings: string[] } {
  const warnings: string[] = [];
  const parse = dateParser(doc);
  const labelled =
    choose(findLabeled(doc, ISSUE_DATE, parse), 0.92, 'issue date', warnings) ??
    choose(findLabeled(doc, ISSUE_DATE, parse, { anywhere: true }), 0.86, 'issue date', warnings);
  if (labelled) return { found: labelled, warnings };
  const title = titleLine === null ? null : titleDate(doc, titleLine);
  if (title?.iso)
    return {
      found: {
        value: title.iso,
        line: title.line,
        confidence: 0.85,
        note: 'date on the line naming the document',
      },
      warnings,
    };
  if (title) {
    warnings.push(`issue date "${title.raw}" is ambiguous (day/month order unknown); not read`);
    return { found: null, warnings };
  }
  // A bare "Date" heading a table column dates the first row, not the document.
  const plainHits = findLabeled(doc, PLAIN_DATE, parse).filter((h) => h.how !== 'column');
  const plain = choose(plainHits, 0.78, 'date', warnings);
  if (!plain && warnings.length === 0) warnings.push('issue date not found');
  return { found: plain, warnings };
}

/** Due date from a due-date label, or a lone date under a header row that has a due column. */
export function readDueDate(doc: Doc): { found: Found<string> | null; warnings: string[] } {
  const warnings: string[] = [];
  const parse = dateParser(doc);
  const labelled =
    choose(findLabeled(doc, DUE_DATE, parse), 0.9, 'due date', warnings) ??
    choose(
      findLabeled(doc, DUE_DATE, parse, { anywhere: true }).filter(
        (h) => !DISCOUNT.test(doc.folded[h.labelLine.index] ?? ''),
      ),
      0.84,
      'due date',
      warnings,
    );
  if (labelled) return { found: labelled, warnings };
  const re = new RegExp(DUE_DATE.source);
  for (const line of doc.lines) {
    const folded = doc.folded[line.index] ?? '';
    if (/\d/.test(folded) || folded.split(/\s+/).length > 6 || !re.test(folded)) continue;
    const next = doc.lines[line.index + 1];
    if (!next || next.page !== line.page) continue;
    const value = parse(next.text);
    if (value && value.length === next.text.length && value.value.iso) {
      return {
        found: { value: value.value.iso, line: next, confidence: 0.75, note: `under "${line.text}"` },
        warnings,
      };
    }
  }
  return { found: debitDate(doc), warnings };
}

const DEBIT =
  /abgebucht|abbuchen|eingezogen|von\s*ihrem\s*konto|debited|will\s*debit|from\s*your\s*account|preleve|prelevement|de\s*votre\s*compte|geincasseerd|afgeschreven|van\s*uw\s*rekening|se\s*cargara|de\s*su\s*cuenta|domiciliad/;

/** "Der Betrag … wird am 20.03.2014 von Ihrem Konto abgebucht": for a direct debit, the debit date is the due date. */
function debitDate(doc: Doc): Found<string> | null {
  for (const line of doc.lines) {
    const folded = doc.folded[line.index] ?? '';
    if (!DEBIT.test(`${folded} ${doc.folded[line.index + 1] ?? ''}`)) continue;
    for (const d of findDates(line.text, doc.order)) {
      if (d.iso && /(?<![a-z])(?:am|on|le|op|el)\s*$/.test(folded.slice(0, d.start))) {
        return { value: d.iso, line, confidence: 0.75, note: 'direct debit date' };
      }
    }
  }
  return null;
}
