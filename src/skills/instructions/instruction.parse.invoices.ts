import { type AmountLimit, findAmountLimit } from './instruction.amount.ts';
import { checked, type SentenceResult } from './instruction.parse.result.ts';
import { classifySender, domainOf } from './instruction.sender.ts';

/**
 * Invoice approval rules from one sentence: "approve AWS invoices under $500" relaxes,
 * "always ask me before paying Contoso" tightens. Tightening cues are tried first, so
 * "never approve Contoso invoices without asking me" is never read as an approval. Pure.
 */

/** Cues that make the rest of the sentence a stricter rule; `target` is what it is about. */
const TIGHTEN: RegExp[] = [
  /\b(?:ask|check with|consult|ping|email|tell) me (?:first )?(?:before|prior to) (?:you )?(?:paying|approving|pay|approve|ok'?ing)(?: for)?\s+(?<target>.+)$/i,
  /\b(?:never|don'?t|do not|won'?t)\s+(?:ever\s+)?(?:auto-?approve|automatically approve|approve|pay)\s+(?<target>.+)$/i,
  /\b(?:require|request) (?:my )?approval for\s+(?<target>.+)$/i,
  /^(?<target>.+?)\s+(?:always |must |should )?(?:need|needs|require|requires|go through|goes through) (?:my|me for) (?:approval|ok|okay|sign-?off)\b/i,
];
/** Cues that make the rest of the sentence an auto-approval. */
const RELAX = /\b(?:auto-?approve|automatically approve|approve|pay)\s+(?<target>.+)$/i;

const INVOICE_NOUN = /\b(?:invoices?|bills?|payments?|receipts?|rechnungen|factures)\b/i;
const STOP = String.raw`(?=\s+(?:under|below|over|above|up\s+to|less|more|at\s+most|at\s+least|not|that|which|if|when|unless|as|and|or|with|without|for|automatically|of|in)\b|[,;]|$)`;
const FROM = new RegExp(String.raw`\bfrom\s+(?<who>.+?)${STOP}`, 'i');
const QUALIFIERS =
  /\s+(?:without (?:asking|checking with|consulting|bothering|telling) me|without (?:my )?(?:approval|ok|okay|asking)|automatically|on your own|(?:by )?yourself|for me|first|right away|straight away|immediately|directly)\b.*$/i;
const ONE_OFF = /\b(?:this|that|these|those|it|them|today'?s|yesterday'?s|last|latest|attached|forwarded)\b/i;
const GENERAL = /^(?:(?:all|any|every|each|my|our|incoming|new|future|recurring|monthly)(?:\s+|$))+/i;
/** "from any vendor": explicitly no vendor. */
const ANY_VENDOR =
  /^(?:(?:any|all|every)\s+(?:vendors?|suppliers?|compan(?:y|ies)|senders?)|any(?:one|body)|every(?:one|body))$/i;
/** A one-off in time ("pay the Hetzner invoices up to €200 today") is a request, not a rule. */
const NOW = /\b(?:today|tonight|tomorrow|this (?:week|month)|right now|now|right away|immediately|asap)\b/i;
/** A vendor named without "invoices" ("before paying Contoso") must look like a name. */
const PROPER = /^[\p{Lu}\d]/u;

interface Target {
  vendor: string | null;
  vendorDomain: string | null;
  amount: AmountLimit | null;
}

/** Reads "AWS invoices under $500" / "invoices from aws.amazon.com below 500 USD" / "Contoso". */
function parseTarget(raw: string): Target | { reason: string } | null {
  let t = raw
    .replace(QUALIFIERS, '')
    .replace(/[.!?]+$/, '')
    .trim();
  const amount = findAmountLimit(t);
  if (amount) t = (t.slice(0, amount.index) + t.slice(amount.index + amount.match.length)).trim();
  let vendor: string | null = null;
  let vendorDomain: string | null = null;
  const take = (who: string): boolean => {
    const s = classifySender(who);
    if (!s) return false;
    if (s.kind === 'name') vendor ??= s.name;
    else vendorDomain ??= s.kind === 'domain' ? s.domain : domainOf(s.address);
    return true;
  };
  const from = FROM.exec(t);
  if (from?.groups?.who) {
    if (!ANY_VENDOR.test(from.groups.who.trim()) && !take(from.groups.who)) return null;
    t = t.slice(0, from.index).trim();
  }
  const noun = INVOICE_NOUN.exec(t);
  const head = (noun ? t.slice(0, noun.index) : t).trim();
  // "approve the invoices from Hetzner" points at invoices already in view; with a limit it is a rule.
  if (ONE_OFF.test(head) || (/^the\b/i.test(head) && !amount)) return null;
  const name = head
    .replace(GENERAL, '')
    .replace(/^(?:anything|everything)$/i, '')
    .trim();
  if (name && ((!noun && !PROPER.test(name) && !/[.@]/.test(name)) || !take(name))) return null;
  if (!noun && !from && !name && !amount) return null;
  return { vendor, vendorDomain, amount };
}

/** An approval rule in `sentence`, a reason it is one we cannot record, or null if it is none. */
export function parseInvoiceRule(sentence: string): SentenceResult | null {
  for (const re of TIGHTEN) {
    const target = re.exec(sentence)?.groups?.target;
    if (!target) continue;
    // "… needs my approval" is about invoices only when it says so or names an amount.
    if (re === TIGHTEN[3] && !INVOICE_NOUN.test(target) && !findAmountLimit(target)) continue;
    const t = parseTarget(target);
    if (!t) return null;
    if ('reason' in t) return t;
    if (t.amount?.bound === 'max') {
      return { reason: 'a stricter approval rule takes a lower limit ("over €1,000"), not an upper one' };
    }
    return checked({
      kind: 'require_approval',
      vendor: t.vendor,
      vendorDomain: t.vendorDomain,
      minAmount: t.amount?.value ?? null,
      currency: t.amount?.currency ?? null,
    });
  }
  const relax = RELAX.exec(sentence)?.groups?.target;
  if (
    !relax ||
    NOW.test(sentence) ||
    !(INVOICE_NOUN.test(relax) || /^(?:anything|everything)\b/i.test(relax))
  )
    return null;
  const t = parseTarget(relax);
  if (!t || 'reason' in t) return t;
  if (t.amount?.bound === 'min') {
    return { reason: 'an approval without asking takes an upper limit ("under $500"), not a lower one' };
  }
  if (!t.vendor && !t.vendorDomain && !t.amount) {
    return { reason: 'approving every invoice is too broad: name a vendor or an upper limit' };
  }
  return checked({
    kind: 'auto_approve_invoices',
    vendor: t.vendor,
    vendorDomain: t.vendorDomain,
    maxAmount: t.amount?.value ?? null,
    currency: t.amount?.currency ?? null,
  });
}
