import {
  type AutomaticKind,
  automaticSubjectKind,
  DESKHAND_ID_HEADER,
  isAutomatic,
  isMailSystemSender,
} from '../ingest/automatic.ts';
import type { NormalizedMessage } from '../ingest/message.model.ts';
import { isAssistantAddress } from './address.ts';
import type { TriageContext } from './triage.model.ts';

/** Everything triage knows about whether a machine sent the message. */
export interface AutomaticFacts {
  /** Never answer: bounce, auto-reply, list, bulk or our own mail. */
  automatic: boolean;
  kind: AutomaticKind | null;
  /** From the assistant itself or stamped with our own header. */
  ownMail: boolean;
  /** Sent to a list or as bulk: a newsletter unless it carries a bill. */
  massMail: boolean;
  confidence: number;
  reasons: string[];
}

/**
 * Header signals first (RFC 3834, RFC 3464, RFC 2369/2919), then what needs more than headers:
 * a MAILER-DAEMON/postmaster sender, a localized auto-reply subject, our own address or stamp.
 */
export function detectAutomatic(msg: NormalizedMessage, ctx: TriageContext): AutomaticFacts {
  const reasons: string[] = [];
  const verdict = isAutomatic(msg.automatic);
  let kind = verdict.kind;
  let confidence = verdict.automatic ? 0.97 : 0.9;
  if (verdict.reason !== null) reasons.push(verdict.reason);

  // The subject is read here too: the parser may hand readAutomaticSignals an undecoded
  // (RFC 2047) subject, and it sharpens "auto-generated" into an out-of-office reply.
  const subjectKind = kind === null || kind === 'bulk' ? automaticSubjectKind(msg.subject) : null;
  if (subjectKind !== null) {
    confidence = kind === null ? 0.75 : 0.9;
    kind = subjectKind;
    reasons.push(
      `subject "${msg.subject}" looks like ${subjectKind === 'bounce' ? 'a bounce' : 'an auto-reply'}`,
    );
  }
  const from = msg.from?.address ?? '';
  if (from !== '' && isMailSystemSender(from) && kind !== 'bounce' && kind !== 'auto_reply') {
    kind = 'bounce';
    confidence = 0.9;
    reasons.push(`From ${from} is a mail system address: a bounce`);
  }
  const ownMail = isOwnMail(msg, ctx, reasons);
  const massMail =
    kind === 'list' || msg.automatic.precedence === 'bulk' || msg.automatic.precedence === 'junk';
  return { automatic: kind !== null || ownMail, kind, ownMail, massMail, confidence, reasons };
}

function isOwnMail(msg: NormalizedMessage, ctx: TriageContext, reasons: string[]): boolean {
  const from = msg.from?.address ?? '';
  if (from !== '' && isAssistantAddress(from, ctx.assistantEmail)) {
    reasons.push(`From ${from} is the assistant itself: our own mail`);
    return true;
  }
  const stamp = msg.headers[DESKHAND_ID_HEADER.toLowerCase()];
  if (stamp !== undefined) {
    reasons.push(`${DESKHAND_ID_HEADER}: ${stamp}: our own mail`);
    return true;
  }
  return false;
}
