-- A record of who looked (issue 14 point 5): every read and every write of a person's journey
-- through the API (and so the operations pages), with who, in which role, when, what and from
-- where. The raw material of a subject access request and of an audit. Kept here, never in
-- Temporal. Append-only: the application has no UPDATE or DELETE of it, and the triggers below
-- refuse one from anybody else's SQL too (a retention purge, when there is one, is a migration
-- that says so).
CREATE TABLE access_log (
  seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  person_id   text        NOT NULL,
  at          timestamptz NOT NULL,
  user_id     text        NOT NULL,
  role        text        NOT NULL,
  -- how they signed in: 'token' (a static API token) or 'oidc' (the identity provider)
  via         text        NOT NULL,
  -- 'read' or 'write'
  action      text        NOT NULL,
  -- the route, e.g. 'GET /journeys/:personId', 'POST /journeys/:personId/events'
  route       text        NOT NULL,
  -- a write's event type, where it has one (POST /journeys/{id}/events, a referral, an import)
  event_type  text,
  -- the answer's HTTP status: 404 for a journey out of the caller's reach, 403 for a role refused
  status      integer     NOT NULL,
  ip          text,
  user_agent  text
);
-- One person's record in order (GET /journeys/{id}/access, paged by seq).
CREATE INDEX access_log_by_person ON access_log (person_id, seq);

CREATE FUNCTION access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'access_log is append-only: % refused', TG_OP;
END;
$$;
CREATE TRIGGER access_log_no_update_or_delete BEFORE UPDATE OR DELETE ON access_log
  FOR EACH ROW EXECUTE FUNCTION access_log_append_only();
CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log
  FOR EACH STATEMENT EXECUTE FUNCTION access_log_append_only();
