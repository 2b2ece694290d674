import { minimumServerVersion } from '../runtime/serverVersion';
import { journeySearchAttributes, searchAttributeCliType } from '../workflows/searchAttributes';

/**
 * What `npm run setup:cluster` tells an operator, kept pure so it can be tested without a cluster.
 * The numbers and commands are Temporal's documented ones (docs.temporal.io, "Search Attributes",
 * custom search attribute limits; "Manage custom Search Attributes").
 */

export type ServerKind = 'temporal-cloud' | 'self-hosted';

/**
 * Temporal Cloud's endpoints: a namespace's own (<namespace>.<account>.tmprl.cloud:7233) or the
 * regional one API keys use (<region>.<provider>.api.temporal.io:7233). Anything else is a
 * council's own server.
 */
export function serverKindOf(address: string): ServerKind {
  const host = address
    .trim()
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/:\d+$/, '')
    .replace(/\.$/, '')
    .toLowerCase();
  return host.endsWith('.tmprl.cloud') || host.endsWith('.api.temporal.io')
    ? 'temporal-cloud'
    : 'self-hosted';
}

/** Custom search attributes a namespace may hold per type on the SQL visibility store (MySQL, PostgreSQL, SQLite). */
export const sqlVisibilityLimits: Readonly<Record<string, number>> = {
  Bool: 3,
  Datetime: 3,
  Double: 3,
  Int: 3,
  Keyword: 10,
  KeywordList: 3,
  Text: 3,
};

/** The same on Temporal Cloud. */
export const cloudLimits: Readonly<Record<string, number>> = {
  Bool: 20,
  Datetime: 20,
  Double: 20,
  Int: 20,
  Keyword: 40,
  KeywordList: 5,
  Text: 5,
};

const limitsText = (limits: Readonly<Record<string, number>>) =>
  Object.entries(limits)
    .map(([type, n]) => `${type} ${n}`)
    .join(', ');

/** The journey's attributes of a type (CLI name, e.g. Datetime). */
function journeyAttributesOf(cliType: string): string[] {
  return journeySearchAttributes
    .filter((key) => searchAttributeCliType(key.type) === cliType)
    .map((key) => key.name);
}

/**
 * The server's refusal when a namespace has no slot left of a type ("Unable to create search
 * attributes: cannot have more than 3 search attribute of type Datetime."), read into the type's
 * CLI name and the limit; undefined for any other failure.
 */
export function slotShortageIn(message: string): { type: string; limit: number } | undefined {
  const found = /cannot have more than (\d+) search attributes? of type ([A-Za-z_]+)/i.exec(message);
  if (!found) return undefined;
  const raw = found[2]!
    .replace(/^INDEXED_VALUE_TYPE_/i, '')
    .replace(/_/g, '')
    .toLowerCase();
  const type = Object.keys(sqlVisibilityLimits).find((name) => name.toLowerCase() === raw) ?? found[2]!;
  return { type, limit: Number(found[1]) };
}

/** The journey's attributes as `temporal operator search-attribute create` takes them. */
function cliCreateCommand(namespace: string): string {
  const names = journeySearchAttributes
    .map((key) => `--name ${key.name} --type ${searchAttributeCliType(key.type)}`)
    .join(' ');
  return `temporal operator search-attribute create --namespace ${namespace} ${names}`;
}

/**
 * Where the journeys must live, said on every run: the lists of journeys (worktray, overdue, stuck)
 * are visibility queries over the custom search attributes, so the namespace's visibility store
 * must support them, and the journeys need every slot of some types.
 */
