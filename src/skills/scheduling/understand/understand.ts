import { dayAtOffset, isoOfDay, zoneOffsetAt } from './understand.calendar.ts';
import { slashOrder } from './understand.dates.ts';
import { quickMention, statedDuration } from './understand.duration.ts';
import { messageIntent } from './understand.intent.ts';
import type { MeetingRequest, PersonZone, SchedulingMessage, UnderstandContext } from './understand.model.ts';
import { inviteesOf, participants } from './understand.people.ts';
import { type MessageWhen, whenOf } from './understand.range.ts';
import { newTextOf, sentencesOf } from './understand.text.ts';
import { combineWhen } from './understand.when.ts';
import { zonesOfPeople } from './understand.zone-map.ts';
import { offsetOfDateHeader } from './understand.zones.ts';

/**
 * Reads a scheduling thread (oldest first) into a MeetingRequest with rules and chrono-node only:
 * the same thread always gives the same answer, and everything works without a model. Each
 * message's relative dates ("tomorrow", "next week") are read in its writer's calendar at the
 * moment it was sent; our assistant's own messages are skipped. Never throws.
 */
export function understandMeetingRequest(
  thread: readonly SchedulingMessage[],
  ctx: UnderstandContext,
): MeetingRequest {
  const assistant = ctx.assistantEmail.toLowerCase();
  const owner = ctx.ownerEmail.toLowerCase();
  const messages = thread.filter((m) => m.from?.address.toLowerCase() !== assistant);
  const people = participants(messages, ctx.assistantEmail);
  const zoneMap = zonesOfPeople(messages, people, { email: owner, zone: ctx.ownerZone });
  const read = readMessages(messages, ctx, zoneMap.zones);
  const when = combineWhen(read.whens);
  const reasons = [...read.reasons, ...when.reasons, ...zoneMap.reasons];
  const ambiguities = [...read.ambiguities];
  const range = clampToToday(when.range, ctx, ambiguities);
  const ownerTexts = messages.filter((m) => m.from?.address.toLowerCase() === owner).map(newTextOf);
  const invited = inviteesOf(people, ownerTexts, ctx.ownerEmail, ctx.assistantEmail);
  reasons.push(...invited.reasons);
  if (read.duration === null) {
    reasons.push(
      `duration: the default ${ctx.defaultMinutes} min${read.quick ? ` ("${read.quick}" gives no length)` : ''}`,
    );
  }
  return {
    wanted: read.wanted,
    confidence: read.confidence,
    requester: read.wanted ? read.requester : null,
    invitees: invited.invitees,
    durationMinutes: read.duration?.minutes ?? ctx.defaultMinutes,
    durationStated: read.duration !== null,
    range: range === null ? null : { from: isoOfDay(range[0]), to: isoOfDay(range[1]) },
    dayparts: when.dayparts,
    weekdays: when.weekdays,
    preferredWeekdays: when.preferredWeekdays,
    excludedWeekdays: when.excludedWeekdays,
    zones: zoneMap.zones,
    ambiguities: [...new Set(ambiguities)],
    reasons,
  };
}

interface ReadThread {
  wanted: boolean;
  confidence: number;
  requester: string | null;
  duration: { minutes: number; byOwner: boolean } | null;
  quick: string | null;
  whens: MessageWhen[];
  ambiguities: string[];
  reasons: string[];
}

/**
 * Intent, duration and when of each message. The first message that asks for a meeting names the
 * requester; a later one that calls it off undoes it. A length the owner states beats anyone
 * else's; otherwise the newest stated length counts.
 */
function readMessages(
  messages: readonly SchedulingMessage[],
  ctx: UnderstandContext,
  zones: Record<string, PersonZone>,
): ReadThread {
  const owner = ctx.ownerEmail.toLowerCase();
  const texts = messages.map(newTextOf);
  const order = slashOrder(texts);
  const out: ReadThread = {
    wanted: false,
    confidence: 0.85,
    requester: null,
    duration: null,
    quick: null,
    whens: [],
    ambiguities: [],
    reasons: [],
  };
  let confidences: number[] = [];
  messages.forEach((m, i) => {
    const text = texts[i] ?? '';
    const from = m.from?.address.toLowerCase() ?? null;
    const intent = messageIntent(sentencesOf(text).map((s) => s.text));
    out.reasons.push(...intent.reasons.map((r) => `${from ?? 'unknown sender'}: ${r}`));
    if (intent.wanted) {
      if (!out.wanted) [out.requester, confidences] = [from, []];
      out.wanted = true;
      confidences.push(intent.confidence);
    } else if (intent.cancels && out.wanted) {
      out.wanted = false;
      confidences = [intent.confidence];
    } else if (!out.wanted) confidences.push(intent.confidence);
    const stated = statedDuration(text);
    if (stated !== null && (out.duration === null || !out.duration.byOwner || from === owner)) {
      out.duration = { minutes: stated.minutes, byOwner: from === owner };
      out.reasons.push(`duration ${stated.minutes} min from "${stated.text}"`);
    }
    out.quick = quickMention(text) ?? out.quick;
    const at = m.date ?? ctx.now;
    const offset = writerOffset(m, zones[from ?? '']?.zone ?? ctx.ownerZone, at);
    const when = whenOf(text, dayAtOffset(at, offset), { instant: at, offsetMinutes: offset }, order);
    out.whens.push(when);
    out.ambiguities.push(...when.ambiguities);
    out.reasons.push(...when.reasons);
  });
  if (confidences.length > 0)
    out.confidence = out.wanted ? Math.max(...confidences) : Math.min(...confidences);
  return out;
}

/** The writer's UTC offset when they wrote: their Date header's, else their zone's at that moment. */
function writerOffset(m: SchedulingMessage, zone: string, at: Date): number {
  return offsetOfDateHeader(m.dateHeader) ?? zoneOffsetAt(zone, at) ?? 0;
}

/** The range from the owner's today on; null, with an ambiguity, when it has passed entirely. */
function clampToToday(
  range: [number, number] | null,
  ctx: UnderstandContext,
  ambiguities: string[],
): [number, number] | null {
  if (range === null) return null;
  const today = dayAtOffset(ctx.now, zoneOffsetAt(ctx.ownerZone, ctx.now) ?? 0);
  if (range[1] < today) {
    ambiguities.push(`the days asked for (${isoOfDay(range[0])} to ${isoOfDay(range[1])}) have passed`);
    return null;
  }
  return [Math.max(range[0], today), range[1]];
}
