import type { Kysely } from 'kysely';
import { handleApprovalReply } from '../approvals/approval.decide.ts';
import { runMeetingAction } from '../approvals/approval.meeting.ts';
import { isApprovalReference } from '../approvals/approval.repository.ts';
import { requestApproval } from '../approvals/approval.request.ts';
import type { Config } from '../config/config.ts';
import type { Database } from '../db/db.types.ts';
import type { ModelClient } from '../llm/llm.model.ts';
import { notifyOwner } from '../outbox/notices.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import { setConfirmation } from '../skills/rules.repository.ts';
import { runSkills, type SkillDeps, type SkillOutcome } from '../skills/skills.usecase.ts';
import { processMessage } from '../triage/triage.usecase.ts';
import type { JobQueue } from './queues.ts';

export interface PipelineDeps {
  db: Kysely<Database>;
  config: Config;
  clock: Clock;
  log: Logger;
  jobs: JobQueue;
  /** Files processed mail in bulk (see FilingLoop); null in demo/shadow: nothing is moved. */
  filing: { kick(): void } | null;
  /** The configured model, or null: every skill runs on its rules. */
  model: ModelClient | null;
  /** Sender authentication of the owner's mail (DKIM / trusted Authentication-Results). */
  authenticate: SkillDeps['authenticate'];
}

/**
 * The `process` job: triage the message (idempotent), then settle what follows from it —
 * the owner's notice for quarantined mail (once) — and ask the filing loop to move it.
 * Each step checks the row's state first, so a retry resumes where the last try stopped.
 */
export async function handleProcessJob(deps: PipelineDeps, messageId: string): Promise<void> {
  const outcome = await processMessage(
    { ...deps, approvalReference: (ids, tags) => isApprovalReference(deps.db, ids, tags) },
    messageId,
  );
  // Quarantined now, or earlier (at ingest, or by a try that stopped before its notice).
  if (outcome.kind === 'processed') {
    if (outcome.skillsPending) await skillsNext(deps, messageId);
  } else if (outcome.kind === 'skipped' && outcome.status === 'processed') {
    await skillsNext(deps, messageId);
  } else {
    await settleQuarantine(deps, messageId);
  }
  deps.filing?.kick();
}

/** The skills step: its own job when there is a queue (live mode), inline otherwise (demo, shadow). */
async function skillsNext(deps: PipelineDeps, messageId: string): Promise<void> {
  if (deps.jobs.enqueueSkills) await deps.jobs.enqueueSkills([messageId]);
  else await settleSkills(deps, messageId);
}

/** The `skills` job. */
export async function handleSkillsJob(deps: PipelineDeps, messageId: string): Promise<void> {
  await settleSkills(deps, messageId);
}

/**
 * Runs the skills once per message and sends the owner what follows from them (a rule's
 * confirmation, a refusal); `skills_done_at` marks the message settled. Every step is keyed, so
 * a retry after a crash between steps repeats nothing.
 */
