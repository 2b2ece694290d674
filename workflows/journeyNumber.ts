/**
 * A person's later journeys (R-REF-4): the journey a referral opens after the person's earlier
 * journey closed runs under the same workflow id and starts again at run 1, so whatever it writes
 * under an id of its own making is marked with its number. The first journey's ids are as they
 * always were, so every recorded history, record and notice keeps its id.
 */

/** The journey's number: 1 unless a later one. */
export const journeyNumberOf = (holder: { journeyNumber?: number | undefined }): number =>
  holder.journeyNumber !== undefined && holder.journeyNumber > 1 ? holder.journeyNumber : 1;

/** A case-record id of this journey: `j<n>:<id>` in a later journey, `<id>` in the first. */
export const journeyRecordId = (journeyNumber: number, id: string): string =>
  journeyNumber > 1 ? `j${journeyNumber}:${id}` : id;

/** The journey a deadline id was set in (machines/deadlines.ts deadlineIdOf: `j<n>-…` after the first). */
export const journeyOfDeadlineId = (deadlineId: string): number => {
  const marked = /^j(\d+)-/.exec(deadlineId);
  return marked ? Number(marked[1]) : 1;
};
