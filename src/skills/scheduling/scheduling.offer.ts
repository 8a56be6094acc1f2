import type { Address } from '../../ingest/message.model.ts';
import { journalOnce } from '../../journal/journal.repository.ts';
import type { ReplyDraft } from '../drafts/draft.model.ts';
import { recordProposal } from '../proposals.repository.ts';
import type { Interval } from './availability/interval.ts';
import type { Slot } from './availability/slots.ts';
import type { OfferedSlot } from './choose/choose.ts';
import { findSlots, type SlotQuery } from './meeting/meeting.availability.ts';
import type { MeetingState } from './meeting/meeting.model.ts';
import { lockMeeting, updateMeeting } from './meeting/meeting.repository.ts';
import {
  type OfferReason,
  offerText,
  questionText,
  replySubject,
  zonesToShow,
} from './meeting/meeting.text.ts';
import type { SchedulingDeps, SchedulingFacts, SchedulingOutcome } from './scheduling.types.ts';
import type { MeetingRequest, SchedulingMessage } from './understand/understand.model.ts';
import { understandMeetingRequest } from './understand/understand.ts';

/**
 * Scheduling, the proposing side: understanding what was asked, finding slots and recording the
 * offer (or the question about ambiguous dates) as a proposal for the approvals step.
 */

const lower = (s: string) => s.toLowerCase();

export function understand(deps: SchedulingDeps, thread: readonly SchedulingMessage[]): MeetingRequest {
  return understandMeetingRequest(thread, {
    ownerEmail: deps.config.owner.email,
    ownerZone: deps.config.owner.timeZone,
    assistantEmail: deps.config.assistant.email,
    defaultMinutes: deps.config.env.MEETING_MINUTES,
    now: deps.clock.now(),
  });
}

export function queryOf(
  deps: SchedulingDeps,
  m: MeetingState,
  req: MeetingRequest,
  exclude: Interval[],
): SlotQuery {
  const asker = req.requester ? req.zones[lower(req.requester)]?.zone : undefined;
  return {
    range: req.range,
    dayparts: req.dayparts,
    weekdays: req.weekdays,
    preferredWeekdays: req.preferredWeekdays ?? [],
    excludedWeekdays: req.excludedWeekdays,
    askerZone: asker ?? deps.config.owner.timeZone,
    durationMinutes: m.durationMinutes,
    exclude,
    except: m.status === 'booked' ? m.id : null,
    guestZones: m.attendees.map((a) => a.zone),
  };
}

/** Reply-all in the thread: to everyone invited, the owner copied. */
function replyDraft(deps: SchedulingDeps, f: SchedulingFacts, m: MeetingState, body: string): ReplyDraft {
  return {
    to: m.attendees.map((a): Address => ({ name: a.name, address: a.email })),
    // The owner is always copied: they see every offer that goes out in their name.
    cc: [{ name: deps.config.owner.name, address: deps.config.owner.email }],
    subject: replySubject(f.parsed.subject),
    inReplyTo: f.parsed.messageId || null,
    references: [...f.parsed.references, ...(f.parsed.messageId ? [f.parsed.messageId] : [])].slice(-20),
    body,
    method: 'template',
    placeholders: [],
    warnings: [],
    unresolvedRecipient: null,
    removed: [],
  };
}

export async function ask(
  deps: SchedulingDeps,
  f: SchedulingFacts,
  m: MeetingState,
  ambiguities: string[],
): Promise<SchedulingOutcome> {
  const body = questionText({ to: m.attendees, owner: m.organizer, ambiguities });
  const draft = replyDraft(deps, f, m, body);
  const proposal = await deps.db.transaction().execute(async (trx) => {
    const { proposal: p } = await recordProposal(
      trx,
      {
        kind: 'meeting',
        idempotencyKey: `meeting:${m.id}:ask:${f.id}`,
        messageId: f.id,
        threadId: f.threadId,
        summary: `Ask ${m.attendees.map((a) => a.name || a.email).join(', ')} which dates they meant`,
        payload: { meetingId: m.id, action: 'ask', delegated: m.delegated || f.ownerVerified, draft },
        reason: `the dates asked for can be read two ways: ${ambiguities.join('; ')}`,
      },
      deps.clock.now(),
    );
    // The question's proposal: answers count once it went out (see continueMeeting).
    await updateMeeting(trx, m.id, { offerProposalId: p.id }, deps.clock.now());
    return p;
  });
  return { kind: 'meeting_proposed', proposalId: proposal.id, meetingId: m.id, summary: proposal.summary };
}

