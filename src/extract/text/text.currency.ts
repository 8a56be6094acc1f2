/**
 * The document's currency. In order: a currency label ("Währung: EUR", "Beträge in EUR", "All
 * charges are in US Dollars"); the mark written next to the total; the marks written next to the
 * document's amounts, when they agree. `€` is EUR, `£` GBP, `₹`/`Rs` INR, `zł` PLN; a bare `$` is
 * USD only when something else in the document says so (USD, "US dollars", a US address) —
 * otherwise it could be Canadian, Australian or another dollar, and stays unread. Pure.
 */
import type { Line } from './text.lines.ts';
import type { Doc, Found } from './text.model.ts';
import { findAmounts, ISO_CODES } from './text.numbers.ts';

const LABEL =
  /(?<![a-z])(?:(?:rechnungs)?wahrung|currency|devise|monnaie|valuta|munteenheid|moneda|divisa|waluta|betrage\s+in|amounts?\s+in|montants?\s+en|bedragen\s+in|importes\s+en)\s*[:.]?\s*\(?([a-z]{3})\b/;
const WORDS: Array<[RegExp, string]> = [
  [/\bus[ -]?dollars?\b/, 'USD'],
  [/\beuros?\b/, 'EUR'],
  [/\bpounds?\s+sterling\b/, 'GBP'],
  [/\bswiss\s+francs?\b|\bschweizer\s+franken\b/, 'CHF'],
  [/\bindian\s+rupees?\b/, 'INR'],
];

export interface CurrencyResult {
  currency: Found<string> | null;
  warnings: string[];
}

function labelled(doc: Doc): Found<string> | null {
  for (const line of doc.lines) {
    const folded = doc.folded[line.index] ?? '';
    const m = LABEL.exec(folded);
    const code = m?.[1]?.toUpperCase();
    if (code && ISO_CODES.has(code)) return { value: code, line, confidence: 0.95 };
    for (const [re, iso] of WORDS) {
      if (
        /(?:in|en)\s/.test(folded) &&
        re.test(folded) &&
        /(?:prices?|charges?|amounts?|betrage|montants)/.test(folded)
      ) {
        return { value: iso, line, confidence: 0.9 };
      }
    }
  }
  return null;
}

const STATES =
  'AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC';
/**
 * USD named, "US dollars", the United States, or a US address ("Seattle, WA 98109", "Fremont CA
 * 94538"). "DE 80333 München" is a German postcode, not Delaware: without a comma before it, DE
 * does not count.
 */
export const US_EVIDENCE = new RegExp(
  `\\bUSD\\b|US\\$|US[ -]?Dollars?|United States|\\bU\\.S\\.A\\.?|\\bUSA\\b|,\\s?(?:${STATES})\\s\\d{5}(?:-\\d{4})?\\b|\\b(?:${STATES.replace('DE|', '')})\\s\\d{5}(?:-\\d{4})?\\b`,
);

/** Says which dollar a bare `$` is: USD only with USD named, US dollars, or a US address. */
function dollarIsUsd(doc: Doc): Line | null {
  return doc.lines.find((line) => US_EVIDENCE.test(line.text)) ?? null;
}

/** `totalCurrency`/`totalLine`: the mark next to the chosen total, and its line. */
export function readCurrency(doc: Doc, totalCurrency: string | null, totalLine: Line | null): CurrencyResult {
  const warnings: string[] = [];
  const label = labelled(doc);
  if (label) return { currency: label, warnings };

  const counts = new Map<string, { n: number; line: Line }>();
  for (const line of doc.lines) {
    for (const a of findAmounts(line.text, doc.habit, doc.spaceGroups)) {
      if (a.currency === null || a.percent) continue;
      const seen = counts.get(a.currency);
      counts.set(a.currency, { n: (seen?.n ?? 0) + 1, line: seen?.line ?? line });
    }
  }
  let code: string | null = totalCurrency;
  let line: Line | null = totalCurrency !== null ? totalLine : null;
  let confidence = 0.9;
  if (code === null) {
    const sorted = [...counts.entries()].sort((a, b) => b[1].n - a[1].n);
    const [first, second] = sorted;
    if (!first) {
      warnings.push('currency not found');
      return { currency: null, warnings };
    }
    if (
      second &&
      second[0] !== first[0] &&
      second[1].n * 2 > first[1].n &&
      !(first[0] === 'USD' && second[0] === 'USD?') &&
      !(first[0] === 'USD?' && second[0] === 'USD')
    ) {
      warnings.push(`several currencies near amounts (${first[0]}, ${second[0]}); currency not chosen`);
      return { currency: null, warnings };
    }
    code = first[0];
    line = first[1].line;
    confidence = 0.85;
  }
  if (code === 'USD?') {
    const usd = counts.has('USD') ? null : dollarIsUsd(doc);
    if (counts.has('USD'))
      return { currency: { value: 'USD', line: line ?? doc.lines[0]!, confidence: 0.85 }, warnings };
    if (usd === null) {
      warnings.push('amounts in $ but nothing says which dollar; currency not chosen');
      return { currency: null, warnings };
    }
    return {
      currency: { value: 'USD', line: usd, confidence: 0.8, note: `$ read as USD: "${usd.text}"` },
      warnings,
    };
  }
  if (line === null) return { currency: null, warnings };
  return { currency: { value: code, line, confidence }, warnings };
}
