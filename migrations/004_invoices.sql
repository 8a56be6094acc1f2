-- deskhand schema, version 4: documents, invoices, vendors and their memory, purchase orders.
-- Plain SQL, forward-only; runs on PostgreSQL and PGlite alike.
--
-- Dates are ISO `YYYY-MM-DD` text, not `date`: node-postgres turns `date` into a JS Date at local
-- midnight (a day off east of UTC), and db.ts must not branch per engine. ISO text sorts and
-- compares correctly; the CHECKs keep it ISO. Amounts are `numeric` (exact; read back as strings).

-- A company that bills us. `name_keys` holds the matching keys (normalized, legal form removed) of
-- the name and every alias, so "ACME GmbH", "Acme Gmbh." and "ACME AG" meet on "acme".
CREATE TABLE vendors (
  id               bigserial PRIMARY KEY,
  name             text NOT NULL,
  normalized_name  text NOT NULL,
  aliases          jsonb NOT NULL DEFAULT '[]',
  name_keys        jsonb NOT NULL DEFAULT '[]',
  tax_id           text,
  email_domains    jsonb NOT NULL DEFAULT '[]',
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
-- One vendor per tax id: the strongest identity a document carries.
CREATE UNIQUE INDEX vendors_tax_id_key ON vendors (tax_id) WHERE tax_id IS NOT NULL;
CREATE INDEX vendors_name_keys_idx ON vendors USING gin (name_keys jsonb_path_ops);
CREATE INDEX vendors_email_domains_idx ON vendors USING gin (email_domains jsonb_path_ops);

-- A vendor's bank accounts. known: the first account seen for a vendor that had none (trust on
-- first use); pending: a new account on a vendor that already had one, waiting for the owner
-- (a changed IBAN is the classic payment-fraud signal); confirmed: the owner said it is right.
CREATE TABLE vendor_accounts (
  id             bigserial PRIMARY KEY,
  vendor_id      bigint NOT NULL REFERENCES vendors(id),
  iban           text NOT NULL,
  bic            text,
  status         text NOT NULL CHECK (status IN ('known', 'pending', 'confirmed')),
  first_seen_at  timestamptz NOT NULL DEFAULT now(),
  last_seen_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (vendor_id, iban)
);

-- Every document filed: one per (message, file). For a document found in the message body,
-- `attachment_sha256` is the sha256 of that body text, so a re-processed message is a no-op.
CREATE TABLE documents (
  id                 bigserial PRIMARY KEY,
  message_id         bigint NOT NULL REFERENCES messages(id),
  attachment_sha256  text NOT NULL,
  filename           text NOT NULL,
  kind               text NOT NULL,
  method             text NOT NULL,
  vendor_id          bigint REFERENCES vendors(id),
  -- The ExtractedDocument (src/extract/extract.model.ts) as filed, after the owner's corrections.
  extracted          jsonb NOT NULL,
  warnings           jsonb NOT NULL DEFAULT '[]',
  corrections        jsonb NOT NULL DEFAULT '[]',
  -- The document's text as extracted (capped), kept for reading back and snippets.
  text               text NOT NULL DEFAULT '',
  -- Lower-cased, accent-folded words of the fields and the text. The `simple` configuration
  -- (no stemming) because documents arrive in English, German, French, Dutch and Spanish alike.
  search_text        text NOT NULL DEFAULT '',
  search_vector      tsvector GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED,
  created_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (message_id, attachment_sha256)
);
CREATE INDEX documents_search_idx ON documents USING gin (search_vector);
CREATE INDEX documents_sha256_idx ON documents (attachment_sha256);
CREATE INDEX documents_created_idx ON documents (created_at);

