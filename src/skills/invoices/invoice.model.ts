import type { ExtractedDocument } from '../../extract/extract.model.ts';
import type { Clock } from '../../shared/clock.ts';
import type { CheckResult, CheckSettings, Risk } from './checks.model.ts';
import type { InvoiceException } from './invoice.exceptions.ts';

/** What `recordInvoice` takes and returns. */

export interface RecordInvoiceInput {
  doc: ExtractedDocument;
  /** messages.id of the message the document came in. */
  messageId: string;
  /** sha256 of the file (of the body text for a document read from the body). */
  attachmentSha256: string;
  filename: string;
  clock: Clock;
  /** The document's extracted text, for search. */
  text?: string;
  /** The original sender (of a forward) or the From of direct mail: helps find the vendor. */
  senderEmail?: string | null;
  /** Domains that never identify a vendor: the team's own (TEAM_DOMAINS). */
  ignoreDomains?: readonly string[];
  settings?: Partial<CheckSettings>;
}

export interface RecordInvoiceResult {
  documentId: string;
  invoiceId: string | null;
  vendorId: string | null;
  checks: CheckResult[];
  /** null for documents that are not invoices. */
  risk: Risk | null;
  /** One sentence each, with context. */
  exceptions: string[];
  exceptionDetails: InvoiceException[];
  proposal: { id: string; summary: string; payload: Record<string, unknown> } | null;
  /** The owner's earlier corrections applied to this document. */
  corrections: string[];
  /** false when this (message, file) had been recorded before. */
  created: boolean;
}
