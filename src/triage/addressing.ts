import type { AutomaticKind } from '../ingest/automatic.ts';
import type { NormalizedMessage } from '../ingest/message.model.ts';
import { assistantPlusTag, bareAddress, isAssistantAddress } from './address.ts';
import { type Decision, decision } from './decision.ts';
import { FORWARD_MARKER, FORWARD_SUBJECT } from './keywords.ts';
import type { Addressing, Requester, TriageContext } from './triage.model.ts';

/** What addressing needs besides the message: decided before it, by other rules. */
export interface AddressingFacts {
  requester: Requester;
  automatic: boolean;
  automaticKind: AutomaticKind | null;
}

/**
 * How the assistant was brought in, first match wins:
 * 1. `approval_reply`: answers one of our approval requests (by Message-ID or `assistant+TOKEN@`);
 * 2. `forward`: unwraps to a forwarded message;
 * 3. `owner_instruction`: the owner writes to the assistant, with nobody else in To;
 * 4. `direct` (assistant in To), `cc` (in Cc), `bcc` (in neither: reached by Bcc or a redirect).
 *
 * Automatic mail is never an approval reply nor an instruction, whatever it references: an
 * out-of-office answer to an approval request that says "yes" must not approve anything
 * (RELIABILITY.md item 14). Approvals verify again on their own; this is the first fence.
 * A bounce or an auto-reply is never a forward either, though it may carry the original message.
 */
export function decideAddressing(
  msg: NormalizedMessage,
  ctx: TriageContext,
  facts: AddressingFacts,
): Decision<Addressing> {
  const approval = approvalReference(msg, ctx);
  if (approval !== null && !facts.automatic) return decision('approval_reply', 0.95, approval);
  const notes = approval === null ? [] : [`${approval}, but it is automatic mail: not an approval reply`];

  // A bounce returns our own message and an auto-reply may quote it: neither is a forward.
  const forward = forwardEvidence(msg);
  const returned = facts.automaticKind === 'bounce' || facts.automaticKind === 'auto_reply';
  if (forward !== null && !returned) {
    return withNotes(decision('forward', forward.confidence, forward.reason), notes);
  }

  const inTo = msg.to.some((a) => isAssistantAddress(a.address, ctx.assistantEmail));
  const inCc = msg.cc.some((a) => isAssistantAddress(a.address, ctx.assistantEmail));
  if (inTo && facts.requester === 'owner' && !facts.automatic) {
    const others = msg.to.filter((a) => !isOwnerOrAssistant(a.address, ctx));
    if (others.length === 0) {
      return withNotes(
        decision('owner_instruction', 0.85, 'the owner wrote to the assistant directly'),
        notes,
      );
    }
    notes.push(
      `the owner also wrote to ${others.map((a) => a.address).join(', ')}: a thread, not an instruction`,
    );
  }
  if (inTo) return withNotes(decision('direct', 0.95, 'assistant is in To'), notes);
  if (inCc) return withNotes(decision('cc', 0.95, 'assistant is in Cc'), notes);
  return withNotes(bccDecision(msg, ctx), notes);
}

function bccDecision(msg: NormalizedMessage, ctx: TriageContext): Decision<Addressing> {
  const delivered = msg.deliveredTo.find((d) => isAssistantAddress(d, ctx.assistantEmail));
  if (delivered !== undefined) {
    return decision('bcc', 0.9, `assistant is in neither To nor Cc; delivered to ${bareAddress(delivered)}`);
  }
  return decision('bcc', 0.6, 'assistant is in neither To nor Cc: reached by Bcc or a redirect');
}

/** A reason string when the message answers one of our approval requests, else null. */
function approvalReference(msg: NormalizedMessage, ctx: TriageContext): string | null {
  if (ctx.isApprovalReference === undefined) return null;
  const ids = [...(msg.inReplyTo === null ? [] : [msg.inReplyTo]), ...msg.references];
  const tags = plusTags(msg, ctx);
  if (!ctx.isApprovalReference(ids, tags)) return null;
  return tags.length > 0
    ? `addressed to ${tags.map((t) => `+${t}`).join(', ')}: answers an approval request`
    : 'In-Reply-To/References name one of our approval requests';
}

/** The `+detail` parts of every assistant address the message was sent or delivered to. */
export function plusTags(msg: NormalizedMessage, ctx: TriageContext): string[] {
  const addresses = [...msg.to.map((a) => a.address), ...msg.cc.map((a) => a.address), ...msg.deliveredTo];
  const tags = addresses
    .map((a) => assistantPlusTag(a, ctx.assistantEmail))
    .filter((t): t is string => t !== null);
  return [...new Set(tags)];
}

/**
 * A forward is a parsed forwarded message, or a forward subject prefix (Fwd:, WG:, TR:, RV:,
 * Doorst:…) together with forwarded content: a forward marker line or an attached message.
 * A prefix alone is not enough: people keep "Fwd:" in subjects of threads long after.
 */
export function forwardEvidence(msg: NormalizedMessage): { confidence: number; reason: string } | null {
  if (msg.forwarded !== null) {
    const from = msg.forwarded.from ? ` from ${msg.forwarded.from.address}` : '';
    return { confidence: 0.95, reason: `forwards a message${from} (${msg.forwarded.via})` };
  }
  if (!FORWARD_SUBJECT.test(msg.subject)) return null;
  const attached = msg.attachments.some((a) => a.contentType.toLowerCase() === 'message/rfc822');
  if (attached) return { confidence: 0.85, reason: `subject "${msg.subject}" and an attached message` };
  if (FORWARD_MARKER.test(msg.text)) {
    return { confidence: 0.8, reason: `subject "${msg.subject}" and a forwarded block in the body` };
  }
  return null;
}

function isOwnerOrAssistant(address: string, ctx: TriageContext): boolean {
  return (
    bareAddress(address) === bareAddress(ctx.ownerEmail) || isAssistantAddress(address, ctx.assistantEmail)
  );
}

function withNotes<T>(d: Decision<T>, notes: string[]): Decision<T> {
  return notes.length === 0 ? d : { ...d, reasons: [...d.reasons, ...notes] };
}
