/**
 * The labels invoices in English, German, French, Dutch and Spanish (and Polish, where cheap) put
 * before their values. Written for folded text (lower case, accents removed: see `fold`). Each list
 * is data, not logic: adding a language means adding words here. Labels of one field must not
 * swallow another's: "Rechnungsdatum" is no "Rechnung" and "USt-IdNr." is no tax amount.
 */

/** Builds a label regex: alternatives, word-bounded at the start (and at the end unless they end in punctuation). */
export function labels(...alternatives: string[]): RegExp {
  return new RegExp(`(?<![a-z0-9])(?:${alternatives.join('|')})(?![a-z])`, 'g');
}

/** "No.", "Nr.", "N°", "#", "number" … after a document word. */
const NO = `(?:\\s*[-.]?\\s*(?:nr|no|n[°ºo]|num|nummer|number|numero|nro|#)\\.?)`;

export const INVOICE_NUMBER = labels(
  `invoice${NO}`,
  `inv\\.?${NO}`,
  `(?:tax\\s*)?invoice\\s*id`,
  `bill${NO}`,
  `receipt${NO}`,
  `credit\\s*note${NO}`,
  `rechnungs?${NO}`,
  `rechnungsnr\\.?`,
  `[a-z]*rechnung\\s*(?:nr\\.?|#)`,
  `rechnungskorrektur${NO}`,
  `beleg${NO}`,
  `gutschrift(?:s)?${NO}`,
  `(?:n[°ºo]|numero|num\\.?|no\\.?)\\s*(?:de\\s*(?:la\\s*)?)?facture`,
  `facture${NO}`,
  `avoir${NO}`,
  `n[°ºo]\\s*d'?\\s*avoir`,
  `factuur${NO}`,
  `factuurnr\\.?`,
  `creditnota${NO}`,
  `(?:n[°ºo]|numero|num\\.?|nro\\.?)\\s*(?:de\\s*)?factura`,
  `factura${NO}`,
  `faktura(?:\\s*vat)?\\s*nr\\.?`,
);

/** Words that name a document; "Facture FA-2017-0009" or "Nr. 471102" on such a line is its number. */
export const DOC_WORD =
  /(?<![a-z])(?:[a-z]*rechnung|invoice|facture|factuur|factura|faktura|gutschrift|rechnungskorrektur|avoir|credit\s*note|creditnota|receipt|quittung)(?![a-z])/;

export const ISSUE_DATE = labels(
  `invoice\\s*date`,
  `date\\s*of\\s*(?:issue|invoice)`,
  `issue\\s*date`,
  `date\\s*issued`,
  `billing\\s*date`,
  `bill\\s*date`,
  `tax\\s*point(?:\\s*date)?`,
  `rechnungs\\s*-?\\s*datum`,
  `beleg\\s*-?\\s*datum`,
  `ausstellungsdatum`,
  `datum\\s*der\\s*rechnung`,
  `date\\s*(?:de\\s*(?:la\\s*)?)?factur(?:e|ation)`,
  `date\\s*d'?\\s*emission`,
  `factuur\\s*-?\\s*datum`,
  `datum\\s*factuur`,
  `fecha\\s*(?:de\\s*)?(?:la\\s*)?factura`,
  `fecha\\s*(?:de\\s*)?(?:emision|expedicion)`,
  `data\\s*wystawienia`,
);

/** A bare "Date:"; only read when no specific label is found. */
export const PLAIN_DATE = labels(`date`, `datum`, `fecha`, `data`, `dated`);

