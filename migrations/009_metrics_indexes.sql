-- deskhand schema, version 9: indexes for the metrics, status and journal reads (issue 7), so they
-- stay bounded on a large journal and a long shadow run.
CREATE INDEX IF NOT EXISTS proposals_message_idx ON proposals (message_id);
CREATE INDEX IF NOT EXISTS messages_received_idx ON messages (received_at);
CREATE INDEX IF NOT EXISTS outbox_source_message_idx ON outbox (source_message);
CREATE INDEX IF NOT EXISTS journal_outbox_idx ON journal (outbox_id) WHERE outbox_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS journal_meeting_idx ON journal (meeting_id) WHERE meeting_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS approvals_decided_idx ON approvals (decided_at) WHERE decided_at IS NOT NULL;