/** Finds free slots and proposes them as the meeting's next offer; tells the owner when there are none. */
export async function offer(
  deps: SchedulingDeps,
  f: SchedulingFacts,
  m: MeetingState,
  reason: OfferReason,
  query: SlotQuery,
  fallback?: SlotQuery,
): Promise<SchedulingOutcome[]> {
  let found = await findSlots(deps, query);
  let why = reason;
  if (found.slots.length === 0 && fallback) {
    found = await findSlots(deps, fallback);
    if (why.kind === 'counter') why = { kind: 'counter', inWindow: false };
  }
  const now = deps.clock.now();
  if (found.slots.length === 0) {
    await journalOnce(deps.db, {
      actor: 'deskhand',
      action: 'meeting_no_slots',
      reason: `no free ${m.durationMinutes}-minute slot in the range asked for${found.unknown.length ? ` (calendars not read: ${found.unknown.join(', ')})` : ''}`,
      messageId: f.id,
      threadId: f.threadId,
      meetingId: m.id,
    });
    return [
      {
        kind: 'meeting_notice',
        key: `meeting-no-slots:${m.id}:${f.id}`,
        subject: `No free time found for "${m.summary}"`,
        meetingId: m.id,
        text: [
          `I was asked to find ${m.durationMinutes} minutes for "${m.summary}" with ${m.attendees.map((a) => a.name || a.email).join(', ')},`,
          'but your calendar and working hours leave no free slot in the range asked for, so I wrote to nobody.',
          ...(found.unknown.length ? ['', `Calendars I could not read: ${found.unknown.join(', ')}.`] : []),
          '',
          'Reply in the thread with other dates if you want me to try again.',
        ].join('\n'),
      },
    ];
  }
  const round = m.offerRound + 1;
  const offered: OfferedSlot[] = found.slots.map((s: Slot, i) => ({
    index: i + 1,
    start: s.start,
    end: s.end,
  }));
  const zones = zonesToShow(
    m.attendees.map((a) => a.zone),
    deps.config.owner.timeZone,
  );
  const body = offerText({
    to: m.attendees,
    owner: m.organizer,
    durationMinutes: m.durationMinutes,
    summary: m.summary,
    slots: offered,
    zones,
    reason: why,
  });
  const draft = replyDraft(deps, f, m, body);
  if (found.unknown.length)
    draft.warnings.push(
      `Calendars I could not read (their busy time is unknown): ${found.unknown.join(', ')}`,
    );
  const delegated = m.delegated || f.ownerVerified;
  const result = await deps.db.transaction().execute(async (trx) => {
    const locked = await lockMeeting(trx, m.id);
    if (!locked || locked.offerRound !== m.offerRound || locked.status !== m.status) return null;
    const { proposal } = await recordProposal(
      trx,
      {
        kind: 'meeting',
        idempotencyKey: `meeting:${m.id}:offer:${round}`,
        messageId: f.id,
        threadId: f.threadId,
        summary: `Offer ${offered.length} times for "${m.summary}" to ${m.attendees.map((a) => a.name || a.email).join(', ')}`,
        payload: { meetingId: m.id, action: 'offer', round, delegated, draft },
        reason: `${why.kind === 'first' ? 'a meeting was asked for' : `offer ${round} (${why.kind})`}; ${found.slots.length} free slot(s)`,
      },
      now,
    );
    await updateMeeting(
      trx,
      m.id,
      {
        status: locked.status === 'clarifying' ? 'proposing' : locked.status,
        offered,
        offerProposalId: proposal.id,
        offerRound: round,
        offeredBefore: [...locked.offeredBefore, ...offered],
      },
      now,
    );
    return proposal;
  });
  if (!result) return [];
  return [{ kind: 'meeting_proposed', proposalId: result.id, meetingId: m.id, summary: result.summary }];
}
