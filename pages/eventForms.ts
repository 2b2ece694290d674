import { randomUUID } from 'node:crypto';
import { TZDate } from '@date-fns/tz';
import { z } from 'zod';
import {
  eventSchemaOf,
  journeyEventSchemas,
  systemOnlyEvents,
  type JourneyEventType,
} from '../machines/events';
import { describeField, eventDocs, type SendableEventType } from '../machines/eventExamples';
import type { Role } from '../temporal.config';
import type { ApiErrorBody } from './apiCalls';
import { whenItHappened } from './eventChoices';
import {
  choiceInWords,
  dateInWords,
  dateTimeInWords,
  eventInWords,
  fieldInWords,
  inSentence,
  plainWords,
  poundsInWords,
  wordsTable,
} from './words';

/**
 * A form for each event, generated from the event catalogue's zod schema (machines/events.ts)
 * through its JSON Schema, in the GOV.UK Design System's patterns: dates as day, month and year
 * (and a time where the event's own "when" is an instant), amounts in pounds ("£9,360"), radios and
 * checkboxes with the words table's labels (pages/words.ts), a list of items (needs with their
 * points) as rows with "Add another" (a button that sends the form back to be shown with one more
 * row, so it needs no JavaScript). What is typed is read back into the event's body and checked
 * against the same schema the API holds it to, so each problem is said in GOV.UK's words against
 * its own field ("Enter the date the assessment started") before anything is sent; the API and
 * the journey's rules then decide, and their answer names each field, shown against it.
 */

type JsonSchema = {
  type?: string;
  enum?: string[];
  format?: string;
  description?: string;
  maxLength?: number;
  minItems?: number;
  minimum?: number;
  exclusiveMinimum?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  default?: unknown;
};

export type FieldKind =
  | 'text'
  | 'textarea'
  | 'whole'
  | 'number'
  | 'money'
  | 'yesNo'
  | 'choice'
  | 'checkboxes'
  | 'lines'
  | 'date'
  | 'list'
  | 'group';

export interface FormField {
  /** the path in the event, a list's items as []: `eligibleNeeds[].points` */
  path: string;
  /** the last part of the path: `points` */
  key: string;
  label: string;
  /** what the field means, in words (rule ids are linked where they are shown) */
  hint: string;
  kind: FieldKind;
  required: boolean;
  options?: { value: string; text: string }[];
  /** a group's fields; a list's: the fields of each item */
  children?: FormField[];
  /** a list or lines: at least this many */
  minItems?: number;
  /** an amount that may be below zero (a direct payment account's balance) */
  negative?: boolean;
}

export interface EventForm {
  type: JourneyEventType;
  /** "Assessment started" */
  title: string;
  /** what the event records, and its rules (machines/eventExamples.ts), in the pages' words */
  summary: string;
  fields: FormField[];
  /** "the assessment started": when it happened, in a sentence */
  when: string;
}

/** Fields every event has, which the form fills in itself (eventId, actor) or asks separately (occurredAt). */
const envelopeFields = new Set(['type', 'eventId', 'occurredAt', 'actor']);

