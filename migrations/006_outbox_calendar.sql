-- deskhand schema, version 6: an outbound message may carry an iTIP calendar part (scheduling).
-- {method, content, filename}: sent as text/calendar; method=… beside the text, and attached as .ics.
ALTER TABLE outbox ADD COLUMN calendar jsonb;
