-- A person's later journeys (R-REF-4): a referral after the person's journey closed opens a new one
-- under the same workflow id, whose runs count from 1 again. Which journey wrote a row is kept, so
-- the current-state row is replaced by the newer journey (journey number first, then run and
-- position), and the person's record keeps both journeys' entries in order. Every row written
-- before is of the person's first journey.
ALTER TABLE journeys ADD COLUMN journey_number integer NOT NULL DEFAULT 1;
ALTER TABLE case_records ADD COLUMN journey_number integer NOT NULL DEFAULT 1;
ALTER TABLE deadlines ADD COLUMN journey_number integer NOT NULL DEFAULT 1;