export const DUE_DATE = labels(
  `due\\s*date`,
  `date\\s*due`,
  `payment\\s*due(?:\\s*date)?`,
  `(?:total\\s*)?(?:amount\\s*|balance\\s*)?due\\s*(?:on|by)`,
  `payable\\s*(?:by|until|before)`,
  `pay\\s*by`,
  `please\\s*(?:pay|remit)\\s*(?:by|until|before)`,
  `falligkeitsdatum`,
  `falligkeit`,
  `fallig\\s*(?:am|bis|zum)?`,
  `zahlbar\\s*bis(?:\\s*(?:zum|spatestens))?`,
  `bitte\\s*(?:uberweisen|zahlen|begleichen)\\s*sie\\s*(?:[a-z]+\\s*){0,3}?bis\\s*(?:zum|spatestens)?`,
  `zahlungsziel`,
  `zahlungstermin`,
  `date\\s*d'?\\s*echeance`,
  `echeance`,
  `date\\s*limite\\s*de\\s*(?:paiement|reglement)`,
  `a\\s*payer\\s*avant\\s*le`,
  `vervaldatum`,
  `vervaldag`,
  `uiterste\\s*betaaldatum`,
  `te\\s*betalen\\s*(?:voor|uiterlijk(?:\\s*op)?)`,
  `fecha\\s*(?:de\\s*)?vencimiento`,
  `vencimiento`,
  `fecha\\s*limite\\s*de\\s*pago`,
  `termin\\s*platnosci`,
);

/** Amount due after prepayments: what is left to pay. */
export const TOTAL_DUE = labels(
  `(?:total\\s*)?amount\\s*due`,
  `due\\s*payable`,
  `balance\\s*due`,
  `total\\s*due`,
  `amount\\s*payable`,
  `amount\\s*to\\s*pay`,
  `zahlbetrag`,
  `zu\\s*zahlen(?:der\\s*betrag)?`,
  `zahlungsbetrag`,
  `offener\\s*betrag`,
  `(?:solde|somme|montant|net|reste|total)\\s*a\\s*payer`,
  `(?:totaal\\s*)?te\\s*betalen(?:\\s*bedrag)?`,
  `openstaand\\s*bedrag`,
  `(?:total|importe)\\s*a\\s*pagar`,
  `do\\s*zaplaty`,
  `naleznosc(?:\\s*ogo.em)?`,
  `residual(?:\\s*amount)?`,
);

/** The invoice's gross total: net plus tax. */
export const TOTAL_GROSS = labels(
  `grand\\s*total`,
  `invoice\\s*total`,
  `order\\s*total`,
  `(?:total|amount)\\s*(?:paid|charged)`,
  `total\\s*amount`,
  `total\\s*(?:incl\\.?|including|inc\\.?)\\s*(?:vat|tax|gst)`,
  `total\\s*\\(?gross\\)?`,
  `total\\s*for\\s*this\\s*invoice`,
  `gesamtbetrag`,
  `rechnungsbetrag`,
  `bruttosumme`,
  `bruttobetrag`,
  `gesamtsumme`,
  `endbetrag`,
  `rechnungssumme(?:\\s*brutto)?(?!\\s*(?:ohne|netto|exkl|excl))`,
  `(?:summe|gesamt|total)\\s*brutto`,
  `total\\s*ttc`,
  `montant\\s*(?:total\\s*)?(?:eur\\s*)?ttc`,
  `total\\s*facture`,
  `montant\\s*total`,
  `totaal\\s*(?:incl\\.?|inclusief)\\s*btw`,
  `factuur\\s*totaal`,
  `totaalbedrag`,
  `factuurbedrag`,
  `totaal\\s*bedrag`,
  `importe\\s*total`,
  `total\\s*factura`,
  `total\\s*(?:\\(?iva\\s*incluido\\)?|con\\s*iva)`,
  `razem\\s*brutto`,
);

/** "Total" and its translations with nothing that makes them a net, tax or quantity total. */
export const TOTAL_PLAIN = labels(
  `(?:total|totaal|summe|gesamt|totale)(?!\\s*(?:ht|hors|excl|exkl|net|netto|tax|taxes|tva|vat|btw|iva|mwst|ust|sin|sans|before|ohne|zzgl|line|items|qty|quantity|pieces|weight|discount|rabatt|remise|der|des|de|du|van)(?![a-z]))`,
);

