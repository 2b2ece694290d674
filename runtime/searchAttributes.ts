import type { Connection } from '@temporalio/client';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { journeySearchAttributes, searchAttributeCliType } from '../workflows/searchAttributes';

/**
 * Registers the journey's custom search attributes on a namespace, adding only the missing ones.
 * Used by `npm run setup:cluster` (scripts/registerSearchAttributes.ts, a council's own cluster) and
 * by the embedded dev server on start (start-dev registers them only when it creates the namespace,
 * so attributes added to the code later would otherwise be missing from an existing
 * .data/temporal.sqlite).
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

/** Adds the journey's search attributes missing from the namespace; refuses one registered with another type. */
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
