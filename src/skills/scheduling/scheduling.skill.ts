import { appendJournal } from '../../journal/journal.repository.ts';
import type { ThreadMessage } from '../drafts/draft.model.ts';
import { meetingUid } from './invite/invite.model.ts';
import { type Attendee, meetingSummary } from './meeting/meeting.model.ts';
import { activeMeetingInThread, insertMeeting } from './meeting/meeting.repository.ts';
import { ask, offer, queryOf, understand } from './scheduling.offer.ts';
import { continueMeeting } from './scheduling.reply.ts';
import type { SchedulingDeps, SchedulingFacts, SchedulingOutcome } from './scheduling.types.ts';
import type { MeetingRequest } from './understand/understand.model.ts';
import { UNSURE_BELOW, understandWithModel } from './understand/understand.refine.ts';

export type { SchedulingDeps, SchedulingFacts, SchedulingOutcome } from './scheduling.types.ts';

/**
 * Scheduling: a thread that asks for a meeting becomes an offer of free times (a reply-all in the
 * thread, each time shown in every participant's zone), a participant's choice becomes an invite
 * in every calendar, and later messages move or cancel it. An offer needs the owner's "yes"
 * unless the owner asked for it in this thread; a choice can only pick among offered times (the
 * owner allowed those), and anything else becomes a new offer from the owner's own free time, so
 * no participant can widen what the owner allowed. Every step is keyed by the message that caused
 * it and runs under the meeting's row lock, so a retried job, or two replies at once, book once.
 */

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
