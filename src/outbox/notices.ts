import type { Config } from '../config/config.ts';
import type { Db } from '../db/db.types.ts';
import type { Clock } from '../shared/clock.ts';
import type { EnqueueResult } from './outbox.model.ts';
import { enqueueOutbound } from './outbox.repository.ts';

export interface Notice {
  /** Same key → one notice, however often the cause repeats. */
  key: string;
  subject: string;
  text: string;
  threadId?: string | null;
  messageId?: string | null;
  /** Threads the notice under the owner's message it answers. */
  inReplyTo?: string | null;
  references?: string[];
}

/** Mail to the owner runs on its own (policy): exceptions arrive with context, once. */
export function notifyOwner(db: Db, config: Config, clock: Clock, n: Notice): Promise<EnqueueResult> {
  return enqueueOutbound(
    db,
    {
      purpose: 'notice',
      idempotencyKey: `notice:${n.key}`,
      to: [config.owner.email],
      subject: `[deskhand] ${n.subject}`,
      text: n.text,
      threadId: n.threadId ?? null,
      inReplyTo: n.inReplyTo ?? null,
      references: n.references ?? [],
      autoSubmitted: 'auto-generated',
    },
    {
      assistantEmail: config.assistant.email,
      ownerEmail: config.owner.email,
      perCorrespondentPerHour: config.env.REPLY_RATE_PER_HOUR,
      now: clock.now(),
    },
  );
}
