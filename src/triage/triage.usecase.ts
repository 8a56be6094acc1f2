import type { Kysely } from 'kysely';
import { TOKEN_PREFIX } from '../approvals/reply/reply.markers.ts';
import type { Config } from '../config/config.ts';
import type { Database } from '../db/db.types.ts';
import type { NormalizedMessage } from '../ingest/message.model.ts';
import { parseMessage } from '../ingest/parse.ts';
import { appendJournal } from '../journal/journal.repository.ts';
import type { ModelClient } from '../llm/llm.model.ts';
import type { Clock } from '../shared/clock.ts';
import { describeError, QuarantineError } from '../shared/errors.ts';
import { fileFolderFor } from '../skills/instructions/instruction.match.ts';
import type { ActiveRule } from '../skills/rules.repository.ts';
import { plusTags } from './addressing.ts';
import { detectInjection } from './injection.ts';
import { assistTriage } from './triage.assist.ts';
import type { TriageContext, TriageResult } from './triage.model.ts';
import { commitTriage, loadForTriage } from './triage.repository.ts';
import { triageMessage } from './triage.rules.ts';

export interface ProcessDeps {
  db: Kysely<Database>;
  config: Config;
  clock: Clock;
  /** The configured model, or null/absent: rules only. */
  model?: ModelClient | null;
  /** Whether Message-IDs / plus-tags name one of our approval requests (asked only when the message has any). */
  approvalReference?: (messageIds: string[], plusTags: string[]) => Promise<boolean>;
}

export type ProcessOutcome =
  | {
      kind: 'processed';
      messageId: string;
      threadId: string;
      triage: TriageResult;
      folder: string | null;
      /** Whether a skill may act on this message (else it was marked settled in the same update). */
      skillsPending: boolean;
    }
  | { kind: 'quarantined'; messageId: string; reason: string; folder: string }
  | { kind: 'skipped'; messageId: string; status: string };

/**
 * Parses, triages and threads one stored message, in one transaction guarded by
 * `status = 'received'`: running it twice (a retried job, two workers) changes
 * nothing the second time. Unparseable input is quarantined with the reason; this
 * function only throws for infrastructure faults (the job is then retried).
 */
export async function processMessage(deps: ProcessDeps, id: string): Promise<ProcessOutcome> {
  const loaded = await loadForTriage(deps.db, id);
  if (!loaded) return { kind: 'skipped', messageId: id, status: 'missing' };
  const { row, fileRules } = loaded;
  if (row.status !== 'received' || !row.raw) return { kind: 'skipped', messageId: id, status: row.status };

  let msg: NormalizedMessage;
  try {
    msg = await parseMessage(row.raw);
  } catch (err) {
    return quarantine(
      deps,
      id,
      err instanceof QuarantineError ? err.message : `cannot parse: ${describeError(err)}`,
    );
  }
  const ctx: TriageContext = {
    ownerEmail: deps.config.owner.email,
    assistantEmail: deps.config.assistant.email,
    teamDomains: deps.config.teamDomains,
  };
  const known = await answersApproval(deps, msg, ctx);
  const rules = triageMessage(msg, { ...ctx, isApprovalReference: () => known });
  // Outside the transaction: a model call can take seconds and must not hold a connection.
  const { triage, note } = await assistTriage(msg, rules, {
    model: deps.model ?? null,
    threshold: deps.config.env.TRIAGE_MODEL_BELOW,
    ownerName: deps.config.owner.name,
  });
  const flags = mailIsDataFlags(msg, triage);
  const skillsPending = mayNeedSkills(msg, triage);
  const ruled = deps.config.env.FILING_ENABLED ? folderByOwnerRule(deps, fileRules, msg) : null;
  const folder = deps.config.env.FILING_ENABLED
    ? (ruled?.folder ?? deps.config.folders[triage.category])
    : null;
  if (ruled) triage.reasons.push(`filed under ${ruled.folder} by the owner's standing rule #${ruled.ruleId}`);

  const now = deps.clock.now();
  const committed = await commitTriage(deps.db, {
    id,
    msg,
    set: {
      // Most mail has nothing for the skills: settle it here and save the skills step's round trips.
      skillsDoneAt: skillsPending ? null : now,
      processedAt: now,
      subject: msg.subject,
      fromAddress: msg.from?.address ?? null,
      category: triage.category,
      addressing: triage.addressing,
      requester: triage.requester,
      automatic: triage.automatic,
      parsed: storableMessage(msg),
      triage,
      targetFolder: folder,
    },
    journal: [
      {
        action: 'triaged',
        reason: [...triage.reasons, note.reason].join('; '),
        data: {
          addressing: triage.addressing,
          category: triage.category,
          requester: triage.requester,
          automatic: triage.automatic,
          confidence: triage.confidence,
          folder,
          model: note,
        },
      },
      ...flags,
    ],
  });
  if (!committed) throw new Error(`message ${id} was processed concurrently`);
  return { kind: 'processed', messageId: id, threadId: committed.threadId, triage, folder, skillsPending };
}

/**
 * Whether any skill could act on this message: the owner's own mail (instructions, undo, reply
 * requests), requests (drafts), and anything carrying a document (extraction). Machine mail, our
 * own mail and approval replies never reach the skills.
 */
/** Words of meeting: mail that uses them gets the skills step (scheduling decides what it asks). */
const MEETING_TOPIC =
  /\b(?:meet(?:ing)?|call|chat|sync|catch up|coffee|lunch|get together|time slot|calendar|schedule|availability|available)\b/i;

