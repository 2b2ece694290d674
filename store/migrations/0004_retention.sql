-- Records removed under the council's retention schedule (`care store forget`, issue 12): the
-- destruction log a records manager keeps. It says that a person's record existed, when their
-- journey closed, when the record was removed, by whom and under which cut-off, and how many
-- entries went: none of the record's content. The access log (who looked) is kept: it is the
-- council's record of its staff's actions, with its own retention.
CREATE TABLE forgotten (
  seq           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  person_id     text        NOT NULL,
  closed_at     timestamptz NOT NULL,
  forgotten_at  timestamptz NOT NULL DEFAULT now(),
  forgotten_by  text        NOT NULL,
  -- the cut-off it was removed under: journeys closed before this instant
  closed_before timestamptz NOT NULL,
  -- rows removed, by table
  removed       jsonb       NOT NULL
);
CREATE INDEX forgotten_by_person ON forgotten (person_id, seq);
-- When each closed journey closed, as an instant (the closure's own time may carry any offset),
-- and an index of them: what a retention run looks for.
ALTER TABLE journeys ADD COLUMN closed_at timestamptz;
UPDATE journeys SET closed_at = (closure ->> 'at')::timestamptz WHERE closed AND closure ->> 'at' <> '';
CREATE INDEX journeys_closed_by_date ON journeys (closed_at) WHERE closed;
