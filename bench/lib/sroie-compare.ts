/**
 * How an extracted receipt is compared with a SROIE label (../shared/corpora/README.md §11).
 * Written apart from the extractor's own parsers on purpose, so a bug there cannot make a wrong
 * answer agree with a label.
 *
 * - total: the label is a number as printed, sometimes with "RM" or "$" ("RM 15.40", "$8.20");
 *   everything but digits, "." and "-" is dropped, then compared at ±0.01. Empty labels are not
 *   scored.
 * - date: the label is in the receipt's own format ("25/12/2018", "05-AUG-2017", "20180428",
 *   "12/13/2016"); it is read into a calendar date (day first unless only month first is
 *   valid — these are Malaysian receipts) and compared with the extracted ISO date.
 * - company: both names upper-cased with everything but letters and digits removed. "exact"
 *   requires equality; "fuzzy" a similarity of at least 0.8 (1 − Levenshtein distance / longer
 *   length), which forgives an OCR-misread letter or two but not a different name.
 */

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

export function labelTotal(label: string): number | null {
  const cleaned = label.replace(/[^0-9.-]/g, '');
  return cleaned && Number.isFinite(Number(cleaned)) ? Number(cleaned) : null;
}

function iso(y: number, m: number, d: number): string | null {
  if (m < 1 || m > 12 || d < 1 || d > 31) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export function labelDate(label: string): string | null {
  const s = label.trim().toUpperCase();
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) return iso(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})[\s/-]([A-Z]{3})[A-Z]*[\s/-](\d{2,4})$/.exec(s);
  if (m) return iso(year(m[3]!), MONTHS.indexOf(m[2]!) + 1, Number(m[1]));
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})$/.exec(s);
  if (!m) return null;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return b > 12 ? iso(year(m[3]!), a, b) : iso(year(m[3]!), b, a);
}

const year = (y: string) => (y.length === 2 ? 2000 + Number(y) : Number(y));

export const normCompany = (s: string | null): string => (s ?? '').toUpperCase().replace(/[^A-Z0-9]/g, '');

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

export function companySimilarity(got: string | null, want: string): number {
  const [a, b] = [normCompany(got), normCompany(want)];
  if (!a || !b) return 0;
  return 1 - levenshtein(a, b) / Math.max(a.length, b.length);
}

export interface SroieLabel {
  company: string;
  date: string;
  total: string;
}

export interface Extracted {
  vendor: { name: string | null };
  issueDate: string | null;
  total: number | null;
}

/** Per-field verdicts for one receipt; a field whose label is unusable is `undefined` (not scored). */
export function compareReceipt(got: Extracted, want: SroieLabel): Record<string, boolean | undefined> {
  const total = labelTotal(want.total);
  const date = labelDate(want.date);
  return {
    total: total === null ? undefined : got.total !== null && Math.abs(got.total - total) < 0.011,
    date: date === null ? undefined : got.issueDate === date,
    company: companySimilarity(got.vendor.name, want.company) >= 0.8,
    'company (exact)': normCompany(got.vendor.name) === normCompany(want.company),
  };
}
