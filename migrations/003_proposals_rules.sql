-- deskhand schema, version 3: proposals (drafts waiting for the owner) and the owner's standing rules.

-- A proposal is something deskhand would do, typed and with its evidence, waiting for the owner's
-- decision (approvals issue). One per cause: the idempotency key makes a retried job a no-op.
CREATE TABLE proposals (
  id               bigserial PRIMARY KEY,
  kind             text NOT NULL CHECK (kind IN ('reply_draft')),
  status           text NOT NULL DEFAULT 'awaiting_approval'
                   CHECK (status IN ('awaiting_approval', 'needs_input', 'approved', 'rejected',
                                     'executed', 'superseded', 'cancelled')),
  idempotency_key  text NOT NULL UNIQUE,
  message_id       bigint REFERENCES messages(id),
  thread_id        bigint REFERENCES threads(id),
  -- What will happen, in one line: "Send this reply to Dana Lee".
  summary          text NOT NULL,
  payload          jsonb NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX proposals_open_idx ON proposals (status, created_at) WHERE status IN ('awaiting_approval', 'needs_input');
CREATE INDEX proposals_thread_idx ON proposals (thread_id);

-- Rules the owner set by mail ("from now on …"). Only ever from the owner's authenticated mail
-- (source_message); undone by the owner's "undo" reply to the confirmation we sent.
CREATE TABLE standing_rules (
  id                       bigserial PRIMARY KEY,
  kind                     text NOT NULL,
  rule                     jsonb NOT NULL,
  words                    text NOT NULL,
  method                   text NOT NULL CHECK (method IN ('rules', 'model')),
  status                   text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'undone')),
  source_message           bigint NOT NULL UNIQUE REFERENCES messages(id),
  -- Message-ID of the confirmation mail (an outbox row's pre-assigned id): "undo" answers it.
  confirmation_message_id  text UNIQUE,
  created_at               timestamptz NOT NULL DEFAULT now(),
  undone_at                timestamptz,
  undone_by_message        bigint REFERENCES messages(id)
);
CREATE INDEX standing_rules_active_idx ON standing_rules (kind) WHERE status = 'active';

ALTER TABLE journal ADD COLUMN proposal_id bigint REFERENCES proposals(id);
ALTER TABLE journal ADD COLUMN rule_id bigint REFERENCES standing_rules(id);

-- Skills (drafts, instructions) run after triage; this marks them settled so a retried job or a
-- restart resumes exactly the messages whose skills did not finish.
ALTER TABLE messages ADD COLUMN skills_done_at timestamptz;
CREATE INDEX messages_skills_pending_idx ON messages (id) WHERE status = 'processed' AND skills_done_at IS NULL;
