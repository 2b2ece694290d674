import type { z } from 'zod';

/**
 * A request the API cannot read, said so that the caller can fix it: each problem names its field
 * (as a path, `plan.optionsConsidered[1].reason`) and, where it can be said, what would be
 * accepted. Zod's issues (from the event catalogue and the API's own schemas) become problems here,
 * the one place, whether Fastify's validation or the API's own parsing found them.
 */
export interface Problem {
  field: string;
  message: string;
  accepted?: string;
}

type Issue = z.core.$ZodIssue;

/** What the problems are about: the part of the request, the request itself, the fields it may have. */
export interface ProblemContext {
  /** 'body', 'querystring', 'params': the field of a problem with the part as a whole */
  part: string;
  /** the request part as sent, to quote the value that is wrong */
  input?: unknown;
  /** the fields the body may have (an unknown one lists them) */
  knownFields?: readonly string[];
  /** what the body is, in words, e.g. 'a TRIAGED event' */
  what?: string;
}

/** An example instant with its offset, for every message about instants. */
export const instantExample = '2026-03-02T09:30:00Z';
const instantAccepted = `an ISO 8601 date and time with its offset, e.g. ${instantExample} or 2026-03-02T10:30:00+01:00`;

const pathText = (path: readonly PropertyKey[]): string =>
  path.reduce<string>(
    (text, key) =>
      typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key),
    '',
  );

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

const quoted = (value: unknown): string => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
};

const article = (word: string) => (/^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`);
const plural = (n: number | bigint, word: string) => `${n} ${word}${Number(n) === 1 ? '' : 's'}`;

/** One zod issue as problems (an unknown-keys issue is one problem per key). */
function problemsOf(issue: Issue, context: ProblemContext): Problem[] {
  const field = pathText(issue.path) || context.part;
  const value = valueAt(context.input, issue.path);
  const missing = value === undefined;
  switch (issue.code) {
    case 'invalid_union': {
      if ((issue as { note?: string }).note === 'No matching discriminator') {
        const options = ((issue as { options?: unknown[] }).options ?? []).map(String);
        const accepted = `one of: ${options.join(', ')}`;
        const where = 'every type, with its fields, is in the OpenAPI document at /docs (EventBody)';
        return [
          missing
            ? { field, message: `is missing: every event names its ${field}; ${where}`, accepted }
            : { field, message: `unknown event ${field} ${quoted(value)}; ${where}`, accepted },
        ];
      }
      return [{ field, message: issue.message }];
    }
    case 'invalid_format': {
      if (issue.format === 'datetime') {
        const withoutOffset =
          typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value);
        return [
          {
            field,
            message: withoutOffset
              ? `${quoted(value)} has no offset: write the instant with its offset, e.g. ${instantExample}`
              : `${quoted(value)} is not an instant: write it as ISO 8601 with its offset, e.g. ${instantExample}`,
            accepted: instantAccepted,
          },
        ];
      }
      if (issue.format === 'date') {
        return [
          {
            field,
            message: `${quoted(value)} is not a calendar date: write it as YYYY-MM-DD, e.g. 2026-03-02`,
            accepted: 'a date as YYYY-MM-DD, e.g. 2026-03-02',
          },
        ];
      }
      return [{ field, message: issue.message }];
    }
    case 'too_big': {
      const max = issue.maximum;
      if (issue.origin === 'string')
        return [
          {
            field,
            message: `is ${typeof value === 'string' ? plural(value.length, 'character') : 'too long'}, over the limit of ${max}`,
            accepted: `at most ${plural(max, 'character')}`,
          },
        ];
      if (issue.origin === 'array')
        return [
          {
            field,
            message: `has ${Array.isArray(value) ? plural(value.length, 'item') : 'too many items'}, over the limit of ${max}`,
            accepted: `at most ${plural(max, 'item')}`,
          },
        ];
      return [
        {
          field,
          message: `${quoted(value)} is too large`,
          accepted: `a number ${issue.inclusive ? 'up to' : 'below'} ${max}`,
        },
      ];
    }
    case 'too_small': {
      const min = issue.minimum;
      if (issue.origin === 'string')
        return [
          {
            field,
            message:
              typeof value === 'string' && value.trim() === '' ? 'is empty (or only spaces)' : 'is too short',
            accepted: `at least ${plural(min, 'character')} besides spaces`,
          },
        ];
      if (issue.origin === 'array')
        return [{ field, message: 'has too few items', accepted: `at least ${plural(min, 'item')}` }];
      return [
        {
          field,
          message: `${quoted(value)} is too small`,
          accepted: `a number ${issue.inclusive ? `of ${min} or more` : `above ${min}`}`,
        },
      ];
    }
    case 'invalid_value': {
      const accepted = `one of: ${issue.values.map((v) => String(v)).join(', ')}`;
      return [
        missing
          ? { field, message: 'is required', accepted }
          : { field, message: `${quoted(value)} is not one of the values accepted`, accepted },
      ];
    }
    case 'invalid_type': {
      const expected = issue.expected === 'nan' ? 'number' : issue.expected;
      if (missing && issue.path.length)
        return [{ field, message: 'is required', accepted: article(expected) }];
      const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : article(typeof value);
      return [{ field, message: `must be ${article(expected)}, not ${got}`, accepted: article(expected) }];
    }
    case 'unrecognized_keys': {
      const known = context.knownFields;
      return issue.keys.map((key) => ({
        field: pathText([...issue.path, key]),
        message: `is not a field of ${issue.path.length ? pathText(issue.path) : (context.what ?? 'this request')}: leave it out`,
        ...(known && !issue.path.length ? { accepted: `the fields ${known.join(', ')}` } : {}),
      }));
    }
    case 'custom':
      return [
        {
          field,
          message: issue.message,
          ...(/^must be /.test(issue.message) ? { accepted: issue.message.slice(8) } : {}),
        },
      ];
    default:
      return [{ field, message: issue.message }];
  }
}

export function problemsFromIssues(issues: readonly Issue[], context: ProblemContext): Problem[] {
  return issues.flatMap((issue) => problemsOf(issue, context));
}

/** "plan.risks: expected string" (a problem in words, as the workflow's validator says it) as a problem. */
export function problemFromText(text: string, part = 'body'): Problem {
  const match = /^([A-Za-z_$][\w$]*(?:(?:\.[A-Za-z_$][\w$]*)|(?:\.\d+)|(?:\[\d+\]))*): (.+)$/s.exec(text);
  return match
    ? { field: match[1]!.replace(/\.(\d+)/g, '[$1]'), message: match[2]! }
    : { field: part, message: text };
}

/** What a problem's accepted says, in a sentence: a long list is cut (the whole of it is in `problems`). */
function acceptedInWords(accepted: string): string {
  if (accepted.length <= 200) return accepted;
  const shown = accepted.slice(0, 160).replace(/,[^,]*$/, '');
  const more = accepted.slice(shown.length).split(',').length - 1;
  return `${shown}, … and ${more} more`;
}

/** The problems in one sentence, each with its field and what would be accepted. */
export const problemsInWords = (problems: readonly Problem[]): string =>
  problems
    .map(
      (p) =>
        `${p.field}: ${p.message}${p.accepted && !p.message.includes(p.accepted) ? ` (accepted: ${acceptedInWords(p.accepted)})` : ''}`,
    )
    .join('; ');
