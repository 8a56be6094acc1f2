import type { Kysely } from 'kysely';
import type { Config } from '../config/config.ts';
import type { Database, Db } from '../db/db.types.ts';
import { appendJournal } from '../journal/journal.repository.ts';
import type { OutboxPolicy } from '../outbox/outbox.repository.ts';
import { enqueueOutbound } from '../outbox/outbox.repository.ts';
import type { Clock } from '../shared/clock.ts';
import { inviteMimeParts } from '../skills/scheduling/invite/invite.mime.ts';
import type { InviteMethod } from '../skills/scheduling/invite/invite.model.ts';
import {
  type ActionSource,
  inviteOf,
  type MeetingAction,
  type MeetingState,
} from '../skills/scheduling/meeting/meeting.model.ts';
import { lockMeeting, updateMeeting } from '../skills/scheduling/meeting/meeting.repository.ts';
import {
  replySubject,
  timeInZones,
  whichText,
  zonesToShow,
} from '../skills/scheduling/meeting/meeting.text.ts';

/**
 * The scheduling actions that send mail without a new approval, because the owner already allowed
 * them: booking (or moving) the meeting to a slot the owner offered, the owner's own cancel, and
 * asking a guest which offered slot they meant. The skills only read mail and name the action
 * (`readers-cannot-send`); like every policy-allowed action, it is executed here, in approvals/. Each runs in one transaction under the meeting's row
 * lock and is keyed by the meeting's SEQUENCE (invites) or the causing message ("which"), so a
 * retried job or two picks at once send once.
 */

export interface MeetingActionDeps {
  db: Kysely<Database>;
  config: Config;
  clock: Clock;
}

export interface ActionResult {
  /** Outbox rows to hand to the send queue (new ones only). */
  outboxIds: string[];
}

export async function runMeetingAction(deps: MeetingActionDeps, a: MeetingAction): Promise<ActionResult> {
  switch (a.type) {
    case 'book':
      return book(deps, a.meetingId, a.index, a.offerProposalId, a.source);
    case 'cancel':
      return cancel(deps, a.meetingId, a.source);
    case 'which':
      return which(deps, a.meetingId, a, a.source);
    case 'release':
      return release(deps, a.meetingId, a.source);
  }
}

function policyOf(deps: MeetingActionDeps): OutboxPolicy {
  return {
    assistantEmail: deps.config.assistant.email,
    ownerEmail: deps.config.owner.email,
    perCorrespondentPerHour: deps.config.env.REPLY_RATE_PER_HOUR,
    now: deps.clock.now(),
  };
}

const threading = (src: ActionSource) => ({
  inReplyTo: src.messageId || null,
  references: [...src.references, src.messageId].filter(Boolean).slice(-20),
  threadId: src.threadId,
  sourceMessageId: src.id,
});

async function which(
  deps: MeetingActionDeps,
  meetingId: string,
  a: Extract<MeetingAction, { type: 'which' }>,
  src: ActionSource,
): Promise<ActionResult> {
  return deps.db.transaction().execute(async (trx) => {
    const m = await lockMeeting(trx, meetingId);
    // The numbers name the offer they were read against; a newer offer has other slots under them.
    if (!m || a.offerProposalId === null || m.offerProposalId !== a.offerProposalId) return { outboxIds: [] };
    const slots = m.offered.filter((s) => a.candidates.includes(s.index));
    const text = whichText({
      to: a.to,
      candidates: slots,
      zones: zonesToShow([a.to.zone], deps.config.owner.timeZone),
      owner: m.organizer,
    });
    const q = await enqueueOutbound(
      trx,
      {
        purpose: 'meeting',
        idempotencyKey: `meeting:${m.id}:which:${src.id}`,
        to: [a.to.email],
        cc: [deps.config.owner.email],
        subject: replySubject(src.subject),
        text,
        autoSubmitted: 'auto-replied',
        ...threading(src),
      },
      policyOf(deps),
    );
    return { outboxIds: q.kind === 'queued' && !q.existing ? [q.outboxId] : [] };
  });
}

/** Queues an iTIP message (REQUEST or CANCEL) at the meeting's next SEQUENCE to everyone. */
async function sendInvite(
  trx: Db,
  deps: MeetingActionDeps,
  src: ActionSource,
  m: MeetingState,
  at: { start: Date; end: Date },
  method: InviteMethod,
): Promise<{ outboxId: string | null; sequence: number; refused: string | null }> {
  const sequence = m.sequence + 1;
  const invite = inviteOf(m, at.start, at.end, sequence);
  const parts = inviteMimeParts(invite, method, deps.clock.now(), deps.config.owner.timeZone);
  const when = timeInZones(
    at.start,
    at.end,
    zonesToShow(
      m.attendees.map((x) => x.zone),
      deps.config.owner.timeZone,
    ),
  );
  const title =
    method === 'CANCEL' ? 'Cancelled' : sequence > 0 && m.start ? 'Updated invitation' : 'Invitation';
  const q = await enqueueOutbound(
    trx,
    {
      purpose: 'invite',
      idempotencyKey: `meeting:${m.id}:seq:${sequence}`,
      to: [...m.attendees.map((x) => x.email), deps.config.owner.email],
      subject: `${title}: ${m.summary} — ${when.split(' · ')[0]}`,
      text: `${when}\n\n${parts.text}`,
      calendar: { method, content: parts.icalEvent.content, filename: parts.icalEvent.filename },
      ...threading(src),
    },
    policyOf(deps),
  );
  if (q.kind === 'refused') return { outboxId: null, sequence, refused: q.reason };
  return { outboxId: q.existing ? null : q.outboxId, sequence, refused: null };
}

