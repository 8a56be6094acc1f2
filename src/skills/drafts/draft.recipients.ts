import type { Address } from '../../ingest/message.model.ts';
import { domainOf, withoutDetail } from '../../triage/address.ts';
import type { DraftContext, ThreadMessage } from './draft.model.ts';
import { namesAddress } from './draft.names.ts';

/**
 * Who a reply goes to. Addresses come only from the thread's headers (From, Reply-To, To, Cc):
 * never from a body, from the owner's instruction text or from the model — that is what keeps
 * "also CC evil@x.example" in a vendor's mail or a model's answer from becoming a recipient
 * (RELIABILITY 19). Reply-all semantics: the person answered in To, everyone else who was on
 * that message in Cc, minus the owner and the assistant, plus the owner so they keep a copy.
 * Pure.
 */

export interface Recipients {
  /** The message the reply answers; null when only the owner and the assistant wrote in the thread. */
  answered: ThreadMessage | null;
  to: Address[];
  cc: Address[];
  /** The owner's hint when it names nobody in the thread (then `to` is empty). */
  unresolvedRecipient: string | null;
  warnings: string[];
}

const NO_REPLY = /^(?:no-?reply|do-?not-?reply|donotreply|mailer-daemon|postmaster|bounces?)(?:[+.-]|@)/i;

/** The message to answer and its recipients; `hint` is who the owner said to reply to, if anyone. */
export function chooseRecipients(
  thread: readonly ThreadMessage[],
  hint: string | null,
  ctx: DraftContext,
): Recipients {
  const isSelf = (a: Address) =>
    [ctx.owner.email, ctx.assistant.email].some((s) => sameMailbox(a.address, s));
  const owner: Address = { name: ctx.owner.name, address: ctx.owner.email.toLowerCase() };
  const written = thread.filter((m) => m.from && usable(m.from) && !isSelf(m.from));
  const wanted = hint?.trim() ? hint.trim() : null;
  if (wanted === null) {
    const answered = written.at(-1) ?? null;
    if (answered) return replyAll(answered, null, isSelf, owner);
    return nobody(
      null,
      owner,
      'only the owner and the assistant wrote in this thread: there is no one to reply to',
    );
  }
  const byHint = written.filter((m) => m.from && namesAddress(wanted, m.from));
  const named = participants(thread).filter((a) => !isSelf(a) && namesAddress(wanted, a));
  const warnings =
    named.length > 1
      ? [`"${wanted}" could be ${named.map((a) => a.address).join(' or ')}; replying to the latest who wrote`]
      : [];
  const answered = byHint.at(-1);
  if (answered) return withWarnings(replyAll(answered, null, isSelf, owner), warnings);
  // Named in the thread but never wrote: address them, threaded on the latest message from someone else.
  const listed = named.at(-1);
  const latest = written.at(-1) ?? thread.at(-1) ?? null;
  if (listed && latest) return withWarnings(replyAll(latest, listed, isSelf, owner), warnings);
  return nobody(wanted, owner, `"${wanted}" is not anyone in this thread: say who this reply is for`);
}

function replyAll(
  m: ThreadMessage,
  instead: Address | null,
  isSelf: (a: Address) => boolean,
  owner: Address,
): Recipients {
  const warnings: string[] = [];
  const replyTo = m.replyTo.filter((a) => usable(a) && !isSelf(a));
  const to = dedupe(instead ? [instead] : replyTo.length > 0 ? replyTo : m.from ? [m.from] : []);
  if (
    !instead &&
    replyTo.length > 0 &&
    m.from &&
    replyTo.some((a) => domainOf(a.address) !== domainOf(m.from?.address ?? ''))
  ) {
    warnings.push(
      `replies go to the Reply-To address ${replyTo.map((a) => a.address).join(', ')}, not to the sender ${m.from.address}: check it is theirs`,
    );
  }
  const others = instead && m.from ? [m.from, ...m.to, ...m.cc] : [...m.to, ...m.cc];
  const cc = dedupe([...others.filter((a) => usable(a) && !isSelf(a)), owner]).filter(
    (a) => !to.some((t) => t.address === a.address),
  );
  for (const a of to)
    if (NO_REPLY.test(a.address)) warnings.push(`${a.address} looks like an address nobody reads`);
  return { answered: m, to, cc, unresolvedRecipient: null, warnings };
}

function nobody(unresolved: string | null, owner: Address, warning: string): Recipients {
  return { answered: null, to: [], cc: [owner], unresolvedRecipient: unresolved, warnings: [warning] };
}

function withWarnings(r: Recipients, extra: string[]): Recipients {
  return { ...r, warnings: [...extra, ...r.warnings] };
}

/** Everyone in the thread's headers, latest message last. */
function participants(thread: readonly ThreadMessage[]): Address[] {
  return dedupeLast(
    thread.flatMap((m) => [...(m.from ? [m.from] : []), ...m.replyTo, ...m.to, ...m.cc]).filter(usable),
  );
}

/** Header parsers leave empty or group entries ("undisclosed-recipients:;"); only real mailboxes count. */
function usable(a: Address): boolean {
  return /^[^\s@<>,;:]+@[^\s@<>,;:]+$/.test(a.address);
}

function sameMailbox(a: string, b: string): boolean {
  return withoutDetail(a) === withoutDetail(b);
}

/** First occurrence wins; addresses lower-cased. */
function dedupe(list: Address[]): Address[] {
  const seen = new Set<string>();
  const out: Address[] = [];
  for (const a of list) {
    const address = a.address.toLowerCase();
    if (seen.has(address)) continue;
    seen.add(address);
    out.push({ name: a.name, address });
  }
  return out;
}

/** Last occurrence wins (so `.at(-1)` is the most recent mention), addresses lower-cased. */
function dedupeLast(list: Address[]): Address[] {
  return dedupe([...list].reverse()).reverse();
}
