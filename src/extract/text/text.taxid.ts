/**
 * VAT ids (DE…, ATU…, FR…, NL…B01, BE0…, ES…, IT…, GB…, CHE…) and the Polish NIP, sorted into the
 * seller's and the buyer's. A label can say whose it is ("N° TVA client", "Uw BTW-nummer", "Customer
 * VAT Number" are the buyer's); otherwise the block it stands in does (see `text.sections.ts`);
 * otherwise its place: letterhead and footer belong to the seller. Two different seller candidates,
 * or one in the middle of nowhere, is a doubt: null and a warning. Pure.
 */
import type { Line } from './text.lines.ts';
import type { Doc, Found } from './text.model.ts';
import { type Place, places } from './text.sections.ts';

/** Digits may be grouped by spaces anywhere ("FR 604 219 388 61", "DE 232 446 240"). */
const d = (n: number) => `(?: ?\\d){${n}}`;
const PATTERNS = [
  `DE${d(9)}`,
  'ATU ?\\d{8}',
  `FR ?[0-9A-HJ-NP-Z] ?[0-9A-HJ-NP-Z]${d(9)}`,
  `NL${d(9)} ?B ?\\d ?\\d`,
  'BE ?[01]\\d{3}[. ]?\\d{3}[. ]?\\d{3}',
  'ES ?[A-Z0-9]\\d{7}[A-Z0-9]',
  `IT${d(11)}`,
  `GB ?(?:${d(9)}(?:${d(3)})?|GD\\d{3}|HA\\d{3})`,
  'CHE[- ]?\\d{3}[. ]?\\d{3}[. ]?\\d{3}',
  '(?:PL|CZ|DK|FI|SE|PT|IE|LU|SK|SI|HU|RO|BG|HR|LT|LV|EE|EL|CY|MT) ?[0-9A-Z]{8,12}',
];
const VAT = new RegExp(`(?<![A-Za-z0-9])(?:${PATTERNS.join('|')})(?![A-Za-z0-9])`, 'g');
const NIP = /(?<![a-z])nip\s*:?\s*(\d{3}-?\d{2,3}-?\d{2}-?\d{2,3})(?!\d)/;

/** Labels that make an id the buyer's, or the seller's. */
const BUYER_LABEL =
  /(?:ihre|kunden)\s*-?\s*ust|ust[-.\s]*id[-.\s]*(?:nr\.?)?\s*(?:des\s*)?kunden|customer\s*vat|your\s*vat|buyer'?s?\s*vat|vat\s*(?:no\.?\s*)?(?:of\s*)?(?:the\s*)?customer|tva\s*(?:intracommunautaire\s*)?client|votre\s*(?:n[°o]\s*(?:de\s*)?)?tva|uw\s*btw|btw\s*(?:-?\s*nummer\s*)?klant|(?:nif|cif)\s*(?:del\s*)?cliente|su\s*(?:nif|cif)/;
const SELLER_LABEL =
  /unsere\s*ust|our\s*vat|notre\s*(?:n[°o]\s*(?:de\s*)?)?tva|onze\s*btw|nuestro\s*(?:nif|cif)/;
/** A "VAT" label written without a seller/buyer word. */
const NEUTRAL_LABEL = /ust|vat|tva|btw|iva|nif|cif|mwst|uid|tax\s*id|steuer/;

export interface TaxIds {
  seller: Found<string> | null;
  buyer: Found<string> | null;
  warnings: string[];
}

interface Seen {
  id: string;
  line: Line;
  role: 'seller' | 'buyer' | 'edge' | 'unknown';
  labelled: boolean;
}

/**
 * Lines of a company's legal disclosure (register, managing directors, bank details, capital):
 * a VAT id among them is the issuer's, wherever on the page the block stands.
 */
const LEGAL_INFO =
  /\b(?:hrb|hra|registergericht|amtsgericht|handelsregister|geschaftsfuhr\w*|vorstand|aufsichtsrat|bankverbindung|iban|bic|swift|steuer-?nr|rcs|siret|siren|capital|kvk|kamer\s*van\s*koophandel|registro\s*mercantil|company\s*(?:no|number|reg)|registered)\b/;

function nearLegalInfo(doc: Doc, line: Line): boolean {
  for (let i = Math.max(0, line.index - 4); i <= line.index + 4 && i < doc.lines.length; i++) {
    if (doc.lines[i]?.page === line.page && LEGAL_INFO.test(doc.folded[i] ?? '')) return true;
  }
  return false;
}

function roleOf(place: Place, before: string, legal: boolean): Seen['role'] {
  if (BUYER_LABEL.test(before)) return 'buyer';
  if (SELLER_LABEL.test(before)) return 'seller';
  if (place === 'seller' || place === 'buyer') return place;
  if (place === 'letterhead' || place === 'footer' || legal) return 'edge';
  return 'unknown';
}

function scan(doc: Doc): Seen[] {
  const where = places(doc);
  const seen: Seen[] = [];
  for (const line of doc.lines) {
    const folded = doc.folded[line.index] ?? '';
    const place = where[line.index] ?? null;
    // Ids inside an IBAN-labelled stretch are account numbers, not VAT ids.
    VAT.lastIndex = 0;
    for (let m = VAT.exec(line.text); m !== null; m = VAT.exec(line.text)) {
      const before = folded.slice(Math.max(0, m.index - 40), m.index);
      if (/iban\W{0,4}$/.test(before)) continue;
      const id = m[0].replace(/[ .-]/g, '');
      if (id.replace(/\D/g, '').length < 6) continue;
      seen.push({
        id,
        line,
        role: roleOf(place, before, nearLegalInfo(doc, line)),
        labelled: NEUTRAL_LABEL.test(before),
      });
    }
    const nip = NIP.exec(folded);
    if (nip?.[1]) {
      const role = roleOf(place, folded.slice(0, nip.index), nearLegalInfo(doc, line));
      seen.push({ id: nip[1].replace(/-/g, ''), line, role, labelled: true });
    }
  }
  return seen;
}

function one(list: Seen[], confidence: number): Found<string> | null {
  const first = list[0];
  return first ? { value: first.id, line: first.line, confidence } : null;
}

export function readTaxIds(doc: Doc): TaxIds {
  const warnings: string[] = [];
  const seen = scan(doc);
  const buyerIds = new Set(seen.filter((s) => s.role === 'buyer').map((s) => s.id));
  const notBuyer = seen.filter((s) => !buyerIds.has(s.id));
  const distinct = (l: Seen[]) => [...new Set(l.map((s) => s.id))];

  let seller: Found<string> | null = null;
  const strong = notBuyer.filter((s) => s.role === 'seller');
  const edge = notBuyer.filter((s) => s.role === 'edge');
  const unknown = notBuyer.filter((s) => s.role === 'unknown');
  if (distinct(strong).length === 1) seller = one(strong, 0.9);
  else if (distinct(strong).length > 1)
    warnings.push(`several seller VAT ids (${distinct(strong).join(', ')}); none chosen`);
  else if (distinct(edge).length === 1) seller = one(edge, distinct(unknown).length === 0 ? 0.8 : 0.7);
  else if (distinct(edge).length > 1)
    warnings.push(
      `several VAT ids in letterhead and footer (${distinct(edge).join(', ')}); seller's not chosen`,
    );
  else if (distinct(unknown).length > 0) {
    warnings.push(`VAT id ${distinct(unknown).join(', ')} found, but not whose (seller or buyer); not read`);
  }

  const buyers = seen.filter((s) => s.role === 'buyer');
  const buyer = distinct(buyers).length === 1 ? one(buyers, 0.85) : null;
  return { seller, buyer, warnings };
}
