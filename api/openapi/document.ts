/**
 * The last touches to the OpenAPI document, after @fastify/swagger and fastify-type-provider-zod
 * have built it from the routes' zod schemas (api/server.ts `transformObject`):
 * - every union of event schemas gets its OpenAPI `discriminator` (`type`, with the mapping from
 *   each type to its schema), which zod cannot say;
 * - a request body made of such a union gets one named example per event type (Swagger UI's
 *   example list), and any other body its schema's example;
 * - every 503 documents its Retry-After header, every success says what it answers;
 * - a GET (it has no body) does not list 413 and 415;
 * - the schemas no operation uses (the provider emits an input and an output copy of each) are
 *   left out, and an input copy takes the plain name ("TriagedEventInput" → "TriagedEvent").
 */

import { bodyStatuses } from '../errors';

type Json = Record<string, unknown>;
interface Operation {
  requestBody?: { content?: Record<string, Json> };
  responses?: Record<string, Json>;
}

const schemasPath = '#/components/schemas/';

const refName = (schema: unknown): string | undefined => {
  const ref = (schema as { $ref?: unknown } | null)?.$ref;
  return typeof ref === 'string' && ref.startsWith(schemasPath) ? ref.slice(schemasPath.length) : undefined;
};

function* operationsOf(document: Json): Generator<[method: string, operation: Operation]> {
  for (const item of Object.values((document.paths ?? {}) as Record<string, Record<string, unknown>>)) {
    for (const [method, operation] of Object.entries(item)) {
      if (['get', 'put', 'post', 'delete', 'patch', 'options', 'head'].includes(method))
        yield [method, operation as Operation];
    }
  }
}

/** Answers only a request with a body can get: a GET's operations leave them out. */
const bodyOnlyStatuses = bodyStatuses.map(String);

/** Every `$ref` name inside a value. */
function refsIn(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => refsIn(v, found));
  else if (value && typeof value === 'object') {
    const name = refName(value);
    if (name) found.add(name);
    Object.values(value).forEach((v) => refsIn(v, found));
  }
  return found;
}

/** Rewrites every reference to a renamed schema (`$ref`s and the discriminator's mapping). */
function renameRefs(value: unknown, renames: Map<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => renameRefs(v, renames));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renameRefs(v, renames)]));
  if (typeof value === 'string' && value.startsWith(schemasPath)) {
    const renamed = renames.get(value.slice(schemasPath.length));
    if (renamed) return schemasPath + renamed;
  }
  return value;
}

/** The single value of a schema's `type` property (`enum: ['TRIAGED']`), if it has one. */
function typeValueOf(schema: Json | undefined): string | undefined {
  const type = (schema?.properties as Record<string, Json> | undefined)?.type;
  const values = (type?.enum ?? (type?.const !== undefined ? [type.const] : undefined)) as
    unknown[] | undefined;
  return values?.length === 1 && typeof values[0] === 'string' ? values[0] : undefined;
}

export function completeDocument<T extends object>(input: T): T {
  let document = structuredClone(input) as unknown as Json;
  const components = (document.components ?? {}) as Json;
  const schemas = (components.schemas ?? {}) as Record<string, Json>;

  // The discriminator of each union of schemas that each name one `type`.
  for (const schema of Object.values(schemas)) {
    const members = schema.oneOf as unknown[] | undefined;
    if (!Array.isArray(members) || !members.length) continue;
    const mapping: Record<string, string> = {};
    for (const member of members) {
      const name = refName(member);
      const type = name ? typeValueOf(schemas[name]) : undefined;
      if (!name || !type) break;
      mapping[type] = schemasPath + name;
    }
    if (Object.keys(mapping).length === members.length)
      schema.discriminator = { propertyName: 'type', mapping };
  }

  for (const [method, operation] of operationsOf(document)) {
    for (const media of Object.values(operation.requestBody?.content ?? {})) {
      const name = refName(media.schema);
      const schema = name ? schemas[name] : (media.schema as Json | undefined);
      const mapping = (schema?.discriminator as { mapping?: Record<string, string> } | undefined)?.mapping;
      if (mapping) {
        media.examples = Object.fromEntries(
          Object.entries(mapping).flatMap(([type, ref]) => {
            const member = schemas[ref.slice(schemasPath.length)];
            return member?.example === undefined
              ? []
              : [[type, { summary: String(member.description ?? type), value: member.example }]];
          }),
        );
      } else if (schema?.example !== undefined && media.example === undefined) {
        media.example = schema.example;
      }
    }
    // An answer documented by its schema's own words rather than "Default Response".
    for (const response of Object.values(operation.responses ?? {})) {
      if (response.description !== 'Default Response') continue;
      const schema = (response.content as Record<string, Json> | undefined)?.['application/json']?.schema;
      const name = refName(schema);
      const described = (name && schemas[name]?.description) as string | undefined;
      response.description = described ?? (name ? `The answer: ${name}` : 'The answer');
    }
    if (method === 'get' || method === 'head')
      for (const status of bodyOnlyStatuses) delete operation.responses?.[status];
    const unavailable = operation.responses?.['503'];
    if (unavailable) {
      unavailable.headers = {
        'Retry-After': {
          description: 'Seconds to wait before asking again',
          schema: { type: 'integer', minimum: 1 },
        },
      };
    }
  }

  // Only the schemas the operations use (and what those use).
  const used = new Set<string>();
  let frontier = [...refsIn(document.paths)];
  while (frontier.length) {
    const next: string[] = [];
    for (const name of frontier) {
      if (used.has(name)) continue;
      used.add(name);
      next.push(...refsIn(schemas[name]));
    }
    frontier = next;
  }
  const renames = new Map<string, string>();
  for (const name of used) {
    const plain = name.replace(/Input$/, '');
    if (plain !== name && !used.has(plain)) renames.set(name, plain);
  }
  const kept = Object.fromEntries(
    Object.entries(schemas)
      .filter(([name]) => used.has(name))
      .map(([name, schema]) => [renames.get(name) ?? name, schema]),
  );
  document = renameRefs({ ...document, components: { ...components, schemas: kept } }, renames) as Json;
  return document as unknown as T;
}
