import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../../temporal.config';
import { buildApi } from '../server';

/**
 * The OpenAPI document exactly as the API serves it at /docs/json, without a Temporal server: the
 * API is built on a lazy connection that nothing here uses (the document is made from the routes'
 * schemas). For the typed client's generator and the contract tests.
 */
export async function servedDocument(): Promise<Record<string, unknown>> {
  const client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  const app = await buildApi({ client, config: loadConfig({}) });
  try {
    return (await app.inject({ method: 'GET', url: '/docs/json' })).json();
  } finally {
    await app.close();
  }
}
