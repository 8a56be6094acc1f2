/**
 * Whose block a line belongs to. Invoices name both parties, and the seller's name and VAT id must
 * not be confused with the buyer's: a "Verkäufer"/"Seller"/"Vendeur" header opens the seller's
 * block, "Käufer"/"Bill to"/"Client"/"Factuuradres" the buyer's, for a few lines or until the next
 * header. Outside any block, the letterhead (top of the first page) and the footer (bottom of each
 * page) are where a seller prints itself. Pure.
 */
import type { Line } from './text.lines.ts';
import type { Doc } from './text.model.ts';

export type Role = 'seller' | 'buyer';
export type Place = Role | 'letterhead' | 'footer' | null;

const SELLER =
  /^(?:verkaufer|lieferant|rechnungs(?:er)?steller|auftragnehmer|leistungserbringer|absender|seller|supplier|vendor|from|sold\s*by|service\s*provider|issued\s*by|bill\s*from|vendeur|fournisseur|emetteur|prestataire|leverancier|verkoper|afzender|vendedor|proveedor|emisor|sprzedawca|wystawca|abweichender\s*zahlungsempfanger)(?![a-z-])/;
const BUYER =
  /^(?:kaufer(?:\/leistungsempfanger)?|kunde|firma|an|to|rechnungsempfanger|leistungsempfanger|warenempfanger|lieferanschrift|lieferadresse|empfanger|auftraggeber|abweichender\s*(?:waren|rechnungs)empfanger|bill(?:ed)?\s*to(?:\s*address)?|ship(?:ped)?\s*to|sold\s*to|invoice\s*to|deliver(?:y)?\s*(?:to|address)|shipping\s*address|billing\s*address|customer|buyer|client|acheteur|destinataire|adresse\s*de\s*(?:livraison|facturation)|facture\s*a|klant|koper|factuuradres|afleveradres|cliente|comprador|destinatario|direccion\s*de\s*(?:envio|facturacion)|facturar\s*a|nabywca|odbiorca)(?![a-z-])/;
/**
 * "T.a.v.", "Attn", "z. Hd.", "à l'attention de", or a salutation before a person's name ("Frau
 * Anna Schmidt", "Mr John Smith"): an addressee block, hence the buyer's.
 */
const ATTENTION =
  /^(?:t\.?\s?a\.?\s?v\.?|attn\.?|attention|z\.\s?hd\.?|zu\s*handen|a\s*l'attention|a\/a|atencion|(?:frau|herrn?|mr\.?|mrs\.?|ms\.?|mme|monsieur|madame|dhr\.?|mevr\.?|sr\.?|sra\.?)\s+\p{L})(?![a-z])/u;

/** How far a block reaches without another header: long enough for name, contact, address and ids. */
const BLOCK_LINES = 14;

/** A header line: the header word(s) alone (maybe with a colon), or "Header: value". */
function header(folded: string): { role: Role; inline: boolean } | null {
  for (const [role, re] of [
    ['seller', SELLER],
    ['buyer', BUYER],
  ] as const) {
    const m = re.exec(folded);
    if (!m) continue;
    const rest = folded.slice(m[0].length);
    if (/^\s*:?\s*$/.test(rest)) return { role, inline: false };
    if (/^\s*:\s*\S/.test(rest)) return { role, inline: true };
  }
  return null;
}

/** Place of every line, by index. Header lines carry their own role. */
export function places(doc: Doc): Place[] {
  const out: Place[] = doc.lines.map(() => null);
  let role: Role | null = null;
  let left = 0;
  let page: number | null = null;
  for (const line of doc.lines) {
    const folded = doc.folded[line.index] ?? '';
    if (line.page !== page) {
      role = null;
      page = line.page;
    }
    const h = header(folded);
    if (h) {
      role = h.role;
      left = BLOCK_LINES;
    } else if (ATTENTION.test(folded)) {
      // The addressee's name is the line above; the block continues below.
      const prev = doc.lines[line.index - 1];
      if (prev && out[prev.index] === null) out[prev.index] = 'buyer';
      role = 'buyer';
      left = 4;
    }
    if (role !== null && left > 0) {
      out[line.index] = role;
      left--;
      continue;
    }
    role = null;
    out[line.index] = edge(line);
  }
  return out;
}

function edge(line: Line): Place {
  if ((line.page ?? 1) === 1 && line.inPage < 6) return 'letterhead';
  if (line.pageLength - line.inPage <= 10) return 'footer';
  return null;
}

/** Whether a (folded) line or cell opens a block, and whether its value follows on the same line. */
export function headerIn(folded: string): { role: Role; inline: boolean } | null {
  return header(folded);
}
