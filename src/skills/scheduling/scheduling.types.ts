import type { Kysely } from 'kysely';
import type { Config } from '../../config/config.ts';
import type { Database } from '../../db/db.types.ts';
import type { ModelClient } from '../../llm/llm.model.ts';
import type { Clock } from '../../shared/clock.ts';
import type { ThreadMessage } from '../drafts/draft.model.ts';
import type { StoredMessage } from '../thread.ts';
import type { AvailabilityDeps } from './meeting/meeting.availability.ts';
import type { MeetingAction } from './meeting/meeting.model.ts';

/** What the scheduling skill needs, reads and returns (scheduling.skill.ts). */

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
