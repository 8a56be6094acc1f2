/**
 * The ISO 4217 currency a receipt is in, from the signs and codes it prints. A bare "$" is used
 * by a dozen currencies: it is read as USD only when nothing else on the receipt says otherwise,
 * and the caller is told so. Pure.
 */

export interface CurrencyPick {
  code: string;
  /** What was printed: "RM", "€", "$". */
  mark: string;
  confidence: number;
  warning: string | null;
}

const CODES: Record<string, string> = {
  RM: 'MYR',
  MYR: 'MYR',
  EUR: 'EUR',
  '€': 'EUR',
  GBP: 'GBP',
  '£': 'GBP',
  USD: 'USD',
  US$: 'USD',
  SGD: 'SGD',
  S$: 'SGD',
  AUD: 'AUD',
  A$: 'AUD',
  CAD: 'CAD',
  C$: 'CAD',
  NZD: 'NZD',
  CHF: 'CHF',
  INR: 'INR',
  '₹': 'INR',
  JPY: 'JPY',
  CNY: 'CNY',
  HKD: 'HKD',
  SEK: 'SEK',
  NOK: 'NOK',
  DKK: 'DKK',
  PLN: 'PLN',
};

const MARKS =
  /(?<![A-Za-z])(US\$|S\$|A\$|C\$|RM|MYR|EUR|GBP|USD|SGD|AUD|CAD|NZD|CHF|INR|JPY|CNY|HKD|SEK|NOK|DKK|PLN)(?![A-Za-z])|([€£₹$])/g;

/**
 * The currency of `text`; `preferred` is the mark printed next to the chosen total, which
 * settles a receipt that shows more than one. Null when none is printed or they conflict.
 */
export function pickCurrency(text: string, preferred: string | null): CurrencyPick | null {
  const seen = new Map<string, string>();
  for (const m of text.matchAll(MARKS)) {
    const mark = (m[1] ?? m[2])!.toUpperCase();
    const code = mark === '$' ? '$' : CODES[mark];
    if (code && !seen.has(code)) seen.set(code, mark);
  }
  const prefCode = preferred ? (preferred === '$' ? '$' : CODES[preferred.toUpperCase()]) : undefined;
  const explicit = [...seen.keys()].filter((c) => c !== '$');
  if (prefCode && prefCode !== '$')
    return { code: prefCode, mark: preferred!, confidence: 0.9, warning: null };
  if (explicit.length === 1)
    return { code: explicit[0]!, mark: seen.get(explicit[0]!)!, confidence: 0.85, warning: null };
  if (explicit.length > 1) return null;
  if (seen.has('$')) {
    return { code: 'USD', mark: '$', confidence: 0.6, warning: 'currency: "$" alone read as USD' };
  }
  return null;
}
