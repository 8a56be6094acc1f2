import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/db.types.ts';
import { documentFields, type Field, FLAG_ACTIONS, proposalFields } from './report.rows.ts';

/** Journal action of the shadow run: where a stored message came from (reason: its name in the source). */
export const SHADOW_READ = 'shadow_read';
/** Journal action of the shadow run: processing a message threw (reason: the error). */
export const SHADOW_FAILED = 'shadow_failed';

/** Of an outbound mail's text, at most this much goes into the report. */
const MAX_TEXT = 8000;

/** A mail the run would have sent (an outbox row left `pending`). */
export interface MailView {
  id: string;
  purpose: string;
  status: string;
  to: string;
  cc: string;
  subject: string;
  text: string;
  /** "… 1,234 more characters" when the text was cut for the report, else null. */
  more: string | null;
  calendar: string | null;
}

export interface MessageView {
  id: string;
  name: string;
  subject: string;
  from: string;
  date: string | null;
  status: string;
  quarantined: boolean;
  /** Stored but not (fully) processed: an error, or a run stopped in between. */
  unfinished: boolean;
  error: string | null;
  category: string;
  addressing: string | null;
  requester: string | null;
  automatic: boolean;
  confidence: string | null;
  reasons: string[];
  forwardedFrom: string | null;
  wouldFileInto: string | null;
  warnings: string[];
  flags: Field[];
  documents: Array<{ filename: string; kind: string; method: string; fields: Field[]; warnings: string[] }>;
  proposals: Array<{ kind: string; summary: string; status: string; fields: Field[] }>;
  approvals: MailView[];
  otherMail: MailView[];
}

type OutboxRowLite = {
  id: string;
  purpose: string;
  status: string;
  to_addresses: string[];
  cc_addresses: string[];
  subject: string;
  text_body: string;
  calendar: { method?: string; filename?: string } | null;
};

export function mailView(o: OutboxRowLite): MailView {
  const cut = o.text_body.length > MAX_TEXT;
  return {
    id: o.id,
    purpose: o.purpose,
    status: o.status,
    to: o.to_addresses.join(', '),
    cc: o.cc_addresses.join(', '),
    subject: o.subject,
    text: cut ? o.text_body.slice(0, MAX_TEXT) : o.text_body,
    more: cut ? `… ${(o.text_body.length - MAX_TEXT).toLocaleString('en')} more characters` : null,
    calendar: o.calendar ? `${o.calendar.method ?? ''} ${o.calendar.filename ?? ''}`.trim() : null,
  };
}

const OUTBOX_COLUMNS = [
  'outbox.id',
  'outbox.purpose',
  'outbox.status',
  'outbox.to_addresses',
  'outbox.cc_addresses',
  'outbox.subject',
  'outbox.text_body',
  'outbox.calendar',
] as const;

/**
 * One page of the report: up to `limit` stored messages after id `afterId`, in the order they
 * were read, each with its triage, documents, proposals and the mail it would send. A handful of
 * queries per page, whatever the page holds; large columns (raw source, parsed bodies) are never read.
 */
