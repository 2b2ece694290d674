import { connectOperator } from '../runtime/connection';
import { ensureSearchAttributes, searchAttributeTypes } from '../runtime/searchAttributes';
import { loadTemporalConnection } from '../temporal.config';
import { journeySearchAttributes, searchAttributeCliType } from '../workflows/searchAttributes';
import { clusterRequirements, registrationAdvice, serverKindOf, slotShortageIn } from './clusterSetupAdvice';

/**
 * `npm run setup:cluster`: registers the journey's search attributes on a council's own cluster or
 * Temporal Cloud namespace (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE), adding only the missing ones.
 * It reads only the connection settings: the operator API carries no payloads, so the payload keys
 * and the rest of the application's settings are neither needed nor checked here.
 */

async function main(): Promise<void> {
  const temporal = loadTemporalConnection();
  const { address, namespace } = temporal;
  if (!address) {
    console.log(
      'TEMPORAL_ADDRESS is not set: the embedded dev server registers the search attributes itself on `npm start`.\n' +
        'Set TEMPORAL_ADDRESS (and TEMPORAL_NAMESPACE, TLS / API key settings) to register them on your own cluster.',
    );
    return;
  }
  const connection = await connectOperator(address, temporal);
  try {
    const { added, present } = await ensureSearchAttributes(connection, namespace);
    for (const name of present) console.log(`already registered on ${namespace}: ${name}`);
    for (const name of added) console.log(`registered on ${namespace}: ${name}`);
    console.log(`search attributes ready on ${address} namespace ${namespace}`);
    console.log(clusterRequirements(serverKindOf(address)));
  } catch (err) {
    const message = (err as Error).message;
    console.error(
      `could not register the search attributes on ${address} namespace ${namespace}: ${message}\n` +
        registrationAdvice({ address, namespace, message, othersOfType: await othersOfType(message) }) +
        `\n${clusterRequirements(serverKindOf(address))}`,
    );
    process.exitCode = 1;
  } finally {
    await connection.close();
  }

  /** The namespace's other attributes of the type that ran out (best effort: undefined if unreadable). */
  async function othersOfType(message: string): Promise<string[] | undefined> {
    const shortage = slotShortageIn(message);
    const like = journeySearchAttributes.find(
      (key) => shortage && searchAttributeCliType(key.type) === shortage.type,
    );
    if (!like) return undefined;
    const type = searchAttributeTypes()[like.name];
    try {
      const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
      const ours = new Set<string>(journeySearchAttributes.map((key) => key.name));
      return Object.entries(customAttributes ?? {})
        .filter(([name, t]) => t === type && !ours.has(name))
        .map(([name]) => name);
    } catch {
      return undefined;
    }
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