async function settleSkills(deps: PipelineDeps, id: string): Promise<void> {
  const row = await deps.db
    .selectFrom('messages')
    .select(['skills_done_at', 'message_id', 'thread_id', 'subject', 'addressing'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row || row.skills_done_at) return;
  const sendIds: string[] = [];
  if (row.addressing === 'approval_reply') {
    // An answer to one of our approval requests: verified and decided, never a skill's input.
    const handled = await handleApprovalReply(deps, id);
    sendIds.push(...handled.sendIds);
  }
  const outcomes = row.addressing === 'approval_reply' ? [] : await runSkills(deps, id);
  for (const o of outcomes) {
    // A proposal (a reply draft, a payment) goes to the owner as an approval request.
    if (o.kind === 'meeting_action') {
      // Booking an offered slot, the owner's cancel, "which one?": already allowed, sent here.
      sendIds.push(...(await runMeetingAction(deps, o.action)).outboxIds);
      continue;
    }
    const proposalId =
      o.kind === 'draft_proposed' || o.kind === 'document_recorded' || o.kind === 'meeting_proposed'
        ? o.proposalId
        : null;
    if (proposalId) {
      const asked = await requestApproval(deps, proposalId);
      if (asked.kind === 'asked') sendIds.push(asked.outboxId);
      else if (asked.kind === 'auto_executed' && asked.noticeId) sendIds.push(asked.noticeId);
      continue;
    }
    const notice = ownerNoticeFor(o, id, row.subject ?? '(no subject)');
    if (!notice) continue;
    const queued = await deps.db.transaction().execute(async (trx) => {
      const r = await notifyOwner(trx, deps.config, deps.clock, {
        ...notice,
        threadId: row.thread_id === null ? null : String(row.thread_id),
        inReplyTo: row.message_id,
        references: [row.message_id],
      });
      // "undo" answers this confirmation: remember its Message-ID on the rule, in the same transaction.
      if (r.kind === 'queued' && o.kind === 'rule_recorded')
        await setConfirmation(trx, o.ruleId, r.messageId);
      return r;
    });
    if (queued.kind === 'queued' && !queued.existing) sendIds.push(queued.outboxId);
  }
  await deps.db
    .updateTable('messages')
    .set({ skills_done_at: deps.clock.now() })
    .where('id', '=', id)
    .execute();
  if (sendIds.length) await deps.jobs.enqueueSend(sendIds);
}

/** The owner hears about rules and refusals at once; drafts wait for the approvals step. */
function ownerNoticeFor(
  o: SkillOutcome,
  messageId: string,
  subject: string,
): { key: string; subject: string; text: string } | null {
  switch (o.kind) {
    case 'rule_recorded':
      return {
        key: `rule:${o.ruleId}`,
        subject: `Rule noted: ${o.description}`,
        text: [
          'From now on, as I understood you:',
          '',
          `  ${o.description}`,
          '',
          `Your words: "${o.words}"`,
          ...(o.ignored.length
            ? [
                '',
                'I record one rule per message; these were NOT recorded — send them separately:',
                ...o.ignored.map((w) => `  - "${w}"`),
              ]
            : []),
          '',
          'Reply "undo" to this message to cancel the rule.',
        ].join('\n'),
      };
    case 'rule_not_understood':
      return {
        key: `rule-unclear:${messageId}`,
        subject: 'I could not turn that into a rule',
        text: [
          `You wrote: "${o.words}"`,
          '',
          `I could not turn this into a rule I can apply (${o.reason}), so nothing changed.`,
          'Rules I understand look like: "From now on, approve AWS invoices under $500", "file anything',
          'from the bank under Statements", or "I don\'t take meetings on Fridays".',
        ].join('\n'),
      };
    case 'rule_undone':
      return {
        key: `rule-undone:${o.ruleId}`,
        subject: `Rule cancelled: ${o.description}`,
        text: `As you asked, this rule no longer applies:\n\n  ${o.description}\n`,
      };
    case 'owner_unverified':
      return {
        key: `unverified:${messageId}`,
        subject: `Unverified mail in your name: "${subject}"`,
        text: [
          `A message with your address as sender asked me to ${o.attempted}.`,
          `I could not verify that you sent it (${o.reason}), so I did nothing.`,
          '',
          'If it was you, check that your mail is DKIM-signed by your domain (or see APPROVAL_REQUIRE_AUTH).',
        ].join('\n'),
      };
    case 'document_recorded':
      // Keyed by document: a retry after a crash between recording and this notice still sends it, once.
      if (o.exceptions.length === 0) return null;
      return {
        key: `document:${o.documentId}`,
        subject: `Check ${o.proposal ?? o.source}`,
        text: [
          `${o.source}${o.proposal ? ` — ${o.proposal}` : ''}`,
          '',
          `Risk: ${o.risk ?? 'n/a'}. What needs your attention:`,
          ...o.exceptions.map((e) => `  - ${e}`),
          '',
          'Nothing was paid or approved. The payment waits for your decision.',
        ].join('\n'),
      };
    case 'po_imported':
      return {
        key: `po:${messageId}:${o.file}`,
        subject: `Purchase orders imported from ${o.file}`,
        text: [
          `${o.file}: ${o.imported} imported, ${o.updated} updated, ${o.unchanged} unchanged.`,
          ...(o.errors.length
            ? [
                '',
                `${o.errors.length} line(s) were NOT imported:`,
                ...o.errors.slice(0, 30).map((e) => `  - ${e}`),
              ]
            : []),
        ].join('\n'),
      };
    case 'meeting_notice':
      return { key: o.key, subject: o.subject, text: o.text };
    case 'document_unreadable':
      return {
        key: `unreadable:${messageId}:${o.sha256}`,
        subject: `Could not read ${o.source}`,
        text: [
          `The attachment "${o.source}" of "${subject}" could not be read:`,
          '',
          `  ${o.reason}`,
          '',
          'Nothing was recorded for it. Send a readable copy (an unprotected PDF, or the e-invoice XML) if it matters.',
        ].join('\n'),
      };
    default:
      return null;
  }
}

async function settleQuarantine(deps: PipelineDeps, id: string): Promise<void> {
  const row = await deps.db
    .selectFrom('messages')
    .select(['status', 'subject', 'from_address', 'error', 'target_folder', 'thread_id', 'size'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (row?.status !== 'quarantined') return;
  if (!row.target_folder && deps.config.env.FILING_ENABLED) {
    await deps.db
      .updateTable('messages')
      .set({ target_folder: deps.config.folders.quarantine })
      .where('id', '=', id)
      .where('target_folder', 'is', null)
      .execute();
  }
  const notice = await notifyOwner(deps.db, deps.config, deps.clock, {
    key: `quarantine:${id}`,
    subject: `Could not process "${row.subject ?? '(no subject)'}"`,
    text: [
      'A message could not be processed and was set aside, untouched.',
      '',
      `From: ${row.from_address ?? 'unknown'}`,
      `Subject: ${row.subject ?? '(no subject)'}`,
      `Size: ${row.size} bytes`,
      `Reason: ${row.error ?? 'unknown'}`,
      '',
      deps.filing
        ? `It is in the "${deps.config.folders.quarantine}" folder of the assistant's mailbox.`
        : '',
      'Nothing else was done with it. Forward it again as a smaller or repaired file if it matters.',
    ].join('\n'),
    threadId: row.thread_id,
  });
  if (notice.kind === 'queued' && !notice.existing) await deps.jobs.enqueueSend([notice.outboxId]);
}

/**
 * Ids to re-enqueue after a restart: stored but not yet processed, or processed with skills not
 * yet settled. (Unfiled mail is swept by the filing loop.)
 */
export async function recoveryIds(db: Kysely<Database>): Promise<string[]> {
  const rows = await db
    .selectFrom('messages')
    .select('id')
    .where((eb) =>
      eb.or([
        eb('status', '=', 'received'),
        eb.and([eb('status', '=', 'processed'), eb('skills_done_at', 'is', null)]),
      ]),
    )
    .orderBy('id')
    .limit(50_000)
    .execute();
  return rows.map((r) => r.id);
}
