import { appendJournal } from '../journal/journal.repository.ts';
import { notifyOwner } from '../outbox/notices.ts';
import type { ShownReply } from './approval.model.ts';
import { headlineOf } from './approval.render.ts';
import {
  closeRound,
  markConfirmed,
  openRoundsExpiredBy,
  setProposalStatus,
  toRound,
  unconfirmedRounds,
} from './approval.repository.ts';
import type { ApprovalDeps } from './approval.request.ts';

/**
 * The approvals' housekeeping, safe to run any number of times from any worker: rounds past their
 * expiry are closed (journaled; a late "yes" then executes nothing), and an approved reply that has
 * left the outbox is confirmed to the owner once ("Sent to Dana Lee at 10:42").
 */

export async function expireApprovals(deps: ApprovalDeps): Promise<number> {
  const now = deps.clock.now();
  let n = 0;
  for (const row of await openRoundsExpiredBy(deps.db, now)) {
    const done = await deps.db.transaction().execute(async (trx) => {
      const closed = await closeRound(trx, row.id, 'expired', {
        now,
        messageId: null,
        decision: { decision: 'expired' },
      });
      if (!closed) return false;
      await setProposalStatus(trx, row.proposal_id, 'expired', now);
      await appendJournal(trx, {
        actor: 'deskhand',
        action: 'approval_expired',
        reason: `${headlineOf(toRound(row))}: no answer by ${row.expires_at.toISOString()}`,
        proposalId: row.proposal_id,
        approvalId: row.id,
      });
      return true;
    });
    if (done) n++;
  }
  return n;
}

const who = (s: ShownReply): string => s.to.map((a) => a.name || a.address).join(', ');

function clock(d: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(d);
}

/** Confirms executed replies whose send finished; returns the notices to send. */
export async function confirmExecutions(deps: ApprovalDeps): Promise<string[]> {
  const sendIds: string[] = [];
  for (const row of await unconfirmedRounds(deps.db)) {
    const round = toRound(row);
    if (round.shown.type !== 'reply' || row.executed_outbox_id === null) continue;
    const out = await deps.db
      .selectFrom('outbox')
      .select(['status', 'sent_at', 'last_error', 'message_id'])
      .where('id', '=', row.executed_outbox_id)
      .executeTakeFirst();
    if (!out || out.status === 'pending' || out.status === 'sending') continue;
    const shown = (row.decision?.['executed'] as ShownReply | undefined) ?? round.shown;
    const tz = deps.config.owner.timeZone;
    const text =
      out.status === 'sent'
        ? {
            subject: `Sent to ${who(shown)} at ${clock(out.sent_at ?? deps.clock.now(), tz)}`,
            body: `Sent, as you approved, to ${shown.to.map((a) => a.address).join(', ')}${shown.cc.length ? ` (cc ${shown.cc.map((a) => a.address).join(', ')})` : ''}:\n\n  Subject: ${shown.subject}\n\n${shown.body}\n`,
          }
        : out.status === 'failed'
          ? {
              subject: `Could not send to ${who(shown)}`,
              body: `The reply you approved could not be sent: ${out.last_error ?? 'unknown error'}.\n\n  Subject: ${shown.subject}\n\nNothing went out.`,
            }
          : null; // ambiguous: the owner was told by the outbox, once.
    const sent = await deps.db.transaction().execute(async (trx) => {
      if (!(await markConfirmed(trx, row.id, deps.clock.now()))) return null;
      if (!text) return null;
      const n = await notifyOwner(trx, deps.config, deps.clock, {
        key: `confirm:${row.id}`,
        subject: text.subject,
        text: text.body,
      });
      return n.kind === 'queued' && !n.existing ? n.outboxId : null;
    });
    if (sent) sendIds.push(sent);
  }
  return sendIds;
}
