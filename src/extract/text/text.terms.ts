/**
 * Payment terms, kept as written ("Net 30", "Zahlbar innerhalb 14 Tagen netto", "30 jours fin de
 * mois"), and the due date they state or imply. A date the terms name ("netto bis 04.04.2018",
 * "please remit until 2019-07-01") is read as is; a number of days is added to the issue date;
 * "sofort"/"à réception"/"upon receipt" is the issue date itself. Discount clauses ("3 % Skonto
 * innerhalb 10 Tagen") are not terms of payment and are skipped. Pure.
 */
import { findDates } from './text.dates.ts';
import { findLabeled } from './text.labeled.ts';
import { labels } from './text.labels.ts';
import { fold, type Line } from './text.lines.ts';
import type { Doc, Found } from './text.model.ts';

const TERMS_LABEL = labels(
  `payment\\s*terms?`,
  `terms(?:\\s*of\\s*payment)?`,
  `zahlungsbedingung(?:en)?`,
  `zahlungsziel`,
  `zahlungsfrist`,
  `conditions?\\s*de\\s*(?:paiement|reglement)`,
  `modalites\\s*de\\s*paiement`,
  `betalingsvoorwaarden`,
  `betalingstermijn`,
  `condiciones\\s*de\\s*pago`,
  `forma\\s*de\\s*pago`,
  `plazo\\s*de\\s*pago`,
);

/** Phrases that are payment terms wherever they stand. */
const TERMS_PHRASE =
  /(?<![a-z])(?:net\s*\d{1,3}|\d{1,3}\s*days?\s*net|(?:due|payable)\s*(?:within|in)\s*\d{1,3}\s*days|zahlbar\s*(?:innerhalb|binnen|sofort|bis)|\d{1,3}\s*tage\s*(?:netto|rein\s*netto|ohne\s*abzug)|\d{1,3}\s*jours\s*(?:fin\s*de\s*mois|net)|paiement\s*(?:a\s*\d{1,3}\s*jours|a\s*reception|immediat|comptant)|binnen\s*\d{1,3}\s*dagen|(?:pago|vencimiento)\s*a\s*\d{1,3}\s*dias|(?:uberweis|zahl|remit|pay|regl|betal|pag)[a-z]*\s.{0,40}?(?:bis\s*(?:zum|spatestens)?|until|before|avant\s*le|voor|antes\s*del?)\s*\d)/;

const DISCOUNT = /skonto|escompte|discount|korting|descuento|rabatt|remise/;
const IMMEDIATE =
  /zahlbar\s*sofort|sofort\s*(?:fallig|zahlbar)|(?:due|payable)\s*(?:on|upon)\s*receipt|payable\s*immediately|a\s*reception|paiement\s*(?:immediat|comptant)|au\s*comptant|direct\s*betalen|per\s*direct|al\s*contado|pago\s*inmediato/;
const UNTIL =
  /(?:bis\s*(?:zum|spatestens)?|until|by|before|avant\s*le|au\s*plus\s*tard\s*le|voor|uiterlijk(?:\s*op)?|antes\s*del?|hasta\s*el)\s*$/;
/** "30 days", "14 Tagen", "30 jours (fin de mois)", "14 dagen", "30 días", and "Net 30" without a unit. */
const DAYS =
  /(?:(?:net|netto|within|in|innerhalb(?:\s*von)?|binnen|a|à|en|solde\s*a|plazo\s*de)?\s*(\d{1,3})\s*(?:days?|tagen?|tage|jours|j|dagen|dias)(?![a-z])|(?<![a-z])net\s*(\d{1,3})(?![\d.,%]))(\s*(?:fin\s*de\s*mois|end\s*of\s*month|monatsende))?/;

export interface Terms {
  paymentTerms: Found<string> | null;
  /** Due date stated in the terms, or computed from them and the issue date. */
  dueDate: Found<string> | null;
  warnings: string[];
}

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function endOfMonth(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).toISOString().slice(0, 10);
}

/** The terms text: a labelled value, else the first line holding a terms phrase. */
function termsText(doc: Doc): { text: string; line: Line } | null {
  const hits = findLabeled(doc, TERMS_LABEL, (t) => {
    const v = t.trim();
    return v.length >= 2 && /[a-z0-9]/i.test(v) && !/^(?:beschreibung|description)/i.test(v)
      ? { value: v, length: t.length }
      : null;
  });
  const hit = hits.find((h) => TERMS_PHRASE.test(fold(h.value)) || DAYS.test(fold(h.value))) ?? hits[0];
  if (hit) return { text: hit.value, line: hit.line };
  for (const line of doc.lines) {
    let folded = doc.folded[line.index] ?? '';
    let text = line.text;
    // "… überweisen Sie bitte bis zum" / "21.11.2018 auf das …": the sentence goes on below.
    const next = doc.lines[line.index + 1];
    if (next && UNTIL.test(folded)) {
      folded = `${folded} ${doc.folded[next.index] ?? ''}`;
      text = `${text} ${next.text}`;
    }
    if (TERMS_PHRASE.test(folded) || IMMEDIATE.test(folded)) return { text, line };
  }
  return null;
}

export function readTerms(doc: Doc, issueDate: string | null): Terms {
  const warnings: string[] = [];
  const terms = termsText(doc);
  if (!terms) return { paymentTerms: null, dueDate: null, warnings };
  const paymentTerms: Found<string> = {
    value: terms.text.replace(/\s+/g, ' ').trim(),
    line: terms.line,
    confidence: 0.85,
  };
  const clauses = terms.text.split(/[,;]|\s(?:und|and|et|en|y)\s/i).filter((c) => !DISCOUNT.test(fold(c)));
  for (const clause of clauses) {
    const lower = fold(clause);
    for (const d of findDates(clause, doc.order)) {
      if (d.iso && UNTIL.test(lower.slice(0, d.start))) {
        return {
          paymentTerms,
          dueDate: {
            value: d.iso,
            line: terms.line,
            confidence: 0.88,
            note: 'date named in the payment terms',
          },
          warnings,
        };
      }
    }
  }
  const folded = fold(clauses.join(','));
  if (IMMEDIATE.test(folded)) {
    if (issueDate === null)
      return {
        paymentTerms,
        dueDate: null,
        warnings: ['payment is due immediately but the issue date is unknown'],
      };
    return {
      paymentTerms,
      dueDate: { value: issueDate, line: terms.line, confidence: 0.8, note: 'due on receipt' },
      warnings,
    };
  }
  const days = DAYS.exec(folded);
  if (!days) return { paymentTerms, dueDate: null, warnings };
  if (issueDate === null) {
    warnings.push('payment terms found but the issue date is unknown; due date not computed');
    return { paymentTerms, dueDate: null, warnings };
  }
  const n = Number(days[1] ?? days[2]);
  if (n > 365) return { paymentTerms, dueDate: null, warnings };
  let due = addDays(issueDate, n);
  let note = `issue date + ${n} days`;
  if (days[3]) {
    // "30 jours fin de mois": the common reading adds the days, then goes to the end of that month.
    due = endOfMonth(due);
    note = `issue date + ${n} days, then end of month`;
    warnings.push(`due date from "${days[0].trim()}" computed as issue date + ${n} days, then end of month`);
  }
  return { paymentTerms, dueDate: { value: due, line: terms.line, confidence: 0.75, note }, warnings };
}
