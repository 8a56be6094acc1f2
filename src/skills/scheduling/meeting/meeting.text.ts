import { DateTime } from 'luxon';
import type { OfferedSlot } from '../choose/choose.ts';

/**
 * The words of the scheduling mail: offers, questions and the line that shows one time in every
 * participant's zone. Plain text in the owner's register, no links, no remote content. Pure.
 */

export interface ZoneLabel {
  zone: string;
  /** "New York": the city part of the IANA name. */
  label: string;
}

export function zoneLabel(zone: string): string {
  if (zone === 'UTC' || zone === 'Etc/UTC') return 'UTC';
  return (zone.split('/').pop() ?? zone).replace(/_/g, ' ');
}

/** Distinct zones, the owner's last, each labelled. */
export function zonesToShow(guestZones: readonly string[], ownerZone: string): ZoneLabel[] {
  const seen = new Set<string>();
  const out: ZoneLabel[] = [];
  for (const z of [...guestZones, ownerZone]) {
    if (seen.has(z)) continue;
    seen.add(z);
    out.push({ zone: z, label: zoneLabel(z) });
  }
  return out;
}

/** "Tue 27 Oct, 10:00–10:30 New York (EDT) · 15:00–15:30 Berlin (CET)"; the date per zone when it differs. */
export function timeInZones(start: Date, end: Date, zones: readonly ZoneLabel[]): string {
  const locals = zones.map((z) => ({
    z,
    a: DateTime.fromJSDate(start, { zone: z.zone }),
    b: DateTime.fromJSDate(end, { zone: z.zone }),
  }));
  const first = locals[0]!;
  const sameDay = locals.every((l) => l.a.hasSame(first.a, 'day') && l.a.day === first.a.day);
  const part = (l: (typeof locals)[number]) =>
    `${sameDay ? '' : `${l.a.toFormat('ccc d LLL')} `}${l.a.toFormat('HH:mm')}–${l.b.toFormat('HH:mm')} ${l.z.label} (${l.a.toFormat('ZZZZ')})`;
  return `${sameDay ? `${first.a.toFormat('cccc d LLLL')}, ` : ''}${locals.map(part).join(' · ')}`;
}

export function slotList(slots: readonly OfferedSlot[], zones: readonly ZoneLabel[]): string[] {
  return slots.map((s) => `  ${s.index}. ${timeInZones(s.start, s.end, zones)}`);
}

const firstName = (name: string, email: string): string =>
  (name.trim().split(/\s+/)[0] ?? '') || email.split('@')[0] || email;

export function greeting(people: ReadonlyArray<{ name: string; email: string }>): string {
  const names = people.map((p) => firstName(p.name, p.email));
  if (names.length === 0) return 'Hello,';
  if (names.length === 1) return `Hi ${names[0]},`;
  return `Hi ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]},`;
}

export type OfferReason =
  | { kind: 'first' }
  | { kind: 'counter'; inWindow: boolean }
  | { kind: 'declined' }
  | { kind: 'reschedule'; current: string };

export interface OfferText {
  to: ReadonlyArray<{ name: string; email: string }>;
  owner: { name: string; email: string };
  durationMinutes: number;
  summary: string;
  slots: readonly OfferedSlot[];
  zones: readonly ZoneLabel[];
  reason: OfferReason;
}

export function offerText(o: OfferText): string {
  const owner = firstName(o.owner.name, o.owner.email);
  const intro = {
    first: `I'm ${owner}'s assistant and I'm finding a time for a ${o.durationMinutes}-minute meeting ("${o.summary}"). These times work for ${owner}:`,
    counter: '',
    declined: `No problem — here are other times that work for ${owner}:`,
    reschedule: '',
  }[o.reason.kind];
  const text =
    o.reason.kind === 'counter'
      ? o.reason.inWindow
        ? `Thanks — here are times that work for ${owner} then:`
        : `${owner} is not free then, I'm afraid. These are the nearest times that work:`
      : o.reason.kind === 'reschedule'
        ? `Let's find a new time for "${o.summary}" (now ${o.reason.current}). These times work for ${owner}:`
        : intro;
  return [
    greeting(o.to),
    '',
    text,
    '',
    ...slotList(o.slots, o.zones),
    '',
    'Reply with the number that suits you (for example "2 works for me"), or tell me what would work instead.',
    'Once a time is picked I will send a calendar invitation to everyone.',
    '',
    'Best regards,',
    `${o.owner.name || owner}'s assistant`,
    '',
  ].join('\n');
}

/** A question instead of a guess, when the dates asked for can be read two ways. */
export function questionText(o: {
  to: ReadonlyArray<{ name: string; email: string }>;
  owner: { name: string; email: string };
  ambiguities: readonly string[];
}): string {
  return [
    greeting(o.to),
    '',
    `I'm ${firstName(o.owner.name, o.owner.email)}'s assistant and I'd like to find a time — but I want to be sure of the dates first:`,
    '',
    ...o.ambiguities.map((a) => `  - ${a}`),
    '',
    'Could you tell me which you meant (a date like "Friday 4 December" is perfect)?',
    '',
    'Best regards,',
    `${o.owner.name || firstName(o.owner.name, o.owner.email)}'s assistant`,
    '',
  ].join('\n');
}

/** Which of several offered slots a reply meant. */
export function whichText(o: {
  to: { name: string; email: string };
  candidates: readonly OfferedSlot[];
  zones: readonly ZoneLabel[];
  owner: { name: string; email: string };
}): string {
  return [
    greeting([o.to]),
    '',
    'Just to be sure I book the right one — which of these did you mean?',
    '',
    ...slotList(o.candidates, o.zones),
    '',
    'Reply with its number.',
    '',
    'Best regards,',
    `${o.owner.name || firstName(o.owner.name, o.owner.email)}'s assistant`,
    '',
  ].join('\n');
}

export function replySubject(subject: string): string {
  return /^\s*re\s*:/i.test(subject) ? subject.trim() : `Re: ${subject.trim() || 'Meeting'}`;
}
