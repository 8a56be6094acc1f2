import type { Kysely } from 'kysely';
import type { Config } from '../../config/config.ts';
import type { Database } from '../../db/db.types.ts';
import type { Address } from '../../ingest/message.model.ts';
import { appendJournal, journalOnce } from '../../journal/journal.repository.ts';
import type { ModelClient } from '../../llm/llm.model.ts';
import type { Clock } from '../../shared/clock.ts';
import type { ReplyDraft, ThreadMessage } from '../drafts/draft.model.ts';
import { recordProposal } from '../proposals.repository.ts';
import type { StoredMessage } from '../thread.ts';
import type { Interval } from './availability/interval.ts';
import type { Slot } from './availability/slots.ts';
import { type OfferedSlot, readSlotChoice } from './choose/choose.ts';
import { meetingUid } from './invite/invite.model.ts';
import { type AvailabilityDeps, findSlots, type SlotQuery } from './meeting/meeting.availability.ts';
import { asksToCancel, asksToMove } from './meeting/meeting.intents.ts';
import {
  type ActionSource,
  type Attendee,
  type MeetingAction,
  type MeetingState,
  meetingSummary,
} from './meeting/meeting.model.ts';
import {
  activeMeetingInThread,
  insertMeeting,
  lockMeeting,
  offerSent,
  updateMeeting,
} from './meeting/meeting.repository.ts';
import {
  type OfferReason,
  offerText,
  questionText,
  replySubject,
  timeInZones,
  zonesToShow,
} from './meeting/meeting.text.ts';
import type { MeetingRequest, SchedulingMessage } from './understand/understand.model.ts';
import { UNSURE_BELOW, understandWithModel } from './understand/understand.refine.ts';
import { understandMeetingRequest } from './understand/understand.ts';

/**
 * Scheduling: a thread that asks for a meeting becomes an offer of free times (a reply-all in the
 * thread, each time shown in every participant's zone), a participant's choice becomes an invite
 * in every calendar, and later messages move or cancel it. An offer needs the owner's "yes"
 * unless the owner asked for it in this thread; a choice can only pick among offered times (the
 * owner allowed those), and anything else becomes a new offer from the owner's own free time, so
 * no participant can widen what the owner allowed. Every step is keyed by the message that caused
 * it and runs under the meeting's row lock, so a retried job, or two replies at once, book once.
 */

export interface SchedulingDeps extends AvailabilityDeps {
  db: Kysely<Database>;
  config: Config;
  clock: Clock;
  /** Asked about intent only, when the rules are unsure (understand.refine.ts); null: rules only. */
  model: ModelClient | null;
}

export interface SchedulingFacts {
  id: string;
  threadId: string | null;
  parsed: StoredMessage;
  /** The owner wrote it and their signature was verified. */
  ownerVerified: boolean;
  /** The thread, oldest first, this message last. */
  thread: ThreadMessage[];
}

export type SchedulingOutcome =
  /** An offer or a question about the dates, for the approvals step (or sent on its own when delegated). */
  | { kind: 'meeting_proposed'; proposalId: string; meetingId: string; summary: string }
  /** Mail to send without asking (an invite, an update, a cancel, "which one?"): the actions layer (src/approvals/approval.meeting.ts) does it. */
  | { kind: 'meeting_action'; action: MeetingAction }
  /** Something the owner should hear about (no free time, a cancel request from a guest). */
  | { kind: 'meeting_notice'; key: string; subject: string; text: string; meetingId: string | null };

const lower = (s: string) => s.toLowerCase();

/**
 * Handles a message of a thread: continues the thread's meeting if it has one and the message is
 * about it, else starts one if the thread asks for a meeting. Null when scheduling has nothing to
 * do with the message (the other skills then run as usual).
 */
export async function handleScheduling(
  deps: SchedulingDeps,
  f: SchedulingFacts,
): Promise<SchedulingOutcome[] | null> {
  const from = lower(f.parsed.from?.address ?? '');
  const owner = lower(deps.config.owner.email);
  if (from === owner && !f.ownerVerified) return null;
  const active = f.threadId ? await activeMeetingInThread(deps.db, f.threadId) : null;
  if (active) return continueMeeting(deps, f, active);
  const earlier = f.threadId
    ? await deps.db.selectFrom('meetings').select('id').where('thread_id', '=', f.threadId).executeTakeFirst()
    : undefined;
  // After a cancel, only a new ask in this very message starts another meeting.
  const thread = earlier ? f.thread.slice(-1) : f.thread;
  return startMeeting(deps, f, thread);
}