/** The id of a field's input (ids need no escaping in CSS: dots and brackets replaced). */
export const fieldId = (type: string, name: string) => `${type}-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;

/** An amount of money, by what it means (in pounds) or by its name. */
const isMoney = (key: string, meaning: string | undefined) =>
  /pounds/.test(meaning ?? '') || /cost|budget|amount|funding|contribution|balance/i.test(key);

/** Summaries the API document words for developers, said for the people using the pages. */
const summaries: Partial<Record<JourneyEventType, string>> = {
  REFERRAL_RECEIVED: 'Another referral for a person whose case is already open (R-REF-4).',
  INDICATIVE_BUDGET_OVERRIDDEN:
    'A manager sets the indicative budget instead of the council’s calculation, with the reason, where the council’s policy allows it (R-IB-2).',
  PLAN_SUBMITTED:
    'The care and support plan, or a draft of it; sign-off needs every part the rules list (R-PLN-3).',
};

function fieldOf(type: string, path: string, key: string, schema: JsonSchema, required: boolean): FormField {
  const meaning = describeField(type, path);
  const base = {
    path,
    key,
    label: fieldInWords(key, path, type),
    hint: meaning ? plainWords(meaning) : '',
    required,
  };
  if (schema.type === 'object' && schema.properties) {
    const inner = new Set(schema.required ?? []);
    return {
      ...base,
      kind: 'group',
      children: Object.entries(schema.properties).map(([k, s]) =>
        fieldOf(type, `${path}.${k}`, k, s, inner.has(k)),
      ),
    };
  }
  if (schema.type === 'boolean') return { ...base, kind: 'yesNo' };
  if (schema.type === 'integer') return { ...base, kind: 'whole' };
  if (schema.type === 'number') {
    const money = isMoney(key, meaning);
    const negative = schema.minimum === undefined && schema.exclusiveMinimum === undefined;
    return { ...base, kind: money ? 'money' : 'number', ...(negative ? { negative } : {}) };
  }
  if (schema.type === 'string' && schema.enum)
    return {
      ...base,
      kind: 'choice',
      options: schema.enum.map((value) => ({ value, text: choiceInWords(value, key) })),
    };
  if (schema.type === 'array') {
    const item = schema.items ?? {};
    const minItems = schema.minItems ?? 0;
    if (item.type === 'string' && item.enum)
      return {
        ...base,
        kind: 'checkboxes',
        minItems,
        options: item.enum.map((value) => ({ value, text: choiceInWords(value, key) })),
      };
    if (item.type === 'string') return { ...base, kind: 'lines', minItems };
    const inner = new Set(item.required ?? []);
    return {
      ...base,
      kind: 'list',
      minItems,
      children: Object.entries(item.properties ?? {}).map(([k, s]) =>
        fieldOf(type, `${path}[].${k}`, k, s, inner.has(k)),
      ),
    };
  }
  if (schema.type === 'string' && schema.format === 'date') return { ...base, kind: 'date' };
  return { ...base, kind: (schema.maxLength ?? 0) > 500 ? 'textarea' : 'text' };
}

function formOf(schema: ReturnType<typeof journeyEventSchemas>[number]): EventForm {
  const type = schema.shape.type.value;
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const required = new Set(json.required ?? []);
  const fields = Object.entries(json.properties ?? {})
    .filter(([key]) => !envelopeFields.has(key))
    .map(([key, s]) => fieldOf(type, key, key, s, required.has(key)));
  const summary = summaries[type] ?? eventDocs[type as SendableEventType]?.summary ?? '';
  return {
    type,
    title: eventInWords(type),
    summary: plainWords(summary),
    fields,
    when: whenItHappened[type] ?? `it happened`,
  };
}

/** The form of every event a person may send (not those only the journey raises). */
export const eventForms: ReadonlyMap<string, EventForm> = new Map(
  journeyEventSchemas()
    .filter((s) => !systemOnlyEvents.includes(s.shape.type.value))
    .map((s) => [s.shape.type.value, formOf(s)]),
);

/** Every field of a form, groups and lists opened up. */
export function allFields(fields: FormField[]): FormField[] {
  return fields.flatMap((f) => (f.children ? [f, ...allFields(f.children)] : [f]));
}

// ---- Reading what was typed ----------------------------------------------------------------

/** What was typed, by field name (the urlencoded body as @fastify/formbody gives it). */
export type Typed = Record<string, string | string[] | undefined>;

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join('\n') : (v ?? '')).trim();
const many = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v ? [v] : []);

/** The name of a field's input: its path with each list item's row in place of []. */
export const childName = (parent: string, key: string) => (parent ? `${parent}.${key}` : key);

/** How many rows a list shows: what the form showed, or as many as were typed, at least one. */
export function rowCount(name: string, typed: Typed): number {
  const shown = Number(one(typed[`rows.${name}`]));
  const prefix = `${name}[`;
  const typedRows = Object.keys(typed)
    .filter((k) => k.startsWith(prefix))
    .map((k) => Number(/^\[(\d+)\]/.exec(k.slice(name.length))?.[1] ?? -1) + 1);
  return Math.max(1, Number.isInteger(shown) && shown > 0 ? Math.min(shown, 100) : 0, ...typedRows);
}

/** The event's body from what was typed, with the problems only the page can see (a date that is no date). */
export interface ReadForm {
  body: Record<string, unknown>;
  /** by input name: what is wrong with what was typed, in GOV.UK's words */
  problems: Map<string, string>;
  /** by list name: the row each item sent came from (empty rows are left out) */
  rows: Map<string, number[]>;
}

const months = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/** A month as typed: 3, 03, Mar, March. */
function monthOf(text: string): number | undefined {
  if (/^\d{1,2}$/.test(text)) return Number(text);
  const i = months.findIndex((m) => text.length >= 3 && m.startsWith(text.toLowerCase()));
  return i >= 0 ? i + 1 : undefined;
}

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * A date typed as day, month and year: 'YYYY-MM-DD', or what is wrong, in GOV.UK's words about
 * `what` ("the date received").
 */
export function readDate(
  typed: Typed,
  name: string,
  what: string,
): { value?: string; problem?: string; empty: boolean } {
  const day = one(typed[`${name}-day`]);
  const month = one(typed[`${name}-month`]);
  const year = one(typed[`${name}-year`]);
  if (!day && !month && !year) return { empty: true };
  const The = capitalised(what);
  const missing = [!day && 'a day', !month && 'a month', !year && 'a year'].filter(Boolean);
  if (missing.length) return { empty: false, problem: `${The} must include ${missing.join(' and ')}` };
  const d = /^\d{1,2}$/.test(day) ? Number(day) : NaN;
  const m = monthOf(month);
  const y = /^\d{4}$/.test(year) ? Number(year) : NaN;
  if (Number.isNaN(y) && /^\d{1,3}$/.test(year))
    return { empty: false, problem: `The year must include 4 numbers` };
  if (!m || Number.isNaN(d) || Number.isNaN(y) || m < 1 || m > 12 || d < 1 || d > daysIn(y, m))
    return { empty: false, problem: `${The} must be a real date` };
  return { empty: false, value: `${pad(y, 4)}-${pad(m)}-${pad(d)}` };
}

/** When it happened, typed as a date and a time (London): an instant, or what is wrong. */
function readWhen(typed: Typed, form: EventForm): { value?: string; problem?: string } {
  const what = `the date ${form.when}`;
  const date = readDate(typed, 'occurredAt', what);
  const hour = one(typed['occurredAt-hour']);
  const minute = one(typed['occurredAt-minute']);
  if (date.empty && !hour && !minute) return {};
  if (date.empty) return { problem: `Enter the date ${form.when}` };
  if (date.problem) return { problem: date.problem };
  if (!hour) return { problem: `Enter the time ${form.when}` };
  const h = /^\d{1,2}$/.test(hour) ? Number(hour) : NaN;
  const m = minute === '' ? 0 : /^\d{1,2}$/.test(minute) ? Number(minute) : NaN;
  if (!(h >= 0 && h <= 23 && m >= 0 && m <= 59))
    return {
      problem: `The time ${form.when} must be a real time, like 9 and 30 for 9:30am, or 14 and 0 for 2pm`,
    };
  const [y, mo, d] = date.value!.split('-').map(Number) as [number, number, number];
  return { value: new Date(new TZDate(y, mo - 1, d, h, m, 'Europe/London').getTime()).toISOString() };
}

/** An amount typed as people write it: "£9,360", "9360.50", "-£120" where it may be below zero. */
function readMoney(text: string, negativeAllowed: boolean): number | undefined {
  const cleaned = text.replace(/\s/g, '').replace(/,(?=\d{3}(\D|$))/g, '');
  const match = /^(-)?£?(-)?(\d+(?:\.\d{1,2})?)$/.exec(cleaned);
  if (!match || (match[1] && match[2])) return undefined;
  const value = Number(match[3]) * (match[1] || match[2] ? -1 : 1);
  return value < 0 && !negativeAllowed ? undefined : value;
}

/** A field's name in a sentence: "the final personal budget", "who referred". */
export function theField(field: Pick<FormField, 'label'>): string {
  const label = inSentence(field.label);
  return /^(the|a|an|who|what|how|why|where|when|whether)\b/i.test(label) ? label : `the ${label}`;
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** " in row 2 of eligible needs", for a field of a list's item. */
function rowWords(name: string, listLabels: Map<string, string>): string {
  const match = /^(.*)\[(\d+)\][^[\]]*$/.exec(name);
  if (!match) return '';
  return ` in row ${Number(match[2]) + 1} of ${inSentence(listLabels.get(match[1]!) ?? 'the list')}`;
}

export function readForm(form: EventForm, typed: Typed): ReadForm {
  const problems = new Map<string, string>();
  const labels = listLabelsOf(form, typed);
  const rows = new Map<string, number[]>();
  const isEmpty = (v: unknown) => v === undefined || (Array.isArray(v) && v.length === 0);

  const valueOf = (field: FormField, name: string): unknown => {
    switch (field.kind) {
      case 'group': {
        const entries = field.children!.map((c) => [c.key, valueOf(c, childName(name, c.key))] as const);
        const given = entries.filter(([, v]) => !isEmpty(v));
        const childProblem = [...problems.keys()].some((k) => k.startsWith(`${name}.`));
        // a part left wholly empty is left out (an optional part); a required one is asked for
        if (!given.length && !childProblem) return field.required ? {} : undefined;
        return Object.fromEntries(entries.filter(([, v]) => v !== undefined));
      }
      case 'list': {
        const items: unknown[] = [];
        const from: number[] = [];
        for (let row = 0; row < rowCount(name, typed); row++) {
          const itemName = `${name}[${row}]`;
          const before = problems.size;
          const entries = field.children!.map(
            (c) => [c.key, valueOf(c, childName(itemName, c.key))] as const,
          );
          // an empty row is not an item
          if (entries.every(([, v]) => isEmpty(v)) && problems.size === before) continue;
          items.push(Object.fromEntries(entries.filter(([, v]) => v !== undefined)));
          from.push(row);
        }
        rows.set(name, from);
        return items.length || field.required ? items : undefined;
      }
      case 'lines': {
        const lines = one(typed[name])
          .split(/\r?\n/)
          .map((l) => l.trim())
          .filter(Boolean);
        return lines.length || field.required ? lines : undefined;
      }
      case 'checkboxes': {
        const chosen = many(typed[name]).filter(Boolean);
        return chosen.length || field.required ? chosen : undefined;
      }
      case 'date': {
        const date = readDate(typed, name, `${theField(field)}${rowWords(name, labels)}`);
        if (date.problem) problems.set(name, date.problem);
        return date.value;
      }
      default:
        break;
    }
    const raw = one(typed[name]);
    if (raw === '') return undefined;
    switch (field.kind) {
      case 'money': {
        const value = readMoney(raw, !!field.negative);
        if (value === undefined)
          problems.set(
            name,
            `Enter ${theField(field)}${rowWords(name, labels)} as an amount in pounds, like £9,360 or £9,360.50${field.negative ? ' (with a minus sign if below zero)' : ''}`,
          );
        return value;
      }
      case 'whole':
      case 'number': {
        const value = Number(raw.replaceAll(',', ''));
        const whole = field.kind === 'whole';
        if (!Number.isFinite(value) || (whole && !Number.isInteger(value)) || raw.trim() === '') {
          const The = capitalised(theField(field)) + rowWords(name, labels);
          problems.set(
            name,
            `${The} must be ${whole ? 'a whole number, like 12' : 'a number, like 2 or 3.5'}`,
          );
          return undefined;
        }
        return value;
      }
      case 'yesNo':
        return raw === 'true' ? true : raw === 'false' ? false : raw;
      default:
        return raw;
    }
  };

  const body: Record<string, unknown> = { type: form.type };
  // the form carries its event's id (so a form sent twice is recorded once); one is made if not
  body.eventId = one(typed.eventId) || `${form.type.toLowerCase()}-${randomUUID()}`;
  const when = readWhen(typed, form);
  if (when.problem) problems.set('occurredAt', when.problem);
  if (when.value) body.occurredAt = when.value;
  for (const field of form.fields) {
    const value = valueOf(field, field.key);
    if (value !== undefined) body[field.key] = value;
  }
  return { body, problems, rows };
}

// ---- Problems, in GOV.UK's words, against their fields ----------------------------------------

export interface FormProblem {
  /** where the error summary's link goes: the field's input, or the form */
  href: string;
  /** shown in the summary and beside the field */
  text: string;
  /** the rule that refused it, linked beside the field */
  ruleId?: string;
  /** the input name it is about, where it is about one the form has */
  name?: string;
}

type PathPart = string | number;

/** "plan.optionsConsidered[1].reason" as parts. */
const partsOf = (field: string): PathPart[] =>
  field
    .split(/\.|(?=\[)/)
    .filter(Boolean)
    .map((p) => (/^\[\d+\]$/.test(p) ? Number(p.slice(1, -1)) : p));

/**
 * The input a path in the event body is about (the nearest the form has: a problem with one line
 * of a list of lines is the list's), with its field; the row each item came from put back in.
 */
function resolve(
  form: EventForm,
  path: PathPart[],
  rows: Map<string, number[]>,
): { name: string; field: FormField } | undefined {
  let fields: FormField[] | undefined = form.fields;
  let found: { name: string; field: FormField } | undefined;
  let name = '';
  for (const part of path) {
    if (typeof part === 'number') {
      if (found?.field.kind !== 'list') break;
      const row = rows.get(found.name)?.[part] ?? part;
      name = `${found.name}[${row}]`;
      fields = found.field.children;
      continue;
    }
    const next: FormField | undefined = fields?.find((f) => f.key === part);
    if (!next) break;
    name = childName(name, part);
    found = { name, field: next };
    fields = next.kind === 'group' ? next.children : undefined;
  }
  return found;
}

/** The labels of a form's lists, by input name prefix (for "in row 2 of eligible needs"). */
function listLabelsOf(form: EventForm, typed: Typed): Map<string, string> {
  const labels = new Map<string, string>();
  const walk = (fields: FormField[], parent: string) => {
    for (const f of fields) {
      const name = childName(parent, f.key);
      if (f.kind === 'group') walk(f.children!, name);
      if (f.kind === 'list') {
        labels.set(name, f.label);
        for (let row = 0; row < rowCount(name, typed); row++) walk(f.children!, `${name}[${row}]`);
      }
    }
  };
  walk(form.fields, '');
  return labels;
}

type Issue = z.core.$ZodIssue;

/** A zod issue about a field, as GOV.UK would say it. */
function issueInWords(issue: Issue, field: FormField, input: unknown, where: string): string {
  const the = theField(field);
  const The = capitalised(the);
  const missing = input === undefined;
  const askFor = () => {
    switch (field.kind) {
      case 'yesNo':
        return `Select yes or no for “${field.label}”${where}`;
      case 'choice':
      case 'checkboxes':
        return `Select ${the}${where}`;
      case 'list':
        return `Enter at least one row of ${the}${where}`;
      default:
        return `Enter ${the}${where}`;
    }
  };
  switch (issue.code) {
    case 'invalid_type':
    case 'invalid_value':
      return missing || field.kind === 'choice' ? askFor() : `${The}${where} is not one of the choices`;
    case 'too_small': {
      if (issue.origin === 'string') return askFor();
      if (issue.origin === 'array') {
        const n = Number(issue.minimum);
        if (field.kind === 'checkboxes') return `Select at least ${n === 1 ? 'one' : n} for ${the}${where}`;
        if (field.kind === 'list')
          return `Enter at least ${n === 1 ? 'one row' : `${n} rows`} of ${the}${where}`;
        return `Enter at least ${n === 1 ? 'one' : n} of ${the}, each on its own line${where}`;
      }
      const min = Number(issue.minimum);
      const amount = field.kind === 'money' ? `£${min}` : String(min);
      return `${The}${where} must be ${issue.inclusive ? `${amount} or more` : `more than ${amount}`}`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string')
        return `${The}${where} must be ${max.toLocaleString('en-GB')} characters or fewer`;
      if (issue.origin === 'array') return `Enter no more than ${max} for ${the}${where}`;
      return `${The}${where} must be ${max.toLocaleString('en-GB')} or less`;
    }
    case 'invalid_format':
      if (issue.format === 'date' || issue.format === 'datetime') return `${The}${where} must be a real date`;
      return `${The}${where} ${plainWords(issue.message)}`;
    default:
      return `${The}${where} ${plainWords(issue.message.replace(/^Invalid input:?\s*/i, ''))}`;
  }
}

/** The input's id a problem's link goes to: a date's day, a list's first row, a choice's first option. */
function hrefOf(form: EventForm, name: string, field: FormField | 'when'): string {
  const id = fieldId(form.type, name);
  if (field === 'when' || field.kind === 'date') return `#${id}-day`;
  return `#${id}`;
}

