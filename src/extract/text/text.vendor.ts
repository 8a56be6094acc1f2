/**
 * The seller's name (and the buyer's, when a block names it). In order of trust: the seller's
 * block ("Verkäufer / Name: Lieferant GmbH", "Sprzedawca: …", "… ⇥Sold By :"); a name with a legal
 * form in the letterhead or footer, more trusted the more often it is printed; the line above a
 * legal footer ("NETPRESSE / Siège social : …"). Names inside the buyer's block never count. The
 * sender's mail domain (`hints.vendorEmail`) can confirm a name, never supply one. Pure.
 */
import { cleanName, companyName, nameKey, nameLike, segments } from './text.company.ts';
import { fold, type Line } from './text.lines.ts';
import type { Doc, Found } from './text.model.ts';
import { headerIn, type Place, places, type Role } from './text.sections.ts';

interface Candidate {
  name: string;
  line: Line;
  score: number;
  why: string;
}

const LEGAL_FOOTER =
  /^(?:siege\s*social|registered\s*office|sitz(?:\s*der\s*gesellschaft)?\b|geschaftsfuhr|handelsregister|amtsgericht|registergericht|rcs\b|kvk\b|registro\s*mercantil|domicilio\s*social)/;
const SKIP = /:|^\(|\bgln\b|^(?:nummer|number|nr\.?|no\.?)\b/i;

/** The name a party's block gives: "Name: X" (or "Name:" over several lines), else its first name-like line. */
function fromBlock(doc: Doc, where: Place[], role: Role): Candidate[] {
  const out: Candidate[] = [];
  for (const line of doc.lines) {
    const h = headerIn(doc.folded[line.index] ?? '');
    if (!h || h.role !== role) continue;
    if (h.inline) {
      // "To: iViveLabs Ltd ⇥ Order date: …": the value ends with its cell.
      const first = line.cells[0] ?? '';
      // "Ship to: John Smith, 12 Elm St, …": the name ends where the address starts.
      const after = first.slice(first.indexOf(':') + 1).replace(/,\s*\d.*$/, '');
      const value = stripSalutation(cleanName(after));
      if (nameLike(value)) out.push({ name: value, line, score: 0.9, why: 'named in the header line' });
      continue;
    }
    for (let i = line.index + 1; i < doc.lines.length && i <= line.index + 8 && where[i] === role; i++) {
      const l = doc.lines[i]!;
      const name = /^name\s*:\s*(.*)$/i.exec(l.text);
      if (name) {
        let value = name[1] ?? '';
        for (let j = i + 1; value.trim() === '' || j <= i + 2; j++) {
          const next = doc.lines[j];
          if (!next || next.text.includes(':') || !nameLike(next.text) || where[j] !== role) break;
          value = `${value} ${next.text}`;
        }
        value = stripSalutation(cleanName(value));
        if (nameLike(value)) out.push({ name: value, line: l, score: 0.92, why: '"Name:" in the block' });
        break;
      }
      const attn = /^(?:attn|attention)\s*:?\s*(.+)$/i.exec(l.text);
      if (attn?.[1] && nameLike(attn[1])) {
        out.push({ name: cleanName(attn[1]), line: l, score: 0.8, why: 'addressee in the block' });
        break;
      }
      if (SKIP.test(l.text) || !nameLike(stripSalutation(l.text)) || /\d/.test(l.text.slice(0, 3))) continue;
      // A name broken over two lines: the second carries the legal form ("MVM Musterhafter" / "Versicherungsverein … a.G.").
      const next = doc.lines[i + 1];
      const joined =
        next && where[i + 1] === role && !companyName(l.text) && !/[:\d]/.test(next.text)
          ? companyName(`${l.text} ${next.text}`)
          : null;
      out.push({
        name: joined ?? stripSalutation(cleanName(l.text)),
        line: l,
        score: 0.88,
        why: 'first name in the block',
      });
      break;
    }
  }
  return out;
}

function fromEdges(doc: Doc, where: Place[]): Candidate[] {
  const out: Candidate[] = [];
  for (const line of doc.lines) {
    const place = where[line.index] ?? null;
    if (place === 'buyer') continue;
    // "WS Retail Services Pvt. Ltd.,⇥Sold By :": a seller header after its value.
    const last = line.cells[line.cells.length - 1] ?? '';
    if (line.cells.length >= 2 && headerIn(fold(last))?.role === 'seller') {
      const value = cleanName(line.cells[line.cells.length - 2] ?? '');
      if (nameLike(value)) out.push({ name: value, line, score: 0.85, why: 'seller label after the name' });
    }
    const folded = doc.folded[line.index] ?? '';
    if (LEGAL_FOOTER.test(folded)) {
      const prev = doc.lines[line.index - 1];
      if (
        prev &&
        where[prev.index] !== 'buyer' &&
        nameLike(prev.text) &&
        !/\d|:/.test(prev.text) &&
        prev.text.split(' ').length <= 5
      ) {
        out.push({
          name: cleanName(prev.text),
          line: prev,
          score: 0.62,
          why: 'the line above the legal footer',
        });
      }
    }
    const parts = segments(line.text);
    for (const part of parts.slice(0, 2)) {
      const name = companyName(part);
      if (!name) continue;
      let score = place === 'seller' ? 0.85 : place === 'letterhead' ? 0.8 : place === 'footer' ? 0.75 : 0.55;
      // "Müller GmbH · Industriestraße 12 · 70565 Stuttgart": the sender's return-address line.
      const returnAddress =
        parts.length >= 3 && parts[0] === part && parts.slice(1).some((p) => /\b\d{4,5}\b/.test(p));
      if (returnAddress) score += 0.08;
      out.push({
        name,
        line,
        score,
        why: returnAddress ? 'the return-address line' : `company name in the ${place ?? 'text'}`,
      });
      break;
    }
  }
  return out;
}

/** "Herrn Max Mustermann" → "Max Mustermann"; "Herrn" alone → "" (not a name). */
function stripSalutation(text: string): string {
  return text
    .replace(
      /^(?:frau|herrn?|mr\.?|mrs\.?|ms\.?|mme|monsieur|madame|dhr\.?|mevr\.?|sr\.?|sra\.?)(?:\s+|$)/i,
      '',
    )
    .trim();
}

/** The registrable part of a mail domain ("billing@mail.acme-gmbh.de" → "acmegmbh"). */
function domainKey(email: string | null | undefined): string | null {
  const domain = email?.split('@')[1]?.toLowerCase();
  if (!domain) return null;
  const parts = domain.split('.').filter((p) => p !== '');
  const label =
    parts.length >= 3 && /^(?:co|com|org|net)$/.test(parts[parts.length - 2] ?? '')
      ? parts[parts.length - 3]
      : parts[parts.length - 2];
  const key = (label ?? '').replace(/[^a-z0-9]/g, '');
  return key.length >= 3 ? key : null;
}

export function readVendor(
  doc: Doc,
  vendorEmail: string | null | undefined,
): { seller: Found<string> | null; buyer: Found<string> | null; warnings: string[] } {
  const where = places(doc);
  const buyers = fromBlock(doc, where, 'buyer');
  const buyerKeys = new Set(buyers.map((b) => nameKey(b.name)));
  const candidates = [...fromBlock(doc, where, 'seller'), ...fromEdges(doc, where)].filter(
    (c) => !buyerKeys.has(nameKey(c.name)) && nameKey(c.name) !== '',
  );
  const groups = new Map<string, Candidate[]>();
  for (const c of candidates) groups.set(nameKey(c.name), [...(groups.get(nameKey(c.name)) ?? []), c]);
  const hint = domainKey(vendorEmail);
  const scored = [...groups.entries()].map(([key, list]) => {
    const best = [...list].sort((a, b) => b.score - a.score)[0]!;
    let score = best.score + Math.min(0.15, 0.05 * (list.length - 1));
    let why = best.why;
    if (hint && (key.includes(hint) || (key.length >= 4 && hint.includes(key)))) {
      score += 0.1;
      why += `; matches the sender's domain`;
    }
    return { best, score: Math.min(0.97, score), why };
  });
  scored.sort((a, b) => b.score - a.score);
  const warnings: string[] = [];
  const [top, second] = scored;
  let seller: Found<string> | null = null;
  if (top && top.score >= 0.6) {
    if (second && top.score - second.score < 0.05 && top.best.score < 0.88) {
      warnings.push(`vendor name unclear ("${top.best.name}" or "${second.best.name}"); not chosen`);
    } else {
      seller = {
        value: top.best.name,
        line: top.best.line,
        confidence: Math.round(top.score * 100) / 100,
        note: top.why,
      };
    }
  } else warnings.push('vendor name not found');
  const buyer = buyers[0] ? { value: buyers[0].name, line: buyers[0].line, confidence: 0.75 } : null;
  return { seller, buyer, warnings };
}