export async function readMessagePage(
  db: Kysely<Database>,
  afterId: string,
  limit: number,
): Promise<MessageView[]> {
  const rows = await db
    .selectFrom('messages')
    .select([
      'id',
      'subject',
      'from_address',
      'status',
      'error',
      'category',
      'addressing',
      'requester',
      'automatic',
      'target_folder',
      'skills_done_at',
      // parsed.date is a serialized Date (ISO 8601) or null.
      sql<
        string | null
      >`to_char(coalesce((parsed->>'date')::timestamptz, internal_date) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI "UTC"')`.as(
        'date',
      ),
      sql<string[] | null>`triage->'reasons'`.as('reasons'),
      sql<string | null>`triage->>'confidence'`.as('confidence'),
      sql<string | null>`triage->'forwarded'->'from'->>'address'`.as('forwarded_from'),
    ])
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [journal, documents, proposals] = await Promise.all([
    db
      .selectFrom('journal')
      .select(['message_id', 'action', 'reason', 'outbox_id', 'data'])
      .where('message_id', 'in', ids)
      .where((eb) =>
        eb.or([
          eb('action', 'in', [...FLAG_ACTIONS, SHADOW_READ, SHADOW_FAILED]),
          eb('outbox_id', 'is not', null),
        ]),
      )
      .orderBy('id')
      .execute(),
    db
      .selectFrom('documents')
      .select(['message_id', 'filename', 'kind', 'method', 'extracted', 'warnings'])
      .where('message_id', 'in', ids)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('proposals')
      .select(['message_id', 'kind', 'summary', 'status', 'payload'])
      .where('message_id', 'in', ids)
      .orderBy('id')
      .execute(),
  ]);
  const outboxIds = [...new Set(journal.flatMap((j) => (j.outbox_id ? [j.outbox_id] : [])))];
  const outbox = await db
    .selectFrom('outbox')
    .select([...OUTBOX_COLUMNS, 'outbox.source_message'])
    .where((eb) =>
      outboxIds.length
        ? eb.or([eb('outbox.source_message', 'in', ids), eb('outbox.id', 'in', outboxIds)])
        : eb('outbox.source_message', 'in', ids),
    )
    .orderBy('outbox.id')
    .execute();
  const outboxOwner = new Map<string, string>();
  for (const o of outbox) if (o.source_message) outboxOwner.set(o.id, String(o.source_message));
  for (const j of journal)
    if (j.outbox_id && j.message_id && !outboxOwner.has(j.outbox_id))
      outboxOwner.set(j.outbox_id, j.message_id);

  return rows.map((r) => {
    const mine = journal.filter((j) => j.message_id === r.id);
    const read = mine.find((j) => j.action === SHADOW_READ);
    const readData = (read?.data ?? {}) as { warning?: string | null };
    const failed = mine.filter((j) => j.action === SHADOW_FAILED).at(-1);
    const mail = outbox.filter((o) => outboxOwner.get(o.id) === r.id).map(mailView);
    const unfinished = r.status === 'received' || (r.status === 'processed' && !r.skills_done_at);
    return {
      id: r.id,
      name: read?.reason ?? `message ${r.id}`,
      subject: r.subject ?? '(no subject)',
      from: r.from_address ?? '(unknown sender)',
      date: r.date,
      status: r.status,
      quarantined: r.status === 'quarantined',
      unfinished,
      error: r.error ?? (unfinished && failed ? failed.reason : null),
      category: r.category ?? r.status,
      addressing: r.addressing,
      requester: r.requester,
      automatic: r.automatic === true,
      confidence: r.confidence === null ? null : Number(r.confidence).toFixed(2),
      reasons: Array.isArray(r.reasons) ? r.reasons.map(String) : [],
      forwardedFrom: r.forwarded_from,
      wouldFileInto: r.target_folder,
      warnings: readData.warning ? [readData.warning] : [],
      flags: mine
        .filter((j) => FLAG_ACTIONS.has(j.action))
        .map((j) => ({ label: j.action.replace(/_/g, ' '), value: j.reason })),
      documents: documents
        .filter((d) => String(d.message_id) === r.id)
        .map((d) => ({
          filename: d.filename,
          kind: d.kind,
          method: d.method,
          fields: documentFields(d.extracted),
          warnings: Array.isArray(d.warnings) ? d.warnings.map(String) : [],
        })),
      proposals: proposals
        .filter((p) => String(p.message_id) === r.id)
        .map((p) => ({
          kind: p.kind.replace(/_/g, ' '),
          summary: p.summary,
          status: p.status.replace(/_/g, ' '),
          fields: proposalFields(p.kind, p.payload),
        })),
      approvals: mail.filter((m) => m.purpose.startsWith('approval')),
      otherMail: mail.filter((m) => !m.purpose.startsWith('approval')),
    };
  });
}

/**
 * Mail the run would send that belongs to no stored message (a notice about the run itself,
 * a confirmation to the owner), one page at a time after outbox id `afterId`.
 */
export async function readUnlinkedMail(
  db: Kysely<Database>,
  afterId: string,
  limit: number,
): Promise<MailView[]> {
  const rows = await db
    .selectFrom('outbox')
    .select(OUTBOX_COLUMNS)
    .where('outbox.id', '>', afterId)
    .where('outbox.source_message', 'is', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('journal')
            .select('journal.id')
            .whereRef('journal.outbox_id', '=', 'outbox.id')
            .where('journal.message_id', 'is not', null),
        ),
      ),
    )
    .orderBy('outbox.id')
    .limit(limit)
    .execute();
  return rows.map(mailView);
}
