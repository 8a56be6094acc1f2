import type { Address } from '../../../ingest/message.model.ts';
import type { ThreadMessage } from '../../drafts/draft.model.ts';

/**
 * What the scheduling skill reads out of a thread before it looks at anyone's calendar: is a
 * meeting wanted, by whom, with whom, for how long, when, and in which time zones. Rules decide;
 * where they cannot (an ambiguous date), they say so in `ambiguities` and never guess, so the
 * caller asks a question instead of booking the wrong day.
 */

export type Daypart = 'morning' | 'afternoon' | 'evening';

/** Where a person's zone came from, strongest first. `owner` means nothing was known: the owner's zone. */
export type ZoneSource = 'stated' | 'signature' | 'date-offset' | 'owner';

export interface PersonZone {
  /** An IANA zone name ("America/New_York"). */
  zone: string;
  source: ZoneSource;
}

/** An inclusive span of calendar days, `YYYY-MM-DD`. */
export interface DateRange {
  from: string;
  to: string;
}

export interface MeetingRequest {
  wanted: boolean;
  /** How sure the rules are about `wanted`, 0..1. */
  confidence: number;
  /** Address of whoever first asked for the meeting; null when no one did. */
  requester: string | null;
  /** Who to invite besides the owner: thread participants, as the owner's words narrow or widen them. */
  invitees: Address[];
  durationMinutes: number;
  /** False when the duration is the default (nothing said, or only "quick call"). */
  durationStated: boolean;
  /**
   * Days the meeting may fall on, inclusive, as the writers' calendars name them: "Tuesday" is the
   * same calendar date for the owner. Day-granular on purpose; the slot finder applies each person's
   * working hours in their own zone. Null when nothing was said, or only something ambiguous.
   */
  range: DateRange | null;
  dayparts: Daypart[];
  /** Allowed weekdays, 1 = Monday … 7 = Sunday; empty means no restriction. */
  weekdays: number[];
  /** Days said to suit best ("Tuesday or Wednesday would be best"): offered first, not required. */
  preferredWeekdays: number[];
  excludedWeekdays: number[];
  /** Keyed by lower-cased address; every participant and the owner. */
  zones: Record<string, PersonZone>;
  /** Questions the caller should ask instead of guessing ("next Friday" said on a Friday). */
  ambiguities: string[];
  /** Why each part was decided, for the journal. */
  reasons: string[];
}

/**
 * One message of the thread. `dateHeader` is the raw RFC 5322 Date header: its offset (§3.3) is a
 * clue to the writer's zone that the parsed `date` loses. Optional, since stored messages do not
 * keep it yet; without it the offset fallback is skipped.
 */
export type SchedulingMessage = ThreadMessage & { dateHeader?: string | null };

export interface UnderstandContext {
  ownerEmail: string;
  /** The owner's IANA zone: the fallback for anyone whose zone is unknown. */
  ownerZone: string;
  assistantEmail: string;
  /** MEETING_MINUTES from config: used when nobody states a duration. */
  defaultMinutes: number;
  /** The clock, injected: ranges never start before today in the owner's zone. */
  now: Date;
}

/** An open-ended ask ("after the 15th") searches this many days from its start. */
export const OPEN_RANGE_DAYS = 14;
