-- The overdue report (issue 12: 100 ms p95 at 50,000 journeys): the oldest overdue case of each
-- team and of each kind is read as the first entry of an index in the lists' order, rather than
-- by sorting every overdue row (measured at 50,000 journeys, 12,500 overdue: 34 ms and 53 ms
-- sorting; 2 ms and 9 ms with these). Both are partial: only open, overdue journeys, a small part.

-- By team, then the lists' order.
CREATE INDEX journeys_overdue_by_team ON journeys (
  team,
  overdue_since,
  (coalesce(next_deadline_at, 'infinity'::timestamptz)),
  person_id
) WHERE NOT closed AND overdue_since IS NOT NULL;

-- In the lists' order, with the overdue kinds beside it: the first row having a kind is that
-- kind's oldest case, found without reading the table.
CREATE INDEX journeys_overdue_by_age ON journeys (
  overdue_since,
  (coalesce(next_deadline_at, 'infinity'::timestamptz)),
  person_id
) INCLUDE (overdue_kinds) WHERE NOT closed AND overdue_since IS NOT NULL;
