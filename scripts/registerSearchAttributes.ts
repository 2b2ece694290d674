import { connectClient } from '../runtime/connection';
import { ensureSearchAttributes } from '../runtime/searchAttributes';
import { loadConfig } from '../temporal.config';
import { journeySearchAttributes, searchAttributeCliType } from '../workflows/searchAttributes';

/**
 * `npm run setup:cluster`: registers the journey's search attributes on a council's own cluster or
 * Temporal Cloud namespace (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE), adding only the missing ones.
 */

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
