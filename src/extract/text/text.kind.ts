/**
 * What the document is. Its title says so near the top ("Gutschrift", "Avoir", "Angebot",
 * "Kontoauszug", "Receipt"); a word further down counts for less. The first title word wins over
 * later ones, so an invoice that mentions "Bestellung" or a statement period stays an invoice. A
 * "paid" mark makes a receipt only when no invoice title is there. Pure.
 */
import type { DocumentKind } from '../extract.model.ts';
import type { Doc, Found } from './text.model.ts';

/** Kind words, full words (German compounds allowed in front: "Mietvertrag", "Schlussrechnung"). */
const KINDS: Array<[Exclude<DocumentKind, 'other'>, string]> = [
  [
    'credit_note',
    "[a-z]*gutschrift|rechnungskorrektur|stornorechnung|credit\\s*note|avoir|facture\\s*d'avoir|creditnota|creditfactuur|nota\\s*de\\s*credito|factura\\s*rectificativa|faktura\\s*korygujaca",
  ],
  [
    'receipt',
    'receipt|payment\\s*receipt|quittung|kassenbon|kassenbeleg|recu|ticket(?:\\s*de\\s*caisse)?|kassabon|kassaticket|bon|recibo',
  ],
  ['quote', '[a-z]*angebot|kostenvoranschlag|devis|offerte|presupuesto|cotizacion|quotation|quote|estimate'],
  [
    'purchase_order',
    'purchase\\s*order|[a-z]*bestellung|bon\\s*de\\s*commande|inkooporder|bestelbon|orden\\s*de\\s*compra|pedido',
  ],
  [
    'statement',
    'kontoauszug|statement\\s*of\\s*account|account\\s*statement|bank\\s*statement|releve\\s*de\\s*compte|releve\\s*bancaire|rekeningafschrift|rekeningoverzicht|extracto(?:\\s*bancario|\\s*de\\s*cuenta)?',
  ],
  [
    'tax_form',
    "steuerbescheid|lohnsteuerbescheinigung|steuererklarung|umsatzsteuer-?voranmeldung|avis\\s*d'imposition|declaration\\s*de\\s*revenus|belastingaanslag|modelo\\s*\\d{3}|form\\s*(?:w-?9|w-?2|1099)|tax\\s*return",
  ],
  ['contract', '[a-z]*vertrag|[a-z]*vereinbarung|contract|agreement|contrat|overeenkomst|contrato'],
  ['invoice', '[a-z]*rechnung|invoice|facture|factuur|factura|faktura|bill|tax\\s*invoice'],
];
const KIND_RES = KINDS.map(([kind, words]) => [kind, new RegExp(`(?<![a-z])(?:${words})(?![a-z])`)] as const);

const TITLE_LINES = 12;

const POSSESSIVE = /^(?:your|ihre?|votre|uw|je|su|tu|the|die|der|le|la|de|el)$/;

/** First kind word of a line, at a word start; with where it stands. */
function kindIn(folded: string): { kind: Exclude<DocumentKind, 'other'>; at: number; word: string } | null {
  let best: { kind: Exclude<DocumentKind, 'other'>; at: number; word: string } | null = null;
  for (const [kind, re] of KIND_RES) {
    const m = re.exec(folded);
    // Earliest wins; at the same place the longer word ("bon de commande" over "bon").
    if (
      m &&
      (best === null || m.index < best.at || (m.index === best.at && m[0].length > best.word.length))
    ) {
      best = { kind, at: m.index, word: m[0] };
    }
  }
  return best;
}

export function readKind(doc: Doc, hasInvoiceNumber: boolean, hasTotal: boolean): Found<DocumentKind> | null {
  // A title: a short line near the top of the first page that starts with a kind word.
  for (const line of doc.lines) {
    if ((line.page ?? 1) !== 1 || line.inPage >= TITLE_LINES) continue;
    const folded = doc.folded[line.index] ?? '';
    const k = kindIn(folded);
    // The title starts the line, or follows a possessive ("Your receipt", "Ihre Rechnung", "Votre facture").
    const lead = folded.slice(0, k?.at ?? 0).trim();
    if (!k || (lead !== '' && !POSSESSIVE.test(lead)) || folded.split(/\s+/).length > 8) continue;
    // "Bon", "Ticket" alone are titles; inside a title line they are "bon de commande", "ticket no.".
    if (
      /^(?:bon|ticket)$/.test(k.word) &&
      folded
        .trim()
        .replace(/[^a-z ]/g, '')
        .trim() !== k.word
    )
      continue;
    if (k.kind === 'invoice' && /paid|bezahlt|payee|betaald|pagad/.test(folded)) {
      return { value: 'receipt', line, confidence: 0.8, note: 'title says paid' };
    }
    return { value: k.kind, line, confidence: 0.9, note: 'document title' };
  }
  // No title: the first kind word anywhere, weaker; an invoice needs its number or total too.
  for (const line of doc.lines) {
    const k = kindIn(doc.folded[line.index] ?? '');
    if (!k || /^(?:bon|ticket)$/.test(k.word)) continue;
    if (k.kind === 'invoice' && !(hasInvoiceNumber || hasTotal)) continue;
    if (k.kind === 'purchase_order' || k.kind === 'receipt' || k.kind === 'contract') {
      // These words are common inside invoices ("gemäß Bestellung", "Kassenbon", "Vertragsnummer").
      if (hasInvoiceNumber) continue;
    }
    return { value: k.kind, line, confidence: 0.6, note: 'first document word in the text' };
  }
  // A paid-for purchase with no title: "Paid", "Bezahlt", "Payé" next to a total.
  if (hasTotal) {
    const paid = doc.lines.find((l) =>
      /(?<![a-z])(?:paid|bezahlt|paye|betaald|pagado)(?![a-z])/.test(doc.folded[l.index] ?? ''),
    );
    if (paid) return { value: 'receipt', line: paid, confidence: 0.6, note: 'marked paid, no title' };
  }
  return null;
}
