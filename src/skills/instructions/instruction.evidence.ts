import { amountsIn } from './instruction.amount.ts';
import type { StandingRule } from './instruction.model.ts';
import { cleanText, containsWord, findLoose } from './instruction.text.ts';

/**
 * A model must not invent a sender, a vendor, a folder or an amount: every such value in a rule it
 * proposes has to be written in the owner's own text, and so does the quote it says the rule came
 * from. Days and times are not checked here (they are closed vocabularies the owner sees in the
 * confirmation). Pure.
 */

/** The names and addresses a rule sets, with the field each came from. */
function namedValues(rule: StandingRule): Array<[string, string]> {
  const out: Array<[string, string | null]> = [];
  switch (rule.kind) {
    case 'auto_approve_invoices':
    case 'require_approval':
      out.push(['vendor', rule.vendor], ['vendorDomain', rule.vendorDomain]);
      break;
    case 'file_messages':
      out.push(
        ['fromAddress', rule.fromAddress],
        ['fromDomain', rule.fromDomain],
        ['keyword', rule.keyword],
        ['folder', rule.folder],
      );
      break;
    case 'ignore_sender':
      out.push(['fromAddress', rule.fromAddress], ['fromDomain', rule.fromDomain]);
      break;
    case 'no_meetings':
      break;
  }
  return out.filter((e): e is [string, string] => e[1] !== null);
}

/** Amount and currency checks: the number is one the owner wrote, the currency one they named. */
function moneyProblem(rule: StandingRule, text: string): string | null {
  if (rule.kind !== 'auto_approve_invoices' && rule.kind !== 'require_approval') return null;
  const amount = rule.kind === 'auto_approve_invoices' ? rule.maxAmount : rule.minAmount;
  const written = amountsIn(text);
  if (amount !== null && !written.some((m) => m.value === amount)) {
    return `the amount ${amount} is not in the owner's words`;
  }
  const cur = rule.currency;
  if (cur !== null && !written.some((m) => m.currency === cur) && !containsWord(text, cur)) {
    return `the currency ${cur} is not in the owner's words`;
  }
  return null;
}

/** Why a model's rule is not backed by the owner's text, or null when it is. */
export function evidenceProblem(rule: StandingRule, quote: string, ownerText: string): string | null {
  const text = cleanText(ownerText);
  if (!quote.trim() || !findLoose(text, cleanText(quote))) {
    return "the model's quote is not in the owner's words";
  }
  for (const [field, value] of namedValues(rule)) {
    // A folder must be the whole path the owner wrote, not a part of it ("Clients" of "Clients/Acme").
    const joiners = field === 'folder' ? '/\\_-' : '';
    if (!containsWord(text, value, { joiners })) return `the ${field} "${value}" is not in the owner's words`;
  }
  return moneyProblem(rule, text);
}
