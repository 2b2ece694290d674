import type { Connection } from '@temporalio/client';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { loadConfig } from '../temporal.config';
import { journeySearchAttributes, searchAttributeCliType } from '../workflows/searchAttributes';
import { connectClient } from './connection';

/**
 * Registers the journey's custom search attributes on a namespace, adding only the missing ones.
 * Used by `npm run setup:cluster` (a council's own cluster) and by the embedded dev server on start
 * (start-dev registers them only when it creates the namespace, so attributes added to the code
 * later would otherwise be missing from an existing .data/temporal.sqlite).
 */
/** The journey's search attributes as the operator service wants them: name → indexed value type. */
export function searchAttributeTypes(): Record<string, number> {
  return Object.fromEntries(
    journeySearchAttributes.map((key) => {
      const type = encodeSearchAttributeIndexedValueType(key.type);
      if (type === undefined) throw new Error(`no indexed value type for ${key.name} (${key.type})`);
      return [key.name, type];
    }),
  );
}

export async function ensureSearchAttributes(
  connection: Connection,
  namespace: string,
): Promise<{ added: string[]; present: string[] }> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  const existing = customAttributes ?? {};
  const added: string[] = [];
  const present: string[] = [];
  const missing: Record<string, number> = {};
  const types = searchAttributeTypes();
  for (const key of journeySearchAttributes) {
    const wanted = types[key.name] as number;
    const current = existing[key.name];
    if (current === undefined || current === null) {
      missing[key.name] = wanted;
      added.push(key.name);
    } else if (current !== wanted) {
      throw new Error(
        `search attribute ${key.name} is already registered on namespace ${namespace} with another type ` +
          `(indexed value type ${current}); this project needs ${searchAttributeCliType(key.type)}`,
      );
    } else {
      present.push(key.name);
    }
  }
  if (added.length > 0) {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
  }
  return { added, present };
}

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.temporal.address) {
    console.log(
      'TEMPORAL_ADDRESS is not set: the embedded dev server registers the search attributes itself on `npm start`.\n' +
        'Set TEMPORAL_ADDRESS (and TEMPORAL_NAMESPACE, TLS / API key settings) to register them on your own cluster.',
    );
    return;
  }
  const { namespace } = config.temporal;
  const { connection } = await connectClient(config);
  try {
    const { added, present } = await ensureSearchAttributes(connection, namespace);
    for (const name of present) console.log(`already registered on ${namespace}: ${name}`);
    for (const name of added) console.log(`registered on ${namespace}: ${name}`);
    console.log(`search attributes ready on ${config.temporal.address} namespace ${namespace}`);
  } catch (err) {
    const list = journeySearchAttributes.map((k) => `${k.name}=${searchAttributeCliType(k.type)}`).join(' ');
    console.error(
      `could not register the search attributes on ${config.temporal.address} namespace ${namespace}: ${(err as Error).message}\n` +
        'On Temporal Cloud the operator API may not allow this: add them in the Cloud UI (the namespace page)\n' +
        `or with \`tcld namespace search-attributes add\`. The attributes: ${list}`,
    );
    process.exitCode = 1;
  } finally {
    await connection.close();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
