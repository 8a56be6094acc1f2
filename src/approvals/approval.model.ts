import type { Address } from '../ingest/message.model.ts';
import type { CheckResult } from '../skills/invoices/checks.model.ts';
import type { PolicyDecision } from './approval.policy.ts';
import { TOKEN_PREFIX } from './reply/reply.markers.ts';

/**
 * What an approval round shows the owner, exactly: approving it executes this and nothing else.
 * Stored as the round's `shown` column; an edit produces a new `Shown` (and, when recipients or
 * amounts change, a new round).
 */
export interface ShownReply {
  type: 'reply';
  to: Address[];
  cc: Address[];
  subject: string;
  body: string;
  inReplyTo: string | null;
  references: string[];
  /** Who wrote the body: the model (sanitized again at the outbox), the template, or the owner's edit. */
  method: 'model' | 'template' | 'owner';
  /** Links the thread already had: the only ones model text may carry out. */
  allowedUrls: string[];
  /** "[[…]]" left to fill: a reply with placeholders is never sent. */
  placeholders: string[];
  /** Why no recipient is known yet, if so. */
  unresolvedRecipient: string | null;
  /** What the drafting noticed (ignored instructions in the thread, a recipient it left out…). */
  warnings: string[];
}

export interface ShownPayment {
  type: 'payment';
  invoiceId: string;
  documentId: string;
  vendorId: string | null;
  vendor: string | null;
  invoiceNumber: string | null;
  issueDate: string | null;
  dueDate: string | null;
  currency: string | null;
  amount: number | null;
  subtotal: number | null;
  tax: number | null;
  iban: string | null;
  bic: string | null;
  poNumber: string | null;
  checks: CheckResult[];
  exceptions: Array<{ message: string } | string>;
  evidence: Record<string, { text: string; page?: number | null; confidence?: number | null }>;
}

export type Shown = ShownReply | ShownPayment;

/** A round as the request and the decision see it. */
export interface ApprovalRound {
  id: string;
  proposalId: string;
  round: number;
  token: string;
  level: 'one_yes' | 'decision';
  policy: PolicyDecision;
  shown: Shown;
  /** What changed since the previous round (new rounds only), one line per change. */
  changes: string[];
  expiresAt: Date;
}

/** The plus-tag and body reference of a round's token. */
export const tokenRef = (token: string): string => `${TOKEN_PREFIX}${token}`;