-- Dates that matter in a document: a contract's end, a renewal notice, a quote's validity.
CREATE TABLE document_key_dates (
  document_id  bigint NOT NULL REFERENCES documents(id),
  label        text NOT NULL,
  on_date      text NOT NULL CHECK (on_date ~ '^\d{4}-\d{2}-\d{2}$'),
  evidence     text NOT NULL DEFAULT '',
  PRIMARY KEY (document_id, label, on_date)
);
CREATE INDEX document_key_dates_on_date_idx ON document_key_dates (on_date);

-- Purchase orders the owner imports (deskhand po import file.csv). `number_key` is the number
-- normalized ("PO-4711", "po 4711" and "4711" meet), unique so an import is idempotent.
CREATE TABLE purchase_orders (
  id             bigserial PRIMARY KEY,
  number         text NOT NULL,
  number_key     text NOT NULL UNIQUE,
  vendor_name    text,
  vendor_key     text,
  vendor_tax_id  text,
  amount         numeric NOT NULL,
  currency       text,
  status         text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  description    text,
  imported_from  text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX purchase_orders_vendor_key_idx ON purchase_orders (vendor_key) WHERE status = 'open';
CREATE INDEX purchase_orders_vendor_tax_idx ON purchase_orders (vendor_tax_id) WHERE status = 'open';

-- One invoice (or credit note) per document. Also the vendor's amount history.
CREATE TABLE invoices (
  id                 bigserial PRIMARY KEY,
  document_id        bigint NOT NULL UNIQUE REFERENCES documents(id),
  vendor_id          bigint REFERENCES vendors(id),
  kind               text NOT NULL CHECK (kind IN ('invoice', 'credit_note')),
  number             text,
  -- `number` upper-cased without spaces and punctuation: the duplicate key.
  number_key         text,
  issue_date         text CHECK (issue_date ~ '^\d{4}-\d{2}-\d{2}$'),
  due_date           text CHECK (due_date ~ '^\d{4}-\d{2}-\d{2}$'),
  currency           text,
  subtotal           numeric,
  tax                numeric,
  total              numeric,
  iban               text,
  bic                text,
  po_number          text,
  purchase_order_id  bigint REFERENCES purchase_orders(id),
  status             text NOT NULL DEFAULT 'received'
                     CHECK (status IN ('received', 'approved', 'paid', 'rejected')),
  risk               text NOT NULL CHECK (risk IN ('low', 'high')),
  checks             jsonb NOT NULL DEFAULT '[]',
  exceptions         jsonb NOT NULL DEFAULT '[]',
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX invoices_vendor_number_idx ON invoices (vendor_id, number_key);
CREATE INDEX invoices_vendor_total_idx ON invoices (vendor_id, total);
CREATE INDEX invoices_po_idx ON invoices (purchase_order_id);
CREATE INDEX invoices_due_idx ON invoices (due_date) WHERE status IN ('received', 'approved');

-- What the owner corrected, per vendor: used on that vendor's next documents
-- (src/skills/invoices/corrections.ts says which fields generalize and how). `rule` holds what was
-- derived at the time, e.g. {"termDays": 45} from a corrected due date.
CREATE TABLE field_corrections (
  id           bigserial PRIMARY KEY,
  vendor_id    bigint NOT NULL REFERENCES vendors(id),
  field        text NOT NULL,
  wrong_value  text,
  right_value  text,
  rule         jsonb NOT NULL DEFAULT '{}',
  message_id   bigint REFERENCES messages(id),
  created_at   timestamptz NOT NULL DEFAULT now()
);
-- One correction per field per owner message: a retried job records it once.
CREATE UNIQUE INDEX field_corrections_once ON field_corrections (vendor_id, field, message_id);
CREATE INDEX field_corrections_vendor_idx ON field_corrections (vendor_id, field, created_at);

-- Payment proposals join reply drafts. The CHECK was declared inline in 003, so it carries
-- PostgreSQL's generated name.
ALTER TABLE proposals DROP CONSTRAINT IF EXISTS proposals_kind_check;
ALTER TABLE proposals ADD CONSTRAINT proposals_kind_check CHECK (kind IN ('reply_draft', 'payment'));
