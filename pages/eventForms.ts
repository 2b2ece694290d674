import { z } from 'zod';
import { journeyEventSchemas, systemOnlyEvents, type JourneyEventType } from '../machines/events';
import type { ApiErrorBody } from './apiCalls';
import { fieldInWords } from './words';
import { describeField, eventDocs, type SendableEventType } from '../machines/eventExamples';

/**
 * A form for each event, generated from the event catalogue's zod schema (machines/events.ts)
 * through its JSON Schema: labels from the field names, hints from the schema's descriptions and
 * limits. What is typed is turned back into the event's JSON body and sent through the API, whose
 * validation and the journey's rules decide; their answer names each field, shown against it.
 */

type JsonSchema = {
  type?: string;
  enum?: string[];
  format?: string;
  description?: string;
  maxLength?: number;
  minItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  default?: unknown;
};

export type FieldKind = 'text' | 'textarea' | 'number' | 'yesNo' | 'choice' | 'lines' | 'json' | 'group';

export interface FormField {
  /** the path in the event body: plan.stayingInControl */
  path: string;
  /** the HTML name and id (ids need no escaping in CSS: dots and brackets replaced) */
  name: string;
  id: string;
  label: string;
  hint: string;
  kind: FieldKind;
  required: boolean;
  options?: { value: string; text: string }[];
  children?: FormField[];
}

export interface EventForm {
  type: JourneyEventType;
  /** what the event records, and its rule (machines/eventExamples.ts) */
  summary: string;
  fields: FormField[];
}

/** Fields every event has, which the form fills in itself (eventId, actor) or asks separately (occurredAt). */
const envelopeFields = new Set(['type', 'eventId', 'occurredAt', 'actor']);

export const fieldId = (type: string, path: string) => `${type}-${path.replace(/[^A-Za-z0-9_-]/g, '-')}`;

/** What the field means (machines/eventExamples.ts, the API document's words), then its format and limits (the schema's). */
function fieldOf(type: string, path: string, key: string, schema: JsonSchema, required: boolean): FormField {
  const meaning = describeField(type, path);
  const hintOf = (s: JsonSchema, extra?: string) =>
    [meaning, s.description, extra]
      .filter((part): part is string => !!part)
      .map((part) => part.replace(/\.$/, ''))
      .join('. ');
  const base = {
    path,
    name: path,
    id: fieldId(type, path),
    label: fieldInWords(key),
    required,
  };
  if (schema.type === 'object' && schema.properties) {
    const inner = new Set(schema.required ?? []);
    return {
      ...base,
      kind: 'group',
      hint: hintOf(schema, required ? undefined : 'Optional: leave every part empty to leave it out'),
      children: Object.entries(schema.properties).map(([k, s]) =>
        fieldOf(type, `${path}.${k}`, k, s, inner.has(k)),
      ),
    };
  }
  if (schema.type === 'boolean') return { ...base, kind: 'yesNo', hint: hintOf(schema) };
  if (schema.type === 'number' || schema.type === 'integer')
    return {
      ...base,
      kind: 'number',
      hint: hintOf(schema, schema.type === 'integer' ? 'A whole number' : 'A number'),
    };
  if (schema.type === 'string' && schema.enum)
    return {
      ...base,
      kind: 'choice',
      hint: hintOf(schema),
      options: schema.enum.map((value) => ({ value, text: fieldInWords(value) })),
    };
  if (schema.type === 'array') {
    const item = schema.items ?? {};
    if (item.type === 'string')
      return {
        ...base,
        kind: 'lines',
        hint: hintOf(
          schema,
          `One per line${item.enum ? `, each one of: ${item.enum.join(', ')}` : ''}${item.description ? ` (each: ${item.description.toLowerCase()})` : ''}`,
        ),
      };
    const keys = Object.keys(item.properties ?? {});
    return {
      ...base,
      kind: 'json',
      hint: hintOf(
        schema,
        `As JSON: a list of objects with ${keys.join(', ')}, e.g. [{${keys.map((k) => `"${k}": …`).join(', ')}}]`,
      ),
    };
  }
  if (schema.type === 'string' && schema.format === 'date')
    return { ...base, kind: 'text', hint: hintOf(schema, 'For example, 2026-11-16') };
  return {
    ...base,
    kind: (schema.maxLength ?? 0) > 500 ? 'textarea' : 'text',
    hint: hintOf(schema),
  };
}

function formOf(schema: ReturnType<typeof journeyEventSchemas>[number]): EventForm {
  const type = schema.shape.type.value;
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const required = new Set(json.required ?? []);
  const fields = Object.entries(json.properties ?? {})
    .filter(([key]) => !envelopeFields.has(key))
    .map(([key, s]) => fieldOf(type, key, key, s, required.has(key)));
  return { type, summary: eventDocs[type as SendableEventType]?.summary ?? '', fields };
}