async function refused(trx: Db, src: ActionSource, meetingId: string, reason: string): Promise<ActionResult> {
  await appendJournal(trx, {
    actor: 'deskhand',
    action: 'meeting_invite_refused',
    reason,
    messageId: src.id,
    threadId: src.threadId,
    meetingId,
  });
  return { outboxIds: [] };
}

/** Books (or moves) the meeting to an offered slot and sends the invite: once, whoever answers first. */
async function book(
  deps: MeetingActionDeps,
  meetingId: string,
  index: number,
  offerProposalId: string | null,
  src: ActionSource,
): Promise<ActionResult> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const m = await lockMeeting(trx, meetingId);
    const slot = m?.offered.find((s) => s.index === index);
    if (!m || !slot || offerProposalId === null || m.offerProposalId !== offerProposalId) {
      await appendJournal(trx, {
        actor: 'deskhand',
        action: 'meeting_choice_late',
        reason: 'the offer was already answered or replaced; nothing booked',
        messageId: src.id,
        threadId: src.threadId,
        meetingId,
      });
      return { outboxIds: [] };
    }
    const moving = m.status === 'booked';
    const sent = await sendInvite(trx, deps, src, m, slot, 'REQUEST');
    if (sent.refused) return refused(trx, src, m.id, sent.refused);
    await updateMeeting(
      trx,
      m.id,
      {
        status: 'booked',
        start: slot.start,
        end: slot.end,
        sequence: sent.sequence,
        // The answered offer stays on the row (a late pick is recognised) but holds nothing now.
        offerProposalId: null,
      },
      now,
    );
    await appendJournal(trx, {
      actor: 'deskhand',
      action: moving ? 'meeting_rescheduled' : 'meeting_booked',
      reason: `${m.summary}: ${slot.start.toISOString()}–${slot.end.toISOString()}, chosen by ${src.from || 'unknown'} (option ${index}); SEQUENCE ${sent.sequence}`,
      messageId: src.id,
      threadId: src.threadId,
      meetingId: m.id,
      outboxId: sent.outboxId,
    });
    return { outboxIds: sent.outboxId ? [sent.outboxId] : [] };
  });
}

/**
 * The owner calls off a meeting that was never booked: the offer is withdrawn (its proposal and any
 * open approval round cancelled, so a later "yes" sends nothing) and the meeting holds no time.
 * Guests who saw the offer get no invite; nothing else is sent.
 */
async function release(deps: MeetingActionDeps, meetingId: string, src: ActionSource): Promise<ActionResult> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const m = await lockMeeting(trx, meetingId);
    if (!m || (m.status !== 'proposing' && m.status !== 'clarifying')) return { outboxIds: [] };
    if (m.offerProposalId !== null) {
      await trx
        .updateTable('approvals')
        .set({ status: 'cancelled', decided_at: now, decided_by_message: src.id })
        .where('proposal_id', '=', m.offerProposalId)
        .where('status', '=', 'open')
        .execute();
      await trx
        .updateTable('proposals')
        .set({ status: 'cancelled', updated_at: now })
        .where('id', '=', m.offerProposalId)
        .where('status', 'in', ['awaiting_approval', 'needs_input'])
        .execute();
    }
    await updateMeeting(trx, m.id, { status: 'released', offered: [], offerProposalId: null }, now);
    await appendJournal(trx, {
      actor: 'owner',
      action: 'meeting_released',
      reason: `${m.summary}: called off by the owner before anything was booked; nothing held`,
      messageId: src.id,
      threadId: src.threadId,
      meetingId: m.id,
      proposalId: m.offerProposalId,
    });
    return { outboxIds: [] };
  });
}

/** The owner's cancel: CANCEL at SEQUENCE+1 to everyone; the meeting holds nothing any more. */
async function cancel(deps: MeetingActionDeps, meetingId: string, src: ActionSource): Promise<ActionResult> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const m = await lockMeeting(trx, meetingId);
    if (m?.status !== 'booked' || !m.start || !m.end) return { outboxIds: [] };
    const sent = await sendInvite(trx, deps, src, m, { start: m.start, end: m.end }, 'CANCEL');
    if (sent.refused) return refused(trx, src, m.id, sent.refused);
    await updateMeeting(
      trx,
      m.id,
      { status: 'cancelled', sequence: sent.sequence, offered: [], offerProposalId: null },
      now,
    );
    await appendJournal(trx, {
      actor: 'owner',
      action: 'meeting_cancelled',
      reason: `${m.summary}: cancelled as the owner asked; SEQUENCE ${sent.sequence}`,
      messageId: src.id,
      threadId: src.threadId,
      meetingId: m.id,
      outboxId: sent.outboxId,
    });
    return { outboxIds: sent.outboxId ? [sent.outboxId] : [] };
  });
}
