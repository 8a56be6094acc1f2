import type { Kysely } from 'kysely';
import type { SenderAuthVerdict } from '../auth/sender-auth.ts';
import type { Config } from '../config/config.ts';
import type { Database, Db } from '../db/db.types.ts';
import { appendJournal, journalOnce } from '../journal/journal.repository.ts';
import type { ModelClient } from '../llm/llm.model.ts';
import type { Clock } from '../shared/clock.ts';
import { oneLine } from '../shared/one-line.ts';
import type { TriageResult } from '../triage/triage.model.ts';
import { type DocumentOutcome, readMessageDocuments } from './documents.skill.ts';
import type { ReplyDraft, ThreadMessage } from './drafts/draft.model.ts';
import { parseReplyRequest } from './drafts/draft.request.ts';
import { proposeReplyDraft } from './drafts/draft.skill.ts';
import { describeRule } from './instructions/instruction.describe.ts';
import { looksLikeStandingInstruction } from './instructions/instruction.detect.ts';
import { senderIgnoredBy } from './instructions/instruction.match.ts';
import { interpretInstruction } from './instructions/instruction.skill.ts';
import { isUndoReply } from './instructions/instruction.undo.ts';
import { importPurchaseOrders } from './invoices/po.import.ts';
import { recordProposal } from './proposals.repository.ts';
import { activeRules, recordRule, ruleConfirmedBy, undoRule } from './rules.repository.ts';
import { isCalendarPart, recordRsvps } from './scheduling/meeting/meeting.rsvp.ts';
import {
  handleScheduling,
  mayConcernScheduling,
  type SchedulingOutcome,
} from './scheduling/scheduling.skill.ts';
import {
  forwardedAsThreadMessage,
  loadThread,
  ownerSamples,
  type StoredMessage,
  toThreadMessage,
} from './thread.ts';

export interface SkillDeps {
  db: Kysely<Database>;
  config: Config;
  clock: Clock;
  model: ModelClient | null;
  /** Verifies that raw mail really comes from its From domain (DKIM, trusted Authentication-Results). */
  authenticate: (raw: Buffer) => Promise<SenderAuthVerdict>;
}

/** What the skills did with one message; the jobs layer turns these into mail to the owner. */
export type SkillOutcome =
  | {
      kind: 'rule_recorded';
      ruleId: string;
      description: string;
      words: string;
      created: boolean;
      /** Other sentences that read like instructions but were not recorded (one rule per message). */
      ignored: string[];
    }
  | { kind: 'rule_not_understood'; words: string; reason: string }
  | { kind: 'rule_undone'; ruleId: string; description: string }
  | { kind: 'undo_without_rule' }
  | { kind: 'draft_proposed'; proposalId: string; summary: string; draft: ReplyDraft; created: boolean }
  | { kind: 'owner_unverified'; attempted: string; reason: string }
  | DocumentOutcome
  | SchedulingOutcome
  | { kind: 'rsvp_recorded'; meetingId: string; attendee: string; partstat: string }
  | {
      kind: 'po_imported';
      file: string;
      imported: number;
      updated: number;
      unchanged: number;
      errors: string[];
    };

interface Facts {
  id: string;
  threadId: string | null;
  raw: Buffer | null;
  parsed: StoredMessage;
  triage: TriageResult;
  /** The sender check, made at most once per message (it may take DNS lookups). */
  verdict?: Promise<{ authenticated: boolean; reason: string }>;
}

/**
 * Runs the skills that follow from a triaged message: the owner's standing instructions and their
 * undo, and reply drafts (asked for by the owner, or for a request the assistant was copied on).
 * Everything it writes is idempotent per message (unique keys), so a retried job repeats nothing.
 *
 * Safety: only the owner's *authenticated* mail can set or undo a rule or ask for a draft; mail
 * that merely claims the owner's address is reported to the owner and otherwise ignored. A draft
 * for anyone else's request is only a proposal; its recipients come from the thread's headers.
 */
