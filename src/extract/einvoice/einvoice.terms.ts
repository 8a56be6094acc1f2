/**
 * A due date from the payment-terms text, for e-invoices that state it only in words
 * ("Zahlbar innerhalb 30 Tagen netto bis 04.04.2018, 3% Skonto innerhalb 10 Tagen bis
 * 15.03.2018"). Only when unambiguous: discount (Skonto/escompte) clauses are set aside, the
 * rest must speak of payment or due dates and name exactly one date, or exactly one number of
 * days (resolved from the issue date), and when it names both they must agree. A date before
 * the issue date, a day/month order that could be either, or days counted from receipt give
 * null. Pure.
 */
import { addDays } from './einvoice.values.ts';

export interface TermsDueDate {
  date: string;
  /** The clause the date was read from, as written. */
  clause: string;
}

const DISCOUNT = /skonto|discount|escompte|remise|korting|descuento|sconto|rabatt/i;
const DUE_WORDS =
  /zahlbar|fällig|zahlung|due|pay|net|bis|until|by|before|échéance|payable|paiement|règlement|avant|le\s+\d|betal|vóór|voor|uiterlijk|vencimiento|pago|pagadero|antes/i;
/** "14 Tage nach Erhalt": counted from a day we do not know, so not resolved. */
const FROM_RECEIPT = /erhalt|eingang|receipt|réception|ontvangst|recepción|recibo/i;
const IMMEDIATE =
  /\b(sofort|immediately|upon receipt|on receipt|à réception|dès réception|onmiddellijk|al contado)\b/i;
const DAYS =
  /(?:\bnet(?:to)?\s*(\d{1,3})\b)|(?:\b(\d{1,3})\s*(?:tage|tagen|days?|jours|dagen|días|dias|giorni)\b)/gi;

/** dd.mm.yyyy (day first, as everywhere dots are used), yyyy-mm-dd, and dd/mm/yyyy when not ambiguous. */
function datesIn(clause: string): string[] {
  const found: string[] = [];
  const day = (y: number, m: number, d: number) => {
    const iso = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    const check = new Date(`${iso}T00:00:00Z`);
    return check.getUTCMonth() === m - 1 && check.getUTCDate() === d ? iso : null;
  };
  for (const m of clause.matchAll(/\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b/g)) {
    found.push(day(Number(m[3]), Number(m[2]), Number(m[1])) ?? 'invalid');
  }
  for (const m of clause.matchAll(/\b(\d{4})-(\d{2})-(\d{2})\b/g)) {
    found.push(day(Number(m[1]), Number(m[2]), Number(m[3])) ?? 'invalid');
  }
  for (const m of clause.matchAll(/\b(\d{1,2})\/(\d{1,2})\/(\d{4})\b/g)) {
    const [a, b, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
    // 03/04/2024 is 3 April in Europe and 4 March in the US: refuse rather than guess.
    found.push(a <= 12 && b <= 12 && a !== b ? 'ambiguous' : (day(y, b, a) ?? day(y, a, b) ?? 'invalid'));
  }
  return found;
}

function clausesOf(terms: string): string[] {
  return terms
    .split(/\n|;|,\s|\.\s/)
    .map((c) => c.trim())
    .filter((c) => c !== '');
}

/** The due date the terms state, or null when they state none or more than one. */
export function dueDateFromTerms(terms: string, issueDate: string | null): TermsDueDate | null {
  const dates = new Map<string, string>();
  const days = new Map<number, string>();
  let immediate: string | null = null;
  let saysDue = false;
  // Every non-discount clause counts, with or without a due word: "Fälligkeiten 01.07.2014,
  // 01.10.2014" names two dates even though the second clause is a bare date.
  for (const clause of clausesOf(terms)) {
    if (DISCOUNT.test(clause)) continue;
    saysDue ||= DUE_WORDS.test(clause);
    for (const date of datesIn(clause)) dates.set(date, clause);
    if (!FROM_RECEIPT.test(clause))
      for (const m of clause.matchAll(DAYS)) days.set(Number(m[1] ?? m[2]), clause);
    if (IMMEDIATE.test(clause)) immediate ??= clause;
  }
  if (!saysDue || dates.has('ambiguous') || dates.has('invalid') || dates.size > 1 || days.size > 1)
    return null;
  const fromDays =
    issueDate && days.size === 1
      ? { date: addDays(issueDate, [...days.keys()][0]!), clause: [...days.values()][0]! }
      : null;
  const [explicit] = [...dates.entries()].map(([date, clause]) => ({ date, clause }));
  if (explicit) {
    if (fromDays && fromDays.date !== explicit.date) return null;
    if (issueDate && explicit.date < issueDate) return null;
    return explicit;
  }
  if (fromDays) return fromDays;
  return immediate && issueDate ? { date: issueDate, clause: immediate } : null;
}
