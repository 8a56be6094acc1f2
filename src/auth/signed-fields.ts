/**
 * Which header fields a DKIM signature covers (RFC 6376 §5.4.2): an approval reply counts only
 * through content the owner's signature vouches for. Pure.
 *
 * A signature lists field names in its `h=` tag; for a name listed n times it covers the n
 * bottom-most instances of that field. Anyone who holds a genuine signed message can prepend
 * another `In-Reply-To:` or `To:` above the signed ones and the signature still verifies, so a
 * reader that takes the topmost instance could be pointed at a different approval. Reading only
 * the covered instances closes that (RELIABILITY.md items 10 and 11).
 */
import { isAligned } from './alignment.ts';
import type { HeaderField } from './header-fields.ts';

/** The tags of a DKIM-Signature value (`v=1; a=rsa-sha256; d=…; h=from:to; …`). */
export function dkimTags(value: string): Map<string, string> {
  const tags = new Map<string, string>();
  for (const part of value.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    tags.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).replace(/\s+/g, ''));
  }
  return tags;
}

/** The field instances `h=` covers, bottom-up per name, returned in message order. */
export function coveredFields(fields: readonly HeaderField[], signedNames: readonly string[]): HeaderField[] {
  const used = new Set<number>();
  for (const raw of signedNames) {
    const name = raw.trim().toLowerCase();
    for (let i = fields.length - 1; i >= 0; i--) {
      if (fields[i]?.name === name && !used.has(i)) {
        used.add(i);
        break;
      }
    }
  }
  return fields.filter((_, i) => used.has(i));
}

/**
 * The fields covered by the DKIM signature a trusted Authentication-Results header vouched for.
 * The trusted header says *that* a signature of the domain passed, not which header carries it,
 * and anyone can add a DKIM-Signature of their own (with the genuine `b=` copied) that names more
 * fields. So coverage is read only when exactly one DKIM-Signature aligns with the From domain
 * (and, when the results name `header.b`, starts with it); otherwise nothing counts as covered.
 * The body counts as signed only without an `l=` tag.
 */
export function coveredByAlignedSignature(
  fields: readonly HeaderField[],
  fromDomain: string,
  headerB: string | null,
): { fields: HeaderField[]; wholeBody: boolean } | null {
  const candidates = fields
    .filter((f) => f.name === 'dkim-signature')
    .map((f) => dkimTags(f.value))
    .filter((tags) => isAligned(fromDomain, tags.get('d') ?? ''))
    .filter((tags) => !headerB || (tags.get('b') ?? '').startsWith(headerB.replace(/\s+/g, '')));
  if (candidates.length !== 1) return null;
  const tags = candidates[0]!;
  const names = (tags.get('h') ?? '').split(':').filter(Boolean);
  return { fields: coveredFields(fields, names), wholeBody: !tags.has('l') };
}

/** Header lines as mailauth reports them ("In-Reply-To: <a@b>\r\n", possibly folded) → fields. */
export function fieldsFromLines(lines: readonly string[]): HeaderField[] {
  const out: HeaderField[] = [];
  for (const line of lines) {
    const unfolded = line.replace(/\r?\n(?=[ \t])/g, '').replace(/\r?\n$/, '');
    const colon = unfolded.indexOf(':');
    if (colon <= 0) continue;
    out.push({
      name: unfolded.slice(0, colon).trim().toLowerCase(),
      value: unfolded.slice(colon + 1).trim(),
    });
  }
  return out;
}
