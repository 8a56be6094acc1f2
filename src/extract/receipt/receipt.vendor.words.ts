/**
 * The vocabulary the vendor reader uses: legal forms and trade words that mark a business name,
 * the lines that end a receipt's name block (address, registration, phone), and the clean-up of
 * a name line. Generic words in English, Malay, German, French, Dutch and Spanish — never the
 * names of particular businesses. Pure.
 */

/** A legal form: the strongest sign that a line is a company's name. */
export const LEGAL_FORM =
  /(?<![A-Za-z])(?:S[DO0]N\.?\s*B[HN][DO0IL1]|B[HN][DO0]|S\/B|BERHAD|PLT|LTD|LIMITED|INC|LLC|LLP|PLC|CORP(?:ORATION)?|CO\.|COMPANY|GMBH|AG|KG|OHG|UG|E\.?K|SARL|SAS|SA|S\.A\.?|S\.L\.?|SL|B\.?V\.?|N\.?V\.?|PTE|PTY|ENTERPRISE|ENTERPRISES|TRADING|HOLDINGS|GROUP)(?![A-Za-z])/gi;

/** A kind of shop: a weaker sign of a business name. */
export const TRADE_WORD =
  /(?<![A-Za-z])(?:RESTAURANTS?|RESTORAN|CAFE|CAFÉ|BAKERY|BAKERIES|PHARMACY|FARMASI|HARDWARE|STATIONERY|BOOKS?|STORES?|SHOP|MART|MARKET|SUPERMARKET|HOTEL|KEDAI|PERNIAGAAN|SYARIKAT|ELECTRICAL|MOTORS?|STATION|PETROL|APOTHEKE|BÄCKEREI|BOULANGERIE|PHARMACIE|FARMACIA|SUPERMERCADO|WINKEL)(?![A-Za-z])/i;

/** Lines that start the address / registration block, or the body of the receipt. */
export const STOP =
  /^(?:no|lot|unit|blk|block|level|lvl|suite|g\/f)\b[\s.:,]*[\d-]|(?<![A-Za-z])(?:jalan|jln|lorong|taman|persiaran|street|road|avenue|lane|boulevard|blvd|floor|flr|straße|strasse|rue|calle|avenida|straat|laan|weg)(?![A-Za-z])|\b\d{5}\b|\(\s*\d{4,}[\s-]*[A-Z]\s*\)|\b(?:reg|registration|gst|sst|vat|tel|phone|fax|mobile|email|e-mail|www|http|date|cashier|ust-?id|tva|btw|cif|nif)\b|\S+@\S+\.\w/i;

/** Lines that end the name block even before a name was seen: street, phone, registration. */
export const STRONG_STOP =
  /(?<![A-Za-z])(?:jalan|jln|lorong|persiaran|street|road|avenue|boulevard|straße|strasse|rue|calle|avenida|straat)(?![A-Za-z])|\b(?:reg|registration|gst|sst|vat|tel|phone|fax|www|http)\b|\S+@\S+\.\w/i;

/** A document title at the top ("TAX INVOICE", "RECEIPT"): skipped, it neither names nor ends the block. */
export const TITLE =
  /^(?:(?:simplified|full|official)\s+)?(?:tax\s+|vat\s+)?(?:invoice|receipt|bill|cash\s+(?:sale|bill|receipt)s?)\s*(?:no\.?)?$/i;

/** Name-like lines that are not names. */
export const NOT_NAME =
  /\b(?:order|thank|thanks|welcome|customer|copy|reprint|duplicate|posted|member|table|pax|server|goods|sold|served|counter)\b/i;

export const GREETING =
  /^(?:hi|hello|hey|dear|thanks|thank you|hallo|bonjour|hola|beste|liebe|sehr geehrte)\b/i;

/**
 * A name line without what surrounds the name: a registration number after it ("(867388-U)",
 * "273500-U", "COMPANY NO: …"), a label before it ("Owned by:"), stray punctuation.
 */
export function tidyName(s: string): string {
  return s
    .replace(/\b(?:company|co\.?)[\s-]*(?:\w{3}(?:istration)?\.?\s*)?(?:no|number)\b.*$/i, '')
    .replace(
      /(?:\s*\((?=[^)]*\d)[\dA-Z\s:.-]{4,}\)|\s+[A-Z]{0,3}\d{4,}-?[A-Z]?\b)(?:\s*\(\w{1,5}\))?\s*$/i,
      '',
    )
    .replace(/^[^:]{2,20}:\s*(?=\S.*(?:SDN|BHD|LTD|INC|LLC|GMBH|S\/B))/i, '')
    .replace(/^[#\d\s-]{4,}\s(?=\p{L})/u, '')
    .replace(/^(?:\p{Ll}{1,2}\s+)+(?=\p{Lu})/u, '')
    .replace(/^[^\p{L}\d(]+|[^\p{L}\d).]+$/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Cut a name after its last legal form: "AEON CO. (M) BHD (126926-H)" → "AEON CO. (M) BHD". */
export function endAtLegalForm(name: string): string {
  const forms = [...name.matchAll(LEGAL_FORM)];
  const last = forms.at(-1);
  if (!last) return name;
  return (
    name.slice(0, last.index + last[0].length).replace(/\s+$/, '') +
    (name.slice(last.index + last[0].length).match(/^\.+/)?.[0] ?? '')
  );
}

export const hasLegalForm = (s: string) => new RegExp(LEGAL_FORM.source, 'i').test(s);
