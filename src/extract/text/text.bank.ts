/**
 * IBAN and BIC. An IBAN is read to its country's length (ibantools' country table), so "IBAN :
 * FR76 10107 00245 00617052317 39" and "NL50INGB0683251309⇥IBAN" both come out whole, and then
 * checked: a labelled IBAN whose checksum fails is not returned (a misread digit would send money
 * elsewhere). An account the document says will be debited (SEPA direct debit, "prélevé sur le
 * compte") is the customer's, and then there is nothing to pay to: no IBAN, and a warning saying
 * so. Two different payee IBANs: none chosen. Pure.
 */
import { getCountrySpecifications, isValidBIC, isValidIBAN } from 'ibantools';
import { findLabeled } from './text.labeled.ts';
import { labels } from './text.labels.ts';
import type { Line } from './text.lines.ts';
import type { Doc, Found } from './text.model.ts';

const SPECS = getCountrySpecifications();
const START = /(?<![A-Z0-9])([A-Z]{2})(\d{2})(?=[ ]?[A-Z0-9*x•])/g;

/** The IBAN starting at `at` is labelled: "IBAN: …" just before it, "…⇥IBAN" just after, or "IBAN" ending the line above. */
function isLabelled(text: string, at: number, end: number, prevEndsWithLabel: boolean): boolean {
  const before = text.slice(Math.max(0, at - 16), at);
  if (/\biban\b[^A-Z0-9]{0,3}(?:nr\.?|no\.?)?[^A-Z0-9]{0,4}$/i.test(before)) return true;
  if (/^\s*[:-]?\s*iban\b/i.test(text.slice(end, end + 8))) return true;
  return prevEndsWithLabel && text.slice(0, at).trim() === '';
}
/** The account the document will debit: the customer's. */
const DEBTOR =
  /lastschrift|abbuchen|abgebucht|eingezogen|einzug|direct\s*debit|debited|prelev|domiciliation|incasso|automatische\s*afschrijving|adeudo|domiciliaci|ihr(?:em|es)?\s*konto|your\s*account|votre\s*compte|uw\s*rekening|su\s*cuenta|debtor|zahlungspflichtige/i;

/** "Käufer-IBAN", "Customer IBAN", "IBAN du client" on the IBAN's own line: the buyer's account. */
const BUYER_ACCOUNT =
  /k(?:ä|ae)ufer|kunde|customer|buyer|client|acheteur|d[ée]biteur|klant|comprador|payer|zahler/i;

interface Seen {
  iban: string;
  line: Line;
  labelled: boolean;
  debtor: boolean;
}

/** Reads the IBAN starting at `at` in `text`: country, check digits, then the country's length in characters. */
function ibanAt(
  text: string,
  at: number,
  country: string,
): { iban: string; masked: boolean; end: number } | null {
  const length = SPECS[country]?.chars;
  if (!length) return null;
  let out = '';
  let masked = false;
  let i = at;
  for (; i < text.length && out.length < length; i++) {
    const ch = text[i] ?? '';
    if (/[A-Z0-9]/.test(ch)) out += ch;
    else if (ch === '*' || ch === 'x' || ch === '•') {
      masked = true;
      out += ch;
    } else if (ch === ' ' && text[i + 1] !== ' ' && out.length > 0) continue;
    else break;
  }
  return { iban: out, masked, end: i };
}

function scan(doc: Doc, warnings: string[]): Seen[] {
  const seen: Seen[] = [];
  for (const line of doc.lines) {
    const prev = doc.lines[line.index - 1];
    const prevLabel = prev !== undefined && /\biban\s*[:.]?\s*$/i.test(prev.text);
    START.lastIndex = 0;
    for (let m = START.exec(line.text); m !== null; m = START.exec(line.text)) {
      const got = ibanAt(line.text, m.index, m[1] ?? '');
      if (!got) continue;
      const labelled = isLabelled(line.text, m.index, got.end, prevLabel);
      if (got.masked) {
        if (labelled) warnings.push('IBAN is masked in the document; not read');
        continue;
      }
      // The sentence above counts only when the IBAN continues it (starts its line).
      const continues = line.text.slice(0, m.index).trim() === '';
      const context = continues ? `${prev?.text ?? ''} ${line.text}` : line.text;
      const buyerLabel = BUYER_ACCOUNT.test(line.text.slice(0, m.index));
      if (isValidIBAN(got.iban)) {
        seen.push({ iban: got.iban, line, labelled, debtor: buyerLabel || DEBTOR.test(context) });
      } else if (labelled) {
        warnings.push('IBAN checksum fails');
      }
    }
  }
  return seen;
}

export function readIban(doc: Doc): { found: Found<string> | null; warnings: string[] } {
  const warnings: string[] = [];
  const seen = scan(doc, warnings);
  const payee = seen.filter((s) => !s.debtor);
  if (seen.some((s) => s.debtor)) {
    // The invoice is collected from the buyer's account: an IBAN "to pay to" would pay it twice.
    const own = [...new Set(payee.map((s) => s.iban))];
    const also = own.length > 0 ? ` (the seller's account ${own.join(', ')} is printed too)` : '';
    warnings.push(
      `the amount is collected by direct debit from the buyer's account; no IBAN to pay to${also}`,
    );
    return { found: null, warnings: [...new Set(warnings)] };
  }
  const distinct = [...new Set(payee.map((s) => s.iban))];
  if (distinct.length > 1) {
    warnings.push(`${distinct.length === 2 ? 'two' : 'several'} different IBANs found; none chosen`);
    return { found: null, warnings: [...new Set(warnings)] };
  }
  const pick = payee.find((s) => s.labelled) ?? payee[0];
  if (!pick) return { found: null, warnings: [...new Set(warnings)] };
  // A valid IBAN next to a failing one is still read; the failing one is then noise, not a doubt.
  const confidence = pick.labelled ? 0.95 : 0.85;
  return { found: { value: pick.iban, line: pick.line, confidence }, warnings: [...new Set(warnings)] };
}

const BIC_LABEL = labels(`bic(?:\\s*/\\s*swift)?(?:\\s*code)?`, `swift(?:\\s*/\\s*bic)?(?:\\s*code)?`);

const bicParser = (text: string) => {
  const m = /^[\s:.-]*([A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?)(?![A-Za-z0-9])/.exec(text);
  return m?.[1] && isValidBIC(m[1]) ? { value: m[1], length: m[0].length } : null;
};

/** BIC from its label; when several differ, the one of the IBAN's country, else none. */
export function readBic(doc: Doc, iban: string | null): { found: Found<string> | null; warnings: string[] } {
  // "IBAN: … , BIC: …" shares a line: the BIC label need not start a cell; the code itself is strict.
  const hits = findLabeled(doc, BIC_LABEL, bicParser, { anywhere: true }).filter(
    (h) => !DEBTOR.test(h.line.text) && !BUYER_ACCOUNT.test(h.line.text.slice(0, h.at)),
  );
  const distinct = [...new Set(hits.map((h) => h.value))];
  if (distinct.length === 0) return { found: null, warnings: [] };
  let pick = hits[0]!;
  if (distinct.length > 1) {
    const same = hits.filter((h) => iban !== null && h.value.slice(4, 6) === iban.slice(0, 2));
    if (new Set(same.map((h) => h.value)).size !== 1)
      return { found: null, warnings: ['several different BICs found; none chosen'] };
    pick = same[0]!;
  }
  const confidence = iban !== null && pick.value.slice(4, 6) !== iban.slice(0, 2) ? 0.7 : 0.92;
  return { found: { value: pick.value, line: pick.line, confidence }, warnings: [] };
}
