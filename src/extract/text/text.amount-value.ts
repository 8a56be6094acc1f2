/**
 * Reads the amount that belongs to an amount label: the first amount after it, stepping over what
 * may sit between a label and its amount (a currency, "incl. VAT", a rate "19 %", a basis "on
 * $ 112.90", a date "due on August 3, 2014") and nothing else. A label followed by other words
 * ("Gesamtbetrag der Zuschläge") or by a row of several numbers (a table's "Total" row with
 * quantity, price and tax) yields nothing, because which number is meant is a guess. Pure.
 */
import { findDates } from './text.dates.ts';
import { fold } from './text.lines.ts';
import type { Doc, Parser } from './text.model.ts';
import { type AmountToken, findAmounts } from './text.numbers.ts';

export interface LabeledAmount {
  value: number;
  /** Currency written next to the amount (ISO, or `USD?` for a bare dollar sign). */
  currency: string | null;
  /** Numbers that followed on the same line with nothing in between: 1 means "basis, tax" rows. */
  extra: number;
  /** The last number of that run (the tax of a "basis, tax" row). */
  last: number;
  /** Written like money: with decimals or a currency, not a bare "1". */
  money: boolean;
}

/** Words that may stand between a label and its amount. */
const FILLER =
  /^(?:in|en|incl|inkl|excl|exkl|including|inclusive|inclusief|ttc|brutto|gross|eur|usd|gbp|chf|pln|inr|euro|euros|due|on|am|le|op|el|the|payable|rs|zl|vat|tax|gst|mwst|ust|tva|btw|iva)$/;
/** Words after which an amount is a basis, not the value ("Tax 15% on $ 112.90"). */
const BASIS = /(?:^|[^a-z])(?:on|auf|sur|op|sobre|von|base|basis|from)\s*$/;

function gapOk(gap: string): boolean {
  const words = fold(gap)
    .replace(/[€$£₹%():*#=.,'’/\s-]+/g, ' ')
    .trim();
  if (words === '') return true;
  return words.split(' ').every((w) => FILLER.test(w));
}

function withoutDates(text: string, doc: Doc): string {
  let out = text;
  for (const d of findDates(text, doc.order))
    out = out.slice(0, d.start) + ' '.repeat(d.end - d.start) + out.slice(d.end);
  return out;
}

/**
 * A parser for `findLabeled`: the amount after a label, or null. Rows of several numbers come
 * back with `extra` set (tax lines "USt. 19 % 198,00 37,62": basis then tax); the caller decides.
 */
export function amountAfterLabel(doc: Doc): Parser<LabeledAmount> {
  return (text: string) => {
    const clean = withoutDates(text, doc);
    const tokens = findAmounts(clean, doc.habit, doc.spaceGroups);
    let from = 0;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i] as AmountToken;
      const gap = clean.slice(from, t.start);
      if (!gapOk(gap)) return null;
      from = t.end;
      if (t.percent) continue;
      if (BASIS.test(fold(clean.slice(0, t.start)))) continue;
      let extra = 0;
      let last = t.value;
      let end = t.end;
      for (let j = i + 1; j < tokens.length; j++) {
        const next = tokens[j] as AmountToken;
        if (/[a-z]/i.test(clean.slice(end, next.start).replace(/\b(?:EUR|USD|GBP|CHF|PLN|INR)\b/g, '')))
          break;
        if (!next.percent) {
          extra++;
          last = next.value;
        }
        end = next.end;
      }
      const tail = /^\s*(?:ttc|brutto|gross|\*+)?\s*/i.exec(text.slice(t.end))?.[0].length ?? 0;
      return {
        value: {
          value: t.value,
          currency: t.currency,
          extra,
          last,
          money: t.decimals > 0 || t.currency !== null,
        },
        length: t.end + tail,
      };
    }
    return null;
  };
}
