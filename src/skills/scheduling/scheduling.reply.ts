import { journalOnce } from '../../journal/journal.repository.ts';
import { readSlotChoice } from './choose/choose.ts';
import { asksToCancel, asksToMove } from './meeting/meeting.intents.ts';
import type { ActionSource, MeetingState } from './meeting/meeting.model.ts';
import { offerSent, updateMeeting } from './meeting/meeting.repository.ts';
import { type OfferReason, timeInZones, zonesToShow } from './meeting/meeting.text.ts';
import { offer, queryOf, understand } from './scheduling.offer.ts';
import type { SchedulingDeps, SchedulingFacts, SchedulingOutcome } from './scheduling.types.ts';
import type { MeetingRequest } from './understand/understand.model.ts';

/**
 * Scheduling, the answering side: a later message in a thread whose meeting is being arranged or
 * is booked — a pick, a counter, "none of these", "which one?", a move, a cancel — read into an
 * outcome: a new offer, an action for the approvals layer, or a notice for the owner.
 */

const lower = (s: string) => s.toLowerCase();

/** A later message in a thread whose meeting is being arranged or is booked. */
export async function continueMeeting(
  deps: SchedulingDeps,
  f: SchedulingFacts,
  found: MeetingState,
): Promise<SchedulingOutcome[] | null> {
  const from = lower(f.parsed.from?.address ?? '');
  const owner = lower(deps.config.owner.email);
  if (!found.attendees.some((a) => lower(a.email) === from) && from !== owner) return null;
  const m = await learnZones(deps, f, found);
  const attendee = m.attendees.find((a) => lower(a.email) === from);
  const text = f.parsed.replyText.trim();
  const zone = attendee?.zone ?? deps.config.owner.timeZone;

  // An offer or question recorded but never put to the owner (a crash or a refused send between
  // the two steps): put it to them now; asking is idempotent.
  const unasked = await unaskedProposal(deps, m);
  if (unasked)
    return [{ kind: 'meeting_proposed', proposalId: unasked, meetingId: m.id, summary: m.summary }];
  // The owner calls it off before anything was booked: the offer is withdrawn, nothing held.
  if (from === owner && m.status !== 'booked' && asksToCancel(text))
    return [{ kind: 'meeting_action', action: { type: 'release', meetingId: m.id, source: sourceOf(f) } }];

  if (m.status === 'clarifying') {
    // Only an answer to the question we sent counts; the answer alone is read (the ask is still
    // ambiguous), on top of what the first request said.
    if (!(await offerSent(deps.db, m.offerProposalId))) return null;
    const said = understand(deps, f.thread.slice(-1));
    const zoneOfReplier = { [from]: { zone, source: 'owner' as const } };
    if (said.ambiguities.length || said.range === null) {
      return [
        {
          kind: 'meeting_notice',
          key: `meeting-unclear:${m.id}:${f.id}`,
          subject: `Dates still unclear for "${m.summary}"`,
          meetingId: m.id,
          text: [
            `I asked which dates were meant for "${m.summary}", but the answer does not settle it:`,
            '',
            ...(said.ambiguities.length
              ? said.ambiguities.map((a) => `  - ${a}`)
              : ['  (no date in the answer)']),
            '',
            'I wrote nothing more. Reply in the thread with a date to go on.',
          ].join('\n'),
        },
      ];
    }
    const req: MeetingRequest = {
      ...m.request,
      range: said.range,
      dayparts: said.dayparts.length ? said.dayparts : m.request.dayparts,
      weekdays: said.weekdays,
      preferredWeekdays: said.preferredWeekdays,
      excludedWeekdays: [...new Set([...m.request.excludedWeekdays, ...said.excludedWeekdays])],
      ambiguities: [],
      requester: from,
      zones: { ...m.request.zones, ...(m.request.zones[from] ? {} : zoneOfReplier) },
    };
    return offer(deps, f, m, { kind: 'first' }, queryOf(deps, m, req, m.offeredBefore));
  }

  const live = m.offered.length > 0 && (await offerSent(deps.db, m.offerProposalId));
  if (live) {
    const choice = readSlotChoice({
      replyText: text,
      offered: m.offered,
      replierZone: zone,
      now: deps.clock.now(),
    });
    await journalOnce(deps.db, {
      actor: 'deskhand',
      action: 'meeting_choice_read',
      reason: `${from}: ${choice.kind}${'evidence' in choice ? ` ("${choice.evidence}")` : ''}`,
      messageId: f.id,
      threadId: f.threadId,
      meetingId: m.id,
      data: { choice },
    });
    const picked = choice.kind === 'chosen' ? m.offered.find((o) => o.index === choice.index) : undefined;
    // The notice asked of offers does not apply to a pick: a slot still ahead (by a few minutes, for
    // the invite to arrive) is booked; one that has passed gets new times, never a booking in the past.
    const soonest = deps.clock.now().getTime() + 5 * 60_000;
    if (picked && picked.start.getTime() < soonest)
      return offer(
        deps,
        f,
        m,
        { kind: 'declined' },
        queryOf(deps, m, { ...m.request, range: null }, m.offeredBefore),
      );
    if (choice.kind === 'chosen')
      return [
        {
          kind: 'meeting_action',
          action: {
            type: 'book',
            meetingId: m.id,
            index: choice.index,
            offerProposalId: m.offerProposalId,
            source: sourceOf(f),
          },
        },
      ];
    if (choice.kind === 'declined_all')
      return offer(deps, f, m, { kind: 'declined' }, queryOf(deps, m, m.request, m.offeredBefore));
    if (choice.kind === 'counter') return counter(deps, f, m);
    if (choice.kind === 'ambiguous' && choice.candidates.length > 1)
      return [
        {
          kind: 'meeting_action',
          action: {
            type: 'which',
            meetingId: m.id,
            offerProposalId: m.offerProposalId,
            to: attendee ?? { name: deps.config.owner.name, email: deps.config.owner.email, zone },
            candidates: choice.candidates,
            source: sourceOf(f),
          },
        },
      ];
    // Only exclusions ("I can't do Tuesday") or nothing: not a choice, not ours to guess.
  }
  if (m.status === 'booked') {
    if (asksToCancel(text)) return cancelAsked(f, m, from === owner);
    if (asksToMove(text)) return counter(deps, f, m, true);
    // A pick from the offer that was already answered: the invite stands; nothing to draft.
    if (!live && m.offered.length > 0) {
      const late = readSlotChoice({
        replyText: text,
        offered: m.offered,
        replierZone: zone,
        now: deps.clock.now(),
      });
      if (late.kind === 'chosen' || late.kind === 'ambiguous') {
        await journalOnce(deps.db, {
          actor: 'deskhand',
          action: 'meeting_choice_late',
          reason: `${from} picked from an offer that was already answered; the booking stands`,
          messageId: f.id,
          threadId: f.threadId,
          meetingId: m.id,
        });
        return [];
      }
    }
  }
  // An offer still waiting for the owner: the thread is the meeting's; nothing to draft meanwhile.
  if (!live && m.status === 'proposing' && m.offerProposalId !== null) {
    await journalOnce(deps.db, {
      actor: 'deskhand',
      action: 'meeting_reply_waiting',
      reason: `${from} wrote while the offer waits for the owner's approval: not read as a pick, nothing drafted`,
      messageId: f.id,
      threadId: f.threadId,
      meetingId: m.id,
    });
    return [];
  }
  return live ? [] : null;
}