export function mayNeedSkills(msg: NormalizedMessage, triage: TriageResult): boolean {
  // An answer to an approval request is verified and decided in the skills step.
  if (triage.addressing === 'approval_reply') return true;
  if (triage.automatic || triage.ownMail) {
    // Machines send bills and receipts too (billing systems): those are still read, nothing else.
    return !triage.ownMail && (triage.category === 'invoice' || triage.category === 'receipt');
  }
  if (triage.requester === 'owner') return true;
  if (
    triage.category === 'request' ||
    triage.category === 'invoice' ||
    triage.category === 'receipt' ||
    triage.category === 'document' ||
    triage.category === 'meeting'
  ) {
    return true;
  }
  if (triage.addressing === 'cc' || triage.addressing === 'direct') {
    // A reply in a thread the assistant is part of may answer a meeting offer ("option 2 works"),
    // and mail that talks about meeting may ask for one the rules alone are unsure of.
    if (msg.inReplyTo || msg.references.length) return true;
    if (MEETING_TOPIC.test(msg.text.slice(0, 20_000))) return true;
  }
  return msg.attachments.some((a) => !a.inline);
}

/** Whether the message references one of our approval requests: one indexed query, only when it references anything. */
async function answersApproval(
  deps: ProcessDeps,
  msg: NormalizedMessage,
  ctx: TriageContext,
): Promise<boolean> {
  if (!deps.approvalReference) return false;
  const ids = [...(msg.inReplyTo === null ? [] : [msg.inReplyTo]), ...msg.references];
  const tags = plusTags(msg, ctx)
    .filter((t) => t.startsWith(TOKEN_PREFIX))
    .map((t) => t.slice(TOKEN_PREFIX.length));
  if (ids.length === 0 && tags.length === 0) return false;
  return deps.approvalReference(ids, tags);
}

/** The owner's "file anything from … under …" rules win over the category's folder. */
function folderByOwnerRule(
  deps: ProcessDeps,
  rules: ActiveRule[],
  msg: NormalizedMessage,
): { folder: string; ruleId: string } | null {
  if (rules.length === 0) return null;
  const hit = fileFolderFor(rules, { from: msg.from, subject: msg.subject });
  if (!hit) return null;
  const prefix = deps.config.env.FOLDER_PREFIX ? `${deps.config.env.FOLDER_PREFIX}/` : '';
  return { folder: `${prefix}${safeFolderName(hit.folder)}`, ruleId: hit.ruleId };
}

/** IMAP wildcards and control characters never reach a folder name; hierarchy ("/") is kept. */
function safeFolderName(name: string): string {
  const clean = name
    .replace(/[\u0000-\u001f\u007f*%"\\]/g, '')
    .replace(/\/{2,}/g, '/')
    .replace(/^\/+|\/+$/g, '')
    .trim();
  return clean.slice(0, 100) || 'Filed';
}

interface Flag {
  action: 'injection_flagged' | 'invisible_text_stripped';
  reason: string;
  data: Record<string, unknown>;
}

/**
 * Mail is data: instructions addressed to the assistant inside mail that is not the owner's, and
 * invisible characters removed at parse time, are flagged in the journal. Nothing acts on them —
 * third-party text never becomes a rule, a recipient or an action — the flag is for the owner.
 */
function mailIsDataFlags(msg: NormalizedMessage, triage: TriageResult): Flag[] {
  const flags: Flag[] = [];
  const hidden = msg.invisible?.hidden ?? '';
  if (msg.invisible) {
    flags.push({
      action: 'invisible_text_stripped',
      reason: `invisible characters removed: ${Object.entries(msg.invisible.removed)
        .map(([k, n]) => `${n} ${k}`)
        .join(', ')}${hidden ? '; they spelled hidden text' : ''}`,
      data: { removed: msg.invisible.removed, hidden: hidden.slice(0, 2_000) },
    });
  }
  // The owner's own words may say "from now on"; anyone else's may not. Hidden text is flagged whoever sent it.
  const findings = detectInjection({
    subject: msg.subject,
    // New text only: someone quoting the owner's own "from now on …" is not an attack.
    text: triage.requester === 'owner' ? '' : `${msg.replyText || msg.text}\n${msg.forwarded?.text ?? ''}`,
    hidden,
  });
  if (findings.length > 0) {
    flags.push({
      action: 'injection_flagged',
      reason: `instructions to the assistant inside mail from ${msg.from?.address ?? 'unknown'}: not obeyed (${findings
        .map((f) => f.rule)
        .join(', ')})`,
      data: { findings },
    });
  }
  return flags;
}

async function quarantine(deps: ProcessDeps, id: string, reason: string): Promise<ProcessOutcome> {
  const folder = deps.config.folders.quarantine;
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('messages')
      .set({ status: 'quarantined', error: reason, processed_at: deps.clock.now(), target_folder: folder })
      .where('id', '=', id)
      .where('status', '=', 'received')
      .execute();
    await appendJournal(trx, { actor: 'deskhand', action: 'quarantined', reason, messageId: id });
  });
  return { kind: 'quarantined', messageId: id, reason, folder };
}

/** The normalized message as stored in `messages.parsed`: attachment bytes live in `attachments`. */
export function storableMessage(msg: NormalizedMessage) {
  return { ...msg, html: null, attachments: msg.attachments.map(({ content: _c, ...rest }) => rest) };
}
