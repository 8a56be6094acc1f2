/**
 * Matching keys for identifiers people write differently: "2024-0042" and "2024 0042", "PO-4711"
 * and "po 4711". Only used to find things again; the value shown is always the one as written. Pure.
 */

/** Upper-case letters and digits only; null when nothing is left. */
export function identifierKey(s: string | null | undefined): string | null {
  if (!s) return null;
  const k = s
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
  return k || null;
}

/** A PO number's key: as `identifierKey`, without a leading "PO"/"BESTELLUNG"/"NR" label. */
export function poNumberKey(s: string | null | undefined): string | null {
  const k = identifierKey(s);
  if (!k) return null;
  const stripped = k.replace(
    /^(?:PURCHASEORDER|BESTELLUNG|BESTELLNR|BESTNR|PONO|PONR|PO)(?:NO|NR)?(?=\d)/,
    '',
  );
  return stripped || k;
}

/** A tax id's key: upper-case, no spaces, dots or dashes ("DE 123.456.789" → "DE123456789"). */
export function taxIdKey(s: string | null | undefined): string | null {
  return identifierKey(s);
}
