import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * The journey's custom search attributes: what operations staff filter and sort on in
 * Temporal visibility queries, kept current by the journey workflow on every transition.
 * Registered by the start command (dev server) and by `npm run setup:cluster` (existing cluster).
 */
export const JourneyStage = defineSearchAttributeKey('JourneyStage', SearchAttributeType.KEYWORD);
export const JourneySubject = defineSearchAttributeKey('JourneySubject', SearchAttributeType.KEYWORD);
export const PersonId = defineSearchAttributeKey('PersonId', SearchAttributeType.KEYWORD);
export const Team = defineSearchAttributeKey('Team', SearchAttributeType.KEYWORD);
export const AllocatedWorker = defineSearchAttributeKey('AllocatedWorker', SearchAttributeType.KEYWORD);
export const NextDeadlineAt = defineSearchAttributeKey('NextDeadlineAt', SearchAttributeType.DATETIME);
export const NextDeadlineKind = defineSearchAttributeKey('NextDeadlineKind', SearchAttributeType.KEYWORD);
/** When the oldest still-overdue deadline passed; unset when nothing is overdue. */
export const OverdueSince = defineSearchAttributeKey('OverdueSince', SearchAttributeType.DATETIME);
/** The kinds of deadline now overdue, so lists can filter by kind. */
export const OverdueKinds = defineSearchAttributeKey('OverdueKinds', SearchAttributeType.KEYWORD_LIST);
export const OpenComplaint = defineSearchAttributeKey('OpenComplaint', SearchAttributeType.BOOL);
export const SafeguardingOpen = defineSearchAttributeKey('SafeguardingOpen', SearchAttributeType.BOOL);
export const LastEventAt = defineSearchAttributeKey('LastEventAt', SearchAttributeType.DATETIME);
/*
 * The dev server's SQL visibility store holds at most 3 Datetime attributes, so the two
 * "stuck after" instants are Int seconds since the epoch (range queries work the same).
 */
/** R-PLN-5: when the case counts as held too long in its stage (stage entered + the profile's limit). */
export const StageStuckAfterEpoch = defineSearchAttributeKey('StageStuckAfterEpoch', SearchAttributeType.INT);
/** Who the case waits on (e.g. directPaymentAgreement), and from when that wait counts as stuck. */
export const WaitingOn = defineSearchAttributeKey('WaitingOn', SearchAttributeType.KEYWORD);
export const WaitingStuckAfterEpoch = defineSearchAttributeKey(
  'WaitingStuckAfterEpoch',
  SearchAttributeType.INT,
);
/** Set while an activity keeps failing after its retries (e.g. "sendLetter"); unset once it succeeds. */
export const TechnicalIssue = defineSearchAttributeKey('TechnicalIssue', SearchAttributeType.KEYWORD);

export const journeySearchAttributes = [
  JourneyStage,
  JourneySubject,
  PersonId,
  Team,
  AllocatedWorker,
  NextDeadlineAt,
  NextDeadlineKind,
  OverdueSince,
  OverdueKinds,
  OpenComplaint,
  SafeguardingOpen,
  LastEventAt,
  StageStuckAfterEpoch,
  WaitingOn,
  WaitingStuckAfterEpoch,
  TechnicalIssue,
] as const;

/** The CLI's names for the types (`temporal server start-dev --search-attribute Name=Type`). */
export function searchAttributeCliType(type: SearchAttributeType): string {
  const names: Record<string, string> = {
    KEYWORD: 'Keyword',
    TEXT: 'Text',
    INT: 'Int',
    DOUBLE: 'Double',
    BOOL: 'Bool',
    DATETIME: 'Datetime',
    KEYWORD_LIST: 'KeywordList',
  };
  const name = names[type];
  if (!name) throw new Error(`no CLI name for search attribute type ${type}`);
  return name;
}
