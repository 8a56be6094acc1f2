/**
 * What the approval-reply reader takes and returns. The owner answers an approval email in their
 * own words; the reader turns that into one of three decisions plus the edits and corrections the
 * owner wrote, and says in one sentence how it read them, because the owner sees that sentence and
 * the journal keeps it. Verification (DKIM, token) happens before and is not described here.
 */

/** The invoice fields an owner may correct in a payment approval ("total: 1200.00"). */
export const CORRECTION_FIELDS = [
  'total',
  'subtotal',
  'tax',
  'currency',
  'dueDate',
  'issueDate',
  'invoiceNumber',
  'iban',
  'bic',
  'poNumber',
  'vendor',
] as const;
export type CorrectionField = (typeof CORRECTION_FIELDS)[number];

/**
 * One field the owner corrected. Normal forms: amounts are numbers, dates `YYYY-MM-DD`, IBANs
 * without spaces upper-case, currencies ISO 4217 upper-case, other fields as written.
 */
export interface FieldCorrection {
  field: CorrectionField;
  value: string | number;
  /** The owner's words. */
  words: string;
}

export interface ReplyInput {
  /** New text of the reply: quotes and signature removed (NormalizedMessage.replyText). */
  replyText: string;
  /** Whole plain text of the reply including quoted parts (NormalizedMessage.text): the draft markers are searched here. */
  fullText: string;
  /** The draft as shown between the markers in the approval email (null: not a draft approval, e.g. a payment). */
  draft: string | null;
  /** Whether field corrections apply (payment approvals). */
  acceptsCorrections: boolean;
  /** The reply's date as YYYY-MM-DD in the owner's time zone, to resolve "due Friday" / "due 31.3.". */
  today: string;
}

export interface ApprovalAnswer {
  decision: 'approve' | 'reject' | 'unclear';
  /** Text between the markers, unquoted (one level of "> " removed consistently), trimmed, when it differs from `draft` beyond whitespace; else null. */
  editedDraft: string | null;
  corrections: FieldCorrection[];
  /** One sentence saying how the reply was read ("read as YES: \"Go ahead\""), journaled and shown to the owner. */
  reason: string;
  method: 'rules' | 'model';
}

/** Input beyond these lengths is cut before reading: replies are short, and time stays bounded. */
export const LIMITS = {
  replyText: 20_000,
  fullText: 200_000,
  draft: 50_000,
  line: 1_000,
} as const;
