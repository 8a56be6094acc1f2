/**
 * Amounts as spreadsheets export them: "1.234,56" (German, decimal comma), "1,234.56" (English),
 * "1 234,56", "1'234.56", "€ 1.234,56", "1234.56 EUR". The decimal mark is decided once per file
 * from the values that give it away, then every value is read with it. Pure.
 */

export type DecimalMark = ',' | '.';

const SYMBOLS: Record<string, string> = {
  '€': 'EUR',
  $: 'USD',
  '£': 'GBP',
  '¥': 'JPY',
  CHF: 'CHF',
  'Fr.': 'CHF',
};

/** Splits a currency symbol or ISO code off an amount cell. */
export function splitCurrency(cell: string): { number: string; currency: string | null } {
  let s = cell.replace(/\u00a0/g, ' ').trim();
  let currency: string | null = null;
  const code = /^([A-Z]{3})\s*(?=[\d-])|(?<=\d)\s*([A-Z]{3})$/.exec(s);
  if (code) {
    currency = code[1] ?? code[2]!;
    s = s.replace(code[0], '').trim();
  }
  for (const [sym, iso] of Object.entries(SYMBOLS)) {
    if (s.startsWith(sym) || s.endsWith(sym)) {
      currency ??= iso;
      s = (s.startsWith(sym) ? s.slice(sym.length) : s.slice(0, -sym.length)).trim();
    }
  }
  return { number: s, currency };
}

/** What one value says about the decimal mark, if anything ("1.000" says nothing). */
function vote(n: string): DecimalMark | null {
  if (/^-?[\d.' ]*\d,\d{1,2}$/.test(n) || /\.\d{3},\d+$/.test(n)) return ',';
  if (/^-?[\d,' ]*\d\.\d{1,2}$/.test(n) || /,\d{3}\.\d+$/.test(n)) return '.';
  return null;
}

/** The file's decimal mark: the majority of telling values; with none, `fallback`. */
export function detectDecimalMark(cells: string[], fallback: DecimalMark): DecimalMark {
  let comma = 0;
  let point = 0;
  for (const c of cells) {
    const v = vote(splitCurrency(c).number);
    if (v === ',') comma++;
    else if (v === '.') point++;
  }
  if (comma === point) return fallback;
  return comma > point ? ',' : '.';
}

/**
 * Reads one number with the file's decimal mark; null when it does not fit the format (the
 * caller reports the line). Thousands groups must be groups of three.
 */
export function parseDecimal(n: string, mark: DecimalMark): number | null {
  const s = n.trim();
  const group = mark === ',' ? "[.' ]" : "[,' ]";
  const dec = mark === ',' ? ',' : '\\.';
  const re = new RegExp(`^(-?)(\\d{1,3}(?:${group}\\d{3})+|\\d+)(?:${dec}(\\d+))?$`);
  const m = re.exec(s);
  if (!m) return null;
  const value = Number(`${m[1]}${m[2]!.replace(/\D/g, '')}.${m[3] ?? '0'}`);
  return Number.isFinite(value) ? value : null;
}
