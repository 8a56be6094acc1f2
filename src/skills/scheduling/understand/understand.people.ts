import { escapeRegExp } from '../../../ingest/forward.labels.ts';
import type { Address } from '../../../ingest/message.model.ts';
import type { SchedulingMessage } from './understand.model.ts';

/**
 * Who is in the thread and who gets invited. Invitees come only from the thread's participants
 * and from addresses the owner wrote (DESIGN.md: recipients never come from anyone else's words
 * or a model). The owner's words narrow the list ("without Sam", "Sam doesn't need to join",
 * "just me and Dana"); machine senders and our own assistant are never invited. Pure.
 */

const MACHINE = /^(?:no-?reply|do-?not-?reply|mailer-daemon|postmaster|notifications?|bounces?)(?:[+.-]|@)/i;
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
const EXCLUDE_BEFORE =
  "(?:without|not|except|leave out|leaving out|no need to (?:include|invite)|don['’]?t (?:include|invite)|do not (?:include|invite)|minus|skip)\\s+";
const EXCLUDE_AFTER =
  "\\s+(?:doesn['’]?t|does not|won['’]?t|will not|needn['’]?t|need not|can['’]?t|cannot)\\s+(?:need to\\s+|have to\\s+)?(?:join|attend|be there|come|make it|be on)";
const ONLY = /\b(?:just|only)\s+(?:me\s+and|you\s+and\s+me|the two of us|us two)\b[^.?!\n]*/i;

const lower = (a: string) => a.trim().toLowerCase();

/** Every distinct person on the thread's From/To/Cc, in order of appearance, without the assistant. */
export function participants(thread: readonly SchedulingMessage[], assistantEmail: string): Address[] {
  const seen = new Map<string, Address>();
  for (const m of thread) {
    for (const a of [...(m.from ? [m.from] : []), ...m.to, ...m.cc]) {
      const key = lower(a.address);
      if (key === '' || key === lower(assistantEmail) || MACHINE.test(key)) continue;
      const known = seen.get(key);
      if (!known || (known.name === '' && a.name !== '')) seen.set(key, { name: a.name, address: key });
    }
  }
  return [...seen.values()];
}

/** Names a person may be called by in mail: full name, first name, the address's local part. */
export function namesOf(a: Address): string[] {
  const full = a.name.replace(/["']/g, '').trim();
  const first = full.split(/[\s,]+/)[0] ?? '';
  const local = a.address.split('@')[0] ?? '';
  return [...new Set([full, first, local].filter((n) => n.length >= 2))];
}

function named(text: string, a: Address, around: (name: string) => string): boolean {
  return namesOf(a).some((n) => new RegExp(around(escapeRegExp(n)), 'i').test(text));
}

export interface Invitees {
  invitees: Address[];
  reasons: string[];
}

/** The people to invite besides the owner, as the owner's words (`ownerTexts`) decide. */
export function inviteesOf(
  people: readonly Address[],
  ownerTexts: readonly string[],
  ownerEmail: string,
  assistantEmail: string,
): Invitees {
  const reasons: string[] = [];
  const owner = lower(ownerEmail);
  let list = people.filter((p) => p.address !== owner);
  const said = ownerTexts.join('\n');
  for (const p of [...list]) {
    if (
      named(said, p, (n) => `\\b${EXCLUDE_BEFORE}${n}\\b`) ||
      named(said, p, (n) => `\\b${n}${EXCLUDE_AFTER}`)
    ) {
      list = list.filter((x) => x !== p);
      reasons.push(`left out ${p.address}: the owner said so`);
    }
  }
  const only = ONLY.exec(said)?.[0];
  if (only !== undefined) {
    const kept = list.filter((p) =>
      namesOf(p).some((n) => new RegExp(`\\b${escapeRegExp(n)}\\b`, 'i').test(only)),
    );
    if (kept.length > 0) {
      reasons.push(`only ${kept.map((p) => p.address).join(', ')}: the owner wrote "${only.trim()}"`);
      list = kept;
    }
  }
  for (const m of said.matchAll(EMAIL)) {
    const address = lower(m[0]);
    if (address === owner || address === lower(assistantEmail) || list.some((p) => p.address === address))
      continue;
    if (MACHINE.test(address)) continue;
    list.push({ name: '', address });
    reasons.push(`added ${address}: named by the owner`);
  }
  return { invitees: list, reasons };
}