export async function runSkills(deps: SkillDeps, messageId: string): Promise<SkillOutcome[]> {
  const row = await deps.db
    .selectFrom('messages')
    .select(['id', 'thread_id', 'raw', 'parsed', 'triage', 'status'])
    .where('id', '=', messageId)
    .executeTakeFirst();
  if (row?.status !== 'processed' || !row.parsed || !row.triage) return [];
  const f: Facts = {
    id: row.id,
    threadId: row.thread_id === null ? null : String(row.thread_id),
    raw: row.raw,
    parsed: row.parsed as StoredMessage,
    triage: row.triage as TriageResult,
  };
  if (f.triage.ownMail || f.triage.addressing === 'approval_reply') return [];
  // An attendee's answer to one of our invites (calendars send these without a human's words).
  const rsvps = await calendarReplies(deps, f);
  if (rsvps.length) return rsvps;
  // Documents are read whoever sent them (billing systems are machines): extraction runs on its own.
  const docs = await readMessageDocuments(deps, { id: f.id, parsed: f.parsed, category: f.triage.category });
  if (f.triage.automatic) return docs;
  if (f.triage.requester === 'owner') return [...docs, ...(await ownerMail(deps, f))];
  return [...docs, ...(await thirdPartyMail(deps, f))];
}

/** The owner's new words: the note above a forward, else the reply text, else the whole text. */
function ownerWords(p: StoredMessage): string {
  if (p.forwarded) return (p.forwarded.note ?? '').trim();
  // The new text only — never a fallback to the whole text: an owner's reply that only quotes a
  // vendor's "from now on …" must not become the owner's instruction.
  return p.replyText.trim();
}

/**
 * Mail in the owner's name acts only when the owner's domain signed it: otherwise what it asked
 * for (`attempted`) is refused, journaled once, and the owner is told.
 */
async function unverifiedOwner(deps: SkillDeps, f: Facts, attempted: string): Promise<SkillOutcome | null> {
  f.verdict ??= f.raw
    ? deps.authenticate(f.raw)
    : Promise.resolve({ authenticated: false, reason: 'raw message not kept' });
  const verdict = await f.verdict;
  if (verdict.authenticated) return null;
  await journalOnce(deps.db, {
    actor: 'deskhand',
    action: 'owner_unverified',
    reason: `mail from the owner's address could not be verified (${verdict.reason}); refused to ${attempted}`,
    messageId: f.id,
    threadId: f.threadId,
  });
  return { kind: 'owner_unverified', attempted, reason: verdict.reason };
}

async function ownerMail(deps: SkillDeps, f: Facts): Promise<SkillOutcome[]> {
  const words = ownerWords(f.parsed);
  const refs = [f.parsed.inReplyTo, ...f.parsed.references].filter((r): r is string => Boolean(r));
  const confirmed = await ruleConfirmedBy(deps.db, refs);
  const wantsUndo = confirmed !== undefined && isUndoReply(words);
  const wantsRule = !wantsUndo && looksLikeStandingInstruction(words);
  const replyRequest = wantsUndo || wantsRule ? null : parseReplyRequest(words);
  const csvs = await csvAttachments(deps, f.id);
  if (!wantsUndo && !wantsRule && csvs.length === 0) {
    // "CC'ing my assistant to find us a time", or a choice, a move or a cancel in a meeting's thread.
    const thread = await threadOf(deps, f);
    if (await mayConcernScheduling(deps, { threadId: f.threadId, thread })) {
      const refused = await unverifiedOwner(deps, f, 'arrange a meeting');
      if (refused) return [refused];
      const done = await handleScheduling(deps, { ...f, ownerVerified: true, thread });
      if (done) return done;
    }
  }
  if (!wantsUndo && !wantsRule && !replyRequest && csvs.length === 0) return [];

  const attempted = wantsUndo
    ? 'undo a standing rule'
    : wantsRule
      ? `set a standing rule ("${clip(words)}")`
      : replyRequest
        ? `draft a reply ("${clip(words)}")`
        : `import purchase orders (${csvs.map((c) => c.name).join(', ')})`;
  const refused = await unverifiedOwner(deps, f, attempted);
  if (refused) return [refused];
  const now = deps.clock.now();
  // Purchase orders the owner mails as CSV are imported like `deskhand po import` (idempotent).
  const imports: SkillOutcome[] = [];
  for (const c of csvs) {
    const r = await importPurchaseOrders(deps.db, c.text, `mail ${f.id}: ${c.name}`, now);
    await appendJournal(deps.db, {
      actor: 'owner',
      action: 'purchase_orders_imported',
      reason: `${c.name}: ${r.imported} imported, ${r.updated} updated, ${r.errors.length} line(s) with errors`,
      messageId: f.id,
      threadId: f.threadId,
      data: { errors: r.errors.slice(0, 50) },
    });
    imports.push({
      kind: 'po_imported',
      file: c.name,
      imported: r.imported,
      updated: r.updated,
      unchanged: r.unchanged,
      errors: r.errors.map((e) => `line ${e.line}: ${e.message}`),
    });
  }
  return [
    ...imports,
    ...(await ownerRequest(deps, f, { words, confirmed, wantsUndo, wantsRule, replyRequest }, now)),
  ];
}

