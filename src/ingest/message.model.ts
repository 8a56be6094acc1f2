import type { InvisibleKind } from '../shared/invisible.ts';

/**
 * The normalized message: what every stage after ingest reads. It is built once
 * from the raw RFC 5322 source (see `parse.ts`) and never re-parsed by skills.
 */

/** A mailbox address as written in a header. `address` is lower-cased. */
export interface Address {
  name: string;
  address: string;
}

export interface AttachmentInfo {
  filename: string | null;
  contentType: string;
  size: number;
  /** sha256 of the decoded content, hex. */
  sha256: string;
  /** `inline` parts with a Content-ID are body images, not documents. */
  inline: boolean;
  contentId: string | null;
  /** Decoded bytes; kept in memory only for the parse → store step. */
  content: Buffer;
}

/** The message a forward wraps: inline ("---------- Forwarded message ---------") or message/rfc822. */
export interface ForwardedMessage {
  from: Address | null;
  to: Address[];
  cc: Address[];
  subject: string | null;
  /** The date as written (localized clients write it in their language). */
  date: string | null;
  text: string;
  /** The note the forwarder typed above the forwarded block, if any. */
  note: string | null;
  via: 'inline' | 'rfc822';
}

/** Header facts that decide whether mail was sent by a machine (RFC 3834, RFC 3464, RFC 2369, RFC 2919). */
export interface AutomaticSignals {
  autoSubmitted: string | null;
  precedence: string | null;
  listId: string | null;
  listUnsubscribe: boolean;
  returnPathEmpty: boolean;
  isDeliveryReport: boolean;
  autoReplyHeaders: string[];
}

export interface NormalizedMessage {
  /** Message-ID without angle brackets; synthesized from the content hash when missing. */
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  subject: string;
  date: Date | null;
  from: Address | null;
  sender: Address | null;
  replyTo: Address[];
  to: Address[];
  cc: Address[];
  /** Delivered-To / X-Original-To values: how the message reached our mailbox (detects BCC). */
  deliveredTo: string[];
  /** Plain text body; HTML bodies are converted to text. */
  text: string;
  html: string | null;
  attachments: AttachmentInfo[];
  /** Raw header lines we keep for rules (lower-cased names, first value). */
  headers: Record<string, string>;
  automatic: AutomaticSignals;
  forwarded: ForwardedMessage | null;
  /** The newly written text of a reply: quotes and signature removed. */
  replyText: string;
  /** Warnings from parsing (broken charset, truncated parts, too many parts…). */
  parseWarnings: string[];
  /**
   * Invisible Unicode removed from subject and text before anything read them (null: none),
   * and the ASCII that tag characters spelled — a hidden message meant for a model.
   */
  invisible: { removed: Partial<Record<InvisibleKind, number>>; hidden: string } | null;
}
