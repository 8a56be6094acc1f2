import type { Address } from '../../ingest/message.model.ts';
import type { SanitizedText } from '../../shared/outbound-text.ts';

/**
 * Reply drafts: for a thread the assistant is copied on or asked about, a reply in the owner's
 * voice, threaded, addressed to people taken from the thread's headers — never from a body, the
 * owner's instruction text or the model. A draft is a proposal; storing, approving and sending
 * it is someone else's job, and `placeholders` must be empty before it may be sent.
 */

/** One message of a thread as the draft skill sees it. */
export interface ThreadMessage {
  /** Without angle brackets; '' when unknown (an inline forward keeps none). */
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  date: Date | null;
  subject: string;
  from: Address | null;
  replyTo: Address[];
  to: Address[];
  cc: Address[];
  /** full text */
  text: string;
  /** new text only (quotes/signature removed) */
  replyText: string;
}

export interface DraftContext {
  owner: { email: string; name: string };
  assistant: { email: string; name: string };
  teamDomains: readonly string[];
}

export interface DraftRequest {
  trigger: 'owner_request' | 'cc_request';
  /** Oldest first; the message that triggered the draft is last. For an owner's forward, the caller includes the forwarded original as a ThreadMessage before the owner's message. */
  thread: ThreadMessage[];
  /** The owner's own words about what to say ("we accept the offer and ask for the contract"); null for cc_request. */
  instruction: string | null;
  /** Who the owner said to reply to ("Dana"), or null. */
  recipientHint: string | null;
  /** A few earlier texts the owner wrote, for voice; may be empty. */
  ownerSamples: string[];
}

export interface ReplyDraft {
  to: Address[];
  cc: Address[];
  subject: string;
  /** Message-ID being answered (In-Reply-To) and the References chain. */
  inReplyTo: string | null;
  references: string[];
  body: string;
  method: 'model' | 'template';
  /** Placeholders left for the owner, e.g. "[[your answer: …]]". */
  placeholders: string[];
  warnings: string[];
  /** Set when the hint named nobody in the thread: then `to` is empty and the draft cannot be sent until the owner says who. */
  unresolvedRecipient: string | null;
  /** What the sanitizer removed from model output. */
  removed: SanitizedText['removed'];
}
