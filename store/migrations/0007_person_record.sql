-- The person record (issue 26): who each person is, kept only here, never in Temporal. Written by
-- the API alone (a referral's person, PUT/PATCH /people/{personId}/record, an import's person
-- columns), read through the person-index port (store/personRecord.ts).
--
-- `record` holds the readable fields (names, dates, address, contacts, language, GP, representative,
-- advocate, the CLD items that are not special category). `sealed` holds the NHS number and the
-- special-category fields, each encrypted on its own (AES-256-GCM under a key derived from the
-- council's payload key `key_id`: store/fieldCrypto.ts), as {"field": "f1:<key id>:<data>"}.
-- The search columns are derived from the record on every write; `nhs_index` is a blind index
-- (keyed HMAC) of the NHS number, so it can be found without being stored readable.
CREATE TABLE person_records (
  person_id     text        PRIMARY KEY,
  version       integer     NOT NULL,
  record        jsonb       NOT NULL,
  sealed        jsonb       NOT NULL DEFAULT '{}',
  key_id        text,
  -- every word of every name, accents and case folded; and each word's every start, for search
  name_tokens   text[]      NOT NULL,
  name_prefixes text[]      NOT NULL,
  sort_name     text        NOT NULL,
  date_of_birth date,
  -- the postcode as written out (DE4 3AG): a search matches it whole, by its district or by its start
  postcode_key  text,
  nhs_index     text,
  recorded_at   timestamptz NOT NULL,
  recorded_by   text        NOT NULL
);
CREATE INDEX person_records_by_name ON person_records USING gin (name_prefixes);
CREATE INDEX person_records_by_birth ON person_records (date_of_birth);
-- with the sort key and id beside it: a district (DE4) matches thousands, ranked from the index alone
CREATE INDEX person_records_by_postcode ON person_records (postcode_key text_pattern_ops) INCLUDE (sort_name, person_id);
CREATE INDEX person_records_by_nhs_number ON person_records (nhs_index);
CREATE INDEX person_records_by_reference ON person_records (lower(person_id) text_pattern_ops);
-- a person with a journey and no record yet is found by their reference
CREATE INDEX journeys_by_reference ON journeys (lower(person_id) text_pattern_ops);

-- Every version of every record, whole (readable and sealed parts as the current row has them),
-- with who wrote it, in which role, when, through which command, and which fields it changed.
-- Never updated but to re-encrypt under a new key after a rotation (PersonRecordStore.reseal).
CREATE TABLE person_record_versions (
  person_id     text        NOT NULL,
  version       integer     NOT NULL,
  recorded_at   timestamptz NOT NULL,
  recorded_by   text        NOT NULL,
  recorded_role text        NOT NULL,
  -- referral, record (PUT), amend (PATCH), import
  via           text        NOT NULL,
  changed       text[]      NOT NULL,
  record        jsonb       NOT NULL,
  sealed        jsonb       NOT NULL DEFAULT '{}',
  key_id        text,
  PRIMARY KEY (person_id, version)
);
CREATE INDEX person_record_versions_by_key ON person_record_versions (key_id) WHERE key_id IS NOT NULL;

-- The staff directory's default (store/staffDirectory.ts): each member of staff as the identity
-- provider's claims last said (source 'identityProvider', kept up to date as they sign in) or as a
-- manager recorded them ('recorded', e.g. a worker who signs in with an API token). Staff, not the
-- people supported: their names and work contacts, so pages and letters can say "Ann Smith, North Team".
CREATE TABLE staff (
  user_id    text        PRIMARY KEY,
  name       text,
  email      text,
  telephone  text,
  job_title  text,
  teams      text[]      NOT NULL DEFAULT '{}',
  roles      text[]      NOT NULL DEFAULT '{}',
  source     text        NOT NULL,
  updated_at timestamptz NOT NULL,
  updated_by text        NOT NULL
);
CREATE INDEX staff_by_team ON staff USING gin (teams);

-- The teams' names and contacts ("north" is "North Team, 01629 580000").
CREATE TABLE staff_teams (
  team_id    text        PRIMARY KEY,
  name       text        NOT NULL,
  telephone  text,
  email      text,
  updated_at timestamptz NOT NULL,
  updated_by text        NOT NULL
);
