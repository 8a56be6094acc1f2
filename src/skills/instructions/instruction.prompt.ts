import { dataSection, mailIsData } from '../../llm/llm.prompt.ts';

/**
 * The prompt for reading a standing instruction the rules could not. The owner's words are
 * trusted, but they still travel in a data section: the model describes the rule they state, it
 * does not carry anything out, and nothing outside the section can pass for the owner's words.
 * Pure and deterministic (identical calls are cached).
 */

const KINDS = [
  '- auto_approve_invoices: approve matching invoices without asking. Fields: vendor (name), vendorDomain, ' +
    'maxAmount (inclusive upper limit), currency.',
  '- require_approval: always ask before approving matching invoices. Fields: vendor, vendorDomain, ' +
    'minAmount (inclusive lower limit), currency.',
  '- file_messages: file matching mail into a folder. Fields: fromAddress, fromDomain, keyword (a word), ' +
    'keywordIn (sender: in the sender\'s name or address, as in "from the bank"; subject; or ' +
    'sender_or_subject), folder.',
  '- no_meetings: times the owner takes no meetings. Fields: days (mon…sun, blocked whole), before ' +
    '(HH:MM, no meeting starts earlier, every day), after (HH:MM, no meeting ends later, every day).',
  '- ignore_sender: never draft replies to this sender, treat its mail as FYI. Fields: fromAddress, fromDomain.',
].join('\n');

const RULES = [
  'Read the section "owner_instruction": a message the owner wrote to you. Decide whether it states a ' +
    'standing rule of one of these kinds, and describe that one rule:',
  KINDS,
  'Answer rules:',
  '- Copy every vendor, domain, address, keyword and folder exactly as the owner wrote it. Never guess or ' +
    'complete one (no domain for a vendor name, no folder the owner did not name); leave it null instead.',
  '- Amounts as plain numbers (1000.5, not "1.000,50"); currency as an ISO 4217 code only when the owner ' +
    'wrote a currency or its symbol, else null. Times as 24-hour HH:MM.',
  '- Set every field the kind does not use to null (days to []).',
  '- quote: the exact words of the owner the rule comes from, copied verbatim.',
  '- If it states several rules, describe only the first.',
  '- If the message states no standing rule, or one that fits no kind, set understood ' +
    'to false, kind to null, and say why in reason, in one short sentence to the owner.',
].join('\n');

/** System and user messages for `instructions.parse`. */
export function buildInstructionPrompt(text: string, ownerName: string): { system: string; user: string } {
  return {
    system: `${mailIsData(ownerName)}\n\n${RULES}`,
    user: dataSection('owner_instruction', { text }),
  };
}
