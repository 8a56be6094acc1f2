import {
  electronicFormatIBAN,
  getCountrySpecifications,
  isSEPACountry,
  ValidationErrorsIBAN,
  validateIBAN,
} from 'ibantools';
import type { ExtractedDocument } from '../../extract/extract.model.ts';
import { type CheckResult, fail, pass, unchecked } from './checks.model.ts';

/**
 * The IBAN on a document: is it well formed (ISO 13616 mod-97 checksum, the country's length and
 * BBAN format), and does its country fit the vendor? Paying a German vendor into a Lithuanian
 * account is legal — and also what invoice fraud looks like — so a mismatch is a warning. Pure.
 */

/** "de89 3704 0044 0532 0130 00" → "DE89370400440532013000"; null when nothing is left. */
export function normalizeIban(iban: string | null | undefined): string | null {
  if (!iban) return null;
  return electronicFormatIBAN(iban) || null;
}

/** Shows only the country and the last four characters: "DE…3000". Safe for mail and logs. */
export function maskIban(iban: string): string {
  const e = normalizeIban(iban) ?? iban;
  return e.length <= 6 ? e : `${e.slice(0, 2)}…${e.slice(-4)}`;
}

/** The ISO 3166 country a VAT id names (EU prefixes; "EL" is Greece, "XI" Northern Ireland, "CHE" Switzerland). */
export function taxIdCountry(taxId: string | null): string | null {
  if (!taxId) return null;
  const t = taxId.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (t.startsWith('CHE')) return 'CH';
  const prefix = /^([A-Z]{2})\d/.exec(t)?.[1];
  if (!prefix) return null;
  if (prefix === 'EL') return 'GR';
  if (prefix === 'XI') return 'GB';
  return prefix in getCountrySpecifications() ? prefix : null;
}

const ERRORS: Record<number, string> = {
  [ValidationErrorsIBAN.NoIBANProvided]: 'empty',
  [ValidationErrorsIBAN.NoIBANCountry]: 'unknown country code',
  [ValidationErrorsIBAN.WrongBBANLength]: 'wrong length for its country',
  [ValidationErrorsIBAN.WrongBBANFormat]: 'wrong account format for its country',
  [ValidationErrorsIBAN.ChecksumNotNumber]: 'check digits are not numbers',
  [ValidationErrorsIBAN.WrongIBANChecksum]: 'checksum does not match',
  [ValidationErrorsIBAN.WrongAccountBankBranchChecksum]: 'national account checksum does not match',
  [ValidationErrorsIBAN.QRIBANNotAllowed]: 'QR-IBAN not allowed',
};

export function ibanChecks(doc: ExtractedDocument, vendorTaxId: string | null): CheckResult[] {
  const iban = normalizeIban(doc.iban);
  if (!iban) {
    const why = 'No IBAN on the document.';
    return [unchecked('iban.checksum', why), unchecked('iban.country', why)];
  }
  const masked = maskIban(iban);
  const v = validateIBAN(iban);
  if (!v.valid) {
    const problems = v.errorCodes.map((c) => ERRORS[c] ?? `error ${c}`);
    return [
      fail(
        'iban.checksum',
        'high',
        `The IBAN ${masked} is not valid (${problems.join(', ')}): do not pay to it.`,
        {
          iban: masked,
          problems,
        },
      ),
      unchecked('iban.country', 'The IBAN is not valid, so its country was not compared.'),
    ];
  }
  return [pass('iban.checksum', `The IBAN ${masked} is well formed.`), ibanCountry(doc, iban, vendorTaxId)];
}

function ibanCountry(doc: ExtractedDocument, iban: string, vendorTaxId: string | null): CheckResult {
  const country = iban.slice(0, 2);
  const masked = maskIban(iban);
  const vendorCountry = taxIdCountry(doc.vendor.taxId ?? vendorTaxId);
  if (vendorCountry && vendorCountry !== country) {
    return fail(
      'iban.country',
      'warn',
      `The IBAN ${masked} is in ${country}, but the vendor's tax id is from ${vendorCountry}.`,
      { ibanCountry: country, vendorCountry },
    );
  }
  if (doc.currency === 'EUR' && !isSEPACountry(country)) {
    return fail(
      'iban.country',
      'warn',
      `A EUR invoice asks for payment to ${masked}, outside the SEPA area.`,
      {
        ibanCountry: country,
      },
    );
  }
  return pass(
    'iban.country',
    vendorCountry
      ? `The IBAN's country ${country} matches the vendor's tax id.`
      : `The IBAN is in ${country}.`,
    { ibanCountry: country, vendorCountry },
  );
}
