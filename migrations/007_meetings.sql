-- deskhand schema, version 7: scheduling — meetings deskhand is arranging or has booked.

ALTER TABLE proposals DROP CONSTRAINT IF EXISTS proposals_kind_check;
ALTER TABLE proposals ADD CONSTRAINT proposals_kind_check CHECK (kind IN ('reply_draft', 'payment', 'meeting'));

-- One row per meeting, from the request that asked for it to its booking, revisions and cancel.
-- `uid` is the iCalendar UID every revision keeps; `sequence` the last one sent (RFC 5546 §2.1.4).
CREATE TABLE meetings (
  id                 bigserial PRIMARY KEY,
  thread_id          bigint REFERENCES threads(id),
  -- The message that asked for it: one meeting per asking message, so a retried job is a no-op.
  source_message     bigint NOT NULL UNIQUE REFERENCES messages(id),
  uid                text NOT NULL UNIQUE,
  -- clarifying: a question about the dates is out; proposing: slots are offered (or waiting for
  -- the owner's approval); booked: an invite went out (it may be re-offered for a reschedule);
  -- cancelled: a CANCEL went out; released: given up before booking (nothing held).
  status             text NOT NULL CHECK (status IN ('clarifying', 'proposing', 'booked', 'cancelled', 'released')),
  summary            text NOT NULL,
  duration_minutes   integer NOT NULL CHECK (duration_minutes > 0),
  -- The owner organizes; attendees are {name, email, zone} — who is invited, as the owner's words decide.
  organizer          jsonb NOT NULL,
  attendees          jsonb NOT NULL,
  -- Whether the owner delegated scheduling in this thread: offers then go out without an approval.
  delegated          boolean NOT NULL DEFAULT false,
  -- What was understood (MeetingRequest), for the journal and a later re-offer.
  request            jsonb NOT NULL,
  -- The slots of the current offer [{index, start, end}], held while the offer's proposal is alive.
  offered            jsonb NOT NULL DEFAULT '[]',
  offer_proposal_id  bigint REFERENCES proposals(id),
  offer_round        integer NOT NULL DEFAULT 0,
  -- Every slot offered so far (never offered twice after "none of these").
  offered_before     jsonb NOT NULL DEFAULT '[]',
  start_at           timestamptz,
  end_at             timestamptz,
  sequence           integer NOT NULL DEFAULT -1,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX meetings_thread_idx ON meetings (thread_id);
CREATE INDEX meetings_active_idx ON meetings (status) WHERE status IN ('proposing', 'booked', 'clarifying');

-- Attendees' answers (iTIP METHOD:REPLY), the latest per attendee.
CREATE TABLE meeting_rsvps (
  meeting_id   bigint NOT NULL REFERENCES meetings(id),
  attendee     text NOT NULL,
  partstat     text NOT NULL CHECK (partstat IN ('ACCEPTED', 'DECLINED', 'TENTATIVE')),
  sequence     integer NOT NULL,
  message_id   bigint NOT NULL REFERENCES messages(id),
  verified     boolean NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (meeting_id, attendee)
);

ALTER TABLE journal ADD COLUMN meeting_id bigint REFERENCES meetings(id);