/**
 * Zones the thread has revealed since the meeting was recorded (a guest's signature in their
 * reply): later offers and invites show times on their clock. Only real evidence replaces the
 * owner's-zone fallback or an older guess.
 */
async function learnZones(deps: SchedulingDeps, f: SchedulingFacts, m: MeetingState): Promise<MeetingState> {
  const zones = understand(deps, f.thread).zones;
  let changed = false;
  const attendees = m.attendees.map((a) => {
    const z = zones[lower(a.email)];
    if (!z || z.source === 'owner' || z.zone === a.zone) return a;
    const known = m.request.zones[lower(a.email)]?.source;
    if (known === 'stated' || (known === 'signature' && z.source !== 'stated')) return a;
    changed = true;
    return { ...a, zone: z.zone };
  });
  if (!changed) return m;
  await updateMeeting(deps.db, m.id, { attendees }, deps.clock.now());
  return { ...m, attendees };
}

/** The meeting's current proposal when it still waits and no approval round was ever opened for it. */
async function unaskedProposal(deps: SchedulingDeps, m: MeetingState): Promise<string | null> {
  if (m.offerProposalId === null) return null;
  const p = await deps.db
    .selectFrom('proposals')
    .select('status')
    .where('id', '=', m.offerProposalId)
    .executeTakeFirst();
  if (p?.status !== 'awaiting_approval' && p?.status !== 'needs_input') return null;
  const round = await deps.db
    .selectFrom('approvals')
    .select('id')
    .where('proposal_id', '=', m.offerProposalId)
    .executeTakeFirst();
  return round ? null : m.offerProposalId;
}

