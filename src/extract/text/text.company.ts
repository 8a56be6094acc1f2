/**
 * What a company name looks like in an invoice's text: a name ending in a legal form (GmbH, AG,
 * SARL, SAS, B.V., S.L., Ltd, LLC, Inc …), alone or as the first part of a letterhead/footer line
 * ("QualityHosting AG - Uferweg 40-42 - …", "Free SAS au capital de …"). Pure.
 */

/** Legal forms written in any case. */
const LONG =
  'g?gmbh(?:\\s?&\\s?co\\.?\\s?kg)?|mbh|kgaa|sarl|s\\.a\\.r\\.l\\.?|sasu|eurl|b\\.\\s?v\\.?|n\\.\\s?v\\.?|s\\.\\s?l\\.(?:u\\.)?|s\\.\\s?a\\.(?:u\\.)?|s\\.p\\.a\\.|s\\.r\\.l\\.|ltd\\.?|limited|llc|l\\.l\\.c\\.|inc\\.?|incorporated|corp\\.?|corporation|pvt\\.?\\s?ltd\\.?|private\\s+limited|sp\\.\\s?z\\s?o\\.\\s?o\\.?|spolka\\s+akcyjna|e\\.\\s?k\\.|e\\.\\s?v\\.|a\\.\\s?g\\.|co\\.\\s?kg';
/** Short legal forms only in capitals, so "sa" and "ag" in words do not count. */
const SHORT = 'AG|UG|KG|OHG|GbR|SAS|SA|SE|SCA|SNC|BV|NV|VOF|SL|SLU|SAU|PLC|LLP';

const END_LONG = new RegExp(`(?:^|[\\s,])(?:${LONG})\\.?(?:\\s*\\([^)]*\\))?$`, 'i');
const END_SHORT = new RegExp(`(?:^|[\\s,])(?:${SHORT})\\.?(?:\\s*\\([^)]*\\))?$`);
const CAPITAL_LONG = new RegExp(
  `^(.+?[\\s,](?:${LONG}))\\.?\\s+(?:au|con|with)\\s+(?:share\\s+)?capital\\b`,
  'i',
);
const CAPITAL_SHORT = new RegExp(
  `^(.+?[\\s,](?:${SHORT}))\\.?\\s+(?:au|con|with)\\s+(?:share\\s+)?capital\\b`,
);

function legalEnd(t: string): RegExpExecArray | null {
  return END_LONG.exec(t) ?? END_SHORT.exec(t);
}

/** Splits a letterhead/footer line into its parts: "Name - Street - City", "Name ● Street ● City". */
export function segments(text: string): string[] {
  return text
    .split(/\s[-–−|•●·]\s|\t|\s{2,}/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Trims what a text layer leaves around a name: trailing commas, colons, quotes. */
export function cleanName(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/^[\s"'“”:;,-]+|[\s"'“”:;,]+$/g, '')
    .trim();
}

/** A plausible name: letters, not an address, not contact data, not a label, not too long. */
export function nameLike(text: string): boolean {
  const t = cleanName(text);
  if (t.length < 2 || t.length > 80 || !/\p{L}{2}/u.test(t)) return false;
  if (/@|www\.|https?:|\+\d|(?<!\p{L})(?:tel|fax|phone)(?!\p{L})/iu.test(t)) return false;
  if (
    /^\d|\b\d{4,5}\s+\p{Lu}/u.test(t) ||
    (/\d+\s*[a-z]?\s*$/i.test(t) &&
      /(?:str(?:\.|asse|aße)|straat|rue|street|st\.|road|weg|allee|avenue|calle|plaza|platz)/i.test(t))
  )
    return false;
  return true;
}

/** The company name a segment or line states with a legal form, or null. */
export function companyName(text: string): string | null {
  const capital = CAPITAL_LONG.exec(text) ?? CAPITAL_SHORT.exec(text);
  if (capital?.[1]) return cleanName(capital[1]);
  const t = cleanName(text);
  const m = legalEnd(t);
  // A bare legal form ("SARL au capital …" cut to "SARL") names nobody.
  if (!m || m.index <= 1 || !nameLike(t)) return null;
  return t;
}

/** A key to compare names: folded, legal form and punctuation removed. */
export function nameKey(name: string): string {
  const folded = cleanName(name.normalize('NFD').replace(/[\u0300-\u036f]/g, ''));
  const legal = legalEnd(folded);
  return (legal ? folded.slice(0, legal.index) : folded).toLowerCase().replace(/[^a-z0-9]+/g, '');
}
