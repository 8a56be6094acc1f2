-- deskhand schema, version 8: the daily digest, and the numbered items the owner can act on by replying.

-- One digest per day of the owner's calendar (the unique day is what makes it exactly once, whatever
-- the number of workers or restarts). `token` works like an approval round's: in the plus-addressed
-- Reply-To and the body, so "approve 1 3, reject 2" names this digest.
CREATE TABLE digests (
  id          bigserial PRIMARY KEY,
  day         text NOT NULL UNIQUE CHECK (day ~ '^\d{4}-\d{2}-\d{2}$'),
  token       text NOT NULL UNIQUE,
  -- Message-ID of the digest mail (the outbox row's pre-assigned id); null when skipped.
  message_id  text UNIQUE,
  outbox_id   bigint REFERENCES outbox(id),
  -- Nothing to say and the owner asked not to be told so (DIGEST_SKIP_EMPTY).
  skipped     boolean NOT NULL DEFAULT false,
  -- What it showed, section by section (for the record and for shadow reports).
  content     jsonb NOT NULL,
  -- The last journal entry it covered: the next digest's "done" and "exceptions" start after it
  -- (ids, not times, so the window never depends on whose clock wrote the entries).
  journal_mark bigint NOT NULL DEFAULT 0,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- The numbered items of a digest: an open approval round ("approve 1") or an approved invoice
-- waiting to be paid ("paid 4").
CREATE TABLE digest_items (
  digest_id    bigint NOT NULL REFERENCES digests(id),
  number       integer NOT NULL CHECK (number > 0),
  kind         text NOT NULL CHECK (kind IN ('approval', 'payment')),
  approval_id  bigint REFERENCES approvals(id),
  invoice_id   bigint REFERENCES invoices(id),
  label        text NOT NULL,
  PRIMARY KEY (digest_id, number),
  CHECK ((kind = 'approval' AND approval_id IS NOT NULL) OR (kind = 'payment' AND invoice_id IS NOT NULL))
);