async function ownerRequest(
  deps: SkillDeps,
  f: Facts,
  w: {
    words: string;
    confirmed: Awaited<ReturnType<typeof ruleConfirmedBy>>;
    wantsUndo: boolean;
    wantsRule: boolean;
    replyRequest: ReturnType<typeof parseReplyRequest>;
  },
  now: Date,
): Promise<SkillOutcome[]> {
  const { words, confirmed, wantsUndo, wantsRule, replyRequest } = w;
  if (wantsUndo && confirmed) {
    const done = await deps.db
      .transaction()
      .execute((trx) => undoRule(trx, confirmed.id, f.id, f.threadId, now));
    const description = describeRule(confirmed.rule as never);
    return done ? [{ kind: 'rule_undone', ruleId: confirmed.id, description }] : [];
  }
  if (wantsRule) {
    const it = await interpretInstruction(words, { ownerName: deps.config.owner.name }, deps.model);
    if (it.rule === null) {
      await appendJournal(deps.db, {
        actor: 'deskhand',
        action: 'rule_not_understood',
        reason: it.reason,
        messageId: f.id,
        threadId: f.threadId,
        data: { words: it.words, ...(it.modelError ? { modelError: it.modelError } : {}) },
      });
      return [{ kind: 'rule_not_understood', words: it.words || words, reason: it.reason }];
    }
    const rule = it.rule;
    const { row, created } = await deps.db
      .transaction()
      .execute((trx) =>
        recordRule(
          trx,
          { rule, words: it.words, method: it.method, sourceMessage: f.id, threadId: f.threadId },
          now,
        ),
      );
    return [
      {
        kind: 'rule_recorded',
        ruleId: row.id,
        description: describeRule(rule),
        words: it.words,
        created,
        ignored: it.ignored,
      },
    ];
  }
  if (replyRequest)
    return [await draft(deps, f, 'owner_request', replyRequest.instruction, replyRequest.recipientHint)];
  return [];
}

/** CSV attachments of a message (purchase orders, when the owner sends them). */
async function csvAttachments(
  deps: SkillDeps,
  messageId: string,
): Promise<Array<{ name: string; text: string }>> {
  const rows = await deps.db
    .selectFrom('attachments')
    .select(['filename', 'content_type', 'content'])
    .where('message_id', '=', messageId)
    .execute();
  return rows
    .filter((a) => a.content && (/^text\/csv/i.test(a.content_type) || /\.csv$/i.test(a.filename ?? '')))
    .map((a) => ({
      name: a.filename ?? 'purchase-orders.csv',
      text: (a.content as Buffer).toString('utf8'),
    }));
}

async function thirdPartyMail(deps: SkillDeps, f: Facts): Promise<SkillOutcome[]> {
  if (f.triage.addressing !== 'cc' && f.triage.addressing !== 'direct') return [];
  const flaggedFirst = await injectionFlagged(deps, f.id);
  const ignoringFirst = senderIgnoredBy(await activeRules(deps.db, 'ignore_sender'), f.parsed.from);
  if (!flaggedFirst && !ignoringFirst) {
    // A meeting asked for, or an answer in a meeting's thread: scheduling, not a free-form draft.
    const thread = await threadOf(deps, f);
    const done = await handleScheduling(deps, { ...f, ownerVerified: false, thread });
    if (done) return done;
  }
  // A request the assistant was copied on or asked directly: the owner gets a draft to approve.
  if (f.triage.category !== 'request') return [];
  if (flaggedFirst) {
    // Mail that tries to instruct the assistant is not engaged with: the owner decides.
    await journalOnce(deps.db, {
      actor: 'deskhand',
      action: 'draft_skipped',
      reason: 'the message contains instructions addressed to the assistant (flagged): no draft',
      messageId: f.id,
      threadId: f.threadId,
    });
    return [];
  }
  const ignoring = ignoringFirst;
  if (ignoring) {
    await journalOnce(deps.db, {
      actor: 'deskhand',
      action: 'draft_skipped',
      reason: `the owner's standing rule #${ignoring.ruleId} says to ignore this sender`,
      messageId: f.id,
      threadId: f.threadId,
      ruleId: ignoring.ruleId,
    });
    return [];
  }
  return [await draft(deps, f, 'cc_request', null, null)];
}

