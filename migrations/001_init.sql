-- deskhand schema, version 1. Plain SQL, forward-only; runs on PostgreSQL and PGlite alike.

-- Where the watcher is in each mailbox (RFC 3501 §2.3.1.1 UIDs are only
-- meaningful together with UIDVALIDITY; RFC 7162 MODSEQ where available).
CREATE TABLE mailbox_cursors (
  mailbox        text PRIMARY KEY,
  uid_validity   bigint NOT NULL,
  last_uid       bigint NOT NULL DEFAULT 0,
  highest_modseq text,
  updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE threads (
  id          bigserial PRIMARY KEY,
  subject     text NOT NULL DEFAULT '',
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Every RFC 5322 Message-ID we have seen (ours and theirs) and its thread:
-- References/In-Reply-To resolve through this table.
CREATE TABLE thread_refs (
  message_id  text PRIMARY KEY,
  thread_id   bigint NOT NULL REFERENCES threads(id)
);

CREATE TABLE messages (
  id              bigserial PRIMARY KEY,
  mailbox         text NOT NULL,
  uid_validity    bigint,
  uid             bigint,
  message_id      text NOT NULL,
  content_sha256  text NOT NULL,
  size            integer NOT NULL,
  -- The raw RFC 5322 source, kept as received. NULL only for mail quarantined before download.
  raw             bytea,
  status          text NOT NULL DEFAULT 'received'
                  CHECK (status IN ('received', 'processed', 'quarantined')),
  thread_id       bigint REFERENCES threads(id),
  subject         text,
  from_address    text,
  internal_date   timestamptz,
  received_at     timestamptz NOT NULL DEFAULT now(),
  processed_at    timestamptz,
  category        text,
  addressing      text,
  requester       text,
  automatic       boolean,
  parsed          jsonb,
  triage          jsonb,
  error           text,
  target_folder   text,
  filed_at        timestamptz,
  UNIQUE (mailbox, uid_validity, uid),
  -- A message seen again (UIDVALIDITY change, re-delivery of the same bytes) is the same message.
  UNIQUE (message_id, content_sha256)
);
CREATE INDEX messages_status_idx ON messages (status) WHERE status = 'received';
CREATE INDEX messages_unfiled_idx ON messages (id) WHERE status <> 'received' AND filed_at IS NULL AND target_folder IS NOT NULL;
CREATE INDEX messages_thread_idx ON messages (thread_id);

CREATE TABLE attachments (
  id            bigserial PRIMARY KEY,
  message_id    bigint NOT NULL REFERENCES messages(id),
  filename      text,
  content_type  text NOT NULL,
  size          integer NOT NULL,
  sha256        text NOT NULL,
  inline        boolean NOT NULL DEFAULT false,
  content       bytea NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (message_id, sha256, filename)
);

-- Exactly-once sending: every outbound message is a row with a pre-assigned Message-ID.
CREATE TABLE outbox (
  id               bigserial PRIMARY KEY,
  message_id       text NOT NULL UNIQUE,
  idempotency_key  text NOT NULL UNIQUE,
  purpose          text NOT NULL,
  status           text NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending', 'sending', 'sent', 'ambiguous', 'failed')),
  from_address     text NOT NULL,
  to_addresses     jsonb NOT NULL,
  cc_addresses     jsonb NOT NULL DEFAULT '[]',
  subject          text NOT NULL,
  text_body        text NOT NULL,
  html_body        text,
  in_reply_to      text,
  "references"     text,
  extra_headers    jsonb NOT NULL DEFAULT '{}',
  thread_id        bigint REFERENCES threads(id),
  source_message   bigint REFERENCES messages(id),
  attempts         integer NOT NULL DEFAULT 0,
  last_error       text,
  smtp_response    text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  sending_at       timestamptz,
  sent_at          timestamptz,
  saved_to_sent    boolean NOT NULL DEFAULT false
);
CREATE INDEX outbox_open_idx ON outbox (status) WHERE status IN ('pending', 'sending');

-- The audit trail: every decision and every send. Append-only (trigger below).
CREATE TABLE journal (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  actor       text NOT NULL,
  action      text NOT NULL,
  reason      text NOT NULL DEFAULT '',
  message_id  bigint REFERENCES messages(id),
  thread_id   bigint REFERENCES threads(id),
  outbox_id   bigint REFERENCES outbox(id),
  data        jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX journal_message_idx ON journal (message_id);
CREATE INDEX journal_thread_idx ON journal (thread_id);
CREATE INDEX journal_at_idx ON journal (at);

CREATE FUNCTION journal_is_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'journal is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER journal_append_only
  BEFORE UPDATE OR DELETE ON journal
  FOR EACH ROW EXECUTE FUNCTION journal_is_append_only();
