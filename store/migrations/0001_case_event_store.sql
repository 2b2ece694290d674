-- The case-event store (issue 12): what each journey's workflow has recorded, kept for years after
-- the workflow has closed. Written only by the journey's activities (idempotent by id) and by the
-- API (refused Updates); the journeys table is the current state the lists read.

-- Every case-record entry the workflow sent (accepted events, payments stopped, refused system
-- events, refused signals), once: a retried activity writes nothing twice; a different entry under
-- an id already used is refused by the application (digest compared), never overwritten.
CREATE TABLE case_records (
  person_id    text        NOT NULL,
  record_id    text        NOT NULL,
  kind         text        NOT NULL,
  -- for kind 'event': the event itself, as the timeline shows it
  event_type   text,
  occurred_at  timestamptz,
  recorded_at  timestamptz,
  entry        jsonb       NOT NULL,
  digest       text        NOT NULL,
  -- the journey's run and its count of applied events: the order the workflow applied them in
  run_number     integer,
  events_applied integer,
  stored_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (person_id, record_id)
);
-- A person's record in the order it happened (GET /journeys/{id} after the workflow has gone).
CREATE INDEX case_records_by_person_time ON case_records (person_id, recorded_at, run_number, events_applied);

-- Every refusal: events the journey refused (by signal, its own system events) and Updates the
-- API was answered 409 for. refusal_id is unique per refusal.
CREATE TABLE refusals (
  person_id   text        NOT NULL,
  refusal_id  text        NOT NULL,
  event_id    text,
  event_type  text,
  via         text        NOT NULL,
  recorded_at timestamptz NOT NULL,
  reasons     jsonb       NOT NULL,
  entry       jsonb       NOT NULL,
  PRIMARY KEY (person_id, refusal_id)
);
CREATE INDEX refusals_by_person_time ON refusals (person_id, recorded_at);

-- Every deadline a journey has had, as it is now.
CREATE TABLE deadlines (
  person_id          text        NOT NULL,
  deadline_id        text        NOT NULL,
  kind               text        NOT NULL,
  rule_id            text        NOT NULL,
  description        text        NOT NULL,
  effect             text        NOT NULL,
  status             text        NOT NULL,
  started_from       timestamptz NOT NULL,
  due_at             timestamptz NOT NULL,
  overdue_at         timestamptz NOT NULL,
  closed_at          timestamptz,
  flagged_overdue_at timestamptz,
  recorded_late      boolean     NOT NULL DEFAULT false,
  -- the entry that last changed it (see journeys): an older entry retried later changes nothing
  run_number         integer     NOT NULL,
  events_applied     integer     NOT NULL,
  updated_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (person_id, deadline_id)
);
-- Open deadlines by when they fall due, of every journey (due soon; overdue by kind).
CREATE INDEX deadlines_open_by_due ON deadlines (status, due_at) WHERE status IN ('due', 'overdue');
CREATE INDEX deadlines_open_by_kind ON deadlines (kind, status) WHERE status IN ('due', 'overdue');

-- A deadline's life: set, reminded, escalated, overdue, met, metLate, cancelled, takenEffect,
-- resolved (the managers told). Each once (source: the event or notice that said so).
CREATE TABLE deadline_history (
  person_id   text        NOT NULL,
  deadline_id text        NOT NULL,
  what        text        NOT NULL,
  at          timestamptz NOT NULL,
  source      text        NOT NULL,
  detail      jsonb,
  PRIMARY KEY (person_id, deadline_id, what, source)
);

-- Reminders, escalations and resolutions sent (R-TIM-2), once each.
CREATE TABLE notices (
  notification_id text        PRIMARY KEY,
  person_id       text        NOT NULL,
  deadline_id     text        NOT NULL,
  kind            text        NOT NULL,
  sent_to         text        NOT NULL,
  team            text,
  escalation      integer,
  entry           jsonb       NOT NULL,
  digest          text        NOT NULL,
  sent_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notices_by_person ON notices (person_id, sent_at);

-- Letters sent, once each.
CREATE TABLE letters (
  letter_id  text        PRIMARY KEY,
  person_id  text        NOT NULL,
  letter     text        NOT NULL,
  rule_id    text        NOT NULL,
  recipients text[]      NOT NULL,
  entry      jsonb       NOT NULL,
  digest     text        NOT NULL,
  sent_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX letters_by_person ON letters (person_id, sent_at);

-- One row per journey: where it is now, as its last applied event left it (run_number,
-- events_applied only move forward, so a retried older entry never takes it back).
CREATE TABLE journeys (
  person_id           text        PRIMARY KEY,
  subject             text        NOT NULL,
  council             text,
  stage               text        NOT NULL,
  step                text,
  stage_entered_at    timestamptz,
  team                text,
  worker              text,
  closed              boolean     NOT NULL DEFAULT false,
  closure             jsonb,
  next_deadline_at    timestamptz,
  next_deadline_kind  text,
  overdue_since       timestamptz,
  overdue_kinds       text[]      NOT NULL DEFAULT '{}',
  waiting_on          text,
  stage_stuck_after   timestamptz,
  waiting_stuck_after timestamptz,
  open_complaints     integer     NOT NULL DEFAULT 0,
  safeguarding_open   boolean     NOT NULL DEFAULT false,
  in_hospital         boolean     NOT NULL DEFAULT false,
  advocacy            text,
  last_event_at       timestamptz,
  run_number          integer     NOT NULL,
  events_applied      integer     NOT NULL,
  state               jsonb       NOT NULL,
  updated_at          timestamptz NOT NULL DEFAULT now()
);
-- The lists' order (longest overdue first, then the soonest next deadline, then person id) as
-- one key, so keyset paging reads the index in order; 'infinity' stands for "none" (last).
CREATE INDEX journeys_open_by_urgency ON journeys (
  (coalesce(overdue_since, 'infinity'::timestamptz)),
  (coalesce(next_deadline_at, 'infinity'::timestamptz)),
  person_id
) WHERE NOT closed;
CREATE INDEX journeys_open_by_team ON journeys (team) WHERE NOT closed;
CREATE INDEX journeys_open_by_worker ON journeys (worker) WHERE NOT closed;
CREATE INDEX journeys_open_by_stage ON journeys (stage) WHERE NOT closed;
CREATE INDEX journeys_open_overdue_kinds ON journeys USING gin (overdue_kinds) WHERE NOT closed;
CREATE INDEX journeys_open_stage_stuck ON journeys (stage_stuck_after) WHERE NOT closed AND stage_stuck_after IS NOT NULL;
CREATE INDEX journeys_open_waiting_stuck ON journeys (waiting_stuck_after) WHERE NOT closed AND waiting_stuck_after IS NOT NULL;