/** Cheap pre-check (no network): a meeting in the thread, or a meeting asked for in this message. */
export async function mayConcernScheduling(
  deps: SchedulingDeps,
  f: { threadId: string | null; thread: readonly ThreadMessage[] },
): Promise<boolean> {
  if (f.threadId && (await activeMeetingInThread(deps.db, f.threadId))) return true;
  const req = understand(deps, f.thread.slice(-1));
  return (req.wanted && req.confidence >= 0.6) || (deps.model !== null && req.confidence < UNSURE_BELOW);
}

function ownerAsks(deps: SchedulingDeps, f: SchedulingFacts): boolean {
  const own = understand(deps, f.thread.slice(-1));
  return own.wanted && own.confidence >= 0.6;
}

function understand(deps: SchedulingDeps, thread: readonly SchedulingMessage[]): MeetingRequest {
  return understandMeetingRequest(thread, {
    ownerEmail: deps.config.owner.email,
    ownerZone: deps.config.owner.timeZone,
    assistantEmail: deps.config.assistant.email,
    defaultMinutes: deps.config.env.MEETING_MINUTES,
    now: deps.clock.now(),
  });
}

function attendeesOf(deps: SchedulingDeps, req: MeetingRequest): Attendee[] {
  const owner = lower(deps.config.owner.email);
  const assistant = lower(deps.config.assistant.email);
  const seen = new Set<string>();
  const out: Attendee[] = [];
  for (const a of req.invitees) {
    const email = lower(a.address);
    if (email === owner || email === assistant || seen.has(email)) continue;
    seen.add(email);
    out.push({ name: a.name, email: a.address, zone: req.zones[email]?.zone ?? deps.config.owner.timeZone });
  }
  return out;
}

async function startMeeting(
  deps: SchedulingDeps,
  f: SchedulingFacts,
  thread: ThreadMessage[],
): Promise<SchedulingOutcome[] | null> {
  const req = await understandWithModel(
    thread,
    {
      ownerEmail: deps.config.owner.email,
      ownerName: deps.config.owner.name,
      ownerZone: deps.config.owner.timeZone,
      assistantEmail: deps.config.assistant.email,
      defaultMinutes: deps.config.env.MEETING_MINUTES,
      now: deps.clock.now(),
    },
    deps.model,
  );
  if (!req.wanted || req.confidence < 0.6) return null;
  const attendees = attendeesOf(deps, req);
  if (attendees.length === 0) return null;
  const now = deps.clock.now();
  const owner = { name: deps.config.owner.name, email: deps.config.owner.email };
  // Delegated only when the owner's own new words ask for the meeting ("I'm CC'ing my assistant to
  // find us a time"), not whenever the owner writes in a thread where someone else asked.
  const delegated = f.ownerVerified && ownerAsks(deps, f);
  const { meeting, created } = await deps.db.transaction().execute((trx) =>
    insertMeeting(
      trx,
      {
        threadId: f.threadId,
        sourceMessage: f.id,
        uid: (id) =>
          meetingUid(`meeting-${id}`, deps.config.assistant.email.split('@')[1] ?? 'deskhand.local'),
        status: req.ambiguities.length ? 'clarifying' : 'proposing',
        summary: meetingSummary(f.parsed.subject),
        durationMinutes: req.durationMinutes,
        organizer: owner,
        attendees,
        delegated,
        request: req,
      },
      now,
    ),
  );
  if (created)
    await appendJournal(deps.db, {
      actor: 'deskhand',
      action: 'meeting_requested',
      reason: `${meeting.durationMinutes} min with ${attendees.map((a) => a.email).join(', ')}${delegated ? ' — the owner asked in this thread' : ''}`,
      messageId: f.id,
      threadId: f.threadId,
      meetingId: meeting.id,
      data: { reasons: req.reasons, ambiguities: req.ambiguities, range: req.range, zones: req.zones },
    });
  if (req.ambiguities.length) return [await ask(deps, f, meeting, req.ambiguities)];
  return offer(deps, f, meeting, { kind: 'first' }, queryOf(deps, meeting, req, []));
}

function queryOf(deps: SchedulingDeps, m: MeetingState, req: MeetingRequest, exclude: Interval[]): SlotQuery {
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

async function ask(
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
async function offer(
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

/** A later message in a thread whose meeting is being arranged or is booked. */
async function continueMeeting(
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
