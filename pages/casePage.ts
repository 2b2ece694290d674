import type { JourneyDetail } from '../api/schemas';
import { isOpen } from '../machines/deadlines';
import type { Deadline } from '../machines/types';
import { eventForms, type EventForm, type FormField, type FormProblem, type Typed } from './eventForms';
import { dueInWords, eventInWords, kindFacts, timeLeft } from './words';

/**
 * What the case page shows (issue 13 point 3), from GET /journeys/{personId}: the journey's own
 * view, its timeline, refusals and technical health, shaped for the template.
 */

const statusWords: Record<Deadline['status'], { text: string; colour: string }> = {
  due: { text: 'Due', colour: 'blue' },
  overdue: { text: 'Overdue', colour: 'red' },
  met: { text: 'Met', colour: 'green' },
  metLate: { text: 'Met late', colour: 'orange' },
  cancelled: { text: 'Cancelled', colour: 'grey' },
  takenEffect: { text: 'Taken effect', colour: 'grey' },
};

export interface FieldView extends Omit<FormField, 'children'> {
  value: string;
  error?: string;
  children?: FieldView[];
}

export interface FormView {
  type: string;
  title: string;
  summary: string;
  fields: FieldView[];
  /** the form the person just sent, refused: opened, with what they typed */
  sent: boolean;
  eventId?: string;
  occurredAt?: string;
  occurredAtError?: string;
  meetsDeadline?: string;
}

function fieldViews(fields: FormField[], typed: Typed, problems: FormProblem[]): FieldView[] {
  return fields.map((f): FieldView => {
    const { children, ...rest } = f;
    const raw = typed[f.name];
    const error = problems
      .filter((p) => p.path === f.path)
      .map((p) => p.text)
      .join('. ');
    return {
      ...rest,
      value: Array.isArray(raw) ? raw.join('\n') : (raw ?? ''),
      ...(error ? { error } : {}),
      ...(children ? { children: fieldViews(children, typed, problems) } : {}),
    };
  });
}

export function casePageModel(
  detail: JourneyDetail,
  now: Date,
  holidays: ReadonlySet<string>,
  sent?: { type: string; typed: Typed; problems: FormProblem[] },
) {
  const { view } = detail;
  const lateDeadlines = view.deadlines.filter((d) => d.status === 'metLate' || d.recordedLate);
  const deadlines = view.deadlines.map((d) => ({
    ...d,
    kindWords: kindFacts(d.kind)?.words ?? d.kind,
    status: statusWords[d.status],
    open: isOpen(d),
    left: isOpen(d) ? timeLeft(d.status === 'overdue' ? d.overdueAt : d.dueAt, d.kind, now, holidays) : '',
    late: d.status === 'metLate' || d.recordedLate === true,
  }));
  const timeline = [...detail.timeline].reverse().map((entry) => {
    const metLate = lateDeadlines.filter((d) => d.closedAt && d.closedAt === entry.occurredAt);
    return {
      ...entry,
      words: eventInWords(entry.type),
      recordedLater: Date.parse(entry.recordedAt) - Date.parse(entry.occurredAt) > 60_000,
      metLate: metLate.map((d) => ({ ruleId: d.ruleId, kind: kindFacts(d.kind)?.words ?? d.kind })),
      ...(entry.from !== entry.to ? { moved: true } : {}),
    };
  });
  const meets = new Map(view.nextSteps.map((s) => [s.event, s]));
  const forms: FormView[] = view.allowedEvents
    .map((type) => eventForms.get(type))
    .filter((f): f is EventForm => f !== undefined)
    .map((form) => {
      const isSent = sent?.type === form.type;
      const typed = isSent ? sent.typed : {};
      const problems = isSent ? sent.problems : [];
      const step = meets.get(form.type);
      const occurredAtError = problems
        .filter((p) => p.path === 'occurredAt')
        .map((p) => p.text)
        .join('. ');
      return {
        type: form.type,
        title: eventInWords(form.type),
        summary: form.summary,
        fields: fieldViews(form.fields, typed, problems),
        sent: isSent,
        ...(isSent && typeof typed.eventId === 'string' ? { eventId: typed.eventId } : {}),
        ...(isSent && typeof typed.occurredAt === 'string' ? { occurredAt: typed.occurredAt } : {}),
        ...(occurredAtError ? { occurredAtError } : {}),
        ...(step ? { meetsDeadline: `${step.what}, by ${dueInWords(step.dueBy)}` } : {}),
      };
    });
  return {
    detail,
    view,
    deadlines,
    openDeadlines: deadlines.filter((d) => d.open),
    closedDeadlines: deadlines.filter((d) => !d.open),
    timeline,
    nextSteps: view.nextSteps.map((s) => ({
      ...s,
      eventWords: eventInWords(s.event),
      due: dueInWords(s.dueBy),
      left: timeLeft(s.dueBy, undefined, now, holidays),
    })),
    forms,
    notAllowed: view.notAllowedNow.map((n) => ({ ...n, words: eventInWords(n.type) })),
    errors: sent?.problems ?? [],
    budget: view.indicativeBudget,
    stuckWords: detail.stuck.map((s) => s.why).join('; '),
    pendingWords: detail.health.pendingActivities
      .map(
        (a) =>
          `${a.activityType} (${a.state}, attempt ${a.attempt}${a.lastFailure ? `: ${a.lastFailure}` : ''})`,
      )
      .join('; '),
  };
}
