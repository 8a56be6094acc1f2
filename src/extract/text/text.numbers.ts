/**
 * Amounts as invoices write them: `1,190.00`, `1.190,00`, `1 190,00` (French, also with a narrow
 * no-break space), `1'190.00` and `CHF 1’190.–` (Swiss), `-8,79`, `(8.79)`, `8,79-`. Which mark is
 * the decimal one is decided per number where the number itself says so, and from the document's
 * habit where it does not ("1,190" is 1190 in an English invoice and 1.19 in a German one). Pure.
 */

export type DecimalMark = ',' | '.';

export interface AmountToken {
  value: number;
  /** Span in the text, sign and currency included. */
  start: number;
  end: number;
  /** ISO code of a currency written right next to the number, null when none is. */
  currency: string | null;
  /** The number is a percentage ("19 %"), a rate rather than an amount. */
  percent: boolean;
  /** Digits after the decimal mark; 0 for whole numbers. */
  decimals: number;
}

/** Currency marks written next to amounts, mapped to ISO 4217; `$` alone is settled by `text.currency.ts`. */
const SYMBOL_CODES: Record<string, string> = {
  '€': 'EUR',
  '£': 'GBP',
  '₹': 'INR',
  zł: 'PLN',
  rs: 'INR',
  'rs.': 'INR',
  $: 'USD?',
  us$: 'USD',
};
/** A closed list, so that "the ACME invoices" is not read as a currency. */
export const ISO_CODES = new Set(
  'EUR USD GBP CHF PLN INR JPY CNY CAD AUD NZD SEK NOK DKK CZK HUF RON BGN HKD SGD BRL MXN ZAR TRY ILS AED'.split(
    ' ',
  ),
);

const BEFORE = /(?:\b([A-Z]{3})|(US\$|€|\$|£|₹|\bRs\.?|\bzł))\s?$/i;
const AFTER = /^\s?(?:([A-Z]{3})\b|(€|\$|£|₹|zł))/i;

function coreRegex(spaceGroups: boolean): RegExp {
  const group = spaceGroups ? `[.,'’ ]` : `[.,'’]`;
  // Not glued to letters, other digits or a date's separators, so "A4", "05.03.2018" and
  // "2018-03-05" yield no amounts; the decimal part is 1–4 digits or a Swiss ".–".
  return new RegExp(
    `(?<![\\w.,'’/])(?<!\\d[-–])(\\d{1,3}(?:${group}\\d{3})+|\\d+)(?:([.,])(\\d{1,4}|[-–]{1,2}(?!\\d)))?(?![\\w'’]|[.,/:-]\\d)`,
    'g',
  );
}
const CORE = coreRegex(false);
const CORE_SPACED = coreRegex(true);

/** Reads the integer part and decimals; null when the grouping is inconsistent or the marks ambiguous. */
function toNumber(
  int: string,
  mark: string | undefined,
  frac: string | undefined,
  habit: DecimalMark | null,
) {
  const seps = int.replace(/\d/g, '');
  if (seps !== '' && new Set(seps).size > 1) return null;
  const groupSep = seps[0];
  if (mark !== undefined && frac !== undefined) {
    if (/^[-–]+$/.test(frac)) return { value: Number(int.replace(/\D/g, '')), decimals: 0 };
    if (groupSep === mark) {
      // "1.190.000" read as groups only; "1.190" (one mark, three digits) is the ambiguous case.
      if (frac.length !== 3) return null;
      return { value: Number(int.replace(/\D/g, '') + frac), decimals: 0 };
    }
    if (groupSep === undefined && frac.length === 3 && !int.startsWith('0')) {
      if (habit === null) return null;
      if (habit !== mark) return { value: Number(int + frac), decimals: 0 };
    }
    return { value: Number(`${int.replace(/\D/g, '')}.${frac}`), decimals: frac.length };
  }
  if (seps.length === 1 && groupSep !== "'" && groupSep !== '’' && groupSep !== ' ') {
    // "1,190" / "0,025": one mark before three digits is a decimal mark when the number starts with
    // 0 or the document writes decimals that way; unknown habit leaves it unread.
    const [head = '', tail = ''] = int.split(groupSep ?? '');
    if (head === '0' || habit === groupSep) return { value: Number(`${head}.${tail}`), decimals: 3 };
    if (habit === null) return null;
  }
  return { value: Number(int.replace(/\D/g, '')), decimals: 0 };
}