/** Net amount before tax, clearly named as such. */
export const SUBTOTAL_NET = labels(
  `net\\s*(?:total|amount)`,
  `total\\s*(?:excl\\.?|excluding|before|net|w/o|without)\\s*(?:vat|tax(?:es)?|gst)?`,
  `amount\\s*(?:excl\\.?|before)\\s*(?:vat|tax)`,
  `nettobetrag`,
  `nettosumme`,
  `(?:summe|gesamt|total|zwischensumme|warenwert)\\s*netto`,
  `rechnungssumme\\s*(?:ohne\\s*(?:ust|mwst)\\.?|netto|exkl\\.?)`,
  `summe\\s*(?:ohne|exkl\\.?)\\s*(?:ust|mwst)\\.?`,
  `total\\s*ht`,
  `montant\\s*(?:total\\s*)?(?:eur\\s*)?ht`,
  `total\\s*hors\\s*taxes?`,
  `(?:totaal\\s*)?excl(?:usief|\\.)?\\s*btw`,
  `netto\\s*bedrag`,
  `base\\s*imponible`,
  `importe\\s*neto`,
  `total\\s*sin\\s*iva`,
  `razem\\s*netto`,
);

/** "Subtotal" and its translations: usually net, sometimes a gross running sum. */
export const SUBTOTAL_PLAIN = labels(
  `(?:items?\\s*)?sub\\s*-?\\s*total`,
  `zwischensumme`,
  `sous\\s*-?\\s*total`,
  `subtotaal`,
);

const TAX_WORD = `(?:vat|tax|gst|sales\\s*tax|mwst|ust|umsatzsteuer|mehrwertsteuer|tva|btw|iva)`;

/** The total tax amount, named as an amount. */
export const TAX_TOTAL = labels(
  `${TAX_WORD}\\.?\\s*-?\\s*(?:total|amount|betrag|gesamt|summe|bedrag)`,
  `total\\s*${TAX_WORD}e?s?`,
  `steuerbetrag`,
  `(?:summe|gesamt)\\s*(?:mwst|ust)`,
  `montant\\s*(?:de\\s*la\\s*|des\\s*)?(?:tva|taxes)`,
  `totaal\\s*btw`,
  `(?:cuota|importe)\\s*(?:de\\s*)?(?:l\\s*)?iva`,
  `kwota\\s*vat`,
);

/**
 * A tax word with a rate ("MwSt 19 %", "TVA 20% :", "Tax 15% on $ 112.90"), or alone. Not a tax
 * id ("USt-IdNr."), a tax number, a law ("UStG") or a rate column.
 */
export const TAX_RATE = new RegExp(
  `(?<![a-z0-9])${TAX_WORD}(?![a-z])(?!\\.?\\s?-?\\s?(?:id|nr|nummer|number|no\\b|identn|g\\b|%|satz|rate|reg))`,
  'g',
);

/** Words allowed before an amount label in its cell. */
export const AMOUNT_PREFIX =
  /^(?:(?:zzgl|zuzgl|zuzugl|plus|inkl|incl|davon|\+|dont)\.?\s*)?(?:\d{1,2}(?:[.,]\d{1,2})?\s*%\s*)?$/;

/** Before a tax word, also a basis label: "Steuerbasisbetrag USt. 19 % 198,00 37,62" is a basis-and-tax row. */
export const TAX_PREFIX =
  /^(?:(?:zzgl|zuzgl|zuzugl|plus|inkl|incl|davon|\+|dont|estimated|est|(?:steuer)?basis(?:betrag)?|bemessungsgrundlage|base(?:\s*imponible)?|grondslag)\.?\s*)?(?:\d{1,2}(?:[.,]\d{1,2})?\s*%\s*)?$/;

export const PO_NUMBER = labels(
  `p\\.?\\s?o\\.?${NO}?`,
  `purchase\\s*order${NO}?`,
  `your\\s*order${NO}?`,
  `order\\s*reference`,
  `bestell${NO}`,
  `bestellnummer`,
  `ihre\\s*bestellung${NO}?`,
  `bestellung`,
  `(?:n[°ºo]\\s*(?:de\\s*)?)?bon\\s*de\\s*commande${NO}?`,
  `votre\\s*commande${NO}?`,
  `inkoop\\s*-?\\s*order\\s*(?:nummer|nr\\.?)?`,
  `inkoopordernummer`,
  `uw\\s*(?:bestel|order)\\s*(?:nummer|nr\\.?)`,
  `(?:n[°ºo]\\s*(?:de\\s*)?)?pedido${NO}?`,
  `orden\\s*de\\s*compra${NO}?`,
);