/** The form of every event a person may send (not those only the journey raises). */
export const eventForms: ReadonlyMap<string, EventForm> = new Map(
  journeyEventSchemas()
    .filter((s) => !systemOnlyEvents.includes(s.shape.type.value))
    .map((s) => [s.shape.type.value, formOf(s)]),
);

/** What was typed, by field name (the urlencoded body as @fastify/formbody gives it). */
export type Typed = Record<string, string | string[] | undefined>;

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join('\n') : (v ?? ''));

/**
 * The event's JSON body from what was typed. Left empty: left out (an optional field is then
 * absent; a required one is reported missing by the API). Numbers, yes/no, lists of lines and JSON
 * are converted where they can be; what cannot is sent as typed, so the API names the field.
 */
function valueOf(field: FormField, typed: Typed): unknown {
  if (field.kind === 'group') {
    // a part left wholly empty is left out (an optional part, such as signing off with a dispute)
    if (!allFields(field.children!).some((c) => one(typed[c.name]).trim() !== '')) return undefined;
    const entries = field.children!.map((c) => [c.path.split('.').at(-1)!, valueOf(c, typed)] as const);
    return Object.fromEntries(entries.filter(([, v]) => v !== undefined));
  }
  const raw = one(typed[field.name]).trim();
  // a list the event must carry may be empty (no ineligible needs): an empty box says so
  if (raw === '') return field.kind === 'lines' && field.required ? [] : undefined;
  switch (field.kind) {
    case 'number': {
      const n = Number(raw.replaceAll(',', ''));
      return Number.isFinite(n) ? n : raw;
    }
    case 'yesNo':
      return raw === 'true' ? true : raw === 'false' ? false : raw;
    case 'lines':
      return raw
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean);
    case 'json':
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        return raw;
      }
    default:
      return raw;
  }
}

export function eventBodyFrom(form: EventForm, typed: Typed): Record<string, unknown> {
  const body: Record<string, unknown> = { type: form.type };
  const eventId = one(typed.eventId).trim();
  if (eventId) body.eventId = eventId;
  const occurredAt = one(typed.occurredAt).trim();
  if (occurredAt) body.occurredAt = occurredAt;
  for (const field of form.fields) {
    const value = valueOf(field, typed);
    if (value !== undefined) body[field.path] = value;
  }
  return body;
}

/** Every field of a form, groups opened up. */
export function allFields(fields: FormField[]): FormField[] {
  return fields.flatMap((f) => (f.children ? [f, ...allFields(f.children)] : [f]));
}

export interface FormProblem {
  /** the field's id to link to from the error summary; the form itself when no field is named */
  href: string;
  /** shown in the summary and against the field */
  text: string;
  /** the field's path, where the problem names one the form has */
  path?: string;
}

/**
 * The API's answer as problems of the form: a 400's `problems` and a 409's `reasons` each name a
 * field (the nearest the form has: plan.optionsConsidered[1].reason → plan.optionsConsidered),
 * the rule where there is one, and what would be accepted.
 */
export function problemsFrom(form: EventForm, answer: ApiErrorBody): FormProblem[] {
  const fields = allFields(form.fields);
  const envelope = ['occurredAt', 'eventId'];
  const nearest = (path: string | undefined): string | undefined => {
    if (!path) return undefined;
    const candidates = [...fields.map((f) => f.path), ...envelope];
    const shorter = (p: string) => p.replace(/(\.[^.[\]]+|\[\d+\])$/, '');
    for (let p = path, q = ''; p; q = shorter(p), p = q === p ? '' : q) {
      if (candidates.includes(p)) return p;
    }
    return undefined;
  };
  const items = [
    ...(answer.problems ?? []).map((p) => ({
      field: p.field,
      text: p.message,
      accepted: p.accepted,
      ruleId: undefined,
    })),
    ...(answer.reasons ?? []).map((r) => ({
      field: r.field,
      text: r.message,
      accepted: r.accepted,
      ruleId: r.ruleId,
    })),
  ];
  if (!items.length) return [{ href: `#form-${form.type}`, text: answer.error }];
  return items.map((item) => {
    const path = nearest(item.field);
    const words = [
      item.ruleId ? `${item.ruleId}: ` : '',
      path || !item.field || ['body', 'event'].includes(item.field) ? '' : `${item.field}: `,
      item.text,
      item.accepted ? ` (accepted: ${item.accepted})` : '',
    ].join('');
    return {
      href: `#${path ? fieldId(form.type, path) : `form-${form.type}`}`,
      text: words,
      ...(path ? { path } : {}),
    };
  });
}
