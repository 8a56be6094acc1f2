-- deskhand schema, version 5: approvals — asking the owner, reading the answer, doing exactly that once.

-- Proposals can now expire (an approval round that nobody answered) and carry the round that
-- executed them.
ALTER TABLE proposals DROP CONSTRAINT IF EXISTS proposals_status_check;
ALTER TABLE proposals ADD CONSTRAINT proposals_status_check
  CHECK (status IN ('awaiting_approval', 'needs_input', 'approved', 'rejected', 'executed',
                    'superseded', 'cancelled', 'expired'));

-- One row per approval round: the question put to the owner, the exact action it would approve
-- (`shown`), and the first decision on it. A proposal has at most one open round; an edit that
-- changes recipients or amounts closes its round as `superseded` and opens the next one.
CREATE TABLE approvals (
  id                  bigserial PRIMARY KEY,
  proposal_id         bigint NOT NULL REFERENCES proposals(id),
  round               integer NOT NULL DEFAULT 1,
  -- Unguessable, bound to this one round: in the plus-addressed Reply-To and the body.
  token               text NOT NULL UNIQUE,
  -- Message-ID of the approval email (the outbox row's pre-assigned id) and of the one ask-back.
  request_message_id  text UNIQUE,
  clarify_message_id  text UNIQUE,
  request_outbox_id   bigint REFERENCES outbox(id),
  status              text NOT NULL DEFAULT 'open'
                      CHECK (status IN ('open', 'approved', 'rejected', 'expired', 'superseded', 'cancelled')),
  -- 'one_yes': an ordinary approval; 'decision': flagged (bank change, duplicate, large amount,
  -- new vendor) — no standing rule can relax it.
  level               text NOT NULL CHECK (level IN ('one_yes', 'decision')),
  policy              jsonb NOT NULL,
  -- Exactly what the owner is asked to approve: recipients, subject and text of a reply; payee,
  -- amount, due date and account of a payment.
  shown               jsonb NOT NULL,
  previous_id         bigint REFERENCES approvals(id),
  expires_at          timestamptz NOT NULL,
  decided_at          timestamptz,
  decided_by_message  bigint REFERENCES messages(id),
  decision            jsonb,
  -- The execution: the outbox row of an approved reply, and when the owner was told it happened.
  executed_outbox_id  bigint REFERENCES outbox(id),
  confirmed_at        timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  UNIQUE (proposal_id, round)
);
CREATE UNIQUE INDEX approvals_one_open_idx ON approvals (proposal_id) WHERE status = 'open';
CREATE INDEX approvals_expiry_idx ON approvals (expires_at) WHERE status = 'open';
CREATE INDEX approvals_unconfirmed_idx ON approvals (id) WHERE status = 'approved' AND confirmed_at IS NULL;

ALTER TABLE journal ADD COLUMN approval_id bigint REFERENCES approvals(id);

-- Approval replies that failed verification or could not be read: answered once per message.
CREATE INDEX journal_approval_idx ON journal (approval_id) WHERE approval_id IS NOT NULL;
