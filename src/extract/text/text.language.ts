/**
 * The document's language, from words invoices use. It decides how undecided numbers and dates
 * are read (German "1.190" is a thousand, English "01/03" may be January), so it only needs to be
 * right about the five languages the reader knows; anything else is null. Pure.
 */
import { fold } from './text.lines.ts';

export type Language = 'en' | 'de' | 'fr' | 'nl' | 'es';

const WORDS: Record<Language, string> = {
  en: 'invoice the and date total amount due tax vat payment please for of number bill to from subtotal quantity price description account your our with this',
  de: 'rechnung und der die das datum betrag summe mwst ust umsatzsteuer zahlbar netto brutto bitte menge preis beschreibung kunde ihre unsere nummer bis gesamtbetrag zahlung fur mit von vom',
  fr: 'facture le la les de du des et date montant total tva ttc ht paiement reglement quantite prix client votre notre numero echeance pour avec sur',
  nl: 'factuur het een van en de datum bedrag totaal btw betaling klant uw onze nummer aantal prijs omschrijving voor met bij te betalen incl excl',
  es: 'factura el la los las de del y fecha importe total iva pago cliente su nuestro numero cantidad precio descripcion para con base imponible vencimiento',
};

const VOCAB = new Map<string, Language[]>();
for (const [lang, words] of Object.entries(WORDS) as Array<[Language, string]>) {
  for (const w of words.split(' ')) VOCAB.set(w, [...(VOCAB.get(w) ?? []), lang]);
}

/**
 * Scores each language by the words only it uses (a word shared by several counts for none), over
 * at most the first 2,000 words. Null when no language leads clearly.
 */
export function detectLanguage(texts: string[]): Language | null {
  const score: Record<Language, number> = { en: 0, de: 0, fr: 0, nl: 0, es: 0 };
  let seen = 0;
  for (const text of texts) {
    for (const word of fold(text).split(/[^a-z]+/)) {
      if (word === '') continue;
      if (++seen > 2000) break;
      const langs = VOCAB.get(word);
      if (langs?.length === 1) score[langs[0]!]++;
    }
    if (seen > 2000) break;
  }
  const ranked = (Object.entries(score) as Array<[Language, number]>).sort((a, b) => b[1] - a[1]);
  const [first, second] = ranked;
  if (!first || first[1] < 2) return null;
  if (second && first[1] < second[1] * 1.5 + 1) return null;
  return first[0];
}
