-- The operations pages' sessions (store/pageSessions.ts): kept in the store, not in one API
-- process's memory, so a request that lands on another API instance finds the person still signed
-- in, and signing out on one instance signs out on all of them.
CREATE TABLE page_sessions (
  -- SHA-256 (hex) of the session id: the browser's cookie holds the id, signed; this table never does
  session_key text PRIMARY KEY,
  -- the session (who signed in, their token, a sign-in in progress, the CSRF secret), encrypted
  -- under the payload keys; NULL once it has ended (signed out, or replaced by a new id on signing
  -- in), so a late save from a request still running elsewhere cannot bring it back
  session     jsonb,
  -- when the session ends (the cookie's expiry): not read after it, and removed soon after it
  expires_at  timestamptz NOT NULL
);
-- Removing the ended ones (DELETE … WHERE expires_at <= now) without reading the whole table.
CREATE INDEX page_sessions_by_expiry ON page_sessions (expires_at);
