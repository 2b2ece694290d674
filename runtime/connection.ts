import { Client, Connection, type TLSConfig } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { temporalAddress, type CareConfig, type TemporalConnectionConfig } from '../temporal.config';
import { careDataConverter } from './dataConverter';
import { refuseUnsupportedServer } from './serverVersion';

/**
 * The one way this project dials Temporal: the embedded dev server (no TEMPORAL_ADDRESS) or a
 * cluster / Temporal Cloud with TLS, mTLS (TEMPORAL_TLS_CERT_PATH + _KEY_PATH) or an API key.
 */

export interface TemporalConnectionOptions {
  address: string;
  tls: TLSConfig | undefined;
  apiKey: string | undefined;
}

export function temporalConnectionOptions(config: CareConfig): TemporalConnectionOptions {
  return connectionOptionsFor(temporalAddress(config), config.temporal);
}

function connectionOptionsFor(
  address: string,
  temporal: TemporalConnectionConfig,
): TemporalConnectionOptions {
  const tls = temporal.tls;
  return {
    address,
    tls: tls
      ? {
          ...(tls.serverNameOverride ? { serverNameOverride: tls.serverNameOverride } : {}),
          ...(tls.serverRootCACertificate ? { serverRootCACertificate: tls.serverRootCACertificate } : {}),
          ...(tls.clientCertPair ? { clientCertPair: tls.clientCertPair } : {}),
        }
      : undefined,
    apiKey: temporal.apiKey,
  };
}

/**
 * A bare connection to a cluster, with no client and so no payload codec: for the operator API
 * (`npm run setup:cluster`), which sends no payloads and so needs no payload keys.
 */
export async function connectOperator(
  address: string,
  temporal: TemporalConnectionConfig,
): Promise<Connection> {
  const { tls, apiKey } = connectionOptionsFor(address, temporal);
  return Connection.connect({ address, tls, ...(apiKey ? { apiKey } : {}) });
}

/**
 * A client for the configured namespace, and the connection under it (close it when done). Its
 * payloads are encrypted with the configured keys (issue 14; runtime/dataConverter.ts).
 */
export async function connectClient(config: CareConfig): Promise<{ client: Client; connection: Connection }> {
  const { address, tls, apiKey } = temporalConnectionOptions(config);
  const connection = await Connection.connect({ address, tls, ...(apiKey ? { apiKey } : {}) });
  // an older server than the project needs stops here, saying which version it needs and found
  await refuseUnsupportedServer(connection, address).catch(async (err: unknown) => {
    await connection.close().catch(() => undefined);
    throw err;
  });
  const client = new Client({
    connection,
    namespace: config.temporal.namespace,
    dataConverter: careDataConverter(config),
  });
  return { client, connection };
}

/** The worker's connection (close it after the worker has stopped). */
export async function connectWorkerConnection(config: CareConfig): Promise<NativeConnection> {
  const { address, tls, apiKey } = temporalConnectionOptions(config);
  return NativeConnection.connect({ address, tls, ...(apiKey ? { apiKey } : {}) });
}
