import type { ColumnType, Generated, Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type {
  DocumentKeyDateTable,
  DocumentTable,
  FieldCorrectionTable,
  InvoiceTable,
  PurchaseOrderTable,
  VendorAccountTable,
  VendorTable,
} from './invoice.tables.ts';
import type { LlmCacheTable, LlmCallTable } from './llm.tables.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** jsonb: read as parsed JSON, written as a JSON string (pg and PGlite both accept text for jsonb). */
type Json<T> = ColumnType<T, string, string>;
/** bigint columns come back as strings from pg; we keep ids as strings end to end. */
type Id = ColumnType<string, never, never>;
type BigIntCol = ColumnType<string, string | number | bigint, string | number | bigint>;

export interface MailboxCursorTable {
  mailbox: string;
  uid_validity: BigIntCol;
  last_uid: BigIntCol;
  highest_modseq: string | null;
  updated_at: Timestamp;
}

export interface ThreadTable {
  id: Generated<string> & Id;
  subject: ColumnType<string, string | undefined, string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ThreadRefTable {
  message_id: string;
  thread_id: BigIntCol;
}

export type MessageStatus = 'received' | 'processed' | 'quarantined';

export interface MessageTable {
  id: Generated<string> & Id;
  mailbox: string;
  uid_validity: BigIntCol | null;
  uid: BigIntCol | null;
  message_id: string;
  content_sha256: string;
  size: number;
  raw: Buffer | null;
  status: ColumnType<MessageStatus, MessageStatus | undefined, MessageStatus>;
  thread_id: BigIntCol | null;
  subject: string | null;
  from_address: string | null;
  internal_date: NullableTimestamp;
  received_at: Timestamp;
  processed_at: NullableTimestamp;
  category: string | null;
  addressing: string | null;
  requester: string | null;
  automatic: boolean | null;
  parsed: Json<unknown> | null;
  triage: Json<unknown> | null;
  error: string | null;
  target_folder: string | null;
  filed_at: NullableTimestamp;
  skills_done_at: NullableTimestamp;
}

export interface AttachmentTable {
  id: Generated<string> & Id;
  message_id: BigIntCol;
  filename: string | null;
  content_type: string;
  size: number;
  sha256: string;
  inline: boolean;
  content: Buffer;
  created_at: Timestamp;
}

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'ambiguous' | 'failed';

/** An iTIP part of an outbound message: the VCALENDAR text and its METHOD (RFC 5546). */
export interface OutboundCalendar {
  method: 'REQUEST' | 'CANCEL' | 'REPLY';
  content: string;
  filename: string;
}

export interface OutboxTable {
  id: Generated<string> & Id;
  message_id: string;
  idempotency_key: string;
  purpose: string;
  status: ColumnType<OutboxStatus, OutboxStatus | undefined, OutboxStatus>;
  from_address: string;
  to_addresses: Json<string[]>;
  cc_addresses: Json<string[]>;
  subject: string;
  text_body: string;
  html_body: string | null;
  in_reply_to: string | null;
  references: string | null;
  extra_headers: Json<Record<string, string>>;
  /** An iTIP calendar part (migration 006): {method, content, filename}. */
  calendar: ColumnType<OutboundCalendar | null, string | null | undefined, string | null>;
  thread_id: BigIntCol | null;
  source_message: BigIntCol | null;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  smtp_response: string | null;
  created_at: Timestamp;
  sending_at: NullableTimestamp;
  sent_at: NullableTimestamp;
  saved_to_sent: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface JournalTable {
  id: Generated<string> & Id;
  at: Timestamp;
  actor: string;
  action: string;
  reason: ColumnType<string, string | undefined, never>;
  message_id: ColumnType<string | null, string | number | null | undefined, never>;
  thread_id: ColumnType<string | null, string | number | null | undefined, never>;
  outbox_id: ColumnType<string | null, string | number | null | undefined, never>;
  data: ColumnType<Record<string, unknown>, string | undefined, never>;
  proposal_id: ColumnType<string | null, string | number | null | undefined, never>;
  rule_id: ColumnType<string | null, string | number | null | undefined, never>;
  approval_id: ColumnType<string | null, string | number | null | undefined, never>;
  meeting_id: ColumnType<string | null, string | number | null | undefined, never>;
}

export type ProposalKind = 'reply_draft' | 'payment' | 'meeting';
export type ProposalStatus =
  | 'awaiting_approval'
  | 'needs_input'
  | 'approved'
  | 'rejected'
  | 'executed'
  | 'superseded'
  | 'cancelled'
  | 'expired';

export type ApprovalStatus = 'open' | 'approved' | 'rejected' | 'expired' | 'superseded' | 'cancelled';

export interface ApprovalTable {
  id: Generated<string> & Id;
  proposal_id: BigIntCol;
  round: ColumnType<number, number | undefined, never>;
  token: string;
  request_message_id: string | null;
  clarify_message_id: string | null;
  request_outbox_id: BigIntCol | null;
  status: ColumnType<ApprovalStatus, ApprovalStatus | undefined, ApprovalStatus>;
  level: 'one_yes' | 'decision';
  policy: Json<Record<string, unknown>>;
  shown: Json<Record<string, unknown>>;
  previous_id: BigIntCol | null;
  expires_at: Timestamp;
  decided_at: NullableTimestamp;
  decided_by_message: BigIntCol | null;
  decision: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  executed_outbox_id: BigIntCol | null;
  confirmed_at: NullableTimestamp;
  created_at: Timestamp;
}

export interface ProposalTable {
  id: Generated<string> & Id;
  kind: ProposalKind;
  status: ColumnType<ProposalStatus, ProposalStatus | undefined, ProposalStatus>;
  idempotency_key: string;
  message_id: BigIntCol | null;
  thread_id: BigIntCol | null;
  summary: string;
  payload: Json<Record<string, unknown>>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface StandingRuleTable {
  id: Generated<string> & Id;
  kind: string;
  rule: Json<Record<string, unknown>>;
  words: string;
  method: 'rules' | 'model';
  status: ColumnType<'active' | 'undone', 'active' | 'undone' | undefined, 'active' | 'undone'>;
  source_message: BigIntCol;
  confirmation_message_id: string | null;
  created_at: Timestamp;
  undone_at: NullableTimestamp;
  undone_by_message: BigIntCol | null;
}

export type MeetingStatus = 'clarifying' | 'proposing' | 'booked' | 'cancelled' | 'released';

/** migration 007: a meeting deskhand arranges; see migrations/007_meetings.sql. */
export interface MeetingTable {
  id: Generated<string> & Id;
  thread_id: BigIntCol | null;
  source_message: BigIntCol;
  uid: string;
  status: MeetingStatus;
  summary: string;
  duration_minutes: number;
  organizer: Json<Record<string, unknown>>;
  attendees: Json<Array<Record<string, unknown>>>;
  delegated: ColumnType<boolean, boolean | undefined, boolean>;
  request: Json<Record<string, unknown>>;
  offered: ColumnType<Array<Record<string, unknown>>, string | undefined, string>;
  offer_proposal_id: BigIntCol | null;
  offer_round: ColumnType<number, number | undefined, number>;
  offered_before: ColumnType<Array<Record<string, unknown>>, string | undefined, string>;
  start_at: NullableTimestamp;
  end_at: NullableTimestamp;
  sequence: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface MeetingRsvpTable {
  meeting_id: BigIntCol;
  attendee: string;
  partstat: 'ACCEPTED' | 'DECLINED' | 'TENTATIVE';
  sequence: number;
  message_id: BigIntCol;
  verified: boolean;
  received_at: Timestamp;
}

/** migration 008: one digest per day of the owner's calendar, and its numbered items. */
export interface DigestTable {
  id: Generated<string> & Id;
  day: string;
  token: string;
  message_id: string | null;
  outbox_id: BigIntCol | null;
  skipped: ColumnType<boolean, boolean | undefined, boolean>;
  content: Json<Record<string, unknown>>;
  journal_mark: ColumnType<string, string | number | undefined, string | number>;
  created_at: Timestamp;
}

export interface DigestItemTable {
  digest_id: BigIntCol;
  number: number;
  kind: 'approval' | 'payment';
  approval_id: BigIntCol | null;
  invoice_id: BigIntCol | null;
  label: string;
}

export interface Database {
  mailbox_cursors: MailboxCursorTable;
  threads: ThreadTable;
  thread_refs: ThreadRefTable;
  messages: MessageTable;
  attachments: AttachmentTable;
  outbox: OutboxTable;
  journal: JournalTable;
  proposals: ProposalTable;
  standing_rules: StandingRuleTable;
  approvals: ApprovalTable;
  llm_calls: LlmCallTable;
  llm_cache: LlmCacheTable;
  vendors: VendorTable;
  vendor_accounts: VendorAccountTable;
  documents: DocumentTable;
  document_key_dates: DocumentKeyDateTable;
  purchase_orders: PurchaseOrderTable;
  invoices: InvoiceTable;
  field_corrections: FieldCorrectionTable;
  meetings: MeetingTable;
  meeting_rsvps: MeetingRsvpTable;
  digests: DigestTable;
  digest_items: DigestItemTable;
}

/** A database handle or an open transaction: repository functions take either. */
export type Db = Kysely<Database> | Transaction<Database>;
export type MessageRow = Selectable<MessageTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type JournalRow = Selectable<JournalTable>;
export type ProposalRow = Selectable<ProposalTable>;
export type StandingRuleRow = Selectable<StandingRuleTable>;
export type ApprovalRow = Selectable<ApprovalTable>;
export type MeetingRow = Selectable<MeetingTable>;
export type DigestRow = Selectable<DigestTable>;
export type DigestItemRow = Selectable<DigestItemTable>;
export type NewOutboxRow = Insertable<OutboxTable>;