/** A counter-proposal or a request to move: new slots from the owner's free time, in the window they named if any. */
async function counter(
  deps: SchedulingDeps,
  f: SchedulingFacts,
  m: MeetingState,
  move = false,
): Promise<SchedulingOutcome[]> {
  const last = f.thread[f.thread.length - 1];
  const asked = understand(deps, last ? [last] : []);
  const exclude = [...m.offeredBefore, ...(m.start && m.end ? [{ start: m.start, end: m.end }] : [])];
  // Their "Thursday morning" is read on their own clock.
  const from = lower(f.parsed.from?.address ?? '');
  const replierZone = m.attendees.find((a) => lower(a.email) === from)?.zone ?? deps.config.owner.timeZone;
  const window = {
    ...queryOf(deps, m, m.request, exclude),
    range: asked.range,
    dayparts: asked.dayparts,
    weekdays: asked.weekdays,
    preferredWeekdays: asked.preferredWeekdays,
    excludedWeekdays: asked.excludedWeekdays,
    askerZone: replierZone,
  };
  const said = asked.range !== null || asked.dayparts.length > 0 || asked.weekdays.length > 0;
  const wide = queryOf(deps, m, { ...m.request, range: null }, exclude);
  const reason: OfferReason = move
    ? {
        kind: 'reschedule',
        current:
          m.start && m.end
            ? timeInZones(m.start, m.end, zonesToShow([], deps.config.owner.timeZone))
            : 'unscheduled',
      }
    : { kind: 'counter', inWindow: true };
  return said ? offer(deps, f, m, reason, window, wide) : offer(deps, f, m, reason, wide);
}

function sourceOf(f: SchedulingFacts): ActionSource {
  return {
    id: f.id,
    threadId: f.threadId,
    messageId: f.parsed.messageId,
    references: f.parsed.references,
    subject: f.parsed.subject,
    from: f.parsed.from?.address ?? '',
  };
}

/** The owner's cancel is done at once (by the actions layer); a guest's is passed to the owner (only the organizer cancels for all). */
function cancelAsked(f: SchedulingFacts, m: MeetingState, byOwner: boolean): SchedulingOutcome[] {
  if (byOwner)
    return [{ kind: 'meeting_action', action: { type: 'cancel', meetingId: m.id, source: sourceOf(f) } }];
  const who = f.parsed.from?.name || f.parsed.from?.address;
  return [
    {
      kind: 'meeting_notice',
      key: `meeting-cancel-asked:${m.id}:${f.id}`,
      subject: `${who} asks to cancel "${m.summary}"`,
      meetingId: m.id,
      text: [
        `${who} wrote in the thread "${f.parsed.subject}":`,
        '',
        ...f.parsed.replyText
          .trim()
          .split('\n')
          .slice(0, 12)
          .map((l) => `  > ${l}`),
        '',
        'The meeting is still on everyone\'s calendar. To cancel it for everyone, write "please cancel the meeting" in the thread with me copied.',
      ].join('\n'),
    },
  ];
}
