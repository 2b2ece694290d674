/**
 * Statutory reporting from the case-event store (issue 15): the quarterly CLD return for DHSC
 * (reports/cld/) and the timeliness of the statutory clocks (reports/timeliness/).
 */
export { exportCld, summaryInWords, type CldExport, type CldSummary } from './cld/export';
export { loadAllowedValues, loadMapping } from './cld/config';
export {
  cldPersonValues,
  storePersonDetails,
  type CldCouncilEventDetails,
  type CldEventKey,
  type CldPersonDetails,
  type CldPersonDetailsService,
} from './cld/personDetails';
export { gradeRow, statusOf } from './cld/dhscChecks';
export { timelinessReport, type TimelinessReport } from './timeliness/measures';
export { PeriodError, reportingPeriod, type ReportingPeriod } from './period';