/** Orders problems as the fields are on the form (the error summary follows the page). */
function inFormOrder(form: EventForm, typed: Typed, problems: FormProblem[]): FormProblem[] {
  const order: string[] = [];
  const walk = (fields: FormField[], parent: string) => {
    for (const f of fields) {
      const name = childName(parent, f.key);
      order.push(name);
      if (f.kind === 'group') walk(f.children!, name);
      if (f.kind === 'list')
        for (let row = 0; row < rowCount(name, typed); row++) walk(f.children!, `${name}[${row}]`);
    }
  };
  walk(form.fields, '');
  order.push('occurredAt');
  const rank = (p: FormProblem) => (p.name === undefined ? order.length + 1 : order.indexOf(p.name));
  return [...problems].sort((a, b) => rank(a) - rank(b));
}

/**
 * What was typed, checked as the API will check it: the page's own problems (a date that is no
 * date, an amount that is no amount) and the event schema's issues, each in GOV.UK's words against
 * its field, one per field, in the order of the form.
 */
export function checkTyped(
  form: EventForm,
  typed: Typed,
  role: Role,
  now: Date,
): { read: ReadForm; problems: FormProblem[] } {
  const read = readForm(form, typed);
  const labels = listLabelsOf(form, typed);
  const problems: FormProblem[] = [...read.problems].map(([name, text]) => ({
    name,
    text,
    href: name === 'occurredAt' ? hrefOf(form, 'occurredAt', 'when') : hrefOfName(form, name),
  }));
  const parsed = eventSchemaOf(form.type).safeParse({
    ...read.body,
    occurredAt: read.body.occurredAt ?? now.toISOString(),
    actor: { userId: 'pages', role },
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const at = resolve(form, issue.path as PathPart[], read.rows);
      if (issue.path[0] === 'occurredAt') {
        problems.push({
          name: 'occurredAt',
          text: `The date ${form.when} ${plainWords(issue.message)}`,
          href: hrefOf(form, 'occurredAt', 'when'),
        });
        continue;
      }
      if (!at) {
        problems.push({ text: plainWords(issue.message), href: `#form-${form.type}` });
        continue;
      }
      // the page's own problem with an input says it better than the schema's (it has what was typed)
      if ([...read.problems.keys()].some((n) => overlaps(n, at.name))) continue;
      const input = valueAtPath(read.body, issue.path as PathPart[]);
      problems.push({
        name: at.name,
        text: issueInWords(issue, at.field, input, rowWords(at.name, labels)),
        href: hrefOf(form, at.name, at.field),
      });
    }
  }
  const seen = new Set<string>();
  const once = problems.filter((p) => {
    const key = p.name ?? p.text;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { read, problems: inFormOrder(form, typed, once) };
}

/** Whether two input names are the same input, or one holds the other. */
const overlaps = (a: string, b: string) =>
  a === b ||
  [`${a}.`, `${a}[`].some((p) => b.startsWith(p)) ||
  [`${b}.`, `${b}[`].some((p) => a.startsWith(p));

function valueAtPath(value: unknown, path: PathPart[]): unknown {
  let v = value;
  for (const part of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PathPart, unknown>)[part];
  }
  return v;
}

/** The link for a problem the page found with an input (a date: its day; else the input). */
function hrefOfName(form: EventForm, name: string): string {
  const field = fieldAt(form, name);
  return field ? hrefOf(form, name, field) : `#${fieldId(form.type, name)}`;
}

/** The field an input name is of: `eligibleNeeds[1].points` → the points of an eligible need. */
export function fieldAt(form: EventForm, name: string): FormField | undefined {
  const path = partsOf(name);
  let fields: FormField[] | undefined = form.fields;
  let found: FormField | undefined;
  for (const part of path) {
    if (typeof part === 'number') {
      fields = found?.children;
      continue;
    }
    found = fields?.find((f) => f.key === part);
    if (!found) return undefined;
    fields = found.kind === 'group' ? found.children : undefined;
  }
  return found;
}

/**
 * The API's answer as problems of the form: a 400's `problems` and a 409's `reasons`, each against
 * the nearest field the form has, in the pages' words, with the rule that refused it.
 */
export function problemsFrom(
  form: EventForm,
  answer: ApiErrorBody,
  typed: Typed = {},
  rows: Map<string, number[]> = new Map(),
): FormProblem[] {
  const labels = listLabelsOf(form, typed);
  const items = [
    ...(answer.problems ?? []).map((p) => ({ ...p, ruleId: undefined as string | undefined })),
    ...(answer.reasons ?? []).map((r) => ({ ...r })),
  ];
  if (!items.length) return [{ href: `#form-${form.type}`, text: plainWords(answer.error) }];
  return items.map((item): FormProblem => {
    // "occurredAt 2001-01-01T10:00:00Z is before the referral": the field is said by its label
    const message =
      item.field && item.message.startsWith(`${item.field} `)
        ? item.message.slice(item.field.length + 1)
        : item.message;
    const accepted =
      item.accepted && !message.includes(item.accepted) ? ` (${plainWords(item.accepted)})` : '';
    const rule = item.ruleId ? { ruleId: item.ruleId } : {};
    const path = item.field ? partsOf(item.field) : [];
    if (path[0] === 'occurredAt')
      return {
        name: 'occurredAt',
        text: `The date ${form.when}: ${plainWords(message)}${accepted}`,
        href: hrefOf(form, 'occurredAt', 'when'),
        ...rule,
      };
    const at = path.length ? resolve(form, path, rows) : undefined;
    if (!at) return { href: `#form-${form.type}`, text: `${plainWords(message)}${accepted}`, ...rule };
    return {
      name: at.name,
      text: `${capitalised(theField(at.field))}${rowWords(at.name, labels)}: ${plainWords(message)}${accepted}`,
      href: hrefOf(form, at.name, at.field),
      ...rule,
    };
  });
}

// ---- The form as the template shows it -----------------------------------------------------

export interface FieldView {
  kind: FieldKind;
  name: string;
  id: string;
  label: string;
  hint: string;
  required: boolean;
  options?: { value: string; text: string; checked: boolean }[];
  /** text, a choice, yes/no: what was typed */
  value: string;
  /** a date: its parts as typed */
  date?: { day: string; month: string; year: string };
  error?: { text: string; ruleId?: string };
  /** a group's fields */
  children?: FieldView[];
  /** a list's rows, each with its item's fields */
  rows?: { number: number; fields: FieldView[] }[];
  /** a list: how many rows are shown (sent back, so the next showing keeps them) */
  rowCount?: number;
  /** a list: "need", for "Add another need" */
  itemWords?: string;
}

export interface FormView {
  type: string;
  title: string;
  summary: string;
  when: string;
  fields: FieldView[];
  whenParts: { day: string; month: string; year: string; hour: string; minute: string };
  whenError?: { text: string; ruleId?: string };
  eventId: string;
  /** the form-wide problems (not about one field) */
  formErrors: { text: string; ruleId?: string }[];
}

/** One item of a list, for "Add another eligible need" (the words table's), else "row". */
export const itemWordsOf = (key: string): string => wordsTable[`${key}[]`] ?? 'row';

export function formView(
  form: EventForm,
  typed: Typed,
  problems: FormProblem[],
  newEventId: string,
): FormView {
  const errorOf = (name: string) => {
    const p = problems.find((x) => x.name === name);
    return p ? { text: p.text, ...(p.ruleId ? { ruleId: p.ruleId } : {}) } : undefined;
  };
  const viewOf = (field: FormField, name: string): FieldView => {
    const error = errorOf(name);
    const base: FieldView = {
      kind: field.kind,
      name,
      id: fieldId(form.type, name),
      label: field.label,
      hint: field.hint,
      required: field.required,
      value: one(typed[name]),
      ...(error ? { error } : {}),
    };
    switch (field.kind) {
      case 'group':
        return { ...base, children: field.children!.map((c) => viewOf(c, childName(name, c.key))) };
      case 'list': {
        const count = rowCount(name, typed);
        return {
          ...base,
          rowCount: count,
          itemWords: itemWordsOf(field.key),
          rows: Array.from({ length: count }, (_, row) => ({
            number: row + 1,
            fields: field.children!.map((c) => viewOf(c, childName(`${name}[${row}]`, c.key))),
          })),
        };
      }
      case 'checkboxes': {
        const chosen = many(typed[name]);
        return {
          ...base,
          options: field.options!.map((o) => ({ ...o, checked: chosen.includes(o.value) })),
        };
      }
      case 'choice':
        return { ...base, options: field.options!.map((o) => ({ ...o, checked: base.value === o.value })) };
      case 'lines':
        return {
          ...base,
          value: Array.isArray(typed[name]) ? many(typed[name]).join('\n') : one(typed[name]),
        };
      case 'date':
        return {
          ...base,
          date: {
            day: one(typed[`${name}-day`]),
            month: one(typed[`${name}-month`]),
            year: one(typed[`${name}-year`]),
          },
        };
      default:
        return base;
    }
  };
  const whenError = errorOf('occurredAt');
  return {
    type: form.type,
    title: form.title,
    summary: form.summary,
    when: form.when,
    fields: form.fields.map((f) => viewOf(f, f.key)),
    whenParts: {
      day: one(typed['occurredAt-day']),
      month: one(typed['occurredAt-month']),
      year: one(typed['occurredAt-year']),
      hour: one(typed['occurredAt-hour']),
      minute: one(typed['occurredAt-minute']),
    },
    ...(whenError ? { whenError } : {}),
    eventId: one(typed.eventId) || `${form.type.toLowerCase()}-${newEventId}`,
    formErrors: problems
      .filter((p) => p.name === undefined)
      .map((p) => ({ text: p.text, ...(p.ruleId ? { ruleId: p.ruleId } : {}) })),
  };
}

/** What was typed with one more row in a list ("Add another"), or one row taken out ("Remove"). */
export function withRows(typed: Typed, action: string): Typed {
  const add = /^add:(.+)$/.exec(action);
  if (add) {
    const name = add[1]!;
    return { ...typed, [`rows.${name}`]: String(Math.min(rowCount(name, typed) + 1, 100)) };
  }
  const remove = /^remove:(.+):(\d+)$/.exec(action);
  if (!remove) return typed;
  const name = remove[1]!;
  const gone = Number(remove[2]);
  const prefix = `${name}[`;
  const next: Typed = {};
  for (const [key, value] of Object.entries(typed)) {
    if (!key.startsWith(prefix)) {
      next[key] = value;
      continue;
    }
    const match = /^\[(\d+)\](.*)$/.exec(key.slice(name.length));
    if (!match) continue;
    const row = Number(match[1]);
    if (row === gone) continue;
    next[`${name}[${row > gone ? row - 1 : row}]${match[2]}`] = value;
  }
  next[`rows.${name}`] = String(Math.max(1, rowCount(name, typed) - 1));
  return next;
}

// ---- What an event records, in words ---------------------------------------------------------

/** One field's value as people read it: £9,360; Yes; Managed by the council; Friday 4 December 2026. */
export function valueInWords(field: FormField, value: unknown): string {
  if (value === undefined || value === null) return '';
  switch (field.kind) {
    case 'money':
      return typeof value === 'number' ? poundsInWords(value) : String(value);
    case 'yesNo':
      return value === true ? 'Yes' : value === false ? 'No' : String(value);
    case 'choice':
      return choiceInWords(String(value), field.key);
    case 'checkboxes':
      return (value as string[]).map((v) => choiceInWords(v, field.key)).join(', ');
    case 'lines':
      return (value as string[]).join('\n');
    case 'date':
      return dateInWords(String(value));
    default:
      return typeof value === 'object' ? '' : String(value);
  }
}

export interface ValueRow {
  /** "Costing: reasonable cost", "Eligible needs, row 2" */
  key: string;
  value: string;
  /** the input it was typed into */
  name: string;
  field: FormField;
}

/**
 * Every value an event holds, field by field in the form's order, as rows to read: a group's
 * fields under its label, a list's items one row each ("Need: personal care; points: 12").
 */
export function valueRows(
  form: EventForm,
  values: Record<string, unknown>,
  rows: Map<string, number[]> = new Map(),
): ValueRow[] {
  const out: ValueRow[] = [];
  const walk = (fields: FormField[], value: Record<string, unknown>, parent: string, prefix: string) => {
    for (const field of fields) {
      const name = childName(parent, field.key);
      const v = value[field.key];
      if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) continue;
      const key = prefix ? `${prefix}: ${inSentence(field.label)}` : field.label;
      if (field.kind === 'group') {
        walk(field.children!, v as Record<string, unknown>, name, key);
      } else if (field.kind === 'list') {
        const from = rows.get(name) ?? [];
        (v as Record<string, unknown>[]).forEach((item, i) => {
          const row = from[i] ?? i;
          const parts = field.children!.flatMap((c) => {
            const x = item[c.key];
            if (x === undefined) return [];
            if (c.kind === 'group')
              return valueRows({ ...form, fields: c.children! }, x as Record<string, unknown>).map(
                (r) => `${c.label}: ${inSentence(r.key)}: ${r.value}`,
              );
            return [`${c.label}: ${valueInWords(c, x)}`];
          });
          out.push({
            key: `${key}, row ${row + 1}`,
            value: parts.join('\n'),
            name: childName(`${name}[${row}]`, field.children![0]!.key),
            field: field.children![0]!,
          });
        });
      } else {
        out.push({ key, value: valueInWords(field, v), name, field });
      }
    }
  };
  walk(form.fields, values, '', '');
  return out;
}

// ---- Check your answers --------------------------------------------------------------------

export interface AnswerRow {
  key: string;
  value: string;
  /** the input to go back to */
  href: string;
}

/** Each answer given, in words, for the "check your answers" page: what the event will record. */
export function answersOf(form: EventForm, read: ReadForm, formHref: string): AnswerRow[] {
  const answers = valueRows(form, read.body, read.rows).map((r) => ({
    key: r.key,
    value: r.value,
    href: `${formHref}#${fieldId(form.type, r.name)}${r.field.kind === 'date' ? '-day' : ''}`,
  }));
  answers.push({
    key: `When ${form.when}`,
    value:
      typeof read.body.occurredAt === 'string'
        ? dateTimeInWords(read.body.occurredAt)
        : 'Now, when it is recorded',
    href: `${formHref}#${fieldId(form.type, 'occurredAt')}-day`,
  });
  return answers;
}
