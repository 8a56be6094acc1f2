/**
 * The words triage looks for, in the languages our users' correspondents write
 * (English, German, French, Dutch, Spanish, Italian, Portuguese, Nordic). Keyword rules are
 * guesses, so their confidence is kept below the header rules'; a model refines them later.
 *
 * Boundaries are written as lookarounds on letters rather than `\b`, because `\b` in a JS
 * regex does not treat "ä" or "é" as letters.
 */

const L = 'a-zà-öø-ÿ';
const word = (alternatives: string): RegExp => new RegExp(`(?<![${L}])(${alternatives})(?![${L}])`, 'i');

/** Subject prefixes of forwards: Fwd/Fw (en), WG (de), TR (fr), RV (es), Doorst (nl), ENC (pt), VS/VB/VL (nordic), PD (pl). */
export const FORWARD_SUBJECT =
  /^\s*((re|aw|sv|antw|réf|rif)\s*:\s*)*(fwd?|wg|tr|rv|doorst|enc|vs|vb|vl|pd)\s*:/i;

/** Lines that open a forwarded block in the body, as mail clients write them in various languages. */
export const FORWARD_MARKER = new RegExp(
  [
    '^\\s*-{2,}\\s*(forwarded message|original message|weitergeleitete nachricht|urspr[üu]ngliche nachricht|message transf[ée]r[ée]|message d.origine|doorgestuurd bericht|oorspronkelijk bericht|mensaje reenviado|mensaje original|messaggio inoltrato|messaggio originale|mensagem encaminhada|mensagem original|videresendt melding|vidarebefordrat meddelande|alkuper[äa]inen viesti)',
    '^\\s*(begin forwarded message|anfang der weitergeleiteten nachricht|d[ée]but du message r[ée]exp[ée]di[ée])\\s*:',
    '^\\s*(from|von|de|van|da)\\s*:.*\\n\\s*(sent|gesendet|envoy[ée]|verzonden|enviado|inviato|date|datum)\\s*:',
  ].join('|'),
  'im',
);

/** Invoice words; German compounds ("Rechnungsnummer") allowed, "Berechnung" (calculation) not. */
export const INVOICE_WORDS = new RegExp(
  `(?<![${L}])(invoices?|e-?invoice|rechnung(en|s[${L}]*)?|e-?rechnung|xrechnung|factur(e|es|a|as)|factur-?x|factuur|facturen|fattur(a|e)|fakturan?|fatura|lasku|inv(?=[ #-]?\\d))(?![${L}])`,
  'i',
);

/** Phrases that only appear in the body of a bill. */
export const INVOICE_BODY_PHRASES = word(
  'invoice (no|number|#|date)|amount due|total due|balance due|payment due|please remit|rechnungsnummer|rechnungsbetrag|zahlbar bis|f[äa]llig am|num[ée]ro de facture|montant d[ûu]|date d.[ée]ch[ée]ance|factuurnummer|te betalen|n[úu]mero de factura|importe a pagar|numero (di )?fattura|importo dovuto',
);

/** Receipt words (subjects and file names: "reçu" also means "received" in running French text). */
export const RECEIPT_WORDS = word(
  'receipts?|quittung|kassenbon|kassabon|re[çc]u|recibo|ricevuta|kvitto|kvittering|kuitti|payment confirmation|payment received|order confirmation|zahlungsbest[äa]tigung|bestellbest[äa]tigung|confirmation de (paiement|commande)|betalingsbevestiging|orderbevestiging|confirmaci[óo]n de (pago|pedido)|conferma (di pagamento|d.ordine)|bon(?=[ #-]?\\d)',
);

/** Phrases that only appear in the body of a receipt. */
export const RECEIPT_BODY_PHRASES = word(
  'payment received|we received your payment|thank you for your (payment|purchase|order)|thanks for your (payment|purchase|order)|amount paid|paid on|payment successful|zahlung erhalten|vielen dank f[üu]r ihre (zahlung|bestellung)|paiement re[çc]u|merci pour votre (paiement|commande)|betaling ontvangen|pago recibido|pagamento ricevuto',
);

/** Documents that are not bills: contracts, statements, quotes, purchase orders… */
export const DOCUMENT_WORDS = word(
  'contracts?|agreements?|nda|statements?|bank statement|quotes?|quotation|proposal|purchase order|certificate|terms|policy|signed|vertrag|vertr[äa]ge|vereinbarung|kontoauszug|angebot|bestellung|urkunde|contrat|accord|relev[ée]|devis|bon de commande|attestation|overeenkomst|contract|afschrift|offerte|contrato|acuerdo|extracto|presupuesto|contratto|accordo|estratto conto|preventivo',
);

/** Meeting and scheduling phrases; single words like "call" or "available" are too loose alone. */
export const MEETING_PHRASES = word(
  [
    'meeting|meetings|meet up|let.s meet|find (us |a |some )?(a )?time|schedule (a|the|our) (call|meeting|chat|time)|reschedul(e|ing)|availability|are you (free|available)|when (are you|would you be|works)|what time works|time slots?|calendar invite|set up a (call|meeting|time)|hop on a call|a (quick )?call|video call|zoom call|catch(ing)? up|book a time|coffee chat',
    'termine?|terminvorschlag|besprechung|treffen|zeit finden|telefonat|videocall',
    'r[ée]union|rendez-vous|disponibilit[ée]s?|cr[ée]neau|un appel|visio',
    'vergadering|afspraak|beschikbaarheid|overleg|even bellen',
    'reuni[óo]n|una llamada|disponibilidad',
    'riunione|appuntamento|una chiamata',
  ].join('|'),
);

/** Asks directed at the reader. */
export const REQUEST_PHRASES = word(
  [
    'can you|could you|would you|will you|can we|could we|please|pls|kindly|let me know|i need|we need|need you to|would it be possible',
    'bitte|k[öo]nnen sie|k[öo]nnten sie|kannst du|k[öo]nntest du|w[üu]rden sie',
    's.il (te|vous) pla[îi]t|pourriez-vous|pouvez-vous|peux-tu|merci de',
    'graag|kunt u|kun je|zou je|zou u',
    'por favor|puede|podr[íi]a|puedes|podr[íi]as',
    'per favore|potresti|potrebbe|pu[òo] ',
  ].join('|'),
);

/** Imperative verbs that open a sentence or clause ("From now on, file anything…"). */
export const IMPERATIVE_START = new RegExp(
  `(^|[.!?\\n]\\s*|,\\s*)(please\\s+)?(send|reply|answer|forward|file|pay|approve|book|schedule|draft|remind|cancel|check|review|sign|update|add|remove|tell|ask|confirm|prepare|find|set up|move|archive|label|put|make sure|always|never)(?![${L}])`,
  'i',
);
