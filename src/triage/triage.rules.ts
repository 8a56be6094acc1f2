import type { NormalizedMessage } from '../ingest/message.model.ts';
import { decideAddressing } from './addressing.ts';
import { detectAutomatic } from './automatic-mail.ts';
import { decideCategory } from './category.ts';
import { decideRequester, participantsOf } from './requester.ts';
import type { TriageContext, TriageResult } from './triage.model.ts';

/**
 * The deterministic triage of one message: how the assistant was addressed, what the message
 * is, who asked, and whether a machine sent it. Pure: no I/O, no clock; never throws.
 *
 * Order matters: machine mail is recognised first, because an auto-reply or a bounce must never
 * become an approval, an instruction or a request, whatever words it contains.
 */
export function triageMessage(msg: NormalizedMessage, ctx: TriageContext): TriageResult {
  const auto = detectAutomatic(msg, ctx);
  const requester = decideRequester(msg, ctx);
  const addressing = decideAddressing(msg, ctx, {
    requester: requester.value,
    automatic: auto.automatic,
    automaticKind: auto.kind,
  });
  const category = decideCategory(msg, auto);
  const reasons = [...addressing.reasons, ...requester.reasons, ...category.reasons];
  if (auto.automatic) reasons.push(...auto.reasons, 'automatic mail: never answered');
  return {
    addressing: addressing.value,
    category: category.value,
    requester: requester.value,
    from: msg.from?.address ?? '',
    automatic: auto.automatic,
    ownMail: auto.ownMail,
    reasons: [...new Set(reasons)],
    confidence: round(Math.min(addressing.confidence, category.confidence, requester.confidence)),
    forwarded: msg.forwarded,
    replyText: msg.replyText,
    participants: participantsOf(msg, ctx),
  };
}

function round(n: number): number {
  return Math.round(Math.max(0, Math.min(1, n)) * 100) / 100;
}