/**
 * Every amount in `text`, left to right. `habit` is the document's decimal mark (null: unknown, and
 * then "1,190" is no amount at all); `spaceGroups` allows "1 190,00" — only where the document's
 * language writes numbers that way, since a table row "1 278.61" is a quantity and a price.
 */
export function findAmounts(text: string, habit: DecimalMark | null, spaceGroups = false): AmountToken[] {
  const out: AmountToken[] = [];
  const re = spaceGroups ? CORE_SPACED : CORE;
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const parsed = toNumber(m[1] ?? '', m[2], m[3], habit);
    if (parsed === null || !Number.isFinite(parsed.value)) continue;
    let start = m.index;
    let end = m.index + m[0].length;
    let negative = false;
    let currency: string | null = null;
    const left = text.slice(Math.max(0, start - 8), start);
    const leftSign = /(?:^|[\s(:])[-−]\s?$/.exec(left) ?? /[-−]$/.exec(left);
    if (leftSign) {
      negative = true;
      start -= leftSign[0].replace(/^[\s(:]/, '').length;
    }
    const before = BEFORE.exec(text.slice(Math.max(0, start - 6), start));
    if (before) {
      const code = normaliseCurrency(before[1] ?? before[2] ?? '');
      if (code !== null) {
        currency = code;
        start -= before[0].length;
        const signBefore = /[-−]\s?$/.exec(text.slice(Math.max(0, start - 2), start));
        if (signBefore && !negative) {
          negative = true;
          start -= signBefore[0].length;
        }
      }
    }
    const rest = text.slice(end, end + 6);
    const trailing = /^-(?![\d\w])/.exec(rest);
    if (trailing) {
      negative = true;
      end += 1;
    }
    const after = AFTER.exec(text.slice(end, end + 5));
    if (after && currency === null) {
      const code = normaliseCurrency(after[1] ?? after[2] ?? '');
      if (code !== null) {
        currency = code;
        end += after[0].length;
      }
    }
    const pct = /^\s?%/.exec(text.slice(end, end + 3));
    if (pct) end += pct[0].length;
    // Accounting negatives "(8.79)" carry decimals; "(380)" is a code in brackets.
    if (text[start - 1] === '(' && text[end] === ')' && parsed.decimals > 0) {
      negative = true;
      start -= 1;
      end += 1;
    }
    const value = negative ? -parsed.value : parsed.value;
    out.push({ value, start, end, currency, percent: pct !== null, decimals: parsed.decimals });
  }
  return out;
}

/** ISO code for a written currency mark, `USD?` for a bare dollar sign, null for anything else. */
export function normaliseCurrency(mark: string): string | null {
  const lower = mark.toLowerCase();
  const symbol = SYMBOL_CODES[lower];
  if (symbol !== undefined) return symbol;
  const upper = mark.toUpperCase();
  return mark === upper && ISO_CODES.has(upper) ? upper : null;
}

/**
 * The document's decimal mark, from the numbers that say it themselves: two decimals after the last
 * mark ("12,50", "1.190,00") or a mark used twice for thousands. Null when the document does not say.
 */
export function decimalHabit(texts: string[]): DecimalMark | null {
  let comma = 0;
  let dot = 0;
  const re = /(?<![\d.,])\d{1,3}(?:([.,'’ ])\d{3})*([.,])\d{2}(?![\d.,]|[-/]\d)/g;
  for (const text of texts) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      if (m[1] !== undefined && m[1] === m[2]) continue;
      if (m[2] === ',') comma++;
      else dot++;
    }
  }
  if (comma === dot) return null;
  return comma > dot ? ',' : '.';
}

/** Parses one whole string as an amount ("1.190,00 €"); null unless the string is exactly one amount. */
export function parseAmount(text: string, habit: DecimalMark | null, spaceGroups = false): number | null {
  const trimmed = text.trim();
  const found = findAmounts(trimmed, habit, spaceGroups).filter((a) => !a.percent);
  if (found.length !== 1) return null;
  const only = found[0]!;
  return only.start === 0 && only.end === trimmed.length ? only.value : null;
}
