import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { replyAddress } from '../approvals/approval.request.ts';
import type { Config } from '../config/config.ts';
import type { Database } from '../db/db.types.ts';
import { appendJournal } from '../journal/journal.repository.ts';
import { enqueueOutbound } from '../outbox/outbox.repository.ts';
import { type Clock, dayIn } from '../shared/clock.ts';
import { DeskhandError } from '../shared/errors.ts';
import { type BuildInput, buildDigest } from './digest.build.ts';
import { digestMetrics } from './digest.metrics.ts';
import { type DigestContent, isEmpty } from './digest.model.ts';
import { type RenderedDigest, renderDigest } from './digest.render.ts';

/**
 * Sends today's digest to the owner, exactly once per day of the owner's calendar: the `digests`
 * row (unique day) and its outbox row (key `digest:<day>`) are written in one transaction, so two
 * workers, a restart or the scheduler and the catch-up firing together still send one. The
 * numbered items are stored with it, so a reply "approve 1 3" acts on what the owner saw.
 */

export interface DigestDeps {
  db: Kysely<Database>;
  config: Config;
  clock: Clock;
  metrics?: BuildInput['metrics'];
}

export type DigestOutcome =
  | { kind: 'sent'; day: string; digestId: string; outboxId: string; subject: string }
  | { kind: 'skipped'; day: string; reason: string }
  | { kind: 'exists'; day: string };

/** Whether the owner's local clock has reached DIGEST_TIME today and today's digest is still due. */
export async function digestDue(deps: DigestDeps): Promise<boolean> {
  const now = deps.clock.now();
  const zone = deps.config.owner.timeZone;
  const local = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(now);
  if (local < deps.config.env.DIGEST_TIME) return false;
  const day = dayIn(now, zone);
  const row = await deps.db.selectFrom('digests').select('id').where('day', '=', day).executeTakeFirst();
  return !row;
}

/** Builds and renders today's digest without storing or sending anything (`digest --print`, shadow). */
export async function previewDigest(
  deps: DigestDeps,
): Promise<{ content: DigestContent; rendered: RenderedDigest }> {
  const content = await buildDigest({
    db: deps.db,
    config: deps.config,
    now: deps.clock.now(),
    metrics: deps.metrics ?? digestMetrics(deps.db, deps.config),
  });
  return { content, rendered: renderDigest(content, 'preview', deps.config.owner.name) };
}

export async function sendDigest(deps: DigestDeps): Promise<DigestOutcome> {
  const now = deps.clock.now();
  const day = dayIn(now, deps.config.owner.timeZone);
  const done = await deps.db.selectFrom('digests').select('id').where('day', '=', day).executeTakeFirst();
  if (done) return { kind: 'exists', day };
  const content = await buildDigest({
    db: deps.db,
    config: deps.config,
    now,
    metrics: deps.metrics ?? digestMetrics(deps.db, deps.config),
  });
  const token = randomBytes(16).toString('hex');
  const empty = isEmpty(content);
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('digests')
      .values({
        day,
        token,
        skipped: empty && deps.config.env.DIGEST_SKIP_EMPTY,
        content: JSON.stringify(content),
        journal_mark: content.journalMark,
        created_at: now,
      })
      .onConflict((oc) => oc.column('day').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!row) return { kind: 'exists', day } as const;
    if (empty && deps.config.env.DIGEST_SKIP_EMPTY) {
      await appendJournal(trx, {
        actor: 'deskhand',
        action: 'digest_skipped',
        reason: `nothing to say on ${day} (DIGEST_SKIP_EMPTY)`,
      });
      return { kind: 'skipped', day, reason: 'nothing to say' } as const;
    }
    const items = [...content.decisions, ...content.payments];
    if (items.length)
      await trx
        .insertInto('digest_items')
        .values(
          items.map((it) => ({
            digest_id: row.id,
            number: it.number,
            kind: it.kind,
            approval_id: it.kind === 'approval' ? it.ref : null,
            invoice_id: it.kind === 'payment' ? it.ref : null,
            label: it.label,
          })),
        )
        .execute();
    const mail = renderDigest(content, token, deps.config.owner.name);
    const q = await enqueueOutbound(
      trx,
      {
        purpose: 'digest',
        idempotencyKey: `digest:${day}`,
        to: [deps.config.owner.email],
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        replyTo: replyAddress(deps.config, token),
        autoSubmitted: 'auto-generated',
      },
      {
        assistantEmail: deps.config.assistant.email,
        ownerEmail: deps.config.owner.email,
        perCorrespondentPerHour: deps.config.env.REPLY_RATE_PER_HOUR,
        now,
      },
    );
    if (q.kind === 'refused')
      throw new DeskhandError('DIGEST_REFUSED', `the outbox refused the digest: ${q.reason}`, {
        context: { day },
      });
    await trx
      .updateTable('digests')
      .set({ message_id: q.messageId, outbox_id: q.outboxId })
      .where('id', '=', row.id)
      .execute();
    await appendJournal(trx, {
      actor: 'deskhand',
      action: 'digest_sent',
      reason: `${mail.subject} (${items.length} numbered item(s))`,
      outboxId: q.outboxId,
      data: { day, digestId: row.id, items: items.map((i) => ({ n: i.number, kind: i.kind, ref: i.ref })) },
    });
    return { kind: 'sent', day, digestId: row.id, outboxId: q.outboxId, subject: mail.subject } as const;
  });
}