export function clusterRequirements(kind: ServerKind): string {
  const needs = Object.keys(sqlVisibilityLimits)
    .map((type) => [type, journeyAttributesOf(type).length] as const)
    .filter(([, n]) => n > 0)
    .map(([type, n]) => `${type} ${n}`)
    .join(', ');
  if (kind === 'temporal-cloud') {
    return (
      'Give the journeys a Temporal Cloud namespace of their own (the Cloud UI, or `tcld namespace create`): ' +
      'it keeps their search attributes, retention and access apart from other applications. ' +
      `The journeys need these custom search attributes: ${needs}.`
    );
  }
  return (
    'Give the journeys a namespace of their own (`temporal operator namespace create --namespace care-journeys`, ' +
    'then TEMPORAL_NAMESPACE=care-journeys): on SQL visibility search attributes are per namespace, and the ' +
    `journeys need ${needs} of the per-namespace limit (${limitsText(sqlVisibilityLimits)}).\n` +
    "The lists of journeys are visibility queries over these attributes, so the namespace's visibility store " +
    'must be advanced visibility: SQL visibility on PostgreSQL 12+ or MySQL 8.0.17+ (custom search attributes ' +
    'on SQL from Temporal Server 1.20), or Elasticsearch. Cassandra alone has no custom search attributes.\n' +
    `The journeys need Temporal Server ${minimumServerVersion} or later.`
  );
}

/** What to do when registering failed, for this kind of server. */
export function registrationAdvice(input: {
  address: string;
  namespace: string;
  /** the server's error message */
  message: string;
  /** attributes already on the namespace of the type that ran out, other than the journey's */
  othersOfType?: string[];
}): string {
  const { address, namespace, message } = input;
  const kind = serverKindOf(address);
  const shortage = slotShortageIn(message);
  const lines: string[] = [];
  if (kind === 'temporal-cloud') {
    if (shortage) {
      const wanted = journeyAttributesOf(shortage.type);
      lines.push(
        `Namespace ${namespace} has no ${shortage.type} search attribute left: Temporal Cloud allows ${cloudLimits[shortage.type] ?? shortage.limit} ` +
          `per namespace and the journeys need ${wanted.length} (${wanted.join(', ')}).`,
        'Use a Temporal Cloud namespace of the journeys’ own (the Cloud UI, or `tcld namespace create`), ' +
          'or ask Temporal support about the limit.',
      );
    } else {
      lines.push('Temporal Cloud may not let the operator API add search attributes with these credentials.');
    }
    const list = journeySearchAttributes
      .map((key) => `${key.name}=${searchAttributeCliType(key.type)}`)
      .join(' ');
    lines.push(
      'Add them in the Cloud UI (the namespace page, Search Attributes) or with ' +
        `\`tcld namespace search-attributes add --namespace ${namespace} --search-attribute "<Name>=<Type>"\` (once each). ` +
        `The attributes: ${list}`,
    );
    return lines.join('\n');
  }
  if (shortage) {
    const wanted = journeyAttributesOf(shortage.type);
    const others = input.othersOfType ?? [];
    lines.push(
      `Namespace ${namespace} has no ${shortage.type} search attribute left: the SQL visibility store holds ` +
        `${shortage.limit} per namespace (${limitsText(sqlVisibilityLimits)}), and the journeys need ${wanted.length} ` +
        `(${wanted.join(', ')})` +
        (others.length
          ? `, but ${others.join(', ')} already use${others.length === 1 ? 's' : ''} ${others.length}.`
          : '.'),
      'Either:',
      `- give the journeys a namespace of their own: \`temporal operator namespace create --namespace care-journeys\`, ` +
        'then run this again with TEMPORAL_NAMESPACE=care-journeys (SQL visibility counts the limit per namespace);',
      `- or remove attributes no longer used on ${namespace}: \`temporal operator search-attribute remove --namespace ${namespace} --name <Name>\` ` +
        '(on SQL the removed attribute’s old values stay in its column, and a new attribute may take it over);',
      '- or move the cluster’s visibility to Elasticsearch, which sets no per-type limit.',
    );
  } else {
    lines.push(
      'If the server refused the operator call (an authorizer that allows it only to administrators), ask its ' +
        'administrator to add them with the Temporal CLI:',
      cliCreateCommand(namespace),
    );
  }
  return lines.join('\n');
}
