import type { OutboundCalendar } from '../db/db.types.ts';

/** What a caller asks the outbox to send. Recipients come from the thread or the owner, never from a model. */
export interface OutboundRequest {
  /** Why this is sent: 'notice', 'reply', 'approval', 'digest', … (journaled). */
  purpose: string;
  /** Same key → same row: asking twice never sends twice. */
  idempotencyKey: string;
  to: string[];
  cc?: string[];
  subject: string;
  text: string;
  html?: string | null;
  inReplyTo?: string | null;
  references?: string[];
  threadId?: string | null;
  /** The message this answers, if any; automatic or own mail is never answered. */
  sourceMessageId?: string | null;
  /**
   * Set when any of the text came from the model: the body is sanitized once more here (no
   * images, no links outside `allowedUrls` — the thread's own), whatever the caller did before,
   * and an HTML part is dropped (only the sanitized text goes out).
   */
  modelText?: { allowedUrls: string[] };
  /**
   * An iTIP calendar part (a meeting invite or its cancellation): sent as `text/calendar;
   * method=…` beside the text in multipart/alternative, and attached as an .ics file.
   */
  calendar?: OutboundCalendar | null;
  /** Where answers should go: approval requests name `assistant+token@…` (RFC 5233 sub-addressing). */
  replyTo?: string | null;
  /** RFC 3834: `auto-replied` for answers to a message, `auto-generated` otherwise. */
  autoSubmitted?: 'auto-generated' | 'auto-replied';
}

export type EnqueueResult =
  | { kind: 'queued'; outboxId: string; messageId: string; existing: boolean }
  | { kind: 'refused'; reason: string };