async function draft(
  deps: SkillDeps,
  f: Facts,
  trigger: 'owner_request' | 'cc_request',
  instruction: string | null,
  recipientHint: string | null,
): Promise<SkillOutcome> {
  const thread = await threadOf(deps, f);
  const d = await proposeReplyDraft(
    {
      trigger,
      thread,
      instruction,
      recipientHint,
      ownerSamples: await ownerSamples(deps.db, deps.config.owner.email),
    },
    {
      owner: { email: deps.config.owner.email, name: deps.config.owner.name },
      assistant: { email: deps.config.assistant.email, name: deps.config.assistant.name },
      teamDomains: deps.config.teamDomains,
    },
    deps.model,
  );
  const who = d.to.map((a) => a.name || a.address).join(', ');
  const summary = d.unresolvedRecipient
    ? `Reply draft: who is "${d.unresolvedRecipient}"? (not in this thread)`
    : `Send this reply to ${who}`;
  const { proposal, created } = await deps.db.transaction().execute((trx) =>
    recordProposal(
      trx,
      {
        kind: 'reply_draft',
        idempotencyKey: `draft:${f.id}`,
        messageId: f.id,
        threadId: f.threadId,
        summary,
        // Placeholders ("[[your answer to …]]") must be filled by the owner before anything is sent.
        status:
          d.unresolvedRecipient || d.to.length === 0 || d.placeholders.length > 0
            ? 'needs_input'
            : 'awaiting_approval',
        payload: { trigger, instruction, draft: d },
        reason:
          trigger === 'owner_request'
            ? `the owner asked: "${clip(instruction ?? '')}" (${d.method})`
            : `${f.triage.from} asked something (${d.method})`,
      },
      deps.clock.now(),
    ),
  );
  return { kind: 'draft_proposed', proposalId: proposal.id, summary, draft: d, created };
}

/** The thread as the skills see it, oldest first, this message last (after what it forwards). */
async function threadOf(deps: SkillDeps, f: Facts): Promise<ThreadMessage[]> {
  const thread = f.threadId ? await loadThread(deps.db, f.threadId) : [toThreadMessage(f.parsed)];
  const at = thread.findIndex((m) => m.messageId === f.parsed.messageId);
  const self = at >= 0 ? thread.splice(at, 1)[0]! : toThreadMessage(f.parsed);
  const wrapped = forwardedAsThreadMessage(f.parsed);
  if (wrapped) thread.push(wrapped);
  thread.push(self);
  return thread;
}

async function injectionFlagged(deps: SkillDeps, messageId: string): Promise<boolean> {
  const row = await deps.db
    .selectFrom('journal')
    .select('id')
    .where('message_id', '=', messageId)
    .where('action', '=', 'injection_flagged')
    .executeTakeFirst();
  return row !== undefined;
}

/** iTIP REPLYs in the message's calendar parts, recorded against our meetings. */
async function calendarReplies(deps: SkillDeps, f: Facts): Promise<SkillOutcome[]> {
  if (
    !f.parsed.attachments.some((a) =>
      isCalendarPart({ contentType: a.contentType, filename: a.filename ?? null }),
    )
  )
    return [];
  const rows = await deps.db
    .selectFrom('attachments')
    .select(['filename', 'content_type', 'content'])
    .where('message_id', '=', f.id)
    .execute();
  const parts = rows
    .filter((r) => r.content && isCalendarPart({ contentType: r.content_type, filename: r.filename }))
    .map((r) => ({ contentType: r.content_type, filename: r.filename, content: r.content as Buffer }));
  if (parts.length === 0) return [];
  const verdict = f.raw
    ? await deps.authenticate(f.raw)
    : { authenticated: false, reason: 'raw message not kept' };
  const got = await recordRsvps(
    deps.db,
    {
      messageId: f.id,
      threadId: f.threadId,
      senderEmail: f.parsed.from?.address ?? '',
      verified: verdict.authenticated,
      now: deps.clock.now(),
    },
    parts,
  );
  return got.map((r) => ({
    kind: 'rsvp_recorded',
    meetingId: r.meetingId,
    attendee: r.attendee,
    partstat: r.partstat,
  }));
}

const clip = (s: string): string => oneLine(s, 120);

export type { Db };
