/** The journey machine and everything the workflow, API and CLI ask of it. */
export { journeyMachine, type JourneyMachine } from './journeyMachine';
export {
  checkEvent,
  checkParsedEvent,
  eventsNow,
  handledEventTypes,
  type JourneySnapshot,
} from './checkEvent';
export { describeJourney, outlineJourney } from './describeJourney';
export { stageOf, stageInWords, stageWords, type Stage } from './stages';
export { ruleIdsFor, refusalsFor } from './rules';
export { nextDeadlineToFire, openDeadlines, firesAt, calendarOf } from './deadlines';
export * from './events';
export type * from './effects';
export type * from './types';
export type { JourneyContext, JourneyInput } from './journeyContext';
export {
  policyProfiles,
  policyProfileSources,
  derbyshire,
  lancashire,
  derbyCity,
  type PolicyProfile,
} from './policyProfile';
export { personalBudgetFrom, councilContributionFrom } from './personalBudget';
